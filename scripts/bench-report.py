#!/usr/bin/python3
# bench-report.py: the table of scripts/bench.sh, and docs/benchmarks.md
#
# Reads the RESULT and NOTE lines the benchmarks appended to the file named
# on the command line (tests/benchmarks/bench-common.h describes them),
# prints a markdown table of medians and ratios, and with --write also
# writes the whole page: the machine, the library versions, the table, the
# instruction counts and a chart (gnuplot, SVG) of nanoseconds per call.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import argparse
import os
import platform
import re
import subprocess
import sys
import tempfile


def read_results(path):
    results, notes = [], []
    with open(path) as f:
        for line in f:
            fields = line.rstrip('\n').split('\t')
            if fields[0] == 'RESULT' and len(fields) >= 10:
                results.append(dict(case=fields[1], what=fields[2], mine=float(fields[3]),
                                    peer=fields[4], theirs=float(fields[5]), unit=fields[6],
                                    ratio=float(fields[7]), target=fields[8], met=fields[9]))
            elif fields[0] == 'NOTE' and len(fields) >= 7:
                notes.append(dict(case=fields[1], what=fields[2], value=float(fields[3]),
                                  unit=fields[4], target=fields[5], met=fields[6]))
    return results, notes


def fmt(value, unit):
    if unit == 'instructions':
        return '%.0f' % value
    if value >= 100 or value == 0:
        return '%.0f %s' % (value, unit)
    if value >= 10:
        return '%.1f %s' % (value, unit)
    return '%.2f %s' % (value, unit)


def table(results, notes):
    lines = ['| case | torchlog | peer | peer | ratio | target | |',
             '|---|---:|---|---:|---:|---|---|']
    for r in results:
        lines.append('| %s | %s | %s | %s | %.3f | %s | %s |'
                     % (r['what'], fmt(r['mine'], r['unit']), r['peer'],
                        fmt(r['theirs'], r['unit']), r['ratio'], r['target'] or '',
                        r['met'] or ''))
    plain = [n for n in notes if not n['case'].startswith('instr-')]
    for n in plain:
        lines.append('| %s | %s | | | | %s | %s |'
                     % (n['what'], fmt(n['value'], n['unit']), n['target'] or '', n['met'] or ''))
    return '\n'.join(lines)


def instruction_table(notes):
    rows = [n for n in notes if n['case'].startswith('instr-')]
    if not rows:
        return None
    lines = ['| statement | instructions per call |', '|---|---:|']
    for n in rows:
        lines.append('| %s | %.1f |' % (n['what'].replace('instructions: ', ''), n['value']))
    return '\n'.join(lines)


def run(argv):
    try:
        return subprocess.run(argv, capture_output=True, text=True, check=False).stdout.strip()
    except OSError:
        return ''


def package_version(name):
    return run(['dpkg-query', '-W', '-f=${Version}', name]) or 'not installed'


def machine():
    model = ''
    try:
        with open('/proc/cpuinfo') as f:
            for line in f:
                if line.startswith('model name'):
                    model = line.split(':', 1)[1].strip()
                    break
    except OSError:
        pass
    memory = ''
    try:
        with open('/proc/meminfo') as f:
            kb = int(f.readline().split()[1])
            memory = '%.1f GiB' % (kb / 1024 / 1024)
    except (OSError, ValueError, IndexError):
        pass
    return [
        ('CPU', '%s, %d logical CPUs' % (model or platform.processor(), os.cpu_count() or 0)),
        ('memory', memory),
        ('kernel', platform.release()),
        ('OS', run(['sh', '-c', '. /etc/os-release && echo "$PRETTY_NAME"'])),
        ('load average when the run ended', ' '.join(open('/proc/loadavg').read().split()[:3])),
    ]


def versions(builddir):
    torchlog = ''
    try:
        with open('meson.build') as f:
            m = re.search(r"version:\s*'([^']+)'", f.read())
            torchlog = m.group(1) if m else ''
    except OSError:
        pass
    gcc = run(['gcc', '-dumpfullversion'])
    return [
        ('torchlog', '%s (release build, `%s`)' % (torchlog, builddir or '_build-bench')),
        ('GLib', package_version('libglib2.0-0')),
        ('GStreamer', package_version('libgstreamer1.0-0')),
        ('spdlog', package_version('libspdlog-dev')),
        ('Python', platform.python_version() + ' (/usr/bin/python3)'),
        ('GCC', gcc),
    ]


