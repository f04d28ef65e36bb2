#!/usr/bin/python3
# tlparse-check.py: checks structured trace files against tlparse's rules
#
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Implements what meta-pytorch/tlparse needs of a TORCH_TRACE file (spec
# §6.7), strictly: tlparse only counts most of these problems, this script
# fails on any of them.
#
#   * blank lines are ignored;
#   * every other line matches the glog prefix
#     [VIWEC]MMDD HH:MM:SS.uuuuuu <pid> <path>:<line>] <json>
#     (anchored, <path> without ':'), unless it is a payload line;
#   * the envelope parses as a JSON object;
#   * `str` records are [string, id] pairs that fill the intern table, and
#     an id never changes its string;
#   * `has_payload` is 32 lowercase hex digits; the lines after it that
#     start with a tab are the payload (tab stripped, joined with "\n"),
#     and its MD5 must match;
#   * a tab line anywhere else is an error;
#   * `rank`, `frame_id`, `frame_compile_id`, `attempt` and
#     `compiled_autograd_id` are unsigned integers (tlparse's u32), and
#     the rank is the same in every record of a file;
#   * every stack tlparse reads (the envelope's `stack`, and `stack` and
#     `user_stack` of the events it knows, such as `dynamo_start`) is a
#     list of frames {"line": int, "name": str, "filename": id,
#     "loc"?: str} whose filename id is already in the intern table;
#   * an `artifact` event has string `name` and `encoding`.
#
# Usage: tlparse-check.py [--summary] FILE...
# Exit status 0 when every file passes; 1 with the violations on stderr.
# --summary prints a JSON object per file on stdout: event counts, ranks,
# compile directories (tlparse's `{ca}_{frame}_{compile}_{attempt}`).

import hashlib
import json
import re
import sys

GLOG = re.compile(
    r"^(?P<level>[VIWEC])(?P<month>\d{2})(?P<day>\d{2}) "
    r"(?P<hour>\d{2}):(?P<minute>\d{2}):(?P<second>\d{2})\.(?P<usec>\d{6}) "
    r"(?P<pid>\d+)(?P<pathname>[^:]+):(?P<line>\d+)\] "
    r"(?P<payload>.+)$")

ID_KEYS = ("rank", "frame_id", "frame_compile_id", "attempt", "compiled_autograd_id")
U32_MAX = 2**32 - 1


def is_u32(value):
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= U32_MAX


def check_stack(stack, table, where, errors):
    if not isinstance(stack, list):
        errors.append(f"{where}: stack is not a list")
        return
    for i, frame in enumerate(stack):
        if not isinstance(frame, dict):
            errors.append(f"{where}: stack frame {i} is not an object")
            continue
        if not (isinstance(frame.get("line"), int) and not isinstance(frame.get("line"), bool)):
            errors.append(f"{where}: stack frame {i} has no integer line")
        if not isinstance(frame.get("name"), str):
            errors.append(f"{where}: stack frame {i} has no string name")
        if "loc" in frame and frame["loc"] is not None and not isinstance(frame["loc"], str):
            errors.append(f"{where}: stack frame {i} has a loc that is not a string")
        filename = frame.get("filename")
        if not is_u32(filename):
            errors.append(f"{where}: stack frame {i} filename is not an interned id")
        elif filename not in table:
            errors.append(f"{where}: stack frame {i} filename id {filename} is not in the intern table")


# Events whose metadata tlparse reads stacks from (types.rs); the stacks
# of other events are opaque to it.
STACK_EVENTS = ("dynamo_start", "symbolic_shape_specialization", "guard_added_fast",
                "guard_added", "propagate_real_tensors_provenance", "create_unbacked_symbol",
                "create_symbol", "expression_created")


def find_stacks(envelope, event):
    """The stacks tlparse deserializes: the envelope's and the known events'."""
    if "stack" in envelope:
        yield ".stack", envelope["stack"]
    metadata = envelope.get(event)
    if event in STACK_EVENTS and isinstance(metadata, dict):
        for key in ("stack", "user_stack"):
            if key in metadata and metadata[key] is not None:
                yield f".{event}.{key}", metadata[key]


def check_file(path):
    errors = []
    table = {}
    events = {}
    ranks = set()
    directories = {}
    n_records = 0

    with open(path, "rb") as f:
        raw = f.read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        return [f"{path}: not valid UTF-8: {e}"], None
    # tlparse reads with Rust's lines(): split on \n, drop a \r before it.
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    lines = [l[:-1] if l.endswith("\r") else l for l in lines]

    i = 0
    while i < len(lines):
        lineno = i + 1
        line = lines[i]
        i += 1
        if line == "":
            continue
        where = f"{path}:{lineno}"
        if line.startswith("\t"):
            errors.append(f"{where}: payload line without a has_payload record before it")
            continue
        m = GLOG.match(line)
        if m is None:
            errors.append(f"{where}: does not match the glog prefix: {line[:80]!r}")
            continue
        try:
            envelope = json.loads(m.group("payload"))
        except ValueError as e:
            errors.append(f"{where}: metadata is not JSON: {e}")
            continue
        if not isinstance(envelope, dict) or not envelope:
            errors.append(f"{where}: metadata is not a non-empty JSON object")
            continue
        event = next(iter(envelope))

        # Payload lines belong to this record whatever it is.
        payload_lines = []
        while i < len(lines) and lines[i].startswith("\t"):
            payload_lines.append(lines[i][1:])
            i += 1
        # Blank lines between payload lines end nothing in tlparse (they
        # are filtered first); accept them the same way.
        while i < len(lines) and lines[i] == "" and i + 1 < len(lines) and lines[i + 1].startswith("\t"):
            i += 1
            while i < len(lines) and lines[i].startswith("\t"):
                payload_lines.append(lines[i][1:])
                i += 1

        if "has_payload" in envelope:
            expect = envelope["has_payload"]
            if not (isinstance(expect, str) and re.fullmatch(r"[0-9a-f]{32}", expect)):
                errors.append(f"{where}: has_payload is not a lowercase MD5: {expect!r}")
            else:
                payload = "\n".join(payload_lines)
                actual = hashlib.md5(payload.encode("utf-8")).hexdigest()
                if actual != expect:
                    errors.append(f"{where}: payload MD5 {actual} does not match has_payload {expect}")
        elif payload_lines:
            errors.append(f"{where}: {len(payload_lines)} payload line(s) but no has_payload")

        if event == "str":
            pair = envelope["str"]
            if not (isinstance(pair, list) and len(pair) == 2 and isinstance(pair[0], str) and is_u32(pair[1])):
                errors.append(f"{where}: str is not a [string, id] pair: {pair!r}")
                continue
            s, sid = pair
            if sid in table and table[sid] != s:
                errors.append(f"{where}: intern id {sid} changes from {table[sid]!r} to {s!r}")
            table[sid] = s
            events["str"] = events.get("str", 0) + 1
            continue

        n_records += 1
        events[event] = events.get(event, 0) + 1
        for key in ID_KEYS:
            if key in envelope and not is_u32(envelope[key]):
                errors.append(f"{where}: {key} is not an unsigned integer: {envelope[key]!r}")
        if "rank" in envelope:
            ranks.add(envelope["rank"])
        for stack_path, stack in find_stacks(envelope, event):
            check_stack(stack, table, f"{where} {stack_path}", errors)
        if event == "artifact":
            md = envelope["artifact"]
            if not (isinstance(md, dict) and isinstance(md.get("name"), str) and isinstance(md.get("encoding"), str)):
                errors.append(f"{where}: artifact metadata needs string name and encoding: {md!r}")

        if any(k in envelope for k in ("frame_id", "frame_compile_id", "compiled_autograd_id")):
            parts = [envelope.get("compiled_autograd_id"), envelope.get("frame_id"),
                     envelope.get("frame_compile_id"), envelope.get("attempt")]
            if parts[2] is not None and parts[3] is None:
                parts[3] = 0
            name = "_".join("-" if p is None else str(p) for p in parts)
            directories[name] = directories.get(name, 0) + 1

    if len(ranks) > 1:
        errors.append(f"{path}: records of several ranks in one file: {sorted(ranks)}")

    summary = {
        "path": path,
        "records": n_records,
        "events": events,
        "ranks": sorted(ranks),
        "interned": len(table),
        "directories": directories,
    }
    return errors, summary


def main(argv):
    args = argv[1:]
    want_summary = False
    if args and args[0] == "--summary":
        want_summary = True
        args = args[1:]
    if not args:
        print("usage: tlparse-check.py [--summary] FILE...", file=sys.stderr)
        return 2
    failed = False
    for path in args:
        try:
            errors, summary = check_file(path)
        except OSError as e:
            errors, summary = [f"{path}: {e}"], None
        for error in errors:
            print(error, file=sys.stderr)
        failed |= bool(errors)
        if want_summary and summary is not None:
            print(json.dumps(summary, sort_keys=True))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
