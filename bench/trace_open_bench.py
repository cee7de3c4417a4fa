#!/usr/bin/env python3
"""trace_open open() storm: ig's trace_open against libbpf-tools' opensnoop and bpftrace.

Runs bench/open_storm (COUNT opens+closes of an existing file, then COUNT opens of a
missing one) untraced and under each tracer, each tracer writing its output to a
file, and reports per configuration the median of --repeat runs of:

  * the storm's wall time and its slowdown against the untraced runs (untraced runs
    come first, between rounds and last, so drift shows), plus its CPU time and how
    long it waited for a CPU (/proc/self/schedstat), because the machine is shared;
  * the BPF cost per open: the tracer's own programs' run_time_ns diff divided by the
    opens they ran for (the run_cnt diff of its programs on sys_exit_* tracepoints:
    every tracer here runs exactly one of those per open, with or without an entry
    program; ig's trace_open has none on Linux 5.15+),
    from `bpftool prog show -j` read right before the storm and right before the
    tracer is stopped;
  * the storm's events found in the output against those generated, the losses the
    tracer reported, and the kernel's recursion misses for its programs;
  * the tracer's user-space CPU time and context switches, and the IRQ-work
    interrupts (reader wakeups) raised during the storm.

ig runs in the daemon model: `ig run` hands the gadget to a private daemon that this
script starts (its own socket and state under a temp dir), so the machine's daemon at
/run/ig is never used; ig's programs are then held by that daemon, and its CPU time
counts as ig's.

Needs root, bpftool, and for the peers /usr/sbin/opensnoop (Debian libbpf-tools) and
bpftrace. kernel.bpf_stats_enabled is switched on only if it was 0 and is put back in
all cases (Ctrl-C and SIGTERM included). Only processes this script starts are
signalled. A tracer's programs are identified by id: ids that appear after it starts
and that its (or its daemon's) file descriptors hold, never by name or global counts,
because other programs come and go on the machine at the same time. Other processes'
programs on the open tracepoints slow every storm, so each run first waits a little
for them to go and the report names them if they stayed.

Usage, from the repository root:
  meson setup build-bench && ninja -C build-bench host/ig gadgets/trace_open/trace_open.so bench/open_storm
  sudo python3 bench/trace_open_bench.py --build-dir build-bench
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SYSCTL = Path("/proc/sys/kernel/bpf_stats_enabled")
CLK_TCK = os.sysconf("SC_CLK_TCK")

# The shape of /usr/sbin/opensnoop.bt, used when that file is missing.
BT_ONE_LINER = r"""
tracepoint:syscalls:sys_enter_open, tracepoint:syscalls:sys_enter_openat
{ @filename[tid] = args->filename; }
tracepoint:syscalls:sys_exit_open, tracepoint:syscalls:sys_exit_openat /@filename[tid]/
{ $ret = args->ret; $fd = $ret >= 0 ? $ret : -1; $errno = $ret >= 0 ? 0 : - $ret;
  printf("%-6d %-16s %4d %3d %s\n", pid, comm, $fd, $errno, str(@filename[tid]));
  delete(@filename[tid]); }
END { clear(@filename); }
"""


class BenchError(Exception):
    pass


def log(msg: str) -> None:
    print(f"[bench] {msg}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------- kernel readings


class Bpftool:
    def __init__(self, path: str):
        self.path = path

    def json(self, *args: str):
        out = subprocess.run([self.path, *args, "-j"], capture_output=True, text=True)
        if out.returncode != 0:
            raise BenchError(f"'bpftool {' '.join(args)}' failed: {out.stderr.strip()}")
        return json.loads(out.stdout or "[]")

    def prog_stats(self) -> dict[int, dict]:
        """id -> {name, run_time_ns, run_cnt, recursion_misses}. bpftool leaves the
        counters out while they are zero."""
        progs = {}
        for p in self.json("prog", "show"):
            progs[p["id"]] = {
                "name": p.get("name", ""),
                "run_time_ns": p.get("run_time_ns", 0),
                "run_cnt": p.get("run_cnt", 0),
                "recursion_misses": p.get("recursion_misses", 0),
            }
        return progs

    def perf_attachments(self) -> list[dict]:
        return self.json("perf", "show")


def fd_prog_ids(pid: int) -> set[int]:
    """Program ids held by a process's file descriptors (prog and link fds)."""
    ids = set()
    base = Path(f"/proc/{pid}/fdinfo")
    try:
        entries = list(base.iterdir())
    except OSError:
        return ids
    for entry in entries:
        try:
            text = entry.read_text()
        except OSError:
            continue
        m = re.search(r"^prog_id:\s*(\d+)", text, re.M)
        if m:
            ids.add(int(m.group(1)))
    return ids


