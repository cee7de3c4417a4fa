#!/usr/bin/env python3
"""Faults injected into a real daemon loading real BPF: its state dir full or
read-only, and (below) kill -9 mid-run, bad state files, SIGTERM under load. Each
fault gets one line naming what failed and the fix, disturbs nothing else, and
leaves no BPF object behind."""
import contextlib
import os
import subprocess

from daemon_test import ig_ok, ig_stdout, instance_files, listed
from igtest import expect, expect_one_error, main, run_ig


@contextlib.contextmanager
def small_tmpfs(path, size="16k"):
    """A tmpfs at `path` for the test's life: a state dir that fills up at once."""
    os.makedirs(path, exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", path], check=True)
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", path], check=False)


def fill(directory):
    """Write a filler file until the file system is full; return its path."""
    path = os.path.join(directory, "filler")
    with open(path, "wb", buffering=0) as f:
        try:
            while True:
                f.write(b"\0" * 4096)
        except OSError:
            pass
    return path


def expect_refused_with_a_fix(sandbox, name, errno_name, fix):
    state = sandbox.path("state/instances")
    rc, lines = run_ig(sandbox, ["run", "--name", name, "trace_exec", "--pid", "1", "--detach"])
    message = expect_one_error(rc, lines, f"run --detach with the state dir {errno_name}")
    for part in (f"'{state}/", errno_name, fix, "--state-dir"):
        expect(part in message, f"{part!r} is not in the message: {message!r}")
    expect(set(listed(sandbox)) == {"keeper"} and listed(sandbox)["keeper"]["status"] == "running",
           f"the refused run disturbed the running instance: {listed(sandbox)}")
    left = [f for f in instance_files(sandbox) if not f.endswith(".toml")]
    expect(not left, f"a refused run left files behind: {left}")


def a_full_state_dir_refuses_a_detached_run_with_the_fix_then_recovers(sandbox):
    with small_tmpfs(sandbox.path("state")):
        ig_stdout(sandbox, "run", "--name", "keeper", "trace_exec", "--pid", "1", "--detach")
        filler = fill(sandbox.path("state"))
        expect_refused_with_a_fix(sandbox, "refused", "ENOSPC", f"free space in '{sandbox.path('state/instances')}'")
        os.unlink(filler)
        ig_stdout(sandbox, "run", "--name", "later", "trace_exec", "--pid", "1", "--detach")
        expect(len(instance_files(sandbox)) == 2, f"state files: {instance_files(sandbox)}")
        ig_ok(sandbox, "remove", "--all")


def a_read_only_state_dir_refuses_a_detached_run_with_the_fix_then_recovers(sandbox):
    with small_tmpfs(sandbox.path("state"), size="1m"):
        ig_stdout(sandbox, "run", "--name", "keeper", "trace_exec", "--pid", "1", "--detach")
        subprocess.run(["mount", "-o", "remount,ro", sandbox.path("state")], check=True)
        expect_refused_with_a_fix(sandbox, "refused", "EROFS", f"remount '{sandbox.path('state/instances')}' read-write")
        subprocess.run(["mount", "-o", "remount,rw", sandbox.path("state")], check=True)
        ig_stdout(sandbox, "run", "--name", "later", "trace_exec", "--pid", "1", "--detach")
        expect(len(instance_files(sandbox)) == 2, f"state files: {instance_files(sandbox)}")
        ig_ok(sandbox, "remove", "--all")


if __name__ == "__main__":
    main("faults", [
        a_full_state_dir_refuses_a_detached_run_with_the_fix_then_recovers,
        a_read_only_state_dir_refuses_a_detached_run_with_the_fix_then_recovers,
    ], programs=["bpftool", "mount", "umount"], tracepoints=["syscalls/sys_enter_execve"])
