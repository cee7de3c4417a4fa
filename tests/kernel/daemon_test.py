"""The daemon: detached named instances that survive the client, a restart and a
kill -9, and leave nothing behind in the kernel when removed."""
import json
import os
import signal
import socket
import subprocess
import threading
import time

from igtest import (TRACE_OPEN_OPENAT, Failure, IgRun, bpf_ids_held_by, expect, expect_one_error, ig_binary, main,
                    run_ig, wait_gone)


def ig_ok(sandbox, *args):
    rc, err = run_ig(sandbox, list(args))
    expect(rc == 0, f"'ig {' '.join(args)}' failed ({rc}): {err}")
    return err


def ig_stdout(sandbox, *args):
    p = subprocess.run([ig_binary(), *args], capture_output=True, text=True, env=sandbox.env, timeout=60,
                       stdin=subprocess.DEVNULL)
    expect(p.returncode == 0, f"'ig {' '.join(args)}' failed ({p.returncode}): {p.stderr.strip()}")
    return p.stdout


def listed(sandbox):
    return {i["name"]: i for i in map(json.loads, ig_stdout(sandbox, "list", "-o", "json").splitlines())}


def daemon_pid(sandbox):
    with open(sandbox.pid_file) as f:
        return int(f.read())


def wait_pid_gone(pid, timeout=10):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)
    raise Failure(f"process {pid} did not exit within {timeout}s")


def fd_count(pid):
    return len(os.listdir(f"/proc/{pid}/fd"))


def fd_targets(pid):
    """What each of the daemon's fds points at, to name a leak when one is found."""
    targets = []
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            targets.append(os.readlink(f"/proc/{pid}/fd/{fd}"))
        except OSError:
            pass
    return targets


def instance_files(sandbox):
    d = sandbox.path("state/instances")
    return sorted(os.listdir(d)) if os.path.isdir(d) else []


def program_names(ids):
    names = set()
    for i in ids:
        p = subprocess.run(["bpftool", "prog", "show", "id", str(i), "-j"], capture_output=True, text=True)
        if p.returncode == 0:
            names.add(json.loads(p.stdout).get("name", ""))
    return names


# --- the lifecycle -------------------------------------------------------------

def detached_instances_come_back_after_kill_9_and_leave_nothing_when_removed(sandbox):
    open_id = ig_stdout(sandbox, "run", "--name", "mytraceopen", "trace_open", "--detach").strip()
    exec_id = ig_stdout(sandbox, "run", "--name", "mytraceexec", "trace_exec", "--detach").strip()
    expect(len(open_id) == 32 and all(c in "0123456789abcdef" for c in open_id), f"bad id {open_id!r}")
    before = listed(sandbox)
    expect(set(before) == {"mytraceopen", "mytraceexec"}, f"list shows {sorted(before)}")
    expect(before["mytraceopen"]["id"] == open_id and before["mytraceexec"]["id"] == exec_id, "ids differ in list")
    first = daemon_pid(sandbox)
    old_progs, old_maps = bpf_ids_held_by(first)
    expect(len(old_progs) >= 4, f"the daemon holds only {len(old_progs)} programs")

    os.kill(first, signal.SIGKILL)
    after = listed(sandbox)  # starts a new daemon, which restores both
    second = daemon_pid(sandbox)
    expect(second != first, "the pid file still names the killed daemon")
    expect({n: i["id"] for n, i in after.items()} == {"mytraceopen": open_id, "mytraceexec": exec_id},
           f"restored instances differ: {after}")
    expect(all(i["status"] == "running" for i in after.values()), f"not all running: {after}")
    new_progs, new_maps = bpf_ids_held_by(second)
    names = program_names(new_progs)
    expect(TRACE_OPEN_OPENAT | {"ig_exec_e", "ig_exec_x"} <= names, f"restored programs: {names}")
    expect(not wait_gone("prog", old_progs), "programs of the killed daemon are still in the kernel")
    expect(not wait_gone("map", old_maps), "maps of the killed daemon are still in the kernel")

    rc, err = run_ig(sandbox, ["remove", "mytraceopen", "mytraceexec"])
    expect(rc == 0, f"remove failed: {err}")
    expect(listed(sandbox) == {}, "instances still listed after remove")
    expect(not wait_gone("prog", new_progs), "removed instances' programs are still in the kernel")
    expect(not wait_gone("map", new_maps), "removed instances' maps are still in the kernel")
    expect(instance_files(sandbox) == [], f"state files left: {instance_files(sandbox)}")


