#!/usr/bin/python3
# tlparse-check.py: checks structured trace files by tlparse's exact rules
#
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Reads a TORCH_TRACE file the way pytorch/tlparse 0.4 does (src/lib.rs
# parse_path(), src/types.rs Envelope, src/parsers.rs) and fails on every
# record tlparse would reject, misread or drop:
#
#   * lines: split at "\n", exactly one trailing "\r" dropped (Rust's
#     BufRead::lines); a line that is not UTF-8 is lost (fail); empty
#     lines are filtered out before anything else;
#   * the glog regex, unanchored as tlparse's captures() is, with its "."
#     for the decimal point and the pid glued to the path; a line it does
#     not match is fail_glog, and a match that does not start the line is
#     a misread;
#   * the envelope is read by serde_json into a typed struct: NaN and
#     Infinity, lone surrogate escapes, duplicate keys and nesting of 128
#     levels are fail_json; rank and the compile ids are u32 (or null);
#     has_payload is a string; str is a [string, u32] pair; stack is a
#     list of frames {filename: u32, line: i32, name: str, loc?: str};
#     each event tlparse types has an object with its struct's fields
#     (artifact: name and encoding strings, link, dump_file, ...);
#   * a str record takes no payload (tlparse moves on before reading it);
#   * has_payload: the tab lines that follow are the payload (tab
#     stripped, joined by "\n") and its MD5, 32 lowercase hex digits,
#     must match (fail_payload_md5); tab lines elsewhere are fail_glog;
#   * rank: the first ranked record fixes the file's rank; any later
#     record whose rank differs or is missing is other_rank (dropped);
#   * every filename id in a stack is defined by an earlier str record;
#   * artifact encodings other than string/json fail tlparse's parser; a
#     json artifact, chromium_event or dynamo_guards needs a JSON payload;
#   * event names that are keys tlparse adds to raw.jsonl (timestamp,
#     thread, pathname, lineno, payload_filename) are fail_key_conflict.
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
    r"(?P<level>[VIWEC])(?P<month>\d{2})(?P<day>\d{2}) "
    r"(?P<hour>\d{2}):(?P<minute>\d{2}):(?P<second>\d{2}).(?P<usec>\d{6}) "
    r"(?P<pid>\d+)"
    r"(?P<pathname>[^:]+):(?P<line>\d+)\] "
    r"(?P<payload>.)", re.ASCII)

ID_KEYS = ("rank", "frame_id", "frame_compile_id", "attempt", "compiled_autograd_id")
U32_MAX = 2**32 - 1
RAW_JSONL_KEYS = ("timestamp", "thread", "pathname", "lineno", "payload_filename")


def is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def is_u32(value):
    return is_int(value) and 0 <= value <= U32_MAX


def is_u64(value):
    return is_int(value) and 0 <= value < 2**64


def is_i32(value):
    return is_int(value) and -2**31 <= value < 2**31


class StrictJSONError(ValueError):
    pass


def _refuse_constant(name):
    raise StrictJSONError(f"{name} is not JSON (serde_json refuses it)")


def _no_duplicates(pairs):
    keys = [k for k, _ in pairs]
    if len(keys) != len(set(keys)):
        raise StrictJSONError("duplicate key")
    return dict(pairs)


def _check_tree(value, depth):
    # serde_json's recursion limit: 128 nested arrays/objects fail.
    if isinstance(value, (dict, list)):
        if depth + 1 >= 128:
            raise StrictJSONError("nested too deeply for serde_json")
        items = value.items() if isinstance(value, dict) else enumerate(value)
        for k, v in items:
            if isinstance(k, str):
                _check_str(k)
            _check_tree(v, depth + 1)
    elif isinstance(value, str):
        _check_str(value)


def _check_str(text):
    if any(0xD800 <= ord(c) <= 0xDFFF for c in text):
        raise StrictJSONError("lone surrogate escape (serde_json refuses it)")


def strict_loads(text):
    """json.loads with serde_json's refusals."""
    value = json.loads(text, parse_constant=_refuse_constant, object_pairs_hook=_no_duplicates)
    _check_tree(value, 0)
    return value


