#!/usr/bin/python3
# check-module-graph.py: the library's files depend on each other one way.
#
# Redraws the file-level graph of the library's .c files from what was
# actually built, and fails when the graph has a cycle. A → B is an edge
# when
#
#   * calls/references: A's object file needs a symbol (`nm`: undefined)
#     that B's object file defines; symbols from outside the library (GLib,
#     libc, …) are ignored;
#   * includes: A includes, directly or through other headers, a header
#     named after B (`x.h` or `x-private.h` for `x.c`).
#
# Headers with no source of their name give no include edge (their
# functions, if any, are found through the symbols); the umbrella header
# torchlog.h is not followed at all (see UMBRELLA_HEADERS).
#
# The strongly connected components (Tarjan) with more than one file are
# the cycles; for each, one closed chain of edges through all its files is
# printed, every hop with the symbol or the #include that makes it.
#
# Also checks that TlRegistry and its lock stay private to tl-registry.c
# (its private header declares functions only), that every
# header has a source of its name (or is in HEADERS_WITHOUT_SOURCE), and
# that nothing under tools/ or tests/ is part of the library's graph.
# Prints TAP.
#
# Usage: check-module-graph.py [--dot FILE] [--nm NM] SOURCE_ROOT OBJECTS...
#
#   SOURCE_ROOT  the project's source folder
#   OBJECTS      the library's object files: .o files, folders holding
#                them, or the shared library itself (its objects are in
#                meson's private folder next to it, `<library>.p/`)
#   --dot FILE   also write the graph as Graphviz DOT (cycles in red,
#                include-only edges dashed): dot -Tsvg FILE > graph.svg
#   --nm NM      the nm program (default: $NM, else nm)
#
# Meson runs it as the test `test-module-graph` (suite `architecture`):
#   meson test -C BUILDDIR --suite architecture -v
#
# SPDX-License-Identifier: LGPL-2.1-or-later
import argparse
import collections
import glob
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
import tap  # noqa: E402  (tests/tap.py)

LIBRARY_DIR = 'torchlog'
NOT_IN_GRAPH = ['tools', 'tests']   # programs and tests using the library

# The umbrella header: it includes every public header, so following it
# would make every file that includes it depend on every file with a
# public header, and the whole library one cycle. A file that includes it
# depends on the public API; which parts it really uses, the symbol edges
# show exactly.
UMBRELLA_HEADERS = {'torchlog.h'}

# Headers in torchlog/ that have no tl-X.c of their name, and why that is
# right. Including one of these gives no include edge. A new header
# without a source of its name must be added here, with its reason.
HEADERS_WITHOUT_SOURCE = {
    'torchlog.h':
        'the umbrella header: includes the public headers, declares nothing',
    'tl-version-macros.h':
        'only macros (TL_AVAILABLE_IN_ALL, deprecation and export attributes)',
    'tl-refcount-private.h':
        'static inline reference counts that ThreadSanitizer can see; no '
        'functions to define',
    'tl-record-private.h':
        'TlRecord, a plain struct with no functions of its own: the writer '
        'fills one per record, the formatter and the outputs read it',
}

# TlRegistry's layout is tl-registry.c's alone.
REGISTRY_SOURCE = LIBRARY_DIR + '/tl-registry.c'
REGISTRY_PRIVATE_HEADER = 'tl-registry-private.h'
REGISTRY_STRUCT = re.compile(r'\bstruct\s+_TlRegistry\s*\{')

