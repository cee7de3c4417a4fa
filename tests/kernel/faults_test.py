#!/usr/bin/env python3
"""Faults injected into a real daemon loading real BPF: kill -9 in the middle of
detached runs, its state dir full or read-only, state files that are garbage, huge,
links or someone else's, and SIGTERM while clients stream and a collector publishes.
A fault gets one line naming what failed and the fix, loses no instance a client was
told about, disturbs nothing else, and leaves no BPF object behind."""
import contextlib
import hashlib
import os
import random
import signal
import subprocess
import threading
import time
import urllib.request

from daemon_test import daemon_pid, ig_ok, ig_stdout, instance_files, listed
from igtest import (Failure, IgRun, bpf_ids_held_by, expect, expect_no_bpf_left, expect_one_error, ig_binary,
                    ig_programs, main, run_ig, wait_gone)
from metrics_test import Daemon


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
        # Nor can it forget one: the instance keeps running rather than come back later.
        rc, lines = run_ig(sandbox, ["remove", "keeper"])
        message = expect_one_error(rc, lines, "remove with the state dir read-only")
        for part in ("EROFS", "read-write", "'keeper' keeps running"):
            expect(part in message, f"{part!r} is not in the message: {message!r}")
        expect(listed(sandbox).get("keeper", {}).get("status") == "running",
               f"the refused remove stopped the instance: {listed(sandbox)}")
        subprocess.run(["mount", "-o", "remount,rw", sandbox.path("state")], check=True)
        ig_stdout(sandbox, "run", "--name", "later", "trace_exec", "--pid", "1", "--detach")
        expect(len(instance_files(sandbox)) == 2, f"state files: {instance_files(sandbox)}")
        ig_ok(sandbox, "remove", "--all")


def daemon_log(sandbox):
    with open(sandbox.daemon_log, errors="replace") as f:
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


RUNS, BATCH = 200, 20


