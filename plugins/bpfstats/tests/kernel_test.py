"""bpfstats against the real kernel: every number it prints is checked against what
bpftool reads just before and just after, attribution is checked against the
instances a private daemon runs, and kernel.bpf_stats_enabled must end as it began
(through BPF_ENABLE_STATS and, forced, through the sysctl fallback).

Other people load BPF programs on this machine at the same time: nothing here
asserts on global counts, only on objects that exist through a whole check.
Python 3 standard library only. Exit 0 pass, 1 fail, 77 skip.
"""
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

SKIP = 77
SYSCTL = "/proc/sys/kernel/bpf_stats_enabled"
GADGET_COLUMNS = ("gadgetID", "gadgetName", "gadgetImage")
ATTACHED = re.compile(r"^ig: '([^']+)' attached as '([^']+)'")
ID = re.compile(r"^[0-9a-f]{32}$")
NO_MATCH_COMM = "bpfstats_nomatc"  # trace_open's programs still run, but emit nothing
BPFTRACE_SCRIPT = ("tracepoint:syscalls:sys_enter_getpid { @c = count(); } "
                   "interval:s:120 { exit(); }")  # ends by itself should this test die


class Failure(Exception):
    pass


class SysctlChanged(Failure):
    """kernel.bpf_stats_enabled is not what it should be. Another tool writing it at the
    same moment (bench/trace_open_bench.py does) looks the same, so callers retry."""


def expect(condition, message):
    if not condition:
        raise Failure(message)


def which(program):
    return shutil.which(program, path=os.environ.get("PATH", "") + ":/usr/sbin:/sbin")


def require():
    missing = []
    if os.geteuid() != 0:
        missing.append("root")
    missing += [p for p in ("bpftool", "bpftrace") if not which(p)]
    if not os.path.exists("/sys/kernel/btf/vmlinux"):
        missing.append("kernel BTF")
    if not missing:
        return
    print(f"SKIP bpfstats-kernel: needs {', '.join(missing)}; run: sudo meson test --suite kernel")
    sys.exit(1 if os.environ.get("IG_REQUIRE_KERNEL") == "1" else SKIP)


def read_sysctl():
    with open(SYSCTL) as f:
        return f.read().strip()


def expect_sysctl(value, when, timeout=5):
    deadline = time.monotonic() + timeout
    while read_sysctl() != value and time.monotonic() < deadline:
        time.sleep(0.1)
    now = read_sysctl()
    if now != value:
        raise SysctlChanged(f"kernel.bpf_stats_enabled is {now} {when}, expected {value}")


# --- the kernel's view, through bpftool --------------------------------------

def bpftool(*args):
    p = subprocess.run([which("bpftool"), *args, "-j"], capture_output=True, text=True, timeout=60)
    expect(p.returncode == 0, f"bpftool {' '.join(args)} failed: {p.stderr.strip()}")
    return json.loads(p.stdout)


class KernelView:
    def __init__(self):
        self.progs = {p["id"]: p for p in bpftool("prog", "show")}
        self.maps = {m["id"]: m for m in bpftool("map", "show")}


def counters(prog):
    # bpftool leaves the counters out while they are zero.
    return prog.get("run_time_ns", 0), prog.get("run_cnt", 0)


def held_by(pid):
    """Programs `pid` holds an fd to, directly or through a link (this bpftool reports no pids)."""
    held = set()
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            if os.readlink(f"/proc/{pid}/fd/{fd}") not in ("anon_inode:bpf-prog", "anon_inode:bpf_link"):
                continue
            with open(f"/proc/{pid}/fdinfo/{fd}") as f:
                held |= {int(line.split()[1]) for line in f if line.startswith("prog_id:")}
        except OSError:
            pass
    return held


# --- a private ig daemon -------------------------------------------------------