# Comments, skipping string and character literals (`"dir/*.ini"`).
C_COMMENT = re.compile(r'"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'|/\*.*?\*/|//[^\n]*', re.S)
INCLUDE = re.compile(r'^[ \t]*#[ \t]*include[ \t]*(["<])([^">]+)[">]', re.M)
UNDEFINED_TYPES = set('Uwv')


def read(path):
    with open(path, encoding='utf-8', errors='replace') as f:
        return f.read()


def strip_comments(text):
    return C_COMMENT.sub(lambda m: m.group(0) if m.group(0)[0] in '"\'' else
                         '\n' * m.group(0).count('\n'), text)


class Graph:
    def __init__(self):
        self.nodes = []                       # file names, in order
        self.symbols = collections.defaultdict(lambda: collections.defaultdict(set))
        self.includes = collections.defaultdict(dict)   # a → b → chain

    def successors(self, a):
        return sorted(set(self.symbols[a]) | set(self.includes[a]))

    def add_symbol(self, a, b, symbol):
        if a != b:
            self.symbols[a][b].add(symbol)

    def add_include(self, a, b, chain):
        if a != b and b not in self.includes[a]:
            self.includes[a][b] = chain

    def reason(self, a, b, limit=3):
        parts = []
        syms = sorted(self.symbols[a].get(b, ()))
        if syms:
            shown = ', '.join(syms[:limit])
            if len(syms) > limit:
                shown += ', +%d more' % (len(syms) - limit)
            parts.append('uses ' + shown)
        chain = self.includes[a].get(b)
        if chain:
            parts.append('#include ' + ' → '.join('"%s"' % h for h in chain))
        return '; '.join(parts)


def tarjan(nodes, successors):
    """Strongly connected components, iteratively (no recursion limit)."""
    index, low, on_stack, stack, result = {}, {}, set(), [], []
    counter = 0
    for root in nodes:
        if root in index:
            continue
        work = [(root, iter(successors(root)))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(successors(child))))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                result.append(sorted(component))
    return result


def shortest_path(graph, start, goals, allowed):
    """Breadth-first, within @allowed: the path from @start to the nearest
    node of @goals (not @start itself unless reached again)."""
    previous = {start: None}
    queue = collections.deque([start])
    while queue:
        node = queue.popleft()
        for child in graph.successors(node):
            if child not in allowed:
                continue
            if child in goals:
                path = [child, node]
                while previous[path[-1]] is not None:
                    path.append(previous[path[-1]])
                return path[::-1]
            if child not in previous:
                previous[child] = node
                queue.append(child)
    return None


def closed_walk(graph, component):
    """One chain of edges that starts and ends at the component's hub and
    passes through every file of it."""
    members = set(component)
    # The hub: the file with the most edges inside the component.
    degree = {m: sum(1 for s in graph.successors(m) if s in members) +
              sum(1 for o in component if m in graph.successors(o))
              for m in component}
    hub = REGISTRY_SOURCE if REGISTRY_SOURCE in members else \
        max(component, key=lambda m: (degree[m], m))
    walk, current, unvisited = [hub], hub, members - {hub}
    while unvisited:
        path = shortest_path(graph, current, unvisited, members)
        walk += path[1:]
        unvisited -= set(path)
        current = walk[-1]
    walk += shortest_path(graph, current, {hub}, members)[1:]
    return walk


def find_build_root(path):
    path = os.path.abspath(path)
    while True:
        if os.path.isdir(os.path.join(path, 'meson-private')) or \
           os.path.isfile(os.path.join(path, 'compile_commands.json')):
            return path
        parent = os.path.dirname(path)
        if parent == path:
            return None
        path = parent


def object_files(arguments):
    objects = []
    for argument in arguments:
        if os.path.isdir(argument):
            objects += sorted(glob.glob(os.path.join(argument, '*.o')))
        elif argument.endswith('.o') or argument.endswith('.obj'):
            objects.append(argument)
        elif os.path.isdir(argument + '.p'):
            objects += sorted(glob.glob(os.path.join(argument + '.p', '*.o')))
        else:
            sys.exit('check-module-graph.py: no object files in %s' % argument)
    return [os.path.realpath(o) for o in objects]


