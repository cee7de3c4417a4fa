#!/usr/bin/env python3
"""-o jsonpretty, -o yaml and --filter on real events from trace_open, trace_exec and
bpfstats; ig's own processes left out of a foreground run unless --include-ig."""
import json
import os
import subprocess
import uuid

import yaml

from igtest import IgRun, expect, expect_one_error, ig_binary, main, run_ig

MY_PID = os.getpid()


def json_objects(text):
    """The JSON values written one after another (-o jsonpretty)."""
    decoder, objects, at = json.JSONDecoder(), [], 0
    while True:
        while at < len(text) and text[at].isspace():
            at += 1
        if at == len(text):
            return objects
        value, at = decoder.raw_decode(text, at)
        objects.append(value)


def output(run):
    with open(run.out_path, errors="replace") as f:
        return f.read()


def open_file(path):
    fd = os.open(path, os.O_RDONLY)
    os.close(fd)


def trace_open_events(sandbox, fmt, filter_text, paths):
    """Run trace_open with -o FMT --filter FILTER, open `paths`, return its raw output."""
    ig = IgRun(sandbox, ["trace_open", "-o", fmt, "--filter", filter_text], json_output=False)
    ig.wait_attached()
    for path in paths:
        open_file(path)
    expect(ig.stop() == 0, f"ig exited with an error: {ig.stderr()!r}")
    return output(ig)


def make_files(sandbox, *names):
    paths = []
    for name in names:
        path = sandbox.path(f"{name}-{uuid.uuid4().hex}")
        with open(path, "w") as f:
            f.write("x")
        paths.append(path)
    return paths


def yaml_and_jsonpretty_carry_the_json_keys(sandbox):
    wanted, other = make_files(sandbox, "wanted", "other")
    filter_text = f"pid=={MY_PID},path~wanted-,fd>=0"
    docs = list(yaml.safe_load_all(trace_open_events(sandbox, "yaml", filter_text, [wanted, other])))
    expect(len(docs) == 1, f"-o yaml --filter: expected one document, got {docs!r}")
    keys = ["timestamp", "pid", "tid", "uid", "gid", "comm", "fd", "error", "flags", "mode", "path"]
    expect(list(docs[0]) == keys, f"yaml keys {list(docs[0])}, expected the json keys {keys}")
    expect(docs[0]["path"] == wanted and docs[0]["pid"] == MY_PID and docs[0]["mode"] == "0000",
           f"yaml values: {docs[0]!r}")
    expect(isinstance(docs[0]["timestamp"], str), f"a timestamp stays a string: {docs[0]!r}")

    objects = json_objects(trace_open_events(sandbox, "jsonpretty", filter_text, [other, wanted]))
    expect(len(objects) == 1 and objects[0]["path"] == wanted, f"-o jsonpretty --filter: {objects!r}")
    expect(list(objects[0]) == keys, f"jsonpretty keys {list(objects[0])}")


def filter_compares_numbers_as_numbers(sandbox):
    found, = make_files(sandbox, "found")
    missing = sandbox.path(f"missing-{uuid.uuid4().hex}")
    ig = IgRun(sandbox, ["trace_open", "--filter", f"pid=={MY_PID},fd<0,error==ENOENT"])
    ig.wait_attached()
    open_file(found)
    try:
        open_file(missing)
    except FileNotFoundError:
        pass
    expect(ig.stop() == 0, f"ig exited with an error: {ig.stderr()!r}")
    paths = {e["path"] for e in ig.events()}
    expect(missing in paths, f"the failed open of {missing} is missing: {paths}")
    expect(found not in paths, f"the successful open of {found} passed fd<0: {paths}")
    expect(all(e["fd"] < 0 and e["pid"] == MY_PID for e in ig.events()), f"{ig.events()!r}")


def bad_filters_fail_before_anything_starts(sandbox):
    for bad, says in [("nope==1", "unknown column 'nope' in --filter 'nope==1'; valid columns: timestamp,pid,"),
                      ("comm=cat", "unknown operator '='"),
                      ("path~(", "invalid regular expression '('"),
                      ("fd>=x", "'fd' is an integer")]:
        rc, lines = run_ig(sandbox, ["run", "trace_open", "--filter", bad])
        message = expect_one_error(rc, lines, f"--filter {bad!r}")
        expect(says in message, f"--filter {bad!r}: {message!r} does not say {says!r}")
    expect(sandbox.daemon_pid() is None, "a bad --filter started the daemon: it must fail before anything attaches")