class Sandbox:
    """A temp dir, a config naming a private socket, and an `ig daemon` we started."""

    def __init__(self, env=None):
        self.dir = tempfile.mkdtemp(prefix="bpfstats-kernel-")
        config = os.path.join(self.dir, "config.toml")
        self.pid_file = os.path.join(self.dir, "ig.pid")
        with open(config, "w") as f:
            f.write(f'socket = "{self.dir}/ig.sock"\npid_file = "{self.pid_file}"\nstate_dir = "{self.dir}/state"\n')
        self.env = dict(os.environ, IG_CONFIG=config, **(env or {}))
        self.children = []
        self.daemon = self.spawn([os.environ["IG"], "daemon"], "daemon")
        wait_for(lambda: "listening on" in self.daemon.stderr(), 20, "the ig daemon did not start",
                 self.daemon)

    def spawn(self, argv, tag):
        child = Child(argv, os.path.join(self.dir, tag), self.env)
        self.children.append(child)
        return child

    def ig_run(self, *args, timeout=60):
        """Run `ig run ARGS` to completion: (exit code, stdout, stderr)."""
        p = subprocess.run([os.environ["IG"], "run", *args], capture_output=True, text=True, env=self.env,
                           stdin=subprocess.DEVNULL, timeout=timeout)
        return p.returncode, p.stdout, p.stderr

    def bpfstats(self, *args):
        rc, out, err = self.ig_run("bpfstats", *args, "-o", "json")
        expect(rc == 0, f"'ig run bpfstats {' '.join(args)}' failed ({rc}): {err.strip()}")
        return [json.loads(line) for line in out.splitlines() if line.strip()], err

    def close(self):
        for child in reversed(self.children):
            child.stop()
        # A daemon a client started behind our back (ours died) is in the pid file.
        try:
            with open(self.pid_file) as f:
                pid = int(f.read().split()[0])
            if os.path.basename(os.readlink(f"/proc/{pid}/exe")) == "ig":
                os.kill(pid, signal.SIGTERM)
        except (OSError, ValueError, IndexError):
            pass
        shutil.rmtree(self.dir, ignore_errors=True)


class Child:
    """A background process whose output goes to files."""

    def __init__(self, argv, prefix, env):
        self.out_path, self.err_path = prefix + ".out", prefix + ".err"
        with open(self.out_path, "wb") as out, open(self.err_path, "wb") as err:
            self.proc = subprocess.Popen(argv, stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=env)
        self.pid = self.proc.pid

    def stdout(self):
        with open(self.out_path, errors="replace") as f:
            return f.read()

    def stderr(self):
        with open(self.err_path, errors="replace") as f:
            return f.read()

    def running(self):
        return self.proc.poll() is None

    def stop(self, timeout=15):
        if self.running():
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode


def wait_for(condition, timeout, message, child=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        if child and not child.running():
            raise Failure(f"{message}: it exited with {child.proc.returncode}: {child.stderr().strip()!r}")
        time.sleep(0.05)
    raise Failure(f"{message} within {timeout}s")


def make_some_work():
    """Opens for trace_open's programs, getpid() for bpftrace's."""
    for _ in range(200):
        with open("/proc/self/stat"):
            pass
        os.getpid()


# --- the checks ------------------------------------------------------------------

def check_all_against_kernel(rows, before, after):
    """--all: per-program numbers lie between the kernel's before and after values."""
    by_prog = {}
    for row in rows:
        expect(row["progID"] not in by_prog, f"program {row['progID']} has two rows")
        by_prog[row["progID"]] = row
    checked = 0
    for pid_, prog in before.progs.items():
        later = after.progs.get(pid_)
        if not later or later.get("tag") != prog.get("tag"):
            continue  # loaded or unloaded by someone else during the check
        expect(pid_ in by_prog, f"program {pid_} ('{prog.get('name')}') existed throughout but has no row")
        row = by_prog[pid_]
        (rt0, rc0), (rt1, rc1) = counters(prog), counters(later)
        expect(rt0 <= row["runtime"] <= rt1, f"program {pid_}: runtime {row['runtime']} not in [{rt0}, {rt1}]")
        expect(rc0 <= row["runcount"] <= rc1, f"program {pid_}: runcount {row['runcount']} not in [{rc0}, {rc1}]")
        expect(row["progName"] == prog.get("name", ""), f"program {pid_}: name {row['progName']!r}")
        expect(row["progType"] == prog["type"], f"program {pid_}: type {row['progType']!r} vs {prog['type']!r}")
        map_ids = prog.get("map_ids", [])
        expect(row["mapCount"] == len(map_ids), f"program {pid_}: mapCount {row['mapCount']}, kernel {map_ids}")
        stable = all(m in before.maps and m in after.maps and
                     before.maps[m]["bytes_memlock"] == after.maps[m]["bytes_memlock"] for m in map_ids)
        if stable:
            memlock = sum(before.maps[m]["bytes_memlock"] for m in map_ids)
            expect(row["mapMemory"] == memlock, f"program {pid_}: mapMemory {row['mapMemory']}, kernel {memlock}")
        checked += 1
    expect(checked > 0, "no program lived through the check")
    print(f"--all: {checked} programs checked against bpftool")
    return by_prog


def check_attribution(by_prog, before, after, daemon_pid, instances):
    """The programs our daemon holds are exactly the rows with gadget columns, each naming its instance."""
    ours = held_by(daemon_pid) & set(before.progs) & set(after.progs)
    attributed = {i for i, row in by_prog.items() if row["gadgetID"]}
    expect(ours == attributed,
           f"daemon {daemon_pid} holds {sorted(ours)}, bpfstats attributes {sorted(attributed)}")
    names = set()
    for i in attributed:
        row = by_prog[i]
        expect(ID.match(row["gadgetID"]), f"program {i}: gadgetID {row['gadgetID']!r} is not 32 hex characters")
        expect(row["gadgetImage"] == "trace_open", f"program {i}: gadgetImage {row['gadgetImage']!r}")
        expect(row["pids"] == "" and row["comms"] == "", f"program {i}: ours, yet pids {row['pids']!r}")
        names.add(row["gadgetName"])
    print(f"--all: {len(attributed)} programs attributed to {sorted(names)}")
    expect(names == set(instances), f"programs attributed to {sorted(names)}, expected {sorted(instances)}")


def check_foreign(by_prog, bpftrace_pid):
    theirs = held_by(bpftrace_pid) & set(by_prog)
    expect(theirs, f"no program held by bpftrace (pid {bpftrace_pid}) has a row")
    for i in theirs:
        row = by_prog.get(i)
        expect(row is not None, f"bpftrace's program {i} has no row")
        expect(all(row[c] == "" for c in GADGET_COLUMNS), f"bpftrace's program {i} carries gadget columns: {row}")
        expect(str(bpftrace_pid) in row["pids"].split(","), f"program {i}: pids {row['pids']!r} lack {bpftrace_pid}")
        expect("bpftrace" in row["comms"].split(","), f"program {i}: comms {row['comms']!r}")
    print(f"--all: bpftrace's programs {sorted(theirs)} name pid {bpftrace_pid}")


def check_instance_rows(sandbox, instances):
    """Default view: one row per instance, the sum of its programs, the union of their maps."""
    before = KernelView()
    rows, err = sandbox.bpfstats()
    after = KernelView()
    expect("sampled BPF run-time stats for 1s" in err, f"one-shot run did not say it sampled: {err!r}")
    expect("Ctrl-C" not in err, f"a one-shot, which ends by itself, told the user to press Ctrl-C: {err!r}")
    by_name = {row["gadgetName"]: row for row in rows}
    expect(set(instances) <= set(by_name), f"instance rows {sorted(by_name)}, expected {sorted(instances)}")
    for name, prog_ids in instances.items():
        row = by_name[name]
        expect(row["progID"] == 0 and row["progName"] == "", f"instance row {name} names a program: {row}")
        if not all(i in before.progs and i in after.progs for i in prog_ids):
            raise Failure(f"instance {name}'s programs {sorted(prog_ids)} left the kernel")
        lo = [sum(counters(before.progs[i])[k] for i in prog_ids) for k in (0, 1)]
        hi = [sum(counters(after.progs[i])[k] for i in prog_ids) for k in (0, 1)]
        expect(lo[0] <= row["runtime"] <= hi[0], f"{name}: runtime {row['runtime']} not in [{lo[0]}, {hi[0]}]")
        expect(lo[1] <= row["runcount"] <= hi[1], f"{name}: runcount {row['runcount']} not in [{lo[1]}, {hi[1]}]")
        maps = set().union(*(before.progs[i].get("map_ids", []) for i in prog_ids))
        expect(row["mapCount"] == len(maps), f"{name}: mapCount {row['mapCount']}, its programs use {sorted(maps)}")
        memlock = sum(before.maps[m]["bytes_memlock"] for m in maps)
        expect(row["mapMemory"] == memlock, f"{name}: mapMemory {row['mapMemory']}, kernel {memlock}")
    return rows


def check_interval(sandbox, instance, prog_ids):
    """--interval: deltas are the growth between snapshots, cpu their share of the interval."""
    rows, _ = sandbox.bpfstats("--all", "--gadgets-only", "--interval", "300ms", "--count", "3")
    expect(all(row["gadgetID"] for row in rows), "--gadgets-only printed a program of another tool")
    for i in prog_ids:
        seen = [row for row in rows if row["progID"] == i]
        expect(len(seen) == 3, f"program {i} of {instance}: {len(seen)} rows over 3 snapshots")
        for prev, cur in zip(seen, seen[1:]):
            expect(cur["runcountDelta"] == cur["runcount"] - prev["runcount"], f"program {i}: runcountDelta {cur}")
            expect(cur["runtimeDelta"] == cur["runtime"] - prev["runtime"], f"program {i}: runtimeDelta {cur}")
        for row in seen:
            share = row["runtimeDelta"] / 0.3e9 * 100
            expect(abs(float(row["cpu"]) - share) <= 0.011 + 0.25 * share, f"program {i}: cpu {row['cpu']}, "
                   f"expected about {share:.3f} from runtimeDelta {row['runtimeDelta']}")


def check_warm_all(sandbox, bpftrace_pid):
    """--all --interval: passes after the first read counters through bpfstats' own
    iterators. Every batch must agree with the kernel, the iterators are rows of the
    bpfstats instance, and they leave with it."""
    batches = 4
    before = KernelView()
    run = sandbox.spawn([os.environ["IG"], "run", "--name", "bst_stats", "bpfstats", "--all", "--interval", "300ms",
                         "--count", str(batches), "-o", "json"], "warm")
    while run.running():
        make_some_work()  # bpftrace's getpid() program runs between the batches
    expect(run.proc.returncode == 0, f"bpfstats --all --interval failed: {run.stderr().strip()!r}")
    after = KernelView()
    rows = [json.loads(line) for line in run.stdout().splitlines() if line.strip()]
    by_prog = {}
    for row in rows:
        by_prog.setdefault(row["progID"], []).append(row)

    own = {i: seen for i, seen in by_prog.items() if seen[0]["gadgetName"] == "bst_stats"}
    expect({seen[0]["progName"] for seen in own.values()} == {"bpfstats_progs", "bpfstats_pids", "bpfstats_maps"},
           f"bpfstats' own iterators are not rows of its instance: {[s[0] for s in own.values()]}")
    for i, seen in own.items():
        expect(all(r["gadgetImage"] == "bpfstats" and r["pids"] == "" for r in seen), f"own program {i}: {seen[0]}")
        expect(i not in after.progs, f"bpfstats' own program {i} ({seen[0]['progName']}) outlived its run")

    checked = moving = 0
    for i, prog in before.progs.items():
        later = after.progs.get(i)
        if not later or later.get("tag") != prog.get("tag"):
            continue
        seen = by_prog.get(i, [])
        expect(len(seen) == batches, f"program {i} existed throughout but has {len(seen)} rows in {batches} batches")
        (rt0, rc0), (rt1, rc1) = counters(prog), counters(later)
        for prev, cur in zip([None] + seen, seen):
            expect(rt0 <= cur["runtime"] <= rt1 and rc0 <= cur["runcount"] <= rc1,
                   f"program {i}: runtime {cur['runtime']} / runcount {cur['runcount']} outside the kernel's "
                   f"[{rt0}, {rt1}] / [{rc0}, {rc1}]")
            if prev:
                expect(cur["runcount"] - prev["runcount"] == cur["runcountDelta"] >= 0,
                       f"program {i}: runcountDelta {cur['runcountDelta']} after {prev['runcount']}")
        expect(seen[-1]["mapCount"] == len(prog.get("map_ids", [])), f"program {i}: mapCount {seen[-1]}")
        moving += seen[-1]["runcount"] > seen[0]["runcount"]
        checked += 1
    expect(moving > 0, "no program's runcount grew across the batches: the iterator's counters are not live")
    theirs = held_by(bpftrace_pid) & set(by_prog)
    expect(theirs, f"no program held by bpftrace (pid {bpftrace_pid}) has a row under --interval")
    for i in theirs:
        for row in by_prog[i]:
            expect(str(bpftrace_pid) in row["pids"].split(","), f"program {i}: pids {row['pids']!r} in a later batch")
    print(f"--all --interval: {checked} programs checked over {batches} batches ({moving} running), "
          f"own iterators {sorted(own)} gone after the run")


def check_bad_input(sandbox):
    rc, _, err = sandbox.ig_run("bpfstats", "--sort", "nope")
    expect(rc != 0 and "valid columns: gadgetID,gadgetName" in err, f"--sort nope: rc {rc}, {err!r}")
    expect(len(err.strip().splitlines()) == 1, f"--sort nope: not one line: {err!r}")
    for interval in ("0", "garbage", "1ms"):
        rc, _, err = sandbox.ig_run("bpfstats", "--interval", interval)
        expect(rc != 0 and "--interval" in err, f"--interval {interval}: rc {rc}, {err!r}")


def check_maps_columns(sandbox):
    """--maps shows map columns by default (the run's own default fields), --fields wins."""
    rc, out, err = sandbox.ig_run("bpfstats", "--maps")
    header = out.splitlines()[0].split() if out.strip() else []
    expect(rc == 0 and header[:3] == ["MAPID", "MAPNAME", "MAPTYPE"], f"--maps header {header}: {err!r}")
    expect("RUNTIME" not in header, f"--maps shows the instance columns: {header}")
    rc, out, err = sandbox.ig_run("bpfstats", "--maps", "--fields", "mapID,keySize")
    header = out.splitlines()[0].split() if out.strip() else []
    expect(rc == 0 and header == ["MAPID", "KEYSIZE"], f"--maps --fields mapID,keySize: header {header}: {err!r}")


def holds_stats_fd(pid):
    fd_dir = f"/proc/{pid}/fd"
    for fd in os.listdir(fd_dir):
        try:
            if os.readlink(f"{fd_dir}/{fd}") == "anon_inode:bpf-stats":
                return True
        except OSError:
            pass
    return False


def check_stats_switch(force_sysctl):
    """Stats stay on while bpfstats runs (BPF_ENABLE_STATS fd, or the sysctl when forced)
    and the kernel is put back as it was when it ends."""
    sysctl_before = read_sysctl()
    sandbox = Sandbox(env={"IG_BPF_STATS_FORCE_SYSCTL": "1"} if force_sysctl else None)
    how = "with IG_BPF_STATS_FORCE_SYSCTL=1" if force_sysctl else "through BPF_ENABLE_STATS"
    try:
        run = sandbox.spawn([os.environ["IG"], "run", "bpfstats", "--all", "--interval", "200ms", "--count", "15",
                             "-o", "json"], "switch")
        # Stats are on once start() returned, which the first row follows (a run that
        # ends by itself prints no "attached" line).
        wait_for(lambda: run.stdout().strip(), 20, "bpfstats printed no row", run)
        expect(holds_stats_fd(sandbox.daemon.pid) != force_sysctl,
               f"{how}: the daemon {'holds' if force_sysctl else 'lacks'} a bpf-stats fd while bpfstats runs")
        if force_sysctl:
            expect_sysctl("1", f"{how}, while bpfstats runs", timeout=0)
        expect(run.proc.wait(30) == 0, f"bpfstats failed: {run.stderr().strip()!r}")
        expect(not holds_stats_fd(sandbox.daemon.pid), f"{how}: the daemon still holds a bpf-stats fd")
        expect_sysctl(sysctl_before, f"{how}, after bpfstats")
    finally:
        sandbox.close()
    expect_sysctl(sysctl_before, f"{how}, after the daemon")


def run():
    sandbox = Sandbox()
    bpftrace = None
    try:
        rc, out, err = sandbox.ig_run("--name", "bst_detached", "trace_open", "--detach", "--comm", NO_MATCH_COMM)
        expect(rc == 0 and ID.match(out.strip()), f"ig run --detach failed ({rc}): {err.strip()!r}")
        foreground = sandbox.spawn([os.environ["IG"], "run", "--name", "bst_fg", "trace_open", "--timeout", "90",
                                    "--comm", NO_MATCH_COMM], "foreground")
        wait_for(lambda: any(ATTACHED.match(l) for l in foreground.stderr().splitlines()), 30,
                 "trace_open did not attach", foreground)
        bpftrace = sandbox.spawn([which("bpftrace"), "-e", BPFTRACE_SCRIPT], "bpftrace")
        wait_for(lambda: "Attaching" in bpftrace.stdout(), 60, "bpftrace did not attach", bpftrace)
        make_some_work()

        before = KernelView()
        rows, _ = sandbox.bpfstats("--all")
        after = KernelView()
        by_prog = check_all_against_kernel(rows, before, after)
        instances = {"bst_detached": set(), "bst_fg": set()}
        for i, row in by_prog.items():
            if row["gadgetName"] in instances:
                instances[row["gadgetName"]].add(i)
        check_attribution(by_prog, before, after, sandbox.daemon.pid, instances)
        check_foreign(by_prog, bpftrace.pid)

        check_instance_rows(sandbox, instances)
        check_interval(sandbox, "bst_detached", instances["bst_detached"])
        check_warm_all(sandbox, bpftrace.pid)
        check_bad_input(sandbox)
        check_maps_columns(sandbox)

        # Gone instances are gone from bpfstats.
        removed = subprocess.run([os.environ["IG"], "remove", "bst_detached"], capture_output=True, text=True,
                                 env=sandbox.env, stdin=subprocess.DEVNULL, timeout=60)
        expect(removed.returncode == 0, f"ig remove bst_detached failed: {removed.stderr.strip()!r}")
        foreground.stop()
        rows, _ = sandbox.bpfstats()
        left = {"bst_detached", "bst_fg"} & {r["gadgetName"] for r in rows}
        expect(not left, f"instances {sorted(left)} are gone, yet still rows")
    finally:
        if bpftrace:
            bpftrace.stop()
        sandbox.close()

    for force_sysctl in (False, True):
        for attempt in range(1, 4):
            try:
                check_stats_switch(force_sysctl)
                break
            except SysctlChanged as e:
                if attempt == 3:
                    raise
                print(f"{e}; another tool may have written it meanwhile, trying again")
                time.sleep(5)


def main():
    require()
    try:
        run()
    except Failure as e:
        print(f"FAIL bpfstats-kernel: {e}")
        return 1
    print("PASS bpfstats-kernel")
    return 0


if __name__ == "__main__":
    sys.exit(main())