def process_cpu_ns(pid: int) -> int:
    """utime+stime of all the process's threads."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    # fields[0] is field 3 (state); utime and stime are fields 14 and 15.
    return (int(fields[11]) + int(fields[12])) * 1_000_000_000 // CLK_TCK


def process_switches(pid: int) -> int:
    """Voluntary + involuntary context switches, summed over threads."""
    total = 0
    try:
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
    except OSError:
        return 0
    for task in tasks:
        try:
            text = (task / "status").read_text()
        except OSError:
            continue
        for m in re.finditer(r"^(?:non)?voluntary_ctxt_switches:\s*(\d+)", text, re.M):
            total += int(m.group(1))
    return total


def irq_counts() -> dict[str, int]:
    """System-wide IRQ work (IWI) and rescheduling (RES) interrupts, summed over CPUs.
    A perf buffer output that wakes its reader raises an IRQ work interrupt."""
    counts = {}
    try:
        for line in Path("/proc/interrupts").read_text().splitlines():
            name, _, rest = line.strip().partition(":")
            if name in ("IWI", "RES"):
                counts[name] = sum(int(x) for x in rest.split() if x.isdigit())
    except OSError:
        pass
    return counts


def read_sysctl() -> str:
    return SYSCTL.read_text().strip()


def write_sysctl(value: str) -> None:
    SYSCTL.write_text(value + "\n")


def machine_info(tools: dict[str, list[str]]) -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    git = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    dirty = subprocess.run(["git", "-C", str(REPO), "status", "--porcelain", "--", "gadgets/trace_open", "host", "sdk"],
                           capture_output=True, text=True)
    info = {
        "source": (git.stdout.strip() or "unknown")
                  + (" with local changes in gadgets/trace_open, host or sdk" if dirty.stdout.strip() else ""),
        "kernel": platform.release(),
        "kernel_version": platform.version(),
        "arch": platform.machine(),
        "cpu": cpu,
        "cpus": os.cpu_count(),
        "loadavg_at_start": Path("/proc/loadavg").read_text().split()[:3],
        "tools": {},
    }
    for name, argv in tools.items():
        try:
            out = subprocess.run(argv, capture_output=True, text=True, timeout=10)
            text = (out.stdout or out.stderr).strip().splitlines()
            info["tools"][name] = text[0] if text else "?"
        except (OSError, subprocess.TimeoutExpired) as e:
            info["tools"][name] = f"unavailable ({e})"
    return info


# ---------------------------------------------------------------- tracers


class Tracer:
    """One tracer process with its output in files under `workdir`."""

    def __init__(self, name: str, argv: list[str], fmt: str, min_progs: int, workdir: Path, tag: str,
                 env: dict | None = None):
        self.name = name
        self.argv = argv
        self.env = env
        self.fmt = fmt  # "json" (ig) or "text" (opensnoop's columns)
        self.min_progs = min_progs
        self.out_path = workdir / f"{tag}.out"
        self.err_path = workdir / f"{tag}.err"
        self.proc: subprocess.Popen | None = None
        self.prog_ids: set[int] = set()
        self.attach_s = 0.0

    def start(self, bpftool: Bpftool, timeout_s: float) -> None:
        ids_before = set(bpftool.prog_stats())
        t0 = time.monotonic()
        with open(self.out_path, "wb") as out, open(self.err_path, "wb") as err:
            # A new session: a Ctrl-C on the terminal reaches only this script, which
            # then stops the tracer itself.
            self.proc = subprocess.Popen(self.argv, stdout=out, stderr=err, stdin=subprocess.DEVNULL,
                                         start_new_session=True, env=self.env)
        deadline = t0 + timeout_s
        stable = 0
        last: set[int] = set()
        while True:
            if self.proc.poll() is not None:
                raise BenchError(f"'{self.name}' exited with {self.proc.returncode} before attaching: "
                                 f"{self.err_path.read_text(errors='replace').strip()[-500:]}")
            if time.monotonic() > deadline:
                raise BenchError(f"'{self.name}' did not attach within {timeout_s:.0f}s")
            time.sleep(0.1)
            if not self.ready_signal():
                continue
            # Its own programs: new since it started, and held by its (or its daemon's) fds.
            holder = self.holder_pid()
            own = (set(bpftool.prog_stats()) - ids_before) & fd_prog_ids(holder)
            attachments = [a for a in bpftool.perf_attachments() if a.get("pid") == holder]
            attached = {a["prog_id"] for a in attachments}
            exits = {a["prog_id"] for a in attachments if str(a.get("tracepoint", "")).startswith("sys_exit_")}
            if len(own) >= self.min_progs and own <= attached and own == last:
                stable += 1
                if stable >= 2:
                    break
            else:
                stable = 0
            last = own
        self.prog_ids = own
        self.exit_prog_ids = own & exits  # one run per open
        if not self.exit_prog_ids:
            raise BenchError(f"'{self.name}' has no program on a sys_exit_* tracepoint: {sorted(own)}")
        self.attach_s = time.monotonic() - t0

    def ready_signal(self) -> bool:
        return True

    def holder_pid(self) -> int:
        """The process whose file descriptors hold the tracer's programs."""
        return self.proc.pid

    def cpu_pids(self) -> list[int]:
        """The processes that do the tracer's user-space work."""
        return [self.proc.pid]

    def stop(self, timeout_s: float = 30.0) -> int:
        """SIGINT, then SIGKILL after `timeout_s`; returns the exit status."""
        if self.proc is None or self.proc.poll() is not None:
            return self.proc.returncode if self.proc else 0
        self.proc.send_signal(signal.SIGINT)
        try:
            return self.proc.wait(timeout_s)
        except subprocess.TimeoutExpired:
            log(f"'{self.name}' (pid {self.proc.pid}) ignored SIGINT for {timeout_s:.0f}s; killing it")
            self.proc.kill()
            return self.proc.wait()

    def is_storm_event(self, line: str, pid: int, paths: set[str]) -> bool:
        """Whether one output line is an event of the storm: its pid and one of its paths."""
        if self.fmt == "json":
            # Substring tests instead of json.loads (200k lines): inside a JSON string
            # a quote is escaped, so '"path":"..."' can only be the path field itself.
            return f'"pid":{pid},' in line and any(f'"path":{json.dumps(p)}' in line for p in paths)
        # opensnoop's and opensnoop.bt's columns: PID COMM FD ERR PATH
        parts = line.split(None, 4)
        return len(parts) == 5 and parts[0] == str(pid) and parts[4] in paths

    def lost_reported(self) -> int:
        return 0