def sigterm_stops_the_daemon_and_keeps_instances_for_next_start(sandbox):
    ig_stdout(sandbox, "run", "--name", "keeper", "trace_open", "--detach")
    first = daemon_pid(sandbox)
    progs, _ = bpf_ids_held_by(first)
    os.kill(first, signal.SIGTERM)
    wait_pid_gone(first)
    expect(not os.path.exists(sandbox.path("ig.sock")), "the socket was not removed at SIGTERM")
    expect(not wait_gone("prog", progs), "a stopped daemon left programs behind")
    expect(len(instance_files(sandbox)) == 1, "SIGTERM lost the persisted instance")
    expect(listed(sandbox)["keeper"]["status"] == "running", "the instance did not come back")
    ig_ok(sandbox, "remove", "keeper")


def a_killed_foreground_client_takes_its_instance_with_it(sandbox):
    run = IgRun(sandbox, ["--name", "fg", "trace_open"])
    run.wait_attached()
    expect("fg" in listed(sandbox), "a foreground run is not listed as an instance")
    progs, _ = bpf_ids_held_by(daemon_pid(sandbox))
    run.kill()
    deadline = time.monotonic() + 10
    while "fg" in listed(sandbox):
        expect(time.monotonic() < deadline, "the instance outlived its killed client")
        time.sleep(0.1)
    expect(not wait_gone("prog", progs), "the killed client's programs are still in the kernel")
    expect(instance_files(sandbox) == [], "a foreground instance was persisted")


def attach_streams_a_detached_instance_and_leaves_it_running(sandbox):
    # Only our own opens: a busy machine must not crowd them out.
    ig_stdout(sandbox, "run", "--name", "watched", "trace_open", "--pid", str(os.getpid()), "--detach")
    err_path = sandbox.path("attach.err")
    with open(err_path, "w") as err_file:
        p = subprocess.Popen([ig_binary(), "attach", "watched", "-o", "json"], stdout=subprocess.PIPE,
                             stderr=err_file, env=sandbox.env, text=True)
    deadline = time.monotonic() + 10
    while "attached to 'watched'" not in open(err_path).read():
        expect(time.monotonic() < deadline and p.poll() is None, f"attach did not attach: {open(err_path).read()}")
        time.sleep(0.05)
    missing = f"/tmp/ig-attach-test-{os.getpid()}"
    for _ in range(3):
        try:
            open(missing)
        except FileNotFoundError:
            pass
    time.sleep(0.5)
    p.send_signal(signal.SIGINT)
    out, _ = p.communicate(timeout=10)
    expect(p.returncode == 0, f"attach exited {p.returncode}: {open(err_path).read()}")
    mine = [e for e in map(json.loads, out.splitlines()) if e.get("path") == missing]
    expect(mine and mine[0]["error"] == "ENOENT" and mine[0]["pid"] == os.getpid(), f"no event for {missing}")
    expect(listed(sandbox)["watched"]["status"] == "running", "detaching the viewer stopped the instance")
    ig_ok(sandbox, "remove", "watched")


