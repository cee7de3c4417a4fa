#!/usr/bin/env python3
"""Faults injected into a real daemon loading real BPF: its state dir full or
read-only, and (below) kill -9 mid-run, bad state files, SIGTERM under load. Each
fault gets one line naming what failed and the fix, disturbs nothing else, and
leaves no BPF object behind."""
import contextlib
import hashlib
import os
import signal
import subprocess

from daemon_test import daemon_pid, ig_ok, ig_stdout, instance_files, listed
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


def daemon_log(sandbox):
    with open(sandbox.path("daemon.log"), errors="replace") as f:
        return f.read()


def digest(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def bad_state_files_are_moved_aside_unread_and_the_rest_restored(sandbox):
    good = ig_stdout(sandbox, "run", "--name", "good", "trace_exec", "--pid", "1", "--detach").strip()
    template = ig_stdout(sandbox, "run", "--name", "template", "trace_exec", "--pid", "1", "--detach").strip()
    d = sandbox.path("state/instances")
    with open(os.path.join(d, template + ".toml")) as f:
        valid = f.read()
    os.kill(daemon_pid(sandbox), signal.SIGKILL)
    os.unlink(os.path.join(d, template + ".toml"))

    def like_valid(ident, name):
        return valid.replace(template, ident).replace("'template'", f"'{name}'")

    shadow = digest("/etc/shadow")
    bad = {"garbage": "\x00\xff not = = toml [[",
           "wrong_types": "id = 7\nname = ['x']\ngadget = false\ncreated = 'yesterday'\n",
           "huge": like_valid("c" * 32, "huge") + "# " + "x" * (10 << 20) + "\n",
           "shadow": None, "other_user": like_valid("e" * 32, "other"), "world_writable": like_valid("f" * 32, "open")}
    idents = {}
    for n, (kind, text) in enumerate(bad.items()):
        ident = "abcdef"[n] * 32
        idents[kind] = ident
        path = os.path.join(d, ident + ".toml")
        if text is None:
            os.symlink("/etc/shadow", path)
            continue
        with open(path, "w") as f:
            f.write(text)
    os.chown(os.path.join(d, idents["other_user"] + ".toml"), 65534, 65534)
    os.chmod(os.path.join(d, idents["world_writable"] + ".toml"), 0o666)

    after = listed(sandbox)
    expect(set(after) == {"good"} and after["good"]["id"] == good and after["good"]["status"] == "running",
           f"restored: {after}")
    log = daemon_log(sandbox)
    for kind, ident in idents.items():
        path = os.path.join(d, ident + ".toml")
        expect(os.path.lexists(path + ".broken") and not os.path.lexists(path), f"the {kind} file was not moved aside")
        lines = [line for line in log.splitlines() if path in line]
        expect(len(lines) == 1 and "warning" in lines[0] and "moved aside" in lines[0],
               f"expected one warning for the {kind} file: {lines}")
    expect(os.readlink(os.path.join(d, idents["shadow"] + ".toml.broken")) == "/etc/shadow", "the link was changed")
    expect(digest("/etc/shadow") == shadow, "/etc/shadow changed")
    expect("root:" not in log, "the daemon's log shows what /etc/shadow holds")
    ig_ok(sandbox, "remove", "good")


if __name__ == "__main__":
    main("faults", [
        a_full_state_dir_refuses_a_detached_run_with_the_fix_then_recovers,
        a_read_only_state_dir_refuses_a_detached_run_with_the_fix_then_recovers,
        bad_state_files_are_moved_aside_unread_and_the_rest_restored,
    ], programs=["bpftool", "mount", "umount"], tracepoints=["syscalls/sys_enter_execve"])