class IgDaemon:
    """A private ig daemon for the benchmark: its own config, socket, pid file and
    state dir under the work dir, so the benchmark never talks to (or auto-starts) the
    machine's daemon at /run/ig. `ig run` hands the gadget to this daemon, which holds
    the BPF programs and streams the events to the client."""

    def __init__(self, ig: str, workdir: Path):
        self.ig = ig
        self.dir = workdir / "igd"
        self.dir.mkdir()
        self.socket = self.dir / "ig.sock"
        self.pid_file = self.dir / "ig.pid"
        config = self.dir / "config.toml"
        config.write_text(f'socket = "{self.socket}"\n'
                          f'pid_file = "{self.pid_file}"\n'
                          f'state_dir = "{self.dir / "state"}"\n')
        self.env = dict(os.environ, IG_CONFIG=str(config))
        self.log_path = self.dir / "daemon.out"
        self.proc: subprocess.Popen | None = None

    def start(self, timeout_s: float = 30.0) -> None:
        with open(self.log_path, "wb") as out:
            self.proc = subprocess.Popen([self.ig, "daemon"], stdout=out, stderr=subprocess.STDOUT,
                                         stdin=subprocess.DEVNULL, start_new_session=True, env=self.env)
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise BenchError(f"the ig daemon exited with {self.proc.returncode}: "
                                 f"{self.log_path.read_text(errors='replace').strip()[-500:]}")
            if self.socket.exists():
                probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                try:
                    probe.connect(str(self.socket))
                    return
                except OSError:
                    pass
                finally:
                    probe.close()
            time.sleep(0.05)
        raise BenchError(f"the ig daemon did not listen on '{self.socket}' within {timeout_s:.0f}s")

    def stop(self, timeout_s: float = 10.0) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout_s)
        except subprocess.TimeoutExpired:
            log(f"the ig daemon (pid {self.proc.pid}) ignored SIGTERM for {timeout_s:.0f}s; killing it")
            self.proc.kill()
            self.proc.wait()


class IgTracer(Tracer):
    ATTACHED = re.compile(r"ig: 'trace_open' attached as '([^']+)'")

    def __init__(self, daemon: IgDaemon, workdir: Path, tag: str):
        super().__init__("ig", [daemon.ig, "run", "trace_open", "-o", "json"], "json", 2, workdir, tag,
                         env=daemon.env)
        self.daemon = daemon

    def holder_pid(self) -> int:
        return self.daemon.proc.pid

    def cpu_pids(self) -> list[int]:
        return [self.proc.pid, self.daemon.proc.pid]

    def ready_signal(self) -> bool:
        return bool(self.ATTACHED.search(self.err_path.read_text(errors="replace")))

    def lost_reported(self) -> int:
        err = self.err_path.read_text(errors="replace")
        total = re.findall(r"lost (\d+) events in total", err)
        if total:
            return int(total[-1])
        return sum(int(n) for n in re.findall(r"lost (\d+) events \(", err))


class OpensnoopTracer(Tracer):
    def lost_reported(self) -> int:
        err = self.err_path.read_text(errors="replace")
        return sum(int(n) for n in re.findall(r"Lost (\d+) events on CPU", err))


class BpftraceTracer(Tracer):
    def ready_signal(self) -> bool:
        # bpftrace prints "Attaching N probes..." before attaching; the attachment
        # itself is then confirmed through bpftool perf show.
        text = self.out_path.read_text(errors="replace") + self.err_path.read_text(errors="replace")
        return "Attaching" in text

    def lost_reported(self) -> int:
        text = self.out_path.read_text(errors="replace") + self.err_path.read_text(errors="replace")
        return sum(int(n) for n in re.findall(r"^Lost (\d+) events", text, re.M))


class OutputScanner:
    """Counts the storm's events in a tracer's output file as it grows."""

    def __init__(self, tracer: Tracer, pid: int, paths: set[str]):
        self.tracer, self.pid, self.paths = tracer, pid, paths
        # One open for the whole wait: polling must not itself be a stream of open()
        # events for the tracers to report.
        self.file = open(tracer.out_path, "rb")
        self.partial = b""
        self.count = 0

    def size(self) -> int:
        return os.fstat(self.file.fileno()).st_size

    def close(self) -> None:
        self.file.close()

    def scan(self, final: bool = False) -> int:
        data = self.partial + self.file.read()
        lines = data.split(b"\n")
        self.partial = b"" if final else lines.pop()
        for raw in lines:
            if raw and self.tracer.is_storm_event(raw.decode(errors="replace"), self.pid, self.paths):
                self.count += 1
        return self.count