def twenty_clients_at_once_leave_a_consistent_list(sandbox):
    ig_ok(sandbox, "list")  # one daemon, started before the crowd arrives
    errors = []

    def client(n):
        try:
            ig_stdout(sandbox, "run", "--name", f"c{n}", "trace_exec", "--detach")
            ig_stdout(sandbox, "list")
            if n % 2:
                ig_stdout(sandbox, "remove", f"c{n}")
        except Failure as e:
            errors.append(str(e))

    threads = [threading.Thread(target=client, args=(n,)) for n in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    expect(not errors, f"clients failed: {errors[:3]}")
    expect(set(listed(sandbox)) == {f"c{n}" for n in range(0, 20, 2)}, f"list is {sorted(listed(sandbox))}")
    expect(len(instance_files(sandbox)) == 10, f"{len(instance_files(sandbox))} state files for 10 instances")
    ig_ok(sandbox, "remove", "--all")
    expect(instance_files(sandbox) == [], "remove --all left state files")


def run_remove_cycles_leave_fds_and_programs_where_they_started(sandbox):
    ig_ok(sandbox, "list")
    pid = daemon_pid(sandbox)
    fds_before = fd_count(pid)
    progs_before, maps_before = bpf_ids_held_by(pid)
    for n in range(200):
        ig_stdout(sandbox, "run", "--name", "cycle", "trace_open", "--detach")
        ig_stdout(sandbox, "remove", "cycle")
    # A leak only grows: the first count may still include a client connection
    # the daemon was closing at that moment, and so may the last, so the daemon gets
    # a moment to see the last client's EOF. A leak stays above the bound.
    deadline = time.monotonic() + 5
    while fd_count(pid) > fds_before and time.monotonic() < deadline:
        time.sleep(0.05)
    expect(fd_count(pid) <= fds_before,
           f"daemon fds went from {fds_before} to {fd_count(pid)}: {sorted(fd_targets(pid))}")
    progs_after, maps_after = bpf_ids_held_by(pid)
    expect(progs_after == progs_before and maps_after == maps_before, "the daemon still holds BPF objects")


# --- bad input -----------------------------------------------------------------

def a_duplicate_name_is_refused_and_names_the_existing_instance(sandbox):
    first = ig_stdout(sandbox, "run", "--name", "dup", "trace_open", "--detach").strip()
    rc, err = run_ig(sandbox, ["run", "--name", "dup", "trace_exec", "--detach"])
    message = expect_one_error(rc, err, "duplicate name")
    expect("dup" in message and first[:12] in message, f"message does not name the existing instance: {message}")
    expect(list(listed(sandbox)) == ["dup"] and listed(sandbox)["dup"]["gadget"] == "trace_open", "list changed")
    expect(len(instance_files(sandbox)) == 1, "a refused run was persisted")


def invalid_names_are_refused_before_anything_loads(sandbox):
    for name in ["My Trace", "x" * 33, "../x", ""]:
        rc, err = run_ig(sandbox, ["run", "--name", name, "trace_open", "--detach"])
        message = expect_one_error(rc, err, f"name {name!r}")
        expect("name" in message, f"message for {name!r} does not mention the name: {message}")
    expect(listed(sandbox) == {}, "an invalid name created an instance")


def unknown_instances_and_ambiguous_prefixes_are_errors(sandbox):
    ig_ok(sandbox, "list")
    for cmd in (["remove", "nosuch"], ["attach", "nosuch"]):
        message = expect_one_error(*run_ig(sandbox, cmd), " ".join(cmd))
        expect("nosuch" in message, f"message does not name the instance: {message}")
    ids = []
    while True:  # until two ids share a first character (at most 17 instances)
        ids.append(ig_stdout(sandbox, "run", "trace_exec", "--detach").strip())
        firsts = [i[0] for i in ids]
        shared = [c for c in set(firsts) if firsts.count(c) > 1]
        if shared:
            break
    message = expect_one_error(*run_ig(sandbox, ["remove", shared[0]]), "ambiguous prefix")
    matching = [i[:12] for i in ids if i.startswith(shared[0])]
    expect("ambiguous" in message and all(m in message for m in matching), f"matches not listed: {message}")
    expect(len(listed(sandbox)) == len(ids), "an ambiguous remove removed something")
    unique = ids[-1][:10]
    ig_ok(sandbox, "remove", unique)
    expect(len(listed(sandbox)) == len(ids) - 1, "a unique prefix did not remove exactly one")
    ig_ok(sandbox, "remove", "--all")


def remove_of_several_reports_each_failure_and_removes_the_rest(sandbox):
    ig_stdout(sandbox, "run", "--name", "a", "trace_exec", "--detach")
    ig_stdout(sandbox, "run", "--name", "b", "trace_exec", "--detach")
    p = subprocess.run([ig_binary(), "remove", "a", "ghost", "b"], capture_output=True, text=True, env=sandbox.env)
    expect(p.returncode != 0, "remove with a failure exited 0")
    expect(p.stdout.split() == ["a", "b"], f"removed: {p.stdout!r}")
    errors = [line for line in p.stderr.splitlines() if line.startswith("ig: error: ")]
    expect(len(errors) == 1 and "ghost" in errors[0], f"errors: {p.stderr!r}")
    expect(listed(sandbox) == {}, "something is left")


def a_second_daemon_is_refused_and_the_first_keeps_running(sandbox):
    ig_stdout(sandbox, "run", "--name", "stay", "trace_exec", "--detach")
    first = daemon_pid(sandbox)
    rc, err = run_ig(sandbox, ["daemon"], timeout=20)
    message = expect_one_error(rc, err, "second daemon")
    expect(str(first) in message, f"message does not name the running daemon: {message}")
    expect(daemon_pid(sandbox) == first and "stay" in listed(sandbox), "the first daemon was disturbed")
    ig_ok(sandbox, "remove", "stay")


def a_stale_socket_and_pid_file_are_taken_over(sandbox):
    s = socket.socket(socket.AF_UNIX)
    s.bind(sandbox.path("ig.sock"))  # a socket file nobody listens on
    s.close()
    with open(sandbox.pid_file, "w") as f:
        f.write("999999\n")
    expect(listed(sandbox) == {}, "list on a fresh daemon is not empty")
    expect(daemon_pid(sandbox) != 999999, "the stale pid file was not replaced")


def broken_state_files_are_moved_aside_and_the_others_restored(sandbox):
    ig_stdout(sandbox, "run", "--name", "good", "trace_exec", "--detach")
    os.kill(daemon_pid(sandbox), signal.SIGKILL)
    d = sandbox.path("state/instances")
    bad = {
        "a" * 32: "garbage = = [",
        "b" * 32: f"id = '{'b' * 32}'\nname = 42\ngadget = 'trace_open'\ncreated = 2026-01-01T00:00:00Z\n",
        "c" * 32: f"id = '{'c' * 32}'\nname = 'ghost'\ngadget = 'no_such_gadget'\ncreated = 2026-01-01T00:00:00Z\n",
    }
    for ident, text in bad.items():
        with open(os.path.join(d, ident + ".toml"), "w") as f:
            f.write(text)
    expect(set(listed(sandbox)) == {"good"}, f"restored: {sorted(listed(sandbox))}")
    for ident in bad:
        expect(os.path.exists(os.path.join(d, ident + ".toml.broken")), f"{ident[:4]}... not moved aside")
    with open(sandbox.daemon_log) as f:
        warnings = [line for line in f if "moved aside" in line]
    expect(len(warnings) == 3, f"expected one warning per broken file, got {warnings}")
    ig_ok(sandbox, "remove", "good")


def a_parameter_run_would_refuse_is_refused_at_restore_too(sandbox):
    ig_stdout(sandbox, "run", "--name", "good", "trace_open", "--pid", "1", "--detach")
    bad_id = ig_stdout(sandbox, "run", "--name", "bad", "trace_open", "--pid", "1", "--detach").strip()
    os.kill(daemon_pid(sandbox), signal.SIGKILL)
    path = os.path.join(sandbox.path("state/instances"), bad_id + ".toml")
    with open(path) as f:
        text = f.read()
    expect('pid = "1"' in text, f"the state file does not hold pid = \"1\": {text!r}")
    with open(path, "w") as f:
        f.write(text.replace('pid = "1"', 'pid = "notanumber"'))
    after = listed(sandbox)
    expect(set(after) == {"good"} and after["good"]["status"] == "running", f"restored: {after}")
    expect(os.path.exists(path + ".broken") and not os.path.exists(path), "the bad file was not moved aside")
    with open(sandbox.daemon_log) as f:
        log = f.read()
    lines = [line for line in log.splitlines() if bad_id in line]
    expect(len(lines) == 1 and "'notanumber'" in lines[0] and "'--pid'" in lines[0] and "moved aside" in lines[0],
           f"expected one line naming the key and the value: {lines}")
    expect("restored instance 'bad'" not in log, "the bad instance was logged as restored")
    ig_ok(sandbox, "remove", "good")


def a_client_sending_garbage_is_closed_and_the_daemon_is_unaffected(sandbox):
    ig_stdout(sandbox, "run", "--name", "calm", "trace_exec", "--detach")
    for payload in [b"\xff" * 64, b"\x00\x00\x00\x7f\x01\x02", (1 << 30).to_bytes(4, "little") + b"\x01\x02"]:
        s = socket.socket(socket.AF_UNIX)
        s.connect(sandbox.path("ig.sock"))
        s.sendall(payload)
        s.settimeout(5)
        data = b""
        while True:
            chunk = s.recv(4096)
            if not chunk:
                break
            data += chunk
        s.close()
        expect(b"bad request" in data, f"no error reply for {payload[:8]!r}: {data!r}")
    expect(listed(sandbox)["calm"]["status"] == "running", "garbage disturbed an instance")
    ig_ok(sandbox, "remove", "calm")


def a_non_root_client_gets_a_clear_error(sandbox):
    ig_ok(sandbox, "list")
    os.chmod(sandbox.dir, 0o755)
    rc, err = run_ig(sandbox, ["list"], wrapper=["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"])
    message = expect_one_error(rc, err, "non-root list")
    expect("root" in message, f"message does not say root is needed: {message}")


def a_non_root_client_that_reaches_the_socket_is_told_why_it_is_refused(sandbox):
    ig_ok(sandbox, "list")
    os.chmod(sandbox.dir, 0o755)
    os.chmod(sandbox.path("ig.sock"), 0o666)  # as a careless deployment would leave it
    rc, err = run_ig(sandbox, ["list"], wrapper=["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"])
    message = expect_one_error(rc, err, "non-root list on a reachable socket")
    expect("serves root only" in message and "uid 65534" in message and "run ig as root" in message,
           f"the client does not say why it was refused and what to do: {message!r}")
    with open(sandbox.daemon_log) as f:
        refusals = [line for line in f if "refused a client (uid 65534, pid " in line]
    expect(len(refusals) == 1, f"expected the daemon to log one refusal naming uid and pid: {refusals}")


def two_started_daemons_beside_each_other_keep_their_own_logs(sandbox):
    """Issue 13: two daemons with pid files in one folder both logged to its daemon.log."""
    rc, err = run_ig(sandbox, ["list"])
    expect(rc == 0 and [line for line in err if line.endswith("its log: " + sandbox.daemon_log)],
           f"the first start does not name its log: {err}")
    other = ["--socket", sandbox.path("other.sock"), "--pid-file", sandbox.path("other.pid"),
             "--state-dir", sandbox.path("other-state")]
    try:
        rc, err = run_ig(sandbox, [*other, "list"])
        said = [line for line in err if "its log: " in line]
        expect(rc == 0 and len(said) == 1 and said[0].endswith("its log: " + sandbox.path("other.log")),
               f"the second start does not name its own log once ({rc}): {err}")
        for log, mine, theirs in (("ig.log", "ig.sock", "other.sock"), ("other.log", "other.sock", "ig.sock")):
            with open(sandbox.path(log)) as f:
                text = f.read()
            expect("listening on " + sandbox.path(mine) in text and sandbox.path(theirs) not in text,
                   f"{log} is not its own daemon's alone: {text!r}")
        expect(not os.path.exists(sandbox.path("daemon.log")), "a shared daemon.log was written")
    finally:
        try:
            with open(sandbox.path("other.pid")) as f:
                pid = int(f.read())
            os.kill(pid, signal.SIGTERM)
            wait_pid_gone(pid)
        except (OSError, ValueError):
            pass


if __name__ == "__main__":
    main("daemon", [
        detached_instances_come_back_after_kill_9_and_leave_nothing_when_removed,
        sigterm_stops_the_daemon_and_keeps_instances_for_next_start,
        a_killed_foreground_client_takes_its_instance_with_it,
        attach_streams_a_detached_instance_and_leaves_it_running,
        twenty_clients_at_once_leave_a_consistent_list,
        run_remove_cycles_leave_fds_and_programs_where_they_started,
        a_duplicate_name_is_refused_and_names_the_existing_instance,
        invalid_names_are_refused_before_anything_loads,
        unknown_instances_and_ambiguous_prefixes_are_errors,
        remove_of_several_reports_each_failure_and_removes_the_rest,
        a_second_daemon_is_refused_and_the_first_keeps_running,
        a_stale_socket_and_pid_file_are_taken_over,
        broken_state_files_are_moved_aside_and_the_others_restored,
        a_parameter_run_would_refuse_is_refused_at_restore_too,
        a_client_sending_garbage_is_closed_and_the_daemon_is_unaffected,
        a_non_root_client_gets_a_clear_error,
        a_non_root_client_that_reaches_the_socket_is_told_why_it_is_refused,
        two_started_daemons_beside_each_other_keep_their_own_logs,
    ], tracepoints=["syscalls/sys_enter_openat", "syscalls/sys_enter_execve"])