def sources_of(objects, root, build_root):
    """object → (node name, source path, generated?)."""
    commands = {}
    if build_root and os.path.isfile(os.path.join(build_root, 'compile_commands.json')):
        with open(os.path.join(build_root, 'compile_commands.json')) as f:
            for entry in json.load(f):
                output = os.path.realpath(os.path.join(entry['directory'], entry['output']))
                commands[output] = os.path.realpath(os.path.join(entry['directory'], entry['file']))
    result, stale = {}, []
    for obj in objects:
        source = commands.get(obj)
        if source is None and commands:
            # Meson does not delete the object of a source removed from the
            # library: what compile_commands.json does not build is stale.
            stale.append(obj)
            continue
        if source is None:
            # Meson's names: tl-x.c.o, meson-generated_.._tl-x.c.o.
            name = re.sub(r'^meson-generated_(\.\._)*', '', os.path.basename(obj))
            name = re.sub(r'\.o(bj)?$', '', name)
            source = os.path.join(root, LIBRARY_DIR, name)
            if not os.path.isfile(source) and build_root:
                source = os.path.join(build_root, LIBRARY_DIR, name)
        if os.path.commonpath([source, root]) == root and \
           not (build_root and os.path.commonpath([source, build_root]) == build_root):
            result[obj] = (os.path.relpath(source, root), source, False)
        else:
            rel = os.path.relpath(source, build_root) if build_root else os.path.basename(source)
            result[obj] = ('(build)/' + rel, source, True)
    return result, stale