def foreground_runs_leave_out_ig_unless_asked(sandbox):
    daemon = sandbox.start_daemon()
    plain = IgRun(sandbox, ["trace_open"])
    plain.wait_attached()
    keep = IgRun(sandbox, ["trace_open", "--include-ig"])
    keep.wait_attached()
    # A third instance attaching makes the daemon open tracefs files: ig's own opens.
    rc, lines = run_ig(sandbox, ["run", "trace_exec", "--timeout", "1", "-o", "json"])
    expect(rc == 0, f"ig run trace_exec failed: {lines!r}")
    open_file("/etc/hostname")
    expect(plain.stop() == 0 and keep.stop() == 0, f"{plain.stderr()!r} {keep.stderr()!r}")
    ig_pids = {daemon, plain.pid, keep.pid}
    plain_pids = {e["pid"] for e in plain.events()}
    keep_pids = {e["pid"] for e in keep.events()}
    expect(MY_PID in plain_pids and MY_PID in keep_pids, "our own open is missing")
    expect(not plain_pids & {daemon, plain.pid}, f"the default run shows ig's own opens: {plain_pids & ig_pids}")
    expect(daemon in keep_pids, f"--include-ig does not show the daemon's opens (pid {daemon})")


def trace_exec_yaml_with_a_filter(sandbox):
    token = f"ig-exec-{uuid.uuid4().hex}"
    ig = IgRun(sandbox, ["trace_exec", "-o", "yaml", "--filter", f"ppid=={MY_PID},args~{token}"], json_output=False)
    ig.wait_attached()
    subprocess.run(["/bin/true", token, "two words"], check=True)
    subprocess.run(["/bin/true", "not-this-one"], check=True)
    expect(ig.stop() == 0, f"ig exited with an error: {ig.stderr()!r}")
    docs = list(yaml.safe_load_all(output(ig)))
    expect(len(docs) == 1, f"expected one exec document, got {docs!r}")
    expect(docs[0]["args"] == ["/bin/true", token, "two words"], f"args as a YAML list: {docs[0]!r}")
    expect(docs[0]["comm"] == "true" and docs[0]["error"] == "", f"{docs[0]!r}")


def bpfstats_rows_filter_and_format(sandbox):
    for name in ("ofilter_a", "ofilter_b"):
        rc, lines = run_ig(sandbox, ["run", "--name", name, "trace_open", "--detach", "--comm", "nomatch_xyz"])
        expect(rc == 0, f"ig run --detach {name} failed: {lines!r}")
    p = subprocess.run([ig_binary(), "run", "bpfstats", "-o", "yaml", "--filter", "gadgetName==ofilter_b,mapCount>=1"],
                       capture_output=True, text=True, env=sandbox.env, timeout=60, stdin=subprocess.DEVNULL)
    expect(p.returncode == 0, f"bpfstats -o yaml --filter failed: {p.stderr!r}")
    rows = list(yaml.safe_load_all(p.stdout))
    expect([r["gadgetName"] for r in rows] == ["ofilter_b"], f"rows: {rows!r}")
    expect(isinstance(rows[0]["runtime"], int) and rows[0]["gadgetImage"] == "trace_open", f"{rows[0]!r}")
    p = subprocess.run([ig_binary(), "run", "bpfstats", "-o", "jsonpretty", "--filter", "gadgetName~^ofilter_"],
                       capture_output=True, text=True, env=sandbox.env, timeout=60, stdin=subprocess.DEVNULL)
    expect(p.returncode == 0, f"bpfstats -o jsonpretty --filter failed: {p.stderr!r}")
    names = sorted(r["gadgetName"] for r in json_objects(p.stdout))
    expect(names == ["ofilter_a", "ofilter_b"], f"jsonpretty rows: {names}")
    rc, lines = run_ig(sandbox, ["run", "bpfstats", "--filter", "runtime>=fast"])
    expect("'runtime' is an integer" in expect_one_error(rc, lines, "bpfstats --filter runtime>=fast"), f"{lines!r}")
    rc, lines = run_ig(sandbox, ["remove", "--all"])
    expect(rc == 0, f"ig remove --all: {lines!r}")


if __name__ == "__main__":
    main("output_options", [yaml_and_jsonpretty_carry_the_json_keys, filter_compares_numbers_as_numbers,
                            bad_filters_fail_before_anything_starts, foreground_runs_leave_out_ig_unless_asked,
                            trace_exec_yaml_with_a_filter, bpfstats_rows_filter_and_format],
         tracepoints=["syscalls/sys_enter_openat", "syscalls/sys_enter_execve"])
