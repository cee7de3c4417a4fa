#!/usr/bin/env python3
"""An instance's BPF programs and maps leave the kernel when it stops.

The daemon of the test's private sandbox holds the instance's objects; "ours" are
the ids it holds (from /proc/PID/fdinfo) that were not loaded before the instance
started, so other people's instances of the same gadget on this machine never count.
"""
import os

from igtest import (TRACE_OPEN_OPENAT, TRACE_OPEN_PROGRAMS, IgRun, bpf_ids_held_by, bpftool_json, expect, ig_programs,
                    main, wait_gone)


def start(sandbox, *extra):
    ig = IgRun(sandbox, ["trace_open", "--pid", str(os.getpid()), *extra])
    ig.wait_attached()
    return ig


def held(sandbox):
    """(program ids, map ids) the sandbox's daemon holds."""
    pid = sandbox.daemon_pid()
    expect(pid, "no ig daemon runs for this sandbox although an instance is attached")
    return bpf_ids_held_by(pid)


def check_objects(progs, held_maps, before):
    """The programs are new trace_open programs; return them and every map they use."""
    expect(progs, "the daemon holds no BPF program while the instance is attached")
    expect(not progs & set(before), f"programs {sorted(progs & set(before))} existed before the instance started")
    now = ig_programs()
    expect(progs <= set(now), f"programs {sorted(progs - set(now))} held for the instance are not named ig_*")
    names = {now[p] for p in progs}
    expect(names <= TRACE_OPEN_PROGRAMS, f"unexpected programs: {sorted(names - TRACE_OPEN_PROGRAMS)}")
    expect(TRACE_OPEN_OPENAT <= names, f"{sorted(TRACE_OPEN_OPENAT)} not loaded: {sorted(names)}")
    maps = set(held_maps)
    for p in progs:
        info = bpftool_json("prog", "show", "id", str(p))
        expect(info is not None, f"program {p} vanished while the instance runs")
        maps |= set(info.get("map_ids", []))
    expect(maps, "the instance's programs use no maps")
    return progs, maps


def expect_all_gone(progs, maps, when):
    left_progs, left_maps = wait_gone("prog", progs), wait_gone("map", maps)
    expect(not left_progs, f"programs still loaded {when}: {sorted(left_progs)}")
    expect(not left_maps, f"maps still present {when}: {sorted(left_maps)}")


def ctrl_c_frees_programs_and_maps(sandbox):
    before = ig_programs()
    ig = start(sandbox)
    progs, maps = check_objects(*held(sandbox), before)
    expect(ig.stop() == 0, f"ig exited with an error: {ig.stderr()!r}")
    expect_all_gone(progs, maps, "after Ctrl-C")


def timeout_frees_programs_and_maps(sandbox):
    before = ig_programs()
    ig = start(sandbox, "--timeout", "3s")
    progs, maps = check_objects(*held(sandbox), before)
    expect(ig.wait(timeout=20) == 0, f"ig exited with an error after --timeout: {ig.stderr()!r}")
    expect_all_gone(progs, maps, "after --timeout")


def stopping_one_instance_keeps_the_other(sandbox):
    before = ig_programs()
    first = start(sandbox)
    progs1, maps1 = check_objects(*held(sandbox), before)
    second = start(sandbox)
    all_progs, all_maps = held(sandbox)
    progs2, maps2 = check_objects(all_progs - progs1, all_maps - maps1, before)
    expect(not maps1 & maps2, f"two instances share maps {sorted(maps1 & maps2)}")

    expect(first.stop() == 0, f"the first ig exited with an error: {first.stderr()!r}")
    expect_all_gone(progs1, maps1, "after the first instance stopped")
    still = held(sandbox)[0]
    expect(still == progs2, f"the second instance's programs changed: had {sorted(progs2)}, now {sorted(still)}")
    expect(second.stop() == 0, f"the second ig exited with an error: {second.stderr()!r}")
    expect_all_gone(progs2, maps2, "after the second instance stopped")


if __name__ == "__main__":
    main("cleanup", [ctrl_c_frees_programs_and_maps, timeout_frees_programs_and_maps,
                     stopping_one_instance_keeps_the_other],
         programs=["bpftool"], tracepoints=["syscalls/sys_enter_openat"])