def read_symbols(nm, obj):
    run = subprocess.run([nm, '-P', obj], capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit('check-module-graph.py: %s -P %s failed: %s' % (nm, obj, run.stderr.strip()))
    defined, undefined = set(), set()
    for line in run.stdout.splitlines():
        fields = line.split()
        if len(fields) < 2:
            continue
        name, kind = fields[0], fields[1]
        if kind in UNDEFINED_TYPES:
            undefined.add(name)
        elif kind.isupper() or kind == 'u':
            defined.add(name)
    return defined, undefined


def main():
    parser = argparse.ArgumentParser(description='The library\'s file graph has no cycle.')
    parser.add_argument('--dot', metavar='FILE', help='write the graph as Graphviz DOT')
    parser.add_argument('--nm', default=os.environ.get('NM') or 'nm')
    parser.add_argument('source_root')
    parser.add_argument('objects', nargs='+')
    args = parser.parse_args()

    root = os.path.realpath(args.source_root)
    library_dir = os.path.join(root, LIBRARY_DIR)
    objects = object_files(args.objects)
    build_root = find_build_root(os.path.dirname(objects[0])) if objects else None
    nodes_of, stale = sources_of(objects, root, build_root)
    for obj in stale:
        print('# skipped %s: stale, no longer built' % os.path.relpath(obj, build_root))
    results = []

    def check(description, problems):
        results.append((description, problems))

    graph = Graph()
    graph.nodes = sorted(name for name, _, _ in nodes_of.values())
    source_path = {name: path for name, path, _ in nodes_of.values()}
    generated = {name for name, _, gen in nodes_of.values() if gen}

    # 0. What the graph is made of.
    problems = []
    if not objects:
        problems.append('no object files given')
    seen = collections.Counter(graph.nodes)
    problems += ['%s is compiled into the library %d times' % (n, c) for n, c in seen.items() if c > 1]
    check('the library\'s %d object files map to their sources' % len(nodes_of), problems)
    print('# %d files in the graph (%d generated)' % (len(graph.nodes), len(generated)))

    # (a) Calls and references, from the symbol tables.
    definers = collections.defaultdict(set)
    needs = {}
    for obj, (name, _, _) in sorted(nodes_of.items()):
        defined, undefined = read_symbols(args.nm, obj)
        for symbol in defined:
            definers[symbol].add(name)
        needs[name] = undefined
    for name, undefined in needs.items():
        for symbol in undefined:
            for definer in definers.get(symbol, ()):
                graph.add_symbol(name, definer, symbol)

    # (b) Includes, through headers, from the sources.
    search_dirs = [library_dir, root]
    if build_root:
        search_dirs += [os.path.join(build_root, LIBRARY_DIR), build_root]
    by_basename = {os.path.basename(n): n for n in graph.nodes}
    header_source = {}
    headers_without_source = set()

    def resolve(including_file, spelling, quoted):
        dirs = ([os.path.dirname(including_file)] if quoted else []) + search_dirs
        for d in dirs:
            candidate = os.path.realpath(os.path.join(d, spelling))
            if os.path.isfile(candidate):
                return candidate
        return None

    def in_dir(path, top):
        return os.path.commonpath([path, top]) == top

    def library_header(path):
        # Headers of the library: its source folder or its build folder.
        return in_dir(path, library_dir) or \
            (build_root is not None and in_dir(path, os.path.join(build_root, LIBRARY_DIR)))

    include_cache = {}

    def includes_of(path):
        if path not in include_cache:
            found = []
            for m in INCLUDE.finditer(strip_comments(read(path))):
                target = resolve(path, m.group(2), m.group(1) == '"')
                if target is not None:
                    found.append(target)
            include_cache[path] = found
        return include_cache[path]

    def source_of_header(header):
        base = os.path.basename(header)
        stem = re.sub(r'(-private)?\.h$', '', base)
        node = by_basename.get(stem + '.c')
        if node is None:
            headers_without_source.add(base)
        return node

    foreign_includes = []
    for node in graph.nodes:
        if node in generated:
            continue
        start = source_path[node]
        # Depth-first over the headers, remembering how each was reached.
        chains = {}
        todo = [(h, [h]) for h in includes_of(start)]
        while todo:
            header, chain = todo.pop(0)
            if header in chains:
                continue
            chains[header] = chain
            if not library_header(header):
                if any(in_dir(header, os.path.join(root, d)) for d in NOT_IN_GRAPH):
                    foreign_includes.append('%s includes %s' % (node, os.path.relpath(header, root)))
                continue
            base = os.path.basename(header)
            if base in UMBRELLA_HEADERS:
                continue
            target = source_of_header(header)
            if target is not None:
                graph.add_include(node, target, [os.path.basename(h) for h in chain])
            todo += [(h, chain + [h]) for h in includes_of(header)]

    n_symbol = sum(len(v) for v in graph.symbols.values())
    n_include = sum(len(v) for v in graph.includes.values())
    print('# edges: %d from symbols, %d from includes' % (n_symbol, n_include))
    print('# headers giving no include edge (no source of their name): %s'
          % ', '.join(sorted(headers_without_source | UMBRELLA_HEADERS)))

    # 1. Cycles.
    components = tarjan(graph.nodes, graph.successors)
    cycles = sorted((c for c in components if len(c) > 1), key=lambda c: (-len(c), c))
    problems = []
    for number, component in enumerate(cycles, 1):
        problems.append('cycle %d: %d files: %s' % (number, len(component), ' '.join(component)))
        walk = closed_walk(graph, component)
        problems.append('  one chain through all of them:')
        for a, b in zip(walk, walk[1:]):
            problems.append('    %s → %s  (%s)' % (a, b, graph.reason(a, b)))
    check('the library\'s file graph has no cycle (%d found)' % len(cycles), problems)

    # 2. TlRegistry is tl-registry.c's alone.
    scanned = []
    for top in [LIBRARY_DIR] + NOT_IN_GRAPH + ['bindings', 'docs']:
        for dirpath, dirnames, filenames in os.walk(os.path.join(root, top)):
            dirnames.sort()
            scanned += [os.path.join(dirpath, f) for f in sorted(filenames)
                        if f.endswith(('.c', '.h', '.h.in', '.cpp'))]
    registry = os.path.join(root, REGISTRY_SOURCE)
    problems = []
    for path in scanned:
        if path != registry and REGISTRY_STRUCT.search(strip_comments(read(path))):
            problems.append('%s defines struct _TlRegistry' % os.path.relpath(path, root))
    check('only %s defines struct _TlRegistry' % REGISTRY_SOURCE, problems)
    # The registry's private header is its interface to the rest of the
    # library: functions only, no struct body and no lock.
    problems = []
    header = os.path.join(root, LIBRARY_DIR, REGISTRY_PRIVATE_HEADER)
    text = strip_comments(read(header)) if os.path.exists(header) else ''
    if re.search(r'\bGRWLock\b|\bGMutex\b', text):
        problems.append('%s mentions a lock' % REGISTRY_PRIVATE_HEADER)
    if re.search(r'\bstruct\s+_TlRegistry\b', text):
        problems.append('%s mentions struct _TlRegistry' % REGISTRY_PRIVATE_HEADER)
    check('%s declares functions only: no struct, no lock' % REGISTRY_PRIVATE_HEADER, problems)

    # 3. Every header is named after its source.
    problems = []
    notes = []
    for header in sorted(glob.glob(os.path.join(library_dir, '*.h'))):
        base = os.path.basename(header)
        stem = re.sub(r'(-private)?\.h$', '', base)
        has_source = (stem + '.c') in by_basename
        if base in HEADERS_WITHOUT_SOURCE:
            if has_source:
                notes.append('%s is allowed without a source but now has %s.c: '
                             'drop it from HEADERS_WITHOUT_SOURCE' % (base, stem))
        elif not has_source:
            problems.append('%s/%s has no %s/%s.c in the library (rename it after its '
                            'source, or add it to HEADERS_WITHOUT_SOURCE with the reason)'
                            % (LIBRARY_DIR, base, LIBRARY_DIR, stem))
    for base in sorted(HEADERS_WITHOUT_SOURCE):
        if not os.path.isfile(os.path.join(library_dir, base)):
            notes.append('%s is in HEADERS_WITHOUT_SOURCE but does not exist' % base)
    for note in notes:
        print('# note: ' + note)
    check('every header in %s/ has a source of its name, or an allowed reason not to'
          % LIBRARY_DIR, problems)

    # 4. Programs and tests are outside.
    problems = ['%s is compiled into the library' % n for n in graph.nodes
                if any(n.startswith(d + '/') for d in NOT_IN_GRAPH)]
    problems += foreign_includes
    check('%s are not part of the library\'s graph' % ' and '.join(d + '/' for d in NOT_IN_GRAPH),
          problems)

    if args.dot:
        write_dot(args.dot, graph, cycles)
        print('# graph written to %s' % args.dot)

    return tap.report(results)


def write_dot(path, graph, cycles):
    in_cycle = {}
    for number, component in enumerate(cycles, 1):
        for member in component:
            in_cycle[member] = number

    def quote(text):
        return '"%s"' % text.replace('\\', '\\\\').replace('"', '\\"')

    lines = ['digraph torchlog {', '  rankdir=LR;', '  node [shape=box, fontsize=10];',
             '  edge [fontsize=8];']
    for node in graph.nodes:
        label = os.path.basename(node)
        attributes = ['label=%s' % quote(label)]
        if node in in_cycle:
            attributes += ['color=red', 'fontcolor=red']
        if node.startswith('(build)/'):
            attributes.append('style=dashed')
        lines.append('  %s [%s];' % (quote(node), ', '.join(attributes)))
    for a in graph.nodes:
        for b in graph.successors(a):
            attributes = ['tooltip=%s' % quote(graph.reason(a, b, limit=10))]
            if b not in graph.symbols[a]:
                attributes.append('style=dashed')
            if a in in_cycle and in_cycle.get(b) == in_cycle[a]:
                attributes.append('color=red')
            lines.append('  %s -> %s [%s];' % (quote(a), quote(b), ', '.join(attributes)))
    lines.append('}')
    with open(path, 'w', encoding='utf-8') as f:
        f.write('\n'.join(lines) + '\n')


if __name__ == '__main__':
    sys.exit(main())