def check_stack(stack, table, where, errors):
    if stack is None:
        return
    if not isinstance(stack, list):
        errors.append(f"{where}: stack is not a list (fail_json)")
        return
    for i, frame in enumerate(stack):
        if not isinstance(frame, dict):
            errors.append(f"{where}: stack frame {i} is not an object (fail_json)")
            continue
        if not is_i32(frame.get("line")):
            errors.append(f"{where}: stack frame {i} line is not an i32 (fail_json)")
        if not isinstance(frame.get("name"), str):
            errors.append(f"{where}: stack frame {i} has no string name (fail_json)")
        for key in ("loc", "uninterned_filename"):
            if frame.get(key) is not None and not isinstance(frame[key], str):
                errors.append(f"{where}: stack frame {i} {key} is not a string (fail_json)")
        filename = frame.get("filename")
        if not is_u32(filename):
            errors.append(f"{where}: stack frame {i} filename is not a u32 id (fail_json)")
        elif filename not in table:
            errors.append(f"{where}: stack frame {i} filename id {filename} is used before its str record")


# The events tlparse's Envelope types (src/types.rs), with the fields of
# their structs: s string, u u32, U u64, i i32, f f64, b bool, S stack,
# L list of strings, N list of u64, y SymInt, Y list of SymInt, m map of
# strings, M map of u64, a anything. "!" required, "=" has a default
# (may be absent, not null), otherwise optional (absent or null).
_BOOLS = ",".join(f"{n}:b=" for n in (
    "is_inference is_leaf requires_grad is_sparse is_mkldnn is_functorch_wrapped "
    "is_batchedtensor is_legacy_batchedtensor is_gradtrackingtensor is_view is_nested "
    "is_traceable_wrapper_subclass is_functional is_conj is_neg is_parameter").split())
_PROVENANCE = "expr:s,result:s,user_stack:S,stack:S,expr_node_id:U,symbol_to_sources:m,frame_locals:a,prefix:s"
_EMPTY = ""
SCHEMAS = {
    "dynamo_start": "stack:S",
    "dynamo_output_graph": "_sizes:a",
    "optimize_ddp_split_graph": _EMPTY,
    "optimize_ddp_split_child": "name:s!",
    "compiled_autograd_graph": _EMPTY,
    "dynamo_guards": _EMPTY,
    "aot_forward_graph": _EMPTY,
    "aot_backward_graph": _EMPTY,
    "aot_inference_graph": _EMPTY,
    "aot_joint_graph": _EMPTY,
    "inductor_pre_grad_graph": _EMPTY,
    "inductor_post_grad_graph": _EMPTY,
    "dynamo_cpp_guards_str": _EMPTY,
    "inductor_output_code": "filename:s",
    "compilation_metrics": (
        "co_name:s,co_filename:s,co_firstlineno:i,cache_size:U,accumulated_cache_size:U,"
        "guard_count:U,shape_env_guard_count:U,graph_op_count:U,graph_node_count:U,"
        "graph_input_count:U,start_time:f,entire_frame_compile_time_s:f,backend_compile_time_s:f,"
        "inductor_compile_time_s:f,code_gen_time_s:f,fail_type:s,fail_reason:s,"
        "fail_user_frame_filename:s,fail_user_frame_lineno:u,non_compliant_ops:L,"
        "compliant_custom_ops:L,restart_reasons:L,dynamo_time_before_restart_s:f"),
    "bwd_compilation_metrics": "inductor_compile_time_s:f,code_gen_time_s:f,fail_type:s,fail_reason:s",
    "aot_autograd_backward_compilation_metrics": "start_time:f,elapsed_time:f,fail_type:s,fail_reason:s",
    "graph_dump": "name:s!",
    "link": "name:s!,url:s!",
    "symbolic_shape_specialization": "symbol:s,sources:L,value:s,reason:s,stack:S,user_stack:S",
    "propagate_real_tensors_provenance": _PROVENANCE,
    "guard_added": _PROVENANCE,
    "create_unbacked_symbol": "symbol:s,node_id:U,user_stack:S,stack:S,vr:s",
    "expression_created": "method:s,result:s,result_id:U,arguments:L,argument_ids:N,user_stack:S,stack:S",
    "missing_fake_kernel": "op:s,reason:s",
    "mismatched_fake_kernel": "op:s,reason:s",
    "artifact": "name:s!,encoding:s!",
    "describe_storage": "id:U!,describer_id:U!,size:U!",
    "describe_tensor": ("id:U!,describer_id:U!,ndim:U!,dtype:s!,device:s!,size:Y!,"
                        "dynamo_dynamic_indices:N,layout:s=," + _BOOLS +
                        ",stride:Y,storage_offset:y=,storage:U,sparse_dim:U,dense_dim:U,"
                        "is_coalesced:b,crow_indices:U,col_indices:U,ccol_indices:U,row_indices:U,"
                        "values:U,unwrapped:U,bdim:U,base:U,attrs:M,creation_meta:s,grad:U"),
    "describe_source": "describer_id:U!,id:U!,source:s!",
    "dump_file": "name:s!",
    "chromium_event": _EMPTY,
    "guard_added_fast": "expr:s,stack:S,user_stack:S",
    "exported_program": _EMPTY,
}