def kill_9_during_detached_runs_loses_no_instance_whose_run_returned(sandbox):
    """Batches of RUNS / BATCH `run --detach`; in each, the daemon is killed once, a
    random 0-60 ms after one random run started (before, during or after its save
    and reply). Whatever `--detach` returned must come back with its id."""
    seed = int(os.environ.get("IG_FAULT_SEED", time.time_ns() % 100000))
    rng = random.Random(seed)
    before = ig_programs()
    sandbox.start_daemon()
    returned, kills, failed, unreported, held = {}, 0, 0, 0, (set(), set())
    for batch in range(RUNS // BATCH):
        victim = rng.randrange(BATCH)
        for n in range(batch * BATCH, (batch + 1) * BATCH):
            client = subprocess.Popen([ig_binary(), "run", "--name", f"k{n}", "trace_exec", "--pid", "1", "--detach"],
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=sandbox.env,
                                      stdin=subprocess.DEVNULL, text=True)
            if n % BATCH == victim:
                time.sleep(rng.uniform(0, 0.06))
                pid = sandbox.daemon_pid()
                if pid:
                    progs, maps = bpf_ids_held_by(pid)
                    held[0].update(progs)
                    held[1].update(maps)
                    os.kill(pid, signal.SIGKILL)
                    kills += 1
            out, err = client.communicate(timeout=60)
            if client.returncode == 0:
                returned[f"k{n}"] = out.strip()
            else:
                failed += 1
        # The next command starts a daemon, which restores the batch.
        after = listed(sandbox)
        for name, ident in returned.items():
            expect(name in after and after[name]["id"] == ident and after[name]["status"] == "running",
                   f"seed {seed}: '{name}' ({ident[:12]}) returned from --detach but is {after.get(name)}")
        unreported += len(set(after) - set(returned))  # saved, but killed before the reply
        files = instance_files(sandbox)
        expect(all(f.endswith(".toml") for f in files), f"seed {seed}: temp or broken files left: {files}")
        expect({f[:-5] for f in files} == {i["id"] for i in after.values()},
               f"seed {seed}: state files and list differ: {files} vs {sorted(after)}")
        ig_ok(sandbox, "remove", "--all")
        returned.clear()
    expect(kills >= RUNS // BATCH // 2, f"seed {seed}: only {kills} kills landed")
    expect(not wait_gone("prog", held[0]) and not wait_gone("map", held[1]),
           f"seed {seed}: the killed daemons' objects are still in the kernel")
    expect_no_bpf_left(sandbox, before, f"seed {seed}: {RUNS} runs and {kills} kills")
    print(f"     {RUNS} runs, {kills} kills ({failed} runs failed, {unreported} of them restored), seed {seed}")


def held_link_ids(pid):
    links = set()
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            with open(f"/proc/{pid}/fdinfo/{fd}") as f:
                links |= {int(line.split(":")[1]) for line in f if line.startswith("link_id:")}
        except OSError:
            pass
    return links


def sigterm_while_clients_stream_and_a_collector_publishes_exits_clean(sandbox):
    with open("/proc/sys/kernel/bpf_stats_enabled") as f:
        stats_before = f.read()
    daemon = Daemon(sandbox)
    stop = threading.Event()
    workers = []
    try:
        ig_stdout(sandbox, "run", "--name", "keeper", "trace_open", "--detach")
        ig_stdout(sandbox, "run", "--name", "stats", "bpfstats", "--metrics", "--interval", "200ms", "--detach")
        streams = [IgRun(sandbox, ["--name", f"fg{n}", "trace_open"]) for n in range(3)]
        for run in streams:
            run.wait_attached()
        attach = subprocess.Popen([ig_binary(), "attach", "keeper", "-o", "json"], stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, env=sandbox.env)

        def opens():  # events for every stream
            while not stop.is_set():
                for _ in range(200):
                    with contextlib.suppress(OSError):
                        os.close(os.open("/etc/hostname", os.O_RDONLY))
                time.sleep(0.01)

        scrapes = []

        def scrape():
            while not stop.is_set():
                with contextlib.suppress(OSError):
                    with urllib.request.urlopen(daemon.url, timeout=5) as r:
                        scrapes.append(b"runtime_total" in r.read())
                time.sleep(0.05)

        workers = [threading.Thread(target=opens), threading.Thread(target=scrape)]
        for w in workers:
            w.start()
        deadline = time.monotonic() + 10
        while not any(scrapes) and time.monotonic() < deadline:
            time.sleep(0.1)
        expect(any(scrapes), "the collector published nothing within 10 s")
        pid = daemon.process.pid
        progs, maps = bpf_ids_held_by(pid)
        links = held_link_ids(pid)
        expect(progs and maps and links, f"the daemon holds progs {progs}, maps {maps}, links {links}")

        daemon.process.proc.send_signal(signal.SIGTERM)
        try:
            rc = daemon.process.proc.wait(15)
        except subprocess.TimeoutExpired:
            raise Failure("the daemon did not exit within 15 s of SIGTERM")
        expect(rc == 0, f"the daemon exited with {rc}: {daemon.process.stderr()[-500:]!r}")
        for run in streams:
            run.wait(15)  # each client ends by itself once the daemon is gone
        attach.wait(15)
        expect(not os.path.exists(sandbox.path("ig.sock")) and not os.path.exists(sandbox.pid_file),
               "the socket or the pid file was left")
        for kind, ids in (("prog", progs), ("map", maps), ("link", links)):
            left = wait_gone(kind, ids)
            expect(not left, f"{kind}s left in the kernel after SIGTERM: {sorted(left)}")
        with open("/proc/sys/kernel/bpf_stats_enabled") as f:
            expect(f.read() == stats_before, "kernel.bpf_stats_enabled was not put back")
        files = instance_files(sandbox)
        expect(len(files) == 2 and all(f.endswith(".toml") for f in files),
               f"the two detached instances' state files were not kept: {files}")
    finally:
        stop.set()
        for w in workers:
            w.join()
        daemon.stop()
    daemon = Daemon(sandbox)  # restores both
    try:
        after = listed(sandbox)
        expect({n: i["status"] for n, i in after.items()} == {"keeper": "running", "stats": "running"},
               f"restored after SIGTERM: {after}")
        ig_ok(sandbox, "remove", "--all")
    finally:
        daemon.stop()


def a_client_that_stops_reading_is_told_what_it_lost(sandbox):
    """An `ig attach` whose stdout nobody reads while 300k opens stream: the daemon
    drops what passes its 32 MiB queue for that client and, once the storm is over
    and the client reads again, says how many it dropped and why."""
    ig_stdout(sandbox, "run", "--name", "storm", "trace_open", "--pid", str(os.getpid()), "--detach")
    err_path = sandbox.path("slow.err")
    with open(err_path, "w") as err:
        slow = subprocess.Popen([ig_binary(), "attach", "storm", "-o", "json"], stdout=subprocess.PIPE, stderr=err,
                                stdin=subprocess.DEVNULL, env=sandbox.env)
    try:
        deadline = time.monotonic() + 10
        while "attached to 'storm'" not in open(err_path).read():
            expect(time.monotonic() < deadline and slow.poll() is None, f"attach failed: {open(err_path).read()}")
            time.sleep(0.05)
        missing = sandbox.path("x" * 200)  # long names: fewer events fill the queue
        for _ in range(300000):
            with contextlib.suppress(OSError):
                os.open(missing, os.O_RDONLY)
        events = 0
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:  # the instance has read its ring buffer
            events = listed(sandbox)["storm"]["events"]
            if events >= 300000:
                break
            time.sleep(0.2)
        expect(events >= 300000, f"the instance saw {events} of 300000 opens")
        received = []
        reader = threading.Thread(target=lambda: received.append(sum(1 for _ in slow.stdout)))
        reader.start()
        deadline = time.monotonic() + 20
        while "this client read too slowly" not in open(err_path).read() and time.monotonic() < deadline:
            time.sleep(0.1)
        slow.send_signal(signal.SIGINT)
        slow.wait(15)
        reader.join()
    finally:
        if slow.poll() is None:
            slow.kill()
    lines = [line for line in open(err_path).read().splitlines() if "lost" in line]
    expect(len(lines) == 1 and "this client read too slowly" in lines[0] and "--filter" in lines[0],
           f"expected one line saying what was lost, why and what to do: {lines}")
    lost = int(lines[0].split("lost ")[1].split()[0])
    # Every storm event was received or reported lost; this test's own later opens
    # (its files) may count in the instance but reach no one once the client left.
    total = listed(sandbox)["storm"]["events"]
    expect(events <= received[0] + lost <= total,
           f"received {received[0]} + lost {lost} is not between {events} and the instance's {total} events")
    expect(lost > 0 and received[0] > 0, f"received {received[0]}, lost {lost}: the queue never filled")
    ig_ok(sandbox, "remove", "storm")


def a_low_soft_fd_limit_does_not_cap_the_instances(sandbox):
    """systemd starts services with 1024 open files (soft) and far more (hard); an
    instance holds about 17 fds. The daemon takes its hard limit."""
    with open(sandbox.path("daemon.err"), "w") as err:
        daemon = subprocess.Popen(["prlimit", "--nofile=128:8192", "--", ig_binary(), "daemon"], env=sandbox.env,
                                  stdout=err, stderr=err, stdin=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 20
        while "listening on" not in open(sandbox.path("daemon.err")).read():
            expect(time.monotonic() < deadline and daemon.poll() is None, "the daemon did not start")
            time.sleep(0.05)
        with open(f"/proc/{daemon.pid}/limits") as f:
            soft = [line.split()[3] for line in f if line.startswith("Max open files")][0]
        expect(soft == "8192", f"the daemon's soft limit is {soft}, not its hard limit 8192")
        for n in range(10):  # past 128 fds
            ig_stdout(sandbox, "run", "--name", f"i{n}", "trace_exec", "--pid", "1", "--detach")
        ig_ok(sandbox, "remove", "--all")
    finally:
        daemon.terminate()
        daemon.wait(15)


def the_tracepoint_limit_is_named_when_a_run_passes_it(sandbox):
    """The kernel runs at most 64 BPF programs on one tracepoint, counting every
    tool's: the run past it says so, and the instances before it keep running."""
    sandbox.start_daemon()
    started = 0
    for n in range(66):
        rc, lines = run_ig(sandbox, ["run", "--name", f"t{n}", "trace_exec", "--pid", "1", "--detach"])
        if rc != 0:
            message = expect_one_error(rc, lines, f"trace_exec number {n + 1}")
            expect("Argument list too long" in message and "at most 64 BPF programs on one tracepoint" in message,
                   f"the limit is not named: {message!r}")
            break
        started += 1
    expect(0 < started <= 64, f"{started} trace_exec instances attached to one tracepoint")
    shown = listed(sandbox)
    expect(len(shown) == started and all(i["status"] == "running" for i in shown.values()),
           "the refused run disturbed the others")
    ig_ok(sandbox, "remove", "--all")


if __name__ == "__main__":
    main("faults", [
        kill_9_during_detached_runs_loses_no_instance_whose_run_returned,
        a_full_state_dir_refuses_a_detached_run_with_the_fix_then_recovers,
        a_read_only_state_dir_refuses_a_detached_run_with_the_fix_then_recovers,
        bad_state_files_are_moved_aside_unread_and_the_rest_restored,
        sigterm_while_clients_stream_and_a_collector_publishes_exits_clean,
        a_client_that_stops_reading_is_told_what_it_lost,
        a_low_soft_fd_limit_does_not_cap_the_instances,
        the_tracepoint_limit_is_named_when_a_run_passes_it,
    ], programs=["bpftool", "mount", "umount", "prlimit"], tracepoints=["syscalls/sys_enter_execve"])
