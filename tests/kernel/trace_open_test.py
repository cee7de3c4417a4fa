#!/usr/bin/env python3
"""trace_open against the real kernel: events, and the --pid, --failed, --comm filters."""
import os
import subprocess
import sys
import threading
import uuid

from igtest import IgRun, expect, main

MY_PID = os.getpid()


def existing_file(sandbox):
    """A uniquely named file, created before ig starts."""
    path = sandbox.path(f"ig-open-{uuid.uuid4().hex}")
    with open(path, "w") as f:
        f.write("x")
    return path


def missing_file(sandbox):
    return sandbox.path(f"ig-missing-{uuid.uuid4().hex}")


def open_and_close(path):
    """One openat(2) from this process; the fd it returned, or None on ENOENT."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return None
    os.close(fd)
    return fd


def events_for(events, path):
    return [e for e in events if e.get("path") == path]


def only(events, what):
    expect(len(events) == 1, f"expected one event for {what}, got {len(events)}: {events!r}")
    return events[0]


def open_events_carry_pid_fd_and_errno(sandbox):
    found, missing = existing_file(sandbox), missing_file(sandbox)
    ig = IgRun(sandbox, ["trace_open"])
    ig.wait_attached()
    fd = open_and_close(found)
    expect(fd is not None, f"could not open {found}")
    expect(open_and_close(missing) is None, f"{missing} unexpectedly exists")
    expect(ig.stop() == 0, f"ig exited with an error: {ig.stderr()!r}")
    events = ig.events()

    ok = only([e for e in events_for(events, found) if e["pid"] == MY_PID], f"opening {found}")
    expect(ok["fd"] == fd, f"fd {ok['fd']} in the event, {fd} from open(): {ok!r}")
    expect(ok["error"] == "", f"a successful open has an empty error: {ok!r}")
    expect(ok["tid"] == threading.get_native_id(), f"tid is not this thread's: {ok!r}")
    expect(ok["uid"] == os.getuid(), f"uid is not ours: {ok!r}")
    with open("/proc/self/comm") as f:
        comm = f.read().strip()
    expect(ok["comm"] == comm, f"comm {ok['comm']!r}, expected {comm!r}")
    expect(ok["flags"].split("|")[0] == "O_RDONLY", f"flags do not start with O_RDONLY: {ok!r}")

    bad = only([e for e in events_for(events, missing) if e["pid"] == MY_PID], f"opening {missing}")
    expect(bad["fd"] == -1, f"a failed open has fd -1: {bad!r}")
    expect(bad["error"] == "ENOENT", f"a missing file gives ENOENT: {bad!r}")


def pid_filter_keeps_only_that_process(sandbox):
    path = existing_file(sandbox)
    ig = IgRun(sandbox, ["trace_open", "--pid", str(MY_PID)])
    ig.wait_attached()
    child = subprocess.Popen([sys.executable, "-c", "import os, sys; os.close(os.open(sys.argv[1], os.O_RDONLY))",
                              path])
    expect(child.wait() == 0, "the child could not open the file")
    fd = open_and_close(path)
    expect(ig.stop() == 0, f"ig exited with an error: {ig.stderr()!r}")
    events = ig.events()

    others = sorted({e["pid"] for e in events if e["pid"] != MY_PID})
    expect(not others, f"--pid {MY_PID} let through events of pids {others}")
    expect(not [e for e in events_for(events, path) if e["pid"] == child.pid], "the child's open was shown")
    mine = only(events_for(events, path), f"our open of {path}")
    expect(mine["fd"] == fd, f"fd {mine['fd']} in the event, {fd} from open()")


def failed_filter_keeps_only_failures(sandbox):
    found, missing = existing_file(sandbox), missing_file(sandbox)
    ig = IgRun(sandbox, ["trace_open", "--failed"])
    ig.wait_attached()
    open_and_close(found)
    open_and_close(missing)
    expect(ig.stop() == 0, f"ig exited with an error: {ig.stderr()!r}")
    events = ig.events()

    expect(not events_for(events, found), f"--failed showed a successful open: {events_for(events, found)!r}")
    only([e for e in events_for(events, missing) if e["error"] == "ENOENT"], f"the failed open of {missing}")
    succeeded = [e for e in events if e["error"] == "" or e["fd"] != -1]
    expect(not succeeded, f"--failed showed successful opens: {succeeded[:3]!r}")


def comm_filter_keeps_only_that_command(sandbox):
    path = existing_file(sandbox)
    comm = "igt" + uuid.uuid4().hex[:10]  # 13 characters: the kernel keeps 15
    ig = IgRun(sandbox, ["trace_open", "--comm", comm])
    ig.wait_attached()
    code = ("import os, sys\n"
            "with open('/proc/self/comm', 'w') as f: f.write(sys.argv[2])\n"
            "os.close(os.open(sys.argv[1], os.O_RDONLY))\n")
    child = subprocess.Popen([sys.executable, "-c", code, path, comm])
    expect(child.wait() == 0, "the child could not rename itself or open the file")
    open_and_close(path)  # ours, under another comm: must not show
    expect(ig.stop() == 0, f"ig exited with an error: {ig.stderr()!r}")
    events = ig.events()

    wrong = [e for e in events if e["comm"] != comm]
    expect(not wrong, f"--comm {comm} let through other commands: {wrong[:3]!r}")
    theirs = only(events_for(events, path), f"the renamed child's open of {path}")
    expect(theirs["pid"] == child.pid, f"the event is not the child's ({child.pid}): {theirs!r}")


if __name__ == "__main__":
    main("trace_open", [open_events_carry_pid_fd_and_errno, pid_filter_keeps_only_that_process,
                        failed_filter_keeps_only_failures, comm_filter_keeps_only_that_command],
         tracepoints=["syscalls/sys_enter_openat", "syscalls/sys_exit_openat"])
