#!/usr/bin/env python3
"""trace_exec against the real kernel: a successful and a failed execve."""
import os
import uuid

from igtest import IgRun, expect, main

MY_PID = os.getpid()


def fork_exec(path, argv):
    """fork, execv(path, argv) in the child; return the child's pid and exit status."""
    pid = os.fork()
    if pid == 0:
        try:
            os.execv(path, argv)
        finally:
            os._exit(127)
    _, status = os.waitpid(pid, 0)
    return pid, os.waitstatus_to_exitcode(status)


def only(events, what):
    expect(len(events) == 1, f"expected one event for {what}, got {len(events)}: {events!r}")
    return events[0]


def exec_event_carries_pid_ppid_and_args(sandbox):
    token = f"ig-exec-{uuid.uuid4().hex}"
    argv = ["/bin/true", token, "two words"]
    ig = IgRun(sandbox, ["trace_exec"])
    ig.wait_attached()
    child, code = fork_exec(argv[0], argv)
    expect(code == 0, f"/bin/true exited with {code}")
    expect(ig.stop() == 0, f"ig exited with an error: {ig.stderr()!r}")

    e = only([e for e in ig.events() if token in e.get("args", [])], f"exec of {argv}")
    expect(e["pid"] == child, f"pid {e['pid']}, expected the child {child}: {e!r}")
    expect(e["ppid"] == MY_PID, f"ppid {e['ppid']}, expected us {MY_PID}: {e!r}")
    expect(e["args"] == argv, f"args {e['args']!r}, expected {argv!r}")
    expect(e["args_count"] == len(argv), f"args_count {e['args_count']}, expected {len(argv)}")
    expect(e["args_truncated"] is False, f"args_truncated should be false: {e!r}")
    expect(e["error"] == "", f"a successful exec has an empty error: {e!r}")
    expect(e["comm"] == "true", f"comm after exec should be the new program's: {e!r}")
    expect(e["uid"] == os.getuid(), f"uid is not ours: {e!r}")


def failed_exec_shows_enoent(sandbox):
    token = f"ig-noexec-{uuid.uuid4().hex}"
    missing = sandbox.path(token)
    ig = IgRun(sandbox, ["trace_exec"])
    ig.wait_attached()
    child, code = fork_exec(missing, [missing, "arg"])
    expect(code == 127, f"exec of a missing file should fail, child exited {code}")
    expect(ig.stop() == 0, f"ig exited with an error: {ig.stderr()!r}")

    e = only([e for e in ig.events() if missing in e.get("args", [])], f"failed exec of {missing}")
    expect(e["pid"] == child, f"pid {e['pid']}, expected the child {child}: {e!r}")
    expect(e["ppid"] == MY_PID, f"ppid {e['ppid']}, expected us {MY_PID}: {e!r}")
    expect(e["error"] == "ENOENT", f"error {e['error']!r}, expected ENOENT: {e!r}")
    expect(e["args"] == [missing, "arg"], f"args {e['args']!r}")


if __name__ == "__main__":
    main("trace_exec", [exec_event_carries_pid_ppid_and_args, failed_exec_shows_enoent],
         tracepoints=["syscalls/sys_enter_execve", "syscalls/sys_exit_execve"])