# ---------------------------------------------------------------- one run


def wait_for_drain(scanner: OutputScanner, generated: int, args) -> tuple[str, float]:
    """Wait until the tracer's output holds all `generated` storm events, or has stopped
    growing for --quiet seconds, or has gained no storm event for --stall seconds
    (other processes' opens keep a system-wide tracer's output growing; a tracer whose
    stdout is block-buffered keeps its last lines until it exits). Returns why it
    stopped waiting and the seconds waited."""
    t0 = time.monotonic()
    path = scanner.tracer.out_path
    last_count = scanner.scan()
    last_size = scanner.size()
    size_change = count_change = time.monotonic()  # scanning takes time too
    while True:
        now = time.monotonic()
        if last_count >= generated:
            return "complete", now - t0
        if now - size_change >= args.quiet:
            return "quiet", now - t0
        if now - count_change >= args.stall:
            return "stalled", now - t0
        if now - t0 > args.drain_timeout:
            log(f"'{path.name}' still growing after {args.drain_timeout:.0f}s; measuring anyway")
            return "timeout", now - t0
        time.sleep(0.05)
        now = time.monotonic()
        size = scanner.size()
        if size != last_size:
            last_size, size_change = size, now
        count = scanner.scan()
        if count != last_count:
            last_count, count_change = count, now


def foreign_open_progs(bpftool: Bpftool, own_pid: int | None) -> dict[int, str]:
    """Other processes' programs on the open tracepoints (prog id -> description): they
    slow every storm, the untraced ones included, so they are waited out and reported."""
    found = {}
    for a in bpftool.perf_attachments():
        tp = a.get("tracepoint", "")
        if re.match(r"sys_(enter|exit)_open", tp) and a.get("pid") != own_pid:
            found[a["prog_id"]] = f"pid {a.get('pid')} prog {a['prog_id']} on {tp}"
    return found


def wait_foreign_gone(bpftool: Bpftool, timeout_s: float) -> float:
    """Wait up to `timeout_s` for other processes' open tracers to go; returns the wait."""
    t0 = time.monotonic()
    announced = False
    while foreign_open_progs(bpftool, None) and time.monotonic() - t0 < timeout_s:
        if not announced:
            log(f"  other processes have programs on the open tracepoints; waiting up to {timeout_s:.0f}s")
            announced = True
        time.sleep(0.5)
    return time.monotonic() - t0


def run_storm(storm: str, count: int, existing: Path, missing: Path) -> dict:
    out = subprocess.run([storm, str(count), str(existing), str(missing)], capture_output=True, text=True)
    if out.returncode != 0:
        raise BenchError(f"open_storm failed ({out.returncode}): {out.stderr.strip()}")
    return json.loads(out.stdout)