def _symint(v):
    return (is_int(v) and -2**63 <= v < 2**63) or isinstance(v, str)


def _type_ok(kind, v, table, where, errors):
    if kind == "s":
        return isinstance(v, str)
    if kind == "u":
        return is_u32(v)
    if kind == "U":
        return is_u64(v)
    if kind == "i":
        return is_i32(v)
    if kind == "f":
        return isinstance(v, (int, float)) and not isinstance(v, bool)
    if kind == "b":
        return isinstance(v, bool)
    if kind == "L":
        return isinstance(v, list) and all(isinstance(x, str) for x in v)
    if kind == "N":
        return isinstance(v, list) and all(is_u64(x) for x in v)
    if kind == "y":
        return _symint(v)
    if kind == "Y":
        return isinstance(v, list) and all(_symint(x) for x in v)
    if kind == "m":
        return isinstance(v, dict) and all(isinstance(x, str) for x in v.values())
    if kind == "M":
        return isinstance(v, dict) and all(is_u64(x) for x in v.values())
    if kind == "S":
        check_stack(v, table, where, errors)
        return True
    return True


def check_metadata(event, metadata, table, where, errors):
    """The typed struct tlparse reads a known event's metadata into."""
    if event not in SCHEMAS:
        return
    if not isinstance(metadata, dict):
        errors.append(f"{where}: {event} metadata is not an object (tlparse misreads or rejects it)")
        return
    for field in filter(None, SCHEMAS[event].split(",")):
        name, kind = field.split(":")
        mode = kind[1:] if len(kind) > 1 else ""
        kind = kind[0]
        if name not in metadata:
            if mode == "!":
                errors.append(f"{where}: {event} lacks its field {name} (fail_json)")
            continue
        value = metadata[name]
        if value is None:
            if mode in ("!", "="):
                errors.append(f"{where}: {event}.{name} is null (fail_json)")
            continue
        if not _type_ok(kind, value, table, f"{where} .{event}.{name}", errors):
            errors.append(f"{where}: {event}.{name} has the wrong type: {value!r:.60} (fail_json)")


def is_strict_json(text):
    try:
        strict_loads(text)
        return True
    except ValueError:
        return False


def read_lines(raw, path, errors):
    """Rust's BufRead::lines(), then tlparse's filter of empty lines."""
    pieces = raw.split(b"\n")
    if pieces and pieces[-1] == b"":
        pieces.pop()
    lines = []
    for number, piece in enumerate(pieces, 1):
        if piece.endswith(b"\r"):
            piece = piece[:-1]
        try:
            text = piece.decode("utf-8")
        except UnicodeDecodeError as e:
            errors.append(f"{path}:{number}: line is not UTF-8, tlparse loses it: {e}")
            continue
        if text != "":
            lines.append((number, text))
    return lines


UNSET = object()