SHORT = {
    'disabled': 'disabled, nothing on',
    'disabled-glib': 'disabled vs g_debug',
    'disabled-spdlog': 'disabled vs spdlog',
    'disabled-other': 'disabled, other at DEBUG',
    'disabled-artifact': 'disabled artifact',
    'writer-dropped': 'writer, dropped',
    'writer-passed-on': 'writer, passed on',
    'enabled-spdlog': 'enabled vs spdlog',
    'enabled-glib': 'enabled vs GLib',
    'enabled-gst': 'enabled vs GStreamer',
    'enabled-stderr-file': 'enabled, stderr a file',
    'threads': '2 threads vs 1',
    'python-disabled': 'Python disabled',
    'python-enabled': 'Python enabled',
}


def chart(results, path):
    rows = [r for r in results if r['unit'] == 'ns']
    if not rows:
        return False
    with tempfile.NamedTemporaryFile('w', suffix='.dat', delete=False) as data:
        for r in rows:
            label = SHORT.get(r['case'], r['case'])
            data.write('"%s" %g %g\n' % (label, max(r['mine'], 0.01), max(r['theirs'], 0.01)))
        data_path = data.name
    script = '''
set terminal %s
set output '%s'
set termoption noenhanced
set title 'torchlog and its peers, same run: nanoseconds per call (median; log scale, lower is better)'
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set logscale y
set yrange [0.05:*]
set ylabel 'ns per call'
set xtics rotate by -30 left
set grid ytics
set key top left
plot '%s' using 2:xtic(1) title 'torchlog' linecolor rgb '#d9480f', \\
     '' using 3 title 'peer (GStreamer, spdlog, GLib, Python; see the table)' linecolor rgb '#1c7ed6'
''' % ("pngcairo size 1100,560 background rgb 'white' font 'sans,10'" if path.endswith('.png')
       else "svg size 1100,560 dynamic background rgb 'white' font 'sans,11'", path, data_path)
    try:
        subprocess.run(['gnuplot'], input=script, text=True, check=True)
        return True
    except (OSError, subprocess.CalledProcessError) as error:
        print('gnuplot failed: %s' % error, file=sys.stderr)
        return False
    finally:
        os.unlink(data_path)