def one_run(cfg: str, tracer: Tracer | None, args, bpftool: Bpftool, existing: Path, missing: Path) -> dict:
    res: dict = {"config": cfg}
    budget = min(args.foreign_wait, args.foreign_budget_left)
    res["foreign_wait_s"] = wait_foreign_gone(bpftool, budget) if budget > 0 else 0.0
    args.foreign_budget_left -= res["foreign_wait_s"]
    if tracer is not None:
        tracer.start(bpftool, args.attach_timeout)
        res["attach_s"] = tracer.attach_s
        res["prog_ids"] = sorted(tracer.prog_ids)
        time.sleep(0.2)  # let the tracer's start-up output settle
    foreign = foreign_open_progs(bpftool, tracer.holder_pid() if tracer else None)
    res["foreign_open_tracers"] = sorted(foreign.values())
    res["foreign_pids"] = sorted({d.split()[1] for d in foreign.values()})
    scanner = None
    try:
        s0 = bpftool.prog_stats()
        irq0 = irq_counts()
        cpu_pids = tracer.cpu_pids() if tracer else []
        cpu_each0 = [process_cpu_ns(p) for p in cpu_pids]
        cpu0 = sum(cpu_each0)
        sw0 = sum(process_switches(p) for p in cpu_pids)
        storm = run_storm(args.storm, args.count, existing, missing)
        res["storm"] = storm
        s_after_storm = bpftool.prog_stats()
        res["foreign_bpf_ns_per_open"] = sum(
            s_after_storm[i]["run_time_ns"] - s0[i]["run_time_ns"]
            for i in foreign if i in s0 and i in s_after_storm) / storm["opens"]
        irq1 = irq_counts()
        res["irq_during_storm"] = {k: irq1.get(k, 0) - irq0.get(k, 0) for k in irq1}
        if tracer is not None:
            s_storm = s_after_storm  # the storm alone, before the drain wait
            scanner = OutputScanner(tracer, storm["pid"], {str(existing), str(missing)})
            res["drain"], res["drain_s"] = wait_for_drain(scanner, storm["opens"], args)
            s1 = bpftool.prog_stats()  # right before stopping the tracer
            cpu_each = [process_cpu_ns(p) - c0 for p, c0 in zip(cpu_pids, cpu_each0)]
            res["tracer_cpu_ns"] = sum(cpu_each)
            res["tracer_cpu_ns_by_process"] = cpu_each  # ig: [client, daemon]
            res["tracer_switches"] = sum(process_switches(p) for p in cpu_pids) - sw0
            res["stats_on"] = read_sysctl() != "0"
            for key, end in (("progs", s1), ("progs_storm_only", s_storm)):
                progs = {}
                for id_ in tracer.prog_ids:
                    a, b = s0.get(id_), end.get(id_)
                    if a is None or b is None:
                        raise BenchError(f"program {id_} of '{tracer.name}' vanished during the run")
                    progs[id_] = {k: b[k] - a[k] for k in ("run_time_ns", "run_cnt", "recursion_misses")}
                    progs[id_]["name"] = b["name"]
                res[key] = progs
            progs = res["progs"]
            res["bpf_run_time_ns"] = sum(p["run_time_ns"] for p in progs.values())
            res["bpf_run_cnt"] = sum(p["run_cnt"] for p in progs.values())
            res["recursion_misses"] = sum(p["recursion_misses"] for p in progs.values())
            only = res["progs_storm_only"]
            opens = sum(p["run_cnt"] for i, p in only.items() if i in tracer.exit_prog_ids)
            res["bpf_ns_per_open_storm_only"] = (sum(p["run_time_ns"] for p in only.values()) / opens
                                                 if opens else 0.0)
    finally:
        if tracer is not None:
            res["tracer_status"] = tracer.stop()
    if tracer is not None:
        # Stopping must unload its programs: the machine is left as found.
        deadline = time.monotonic() + 10
        while (left := tracer.prog_ids & set(bpftool.prog_stats())) and time.monotonic() < deadline:
            time.sleep(0.1)
        if left:
            raise BenchError(f"'{tracer.name}' left programs {sorted(left)} loaded after it stopped")
        if res["bpf_run_cnt"] == 0:
            raise BenchError(f"'{tracer.name}' programs ran 0 times: are BPF stats on "
                             f"(kernel.bpf_stats_enabled={read_sysctl()})?")
        res["opens_seen"] = sum(p["run_cnt"] for i, p in res["progs"].items() if i in tracer.exit_prog_ids)
        res["bpf_ns_per_open"] = res["bpf_run_time_ns"] / res["opens_seen"]
        res["generated"] = storm["opens"]
        res["delivered"] = scanner.scan(final=True)  # what the tracer flushed at exit
        scanner.close()
        res["lost_reported"] = tracer.lost_reported()
        res["out_bytes"] = tracer.out_path.stat().st_size
    return res


# ---------------------------------------------------------------- report


def med(runs: list[dict], fn) -> float:
    return statistics.median(fn(r) for r in runs)


def storm_sys_ns(r: dict) -> int:
    return r["storm"]["existing"]["cpu_sys_ns"] + r["storm"]["missing"]["cpu_sys_ns"]


def foreign_summary(runs: list[dict]) -> list[str]:
    """'pid P (N programs) in K of M runs' for other processes on the open tracepoints."""
    seen: dict[str, set] = {}
    runs_with: dict[str, int] = {}
    for r in runs:
        for pid in r["foreign_pids"]:
            runs_with[pid] = runs_with.get(pid, 0) + 1
        for d in r["foreign_open_tracers"]:
            seen.setdefault(d.split()[1], set()).add(d.split()[3])
    return [f"pid {pid} ({len(seen[pid])} programs) in {runs_with[pid]} of {len(runs)} runs" for pid in sorted(seen)]