def check_file(path):
    errors = []
    table = {}
    events = {}
    ranks = set()
    directories = {}
    n_records = 0
    expected_rank = UNSET

    with open(path, "rb") as f:
        raw = f.read()
    lines = read_lines(raw, path, errors)

    i = 0
    while i < len(lines):
        lineno, line = lines[i]
        i += 1
        where = f"{path}:{lineno}"
        m = GLOG.search(line)
        if m is None:
            what = "payload line without a has_payload record" if line.startswith("\t") else "no glog prefix"
            errors.append(f"{where}: {what} (fail_glog): {line[:80]!r}")
            continue
        if m.start() != 0:
            errors.append(f"{where}: the glog prefix does not start the line (misread): {line[:80]!r}")
            continue
        text = line[m.start("payload"):]
        try:
            envelope = strict_loads(text)
        except ValueError as e:
            errors.append(f"{where}: envelope is not JSON serde_json reads (fail_json): {e}")
            continue
        if not isinstance(envelope, dict) or not envelope:
            errors.append(f"{where}: envelope is not a non-empty JSON object (fail_json)")
            continue
        event = next(iter(envelope))
        bad = False
        for key in ID_KEYS:
            if envelope.get(key) is not None and not is_u32(envelope[key]):
                errors.append(f"{where}: {key} is not a u32: {envelope[key]!r} (fail_json or misread)")
                bad = True
        if "has_payload" in envelope and not isinstance(envelope["has_payload"], str):
            errors.append(f"{where}: has_payload is not a string (fail_json)")
            bad = True
        if "str" in envelope:
            pair = envelope["str"]
            if not (isinstance(pair, list) and len(pair) == 2 and isinstance(pair[0], str) and is_u32(pair[1])):
                errors.append(f"{where}: str is not a [string, u32] pair (fail_json): {pair!r:.60}")
                bad = True
        for key in RAW_JSONL_KEYS:
            if key in envelope:
                errors.append(f"{where}: top-level key {key} clashes with tlparse's raw.jsonl (fail_key_conflict)")
        check_stack(envelope.get("stack"), table, f"{where} .stack", errors)
        for known in SCHEMAS:
            if known in envelope and envelope[known] is not None:
                check_metadata(known, envelope[known], table, where, errors)
        if bad:
            continue

        if envelope.get("str") is not None:
            s, sid = envelope["str"]
            if sid in table and table[sid] != s:
                errors.append(f"{where}: intern id {sid} changes from {table[sid]!r} to {s!r}")
            table[sid] = s
            events["str"] = events.get("str", 0) + 1
            # tlparse moves on before reading a payload: tab lines after
            # a str record are fail_glog (reported when reached).
            continue

        payload = None
        if envelope.get("has_payload") is not None:
            payload_lines = []
            while i < len(lines) and lines[i][1].startswith("\t"):
                payload_lines.append(lines[i][1][1:])
                i += 1
            payload = "\n".join(payload_lines)
            expect = envelope["has_payload"]
            actual = hashlib.md5(payload.encode("utf-8")).hexdigest()
            if not re.fullmatch(r"[0-9a-f]{32}", expect):
                errors.append(f"{where}: has_payload is not 32 lowercase hex digits (fail_payload_md5)")
            elif actual != expect:
                errors.append(f"{where}: payload MD5 {actual} does not match has_payload {expect} (fail_payload_md5)")

        rank = envelope.get("rank")
        if expected_rank is not UNSET:
            if rank != expected_rank:
                errors.append(f"{where}: rank {rank!r} differs from the file's rank {expected_rank} (other_rank: dropped)")
                continue
        elif rank is not None:
            expected_rank = rank

        n_records += 1
        events[event] = events.get(event, 0) + 1
        if rank is not None:
            ranks.add(rank)

        artifact = envelope.get("artifact")
        if isinstance(artifact, dict) and isinstance(artifact.get("encoding"), str):
            if artifact["encoding"] not in ("string", "json"):
                errors.append(f"{where}: artifact encoding {artifact['encoding']!r} is not string or json (fail_parser)")
            elif artifact["encoding"] == "json" and not is_strict_json(payload or ""):
                errors.append(f"{where}: json artifact without a JSON payload (fail_parser)")
        if envelope.get("chromium_event") is not None and not is_strict_json(payload or ""):
            errors.append(f"{where}: chromium_event without a JSON payload (dropped)")
        if envelope.get("dynamo_guards") is not None:
            try:
                guards = strict_loads(payload or "")
                if not (isinstance(guards, list) and all(isinstance(g, dict) and isinstance(g.get("code"), str) for g in guards)):
                    raise ValueError("not a list of guards")
            except ValueError:
                errors.append(f"{where}: dynamo_guards payload is not a JSON list of guards (fail_dynamo_guards_json)")

        if any(envelope.get(k) is not None for k in ("frame_id", "frame_compile_id", "compiled_autograd_id", "attempt")):
            parts = [envelope.get("compiled_autograd_id"), envelope.get("frame_id"),
                     envelope.get("frame_compile_id"), envelope.get("attempt")]
            if parts[2] is not None and parts[3] is None:
                parts[3] = 0
            name = "_".join("-" if p is None else str(p) for p in parts)
            directories[name] = directories.get(name, 0) + 1

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
