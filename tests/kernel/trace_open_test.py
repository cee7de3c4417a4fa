#!/usr/bin/env python3
"""trace_open against the real kernel: events, and the --pid, --failed, --comm filters."""
import ctypes
import os
import struct
import subprocess
import sys
import threading
import uuid

from igtest import TRACE_OPEN_PROGRAMS, IgRun, bpf_ids_held_by, expect, ig_programs, main

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


# x86_64 syscall numbers: open(2) and openat2(2) have no wrapper in Python.
SYS_OPEN, SYS_OPENAT2 = 2, 437
LIBC = ctypes.CDLL(None, use_errno=True)
LIBC.syscall.restype = ctypes.c_long


def syscall(*args):
    """A raw syscall; the fd it returned (closed again), or raises OSError."""
    fd = LIBC.syscall(*args)
    if fd < 0:
        err = ctypes.get_errno()
        raise OSError(err, os.strerror(err))
    os.close(fd)
    return fd


def check_every_call(sandbox):
    """open, openat and openat2 each pass path, flags and mode differently (the mode of
    openat in the fourth argument register, openat2's in a struct): all must arrive.
    Returns the names of the programs the daemon held meanwhile."""
    paths = {call: sandbox.path(f"ig-{call}-{uuid.uuid4().hex}") for call in ("open", "openat", "openat2")}
    create = os.O_WRONLY | os.O_CREAT | os.O_EXCL
    ig = IgRun(sandbox, ["trace_open", "--pid", str(MY_PID)])
    ig.wait_attached()
    progs, _ = bpf_ids_held_by(sandbox.daemon_pid())
    names = {name for i, name in ig_programs().items() if i in progs}
    fds = {"openat": os.open(paths["openat"], create, 0o640)}
    os.close(fds["openat"])
    fds["open"] = syscall(SYS_OPEN, paths["open"].encode(), create, 0o600)
    how = struct.pack("QQQ", create, 0o604, 0)  # struct open_how: flags, mode, resolve
    fds["openat2"] = syscall(SYS_OPENAT2, -100, paths["openat2"].encode(), how, len(how))  # AT_FDCWD
    expect(ig.stop() == 0, f"ig exited with an error: {ig.stderr()!r}")
    events = ig.events()
    for call, mode in (("open", "0600"), ("openat", "0640"), ("openat2", "0604")):
        e = only(events_for(events, paths[call]), f"{call}({paths[call]})")
        flags = set(e["flags"].split("|"))
        expect({"O_WRONLY", "O_CREAT", "O_EXCL"} <= flags, f"{call}: flags {e['flags']!r}")
        expect(e["mode"] == mode, f"{call}: mode {e['mode']!r}, expected {mode}")
        expect(e["fd"] == fds[call] and e["error"] == "", f"{call}: fd {e['fd']}, error {e['error']!r}")
    return names


def every_call_reports_its_path_flags_and_mode(sandbox):
    names = check_every_call(sandbox)
    expect(names == TRACE_OPEN_PROGRAMS, f"programs {sorted(names)}, expected {sorted(TRACE_OPEN_PROGRAMS)}")


def entry_exit_pairs_report_the_same(sandbox):
    """The pairs that kernels before 5.15 get, forced here."""
    sandbox.env["IG_TRACE_OPEN_ENTRY_EXIT"] = "1"  # read by the daemon the next command starts
    names = check_every_call(sandbox)
    pairs = {f"ig_{call}_{end}" for call in ("open", "openat", "openat2") for end in "ex"}
    expect(names == pairs, f"programs {sorted(names)}, expected the entry/exit pairs {sorted(pairs)}")


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
    main("trace_open", [open_events_carry_pid_fd_and_errno, every_call_reports_its_path_flags_and_mode,
                        entry_exit_pairs_report_the_same, pid_filter_keeps_only_that_process,
                        failed_filter_keeps_only_failures, comm_filter_keeps_only_that_command],
         tracepoints=["syscalls/sys_enter_openat", "syscalls/sys_exit_openat"])