def summarize(results: list[dict], tracer_names: list[str], count: int) -> dict:
    opens = 2 * count
    untraced = [r for r in results if r["config"] == "untraced"]
    base_wall = med(untraced, lambda r: r["storm"]["wall_ns"])
    base_cpu = med(untraced, lambda r: r["storm"]["sched_cpu_ns"])
    rows = {"untraced": {
        "runs": len(untraced),
        "wall_ms": base_wall / 1e6,
        "wall_ms_each": [r["storm"]["wall_ns"] / 1e6 for r in untraced],
        "slowdown": 1.0,
        "opens_per_s": opens / (base_wall / 1e9),
        "storm_sys_ns_per_open": med(untraced, storm_sys_ns) / opens,
        "iwi_per_open": med(untraced, lambda r: r["irq_during_storm"].get("IWI", 0)) / opens,
        "cpu_ms": base_cpu / 1e6,
        "cpu_slowdown": 1.0,
        "wait_ms_each": [r["storm"]["sched_wait_ns"] / 1e6 for r in untraced],
        "foreign_open_tracers": foreign_summary(untraced),
        "foreign_bpf_ns_per_open": med(untraced, lambda r: r["foreign_bpf_ns_per_open"]),
    }}
    for name in tracer_names:
        runs = [r for r in results if r["config"] == name]
        if not runs:
            continue
        per_prog: dict[str, list[float]] = {}
        for r in runs:
            for p in r["progs"].values():
                if p["run_cnt"]:
                    per_prog.setdefault(p["name"], []).append(p["run_time_ns"] / p["run_cnt"])
        rows[name] = {
            "runs": len(runs),
            "wall_ms": med(runs, lambda r: r["storm"]["wall_ns"]) / 1e6,
            "wall_ms_each": [r["storm"]["wall_ns"] / 1e6 for r in runs],
            "slowdown": med(runs, lambda r: r["storm"]["wall_ns"] / base_wall),
            "opens_per_s": med(runs, lambda r: opens / (r["storm"]["wall_ns"] / 1e9)),
            "bpf_ns_per_open": med(runs, lambda r: r["bpf_ns_per_open"]),
            "bpf_ns_per_open_each": [round(r["bpf_ns_per_open"]) for r in runs],
            "bpf_ns_per_open_storm_only": med(runs, lambda r: r["bpf_ns_per_open_storm_only"]),
            "bpf_ns_per_run": {k: statistics.median(v) for k, v in sorted(per_prog.items())},
            "opens_seen": med(runs, lambda r: r["opens_seen"]),
            "storm_sys_ns_per_open": med(runs, storm_sys_ns) / opens,
            "generated": opens,
            "delivered": med(runs, lambda r: r["delivered"]),
            "delivered_min": min(r["delivered"] for r in runs),
            "lost_reported": max(r["lost_reported"] for r in runs),
            "recursion_misses": max(r["recursion_misses"] for r in runs),
            "tracer_cpu_ms": med(runs, lambda r: r["tracer_cpu_ns"]) / 1e6,
            "tracer_cpu_ms_by_process": [statistics.median(r["tracer_cpu_ns_by_process"][i] for r in runs) / 1e6
                                         for i in range(len(runs[0]["tracer_cpu_ns_by_process"]))],
            "tracer_cpu_ns_per_event": med(runs, lambda r: r["tracer_cpu_ns"] / max(r["delivered"], 1)),
            "tracer_switches": med(runs, lambda r: r["tracer_switches"]),
            "iwi_per_open": med(runs, lambda r: r["irq_during_storm"].get("IWI", 0)) / opens,
            "drain_s": med(runs, lambda r: r["drain_s"]),
            "cpu_ms": med(runs, lambda r: r["storm"]["sched_cpu_ns"]) / 1e6,
            "cpu_slowdown": med(runs, lambda r: r["storm"]["sched_cpu_ns"] / base_cpu),
            "wait_ms_each": [r["storm"]["sched_wait_ns"] / 1e6 for r in runs],
            "drain_each": [f"{r['drain']} {r['drain_s']:.2f}s" for r in runs],
            "out_mb": med(runs, lambda r: r["out_bytes"]) / 1e6,
            "foreign_open_tracers": foreign_summary(runs),
            "foreign_bpf_ns_per_open": med(runs, lambda r: r["foreign_bpf_ns_per_open"]),
        }
    return rows