PAGE = '''# Benchmarks

Generated by `scripts/bench.sh` (the README's third command), which builds
torchlog in release mode and runs `meson test --benchmark`: every case
measures torchlog and its peer **in the same run**, alternating
repetitions, and reports medians. Regenerate this page on your machine
with `./scripts/bench.sh`; CI runs `./scripts/bench.sh --quick` only to
show the benchmarks still build and run.

## Machine and versions

{machine}

## Results

{table}

The ratio is torchlog / peer: below 1, torchlog is faster. For the
threads case both columns are torchlog (nanoseconds per line of the whole
process with two threads, then with one).

![ns per call, torchlog and its peers]({chart})

## Python: torch._logging through the bridge

`logger.debug()` of Python's `logging`, measured in the same run: the
torchlog column is a logger under a registered domain with the bridge
attached (`gi.repository.Torchlog`), the peer plain `logging` (for the
enabled case a `FileHandler` in torch's format).

{python_table}

Where the enabled call's time went, measured first (cProfile and timers
of each stage, same process): `LogRecord.__init__` was the largest part,
and in it `os.getpid()` alone cost about 1.3 µs (a system call per record:
glibc caches no pid) and `os.path.basename()`/`splitext()` of the same
path 0.5 µs; then the handler chain (`Logger.handle`, `callHandlers`, the
handler's lock) about 1.9 µs, the call into C about 1 µs, `findCaller`
0.4 µs. The bridge now makes its loggers as a `logging.Logger` subclass
whose records are built with the pid cached (forgotten after `fork()`)
and each path split once, checked equal to `LogRecord`'s when the module
loads; its handler takes no Python lock (the C side writes each line
whole); and `debug()`/`info()` read the level cache without calling
`isEnabledFor()`, which is why the disabled call costs fewer
instructions than plain `logging`'s (the Python counts below include the
`for` loop's own instructions, the same on both sides).

## Instructions of the disabled paths

Counted by `valgrind --tool=callgrind` (stable on a noisy machine): the
count for 2N iterations minus the count for N, over N, minus the same for an
empty loop.

{instructions}

## How each case is measured

* **Disabled** (`tests/benchmarks/bench-disabled.c`): `tl_debug("value %s %ld", ...)`
  in a loop, with a compiler barrier after each call, as for every peer.
  "Nothing enabled" compares with GStreamer's `GST_DEBUG` while its global
  gate is closed (no `GST_DEBUG`); then another component (torchlog) or
  category (GStreamer, `gst_debug_set_threshold_for_name`) goes to DEBUG,
  which opens GStreamer's gate for good, and torchlog's call-site cache is
  measured against it. GLib's `g_debug` outside `G_MESSAGES_DEBUG` and
  spdlog's `debug()` below the logger's level are shown too. On x86 the
  first stage is `cmpb $level, tl_gate(%rip)` and a branch; the second a
  load of the call site's word and two compares.
* **Writer** (`bench-writer.c`): `g_log_structured_standard()` (what `g_debug`
  is under `G_LOG_USE_STRUCTURED`) on a domain under a registered component
  at WARNING, so the record is dropped. One writer is installed and hands the
  record to `tl_log_writer()` or to `g_log_writer_default()` (which drops it
  too, `G_MESSAGES_DEBUG` unset), alternating; the difference is what
  torchlog's writer adds to GLib's own path.
* **Enabled** (`bench-enabled.c`): each contender in its own process. torchlog:
  `tl_debug` in torch's format with `TORCH_LOGS_OUT` a file and stderr on
  `/dev/null` (torch writes every line to both); spdlog: `basic_logger_mt`
  in its default format to a file; GLib: `g_debug` through
  `g_log_writer_default` (`G_MESSAGES_DEBUG=all`) with stderr a file;
  GStreamer: `GST_DEBUG_FILE`, colours off. Each loop ends with the
  contender's flush, inside the timing. torchlog sees that stderr is
  `/dev/null` and skips that write(); the "stderr a file" row shows the cost
  when stderr is a regular file, where the kernel's write() per line
  dominates.
* **Threads** (`bench-threads.c`): two threads log 400,000 lines each, then
  one thread logs 800,000; the file is then checked line by line (each
  thread's lines complete, in order, none torn). A lost or torn line fails
  the benchmark.
* **Settings** (`bench-settings.c`): a settings string applied to PyTorch's
  registrations (alternating two strings, so each call is a real change),
  against `gst_debug_set_threshold_from_string` with as many items; then, in
  a fresh process, 10,000 components registered and a 100-item string
  applied, against GStreamer registering 10,000 categories and applying 100
  patterns; the heap growth per component comes from `mallinfo2()`.
* **Python** (`bench-python.py`, `/usr/bin/python3`): `logger.debug()` on a
  disabled logger, plain `logging` against a logger under a registered
  domain with torchlog's bridge attached; then enabled, a `FileHandler` in
  torch's format against the bridge printing through torchlog; then the
  disabled call's instructions, plain and bridged, by callgrind.

## Durability

Enabled lines reach `TORCH_LOGS_OUT` through a 64 KiB buffer of whole lines,
written with one `write()` when the next line would not fit, so the file
costs a system call per few hundred lines. Nothing is lost when the program
returns from `main()`, calls `exit()`, or logs at ERROR or above (or a
fatal GLib record) before it dies: those paths write the buffer out. Before
`fork()` every buffer is written, so no line is written twice; the child of a
threaded process, which may not start a flusher thread of its own, writes its
lines through. stderr is
never buffered: one `write()` per record, as torch's `StreamHandler` flushes
each record. A process killed by **SIGKILL** (or one that dies of a signal,
or calls `_exit()` or `execve()`, without logging at ERROR first) loses the
lines still in the buffer: a flusher thread writes every buffer out at most
100 ms after its oldest line, so the loss is bounded by the last 100 ms of
lines and by 64 KiB, and never part of a line. `tl_registry_flush()` writes
everything out at once. `tests/test-durability.c` checks each of these paths.
'''


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('results')
    parser.add_argument('--write')
    parser.add_argument('--chart')
    parser.add_argument('--builddir')
    args = parser.parse_args()

    results, notes = read_results(args.results)
    print(table(results, notes))
    instructions = instruction_table(notes)
    if instructions:
        print()
        print(instructions)
    if not args.write:
        return 0

    chart_name = None
    if args.chart and chart(results, args.chart):
        chart_name = os.path.relpath(args.chart, os.path.dirname(args.write) or '.')
    facts = machine() + versions(args.builddir)
    python = [r for r in results if r['case'].startswith('python-')]
    page = PAGE.format(
        machine='\n'.join('* %s: %s' % (k, v) for k, v in facts),
        table=table([r for r in results if r not in python], notes),
        python_table=table(python, []),
        chart=chart_name or 'benchmarks.svg',
        instructions=instructions or '(valgrind was not installed: no counts)')
    os.makedirs(os.path.dirname(args.write) or '.', exist_ok=True)
    with open(args.write, 'w') as f:
        f.write(page)
    return 0


if __name__ == '__main__':
    sys.exit(main())