def render(rows: dict, info: dict, args, cmdline: str) -> str:
    u = rows["untraced"]
    lines = [
        f"kernel {info['kernel']} ({info['kernel_version']}), {info['arch']}",
        f"CPU {info['cpu']}, {info['cpus']} CPUs; load average at start {' '.join(info['loadavg_at_start'])}",
        f"ig source: {info['source']}",
        *[f"{tool}: {ver}" for tool, ver in info["tools"].items()],
        f"storm: {args.count} opens+closes of an existing file, then {args.count} opens of a missing one; "
        f"{args.repeat} runs per tracer, {u['runs']} untraced; medians",
        f"command: {cmdline}",
        "",
    ]
    hdr = ("| tracer | storm ms | slowdown | storm CPU slowdown | storm opens/s | BPF ns/open | storm sys ns/open "
           "| delivered / generated (worst run) | lost reported (worst run) | tracer CPU ns/event "
           "| tracer ctx switches | IRQ-work IRQs per open |")
    lines += [hdr, "|" + "---|" * (hdr.count("|") - 1)]
    lines.append(f"| untraced | {u['wall_ms']:.0f} | 1.00x | 1.00x | {u['opens_per_s']/1e3:.0f}k | - "
                 f"| {u['storm_sys_ns_per_open']:.0f} | - | - | - | - | {u['iwi_per_open']:.2f} |")
    for name, r in rows.items():
        if name == "untraced":
            continue
        lines.append(
            f"| {name} | {r['wall_ms']:.0f} | {r['slowdown']:.2f}x | {r['cpu_slowdown']:.2f}x | {r['opens_per_s']/1e3:.0f}k "
            f"| {r['bpf_ns_per_open']:.0f} | {r['storm_sys_ns_per_open']:.0f} "
            f"| {r['delivered_min']} / {r['generated']} | {r['lost_reported']} "
            f"| {r['tracer_cpu_ns_per_event']:.0f} | {r['tracer_switches']:.0f} | {r['iwi_per_open']:.2f} |")
    lines.append("")
    lines.append("untraced storm ms, in run order: " + ", ".join(f"{x:.0f}" for x in u["wall_ms_each"])
                 + "; of which waiting for a CPU (ms) " + ", ".join(f"{x:.0f}" for x in u["wait_ms_each"]))
    if u["foreign_open_tracers"]:
        lines.append(f"  note: other processes' programs were on the open tracepoints in some untraced runs "
                     f"(median {u['foreign_bpf_ns_per_open']:.0f} ns/open of their BPF time): "
                     f"{'; '.join(u['foreign_open_tracers'])}")
    for name, r in rows.items():
        if name == "untraced":
            continue
        progs = ", ".join(f"{k} {v:.0f}" for k, v in r["bpf_ns_per_run"].items())
        lines.append(f"{name}: storm ms {', '.join(f'{x:.0f}' for x in r['wall_ms_each'])}; "
                     f"BPF ns/open {', '.join(str(x) for x in r['bpf_ns_per_open_each'])} "
                     f"(storm window only: {r['bpf_ns_per_open_storm_only']:.0f}); "
                     f"opens its programs saw {r['opens_seen']:.0f} (storm {r['generated']}); "
                     f"kernel recursion misses {r['recursion_misses']}")
        lines.append(f"  ns per program run: {progs}")
        lines.append(f"  storm waiting for a CPU (ms) {', '.join(f'{x:.0f}' for x in r['wait_ms_each'])}; "
                     f"tracer CPU {r['tracer_cpu_ms']:.0f} ms"
                     + (f" (client {r['tracer_cpu_ms_by_process'][0]:.0f}, daemon {r['tracer_cpu_ms_by_process'][1]:.0f})"
                        if name == "ig" else "")
                     + f"; drain {'; '.join(r['drain_each'])}; "
                     f"output {r['out_mb']:.1f} MB")
        if r["foreign_open_tracers"]:
            lines.append(f"  note: other processes' programs were on the open tracepoints in some runs "
                         f"(median {r['foreign_bpf_ns_per_open']:.0f} ns/open of their BPF time): "
                         f"{'; '.join(r['foreign_open_tracers'])}")
    lines.append("")
    if "ig" in rows:
        ig = rows["ig"]
        for peer in ("opensnoop", "bpftrace"):
            if peer in rows:
                lines.append(f"ig/{peer} BPF ns per open: {ig['bpf_ns_per_open'] / rows[peer]['bpf_ns_per_open']:.3f}")
        lines.append("")
        lines.append("targets (ig):")

        def verdict(ok: bool) -> str:
            return "MET" if ok else "MISSED"

        if "opensnoop" in rows:
            ratio = ig["bpf_ns_per_open"] / rows["opensnoop"]["bpf_ns_per_open"]
            lines.append(f"  BPF cost <= 1/10 of opensnoop's: {ratio:.3f} -> {verdict(ratio <= 0.1)}")
        lines.append(f"  BPF cost < 1 us: {ig['bpf_ns_per_open']:.0f} ns -> {verdict(ig['bpf_ns_per_open'] < 1000)}")
        lines.append(f"  storm <= 3x untraced: {ig['slowdown']:.2f}x -> {verdict(ig['slowdown'] <= 3)}")
        zero = ig["delivered_min"] == ig["generated"] and ig["lost_reported"] == 0 and ig["recursion_misses"] == 0
        lines.append(f"  zero lost events: worst run delivered {ig['delivered_min']} of {ig['generated']}, "
                     f"reported lost {ig['lost_reported']}, kernel misses {ig['recursion_misses']} -> {verdict(zero)}")
    return "\n".join(lines)


# ---------------------------------------------------------------- main


def make_tracer(name: str, args, workdir: Path, run_no: int, daemon: IgDaemon | None) -> Tracer:
    tag = f"{name}.{run_no}"
    if name == "ig":
        return IgTracer(daemon, workdir, tag)
    if name == "opensnoop":
        return OpensnoopTracer("opensnoop", [args.opensnoop], "text", 2, workdir, tag)
    script = args.bt_script
    if not Path(script).exists():
        script = str(workdir / "opensnoop_shape.bt")
        Path(script).write_text(BT_ONE_LINER)
    return BpftraceTracer("bpftrace", [args.bpftrace, script], "text", 4, workdir, tag)


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--build-dir", default=str(REPO / "build-bench"),
                    help="meson build dir with host/ig and bench/open_storm (default: build-bench)")
    ap.add_argument("--ig", help="ig binary (default: BUILD_DIR/host/ig)")
    ap.add_argument("--storm", help="open_storm binary (default: BUILD_DIR/bench/open_storm)")
    ap.add_argument("--opensnoop", default="/usr/sbin/opensnoop")
    ap.add_argument("--bpftrace", default=shutil.which("bpftrace") or "/usr/bin/bpftrace")
    ap.add_argument("--bt-script", default="/usr/sbin/opensnoop.bt")
    ap.add_argument("--bpftool", default=shutil.which("bpftool") or "/usr/sbin/bpftool")
    ap.add_argument("--count", type=int, default=100_000, help="opens per phase (existing, missing)")
    ap.add_argument("--repeat", type=int, default=3, help="runs per tracer; the median is reported")
    ap.add_argument("--tracers", default="ig,opensnoop,bpftrace")
    ap.add_argument("--attach-timeout", type=float, default=60.0)
    ap.add_argument("--drain-timeout", type=float, default=60.0)
    ap.add_argument("--quiet", type=float, default=0.6, help="output unchanged this long = drained (s)")
    ap.add_argument("--stall", type=float, default=2.0,
                    help="no new storm event in the output this long = drained (s)")
    ap.add_argument("--foreign-wait", type=float, default=10.0,
                    help="before each run, wait up to this long for other processes' programs on the "
                         "open tracepoints to go (s), at most --foreign-budget in all; 0: do not wait")
    ap.add_argument("--foreign-budget", type=float, default=60.0)
    ap.add_argument("--json", help="also write all runs and the summary as JSON here")
    ap.add_argument("--keep", action="store_true", help="keep the tracers' output files")
    args = ap.parse_args()
    build = Path(args.build_dir)
    args.ig = args.ig or str(build / "host" / "ig")
    args.storm = args.storm or str(build / "bench" / "open_storm")
    args.tracers = [t for t in args.tracers.split(",") if t]
    args.foreign_budget_left = args.foreign_budget
    for t in args.tracers:
        if t not in ("ig", "opensnoop", "bpftrace"):
            ap.error(f"unknown tracer '{t}': choose from ig, opensnoop, bpftrace")
    return args


def main() -> int:
    args = parse_args()
    if os.geteuid() != 0:
        print("trace_open_bench: needs root (BPF, bpftool, kernel.bpf_stats_enabled); run with sudo", file=sys.stderr)
        return 77
    needed = {"ig": args.ig, "open_storm": args.storm, "bpftool": args.bpftool}
    if "opensnoop" in args.tracers:
        needed["opensnoop"] = args.opensnoop
    if "bpftrace" in args.tracers:
        needed["bpftrace"] = args.bpftrace
    for what, path in needed.items():
        if not (Path(path).is_file() and os.access(path, os.X_OK)):
            print(f"trace_open_bench: '{path}' ({what}) is not an executable; build with ninja -C build-bench "
                  f"or install it (opensnoop: apt install libbpf-tools)", file=sys.stderr)
            return 77

    # SIGINT and SIGTERM run the cleanup below, even where SIGINT came in ignored (a
    # background job of a non-interactive shell).
    def interrupted(*_):
        raise KeyboardInterrupt()

    signal.signal(signal.SIGINT, interrupted)
    signal.signal(signal.SIGTERM, interrupted)

    bpftool = Bpftool(args.bpftool)
    cmdline = " ".join(["python3"] + [os.path.relpath(sys.argv[0], REPO)] + sys.argv[1:])
    info = machine_info({
        "ig": [args.ig, "version"],
        "opensnoop": [args.opensnoop, "--version"],
        "libbpf-tools package": ["dpkg-query", "-W", "-f", "${Version}\n", "libbpf-tools"],
        "bpftrace": [args.bpftrace, "--version"],
        "bpftool": [args.bpftool, "version"],
    })
    workdir = Path(tempfile.mkdtemp(prefix="ig-open-bench."))
    existing = workdir / "present.txt"
    missing = workdir / "absent.txt"
    existing.write_text("open storm\n")

    stats_before = read_sysctl()
    switched = False
    live: list[Tracer] = []
    results: list[dict] = []
    daemon = IgDaemon(args.ig, workdir) if "ig" in args.tracers else None
    try:
        if daemon:
            daemon.start()
            log(f"private ig daemon pid {daemon.proc.pid} on '{daemon.socket}'")
        if stats_before == "0":
            write_sysctl("1")
            switched = True
            log("kernel.bpf_stats_enabled 0 -> 1 (put back at exit)")
        order = ["untraced"]
        for r in range(args.repeat):
            rot = args.tracers[r % len(args.tracers):] + args.tracers[:r % len(args.tracers)]
            order += rot + ["untraced"]
        # Untraced first, last, and between rounds, so drift shows.
        for i, cfg in enumerate(order):
            tracer = None
            if cfg != "untraced":
                tracer = make_tracer(cfg, args, workdir, i, daemon)
                live.append(tracer)
            log(f"run {i + 1}/{len(order)}: {cfg}")
            res = one_run(cfg, tracer, args, bpftool, existing, missing)
            res["index"] = i
            results.append(res)
            if tracer is not None:
                live.remove(tracer)
                log(f"  storm {res['storm']['wall_ns']/1e6:.0f} ms, BPF {res['bpf_ns_per_open']:.0f} ns/open, "
                    f"delivered {res['delivered']}/{res['generated']}, lost {res['lost_reported']}, "
                    f"tracer CPU {res['tracer_cpu_ns']/1e6:.0f} ms")
            else:
                log(f"  storm {res['storm']['wall_ns']/1e6:.0f} ms")
    finally:
        for t in live:
            t.stop(10)
        if daemon:
            daemon.stop()
        if switched:
            write_sysctl(stats_before)
            log(f"kernel.bpf_stats_enabled back to {read_sysctl()}")
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
        else:
            log(f"outputs kept in {workdir}")

    rows = summarize(results, args.tracers, args.count)
    print(render(rows, info, args, cmdline))
    if args.json:
        Path(args.json).write_text(json.dumps({"machine": info, "command": cmdline, "summary": rows,
                                               "runs": results}, indent=2, default=str))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as e:
        print(f"trace_open_bench: {e}", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        print("trace_open_bench: interrupted; tracers stopped and kernel.bpf_stats_enabled restored",
              file=sys.stderr)
        sys.exit(130)
