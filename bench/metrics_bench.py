#!/usr/bin/env python3
"""The daemon's Prometheus endpoint under load: scrape latency and daemon CPU at one
scrape per second, (A) with 50 gadget instances and a per-instance bpfstats collector,
(B) with 1000 more "foreign" programs (bench/metrics_prog_holder) and a collector
under --all, (C) with those programs but no instances, so that the daemon idles and
the collector's cost stands alone. Targets (issue 6): a scrape under 10 ms, the collector under 0.5 % of
one CPU.

Each phase runs three windows of --window seconds at 1 scrape/s: without a collector,
with one, and without again. Daemon CPU is the time its threads spent on a CPU over
the window (schedstat, ns, all threads); the collector's cost is its window minus the
mean of the two without it, so drift in the instances' own cost cancels; the
collector's passes (kernel reads, join, series) run on a thread named
bpfstats-pass, shown apart. Peers in the same run:
`bpftool prog show -j` (one enumeration of every program, what a collector tick must
at least do) and a real Prometheus's own /metrics (a Go exporter's scrape latency).

Needs root, bpftool, prometheus (Debian package). Everything listens on 127.0.0.1.
  sudo python3 bench/metrics_bench.py --build-dir build-bench [--window 30] [--json out.json]
"""
import argparse
import json
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

INSTANCES = 50
FOREIGN = 1000
NO_MATCH_COMM = "igbench_nomatc"  # trace_open's programs run; no event reaches the daemon


def which(program):
    return shutil.which(program, path=os.environ.get("PATH", "") + ":/usr/sbin:/sbin")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def thread_cpu(pid):
    """{tid: (name, seconds on a CPU)} for every thread of `pid`, from schedstat (ns)."""
    threads = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/schedstat") as f:
                ns = int(f.read().split()[0])
            with open(f"/proc/{pid}/task/{tid}/comm") as f:
                name = f.read().strip()
        except OSError:
            continue
        threads[int(tid)] = (name, ns / 1e9)
    return threads


def program_count():
    p = subprocess.run([which("bpftool"), "prog", "show", "-j"], capture_output=True, text=True)
    return len(json.loads(p.stdout or "[]")) if p.returncode == 0 else -1


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def scrape(url):
    """(seconds on the client, body)."""
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=10) as r:
        body = r.read()
    return time.perf_counter() - started, body.decode()


def server_duration(body):
    for line in body.splitlines():
        if line.startswith("ig_metrics_scrape_duration_seconds "):
            return float(line.split()[1])
    return None


def series_count(body):
    return sum(1 for line in body.splitlines() if line and not line.startswith("#"))


class Bench:
    def __init__(self, args):
        self.args = args
        self.dir = tempfile.mkdtemp(prefix="ig-metrics-bench-")
        config = os.path.join(self.dir, "config.toml")
        with open(config, "w") as f:
            f.write(f'socket = "{self.dir}/ig.sock"\npid_file = "{self.dir}/ig.pid"\nstate_dir = "{self.dir}/state"\n')
        self.env = dict(os.environ, IG_CONFIG=config)
        self.processes = []
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/metrics"

    def spawn(self, argv, name, **kw):
        err = open(os.path.join(self.dir, name + ".err"), "wb")
        p = subprocess.Popen(argv, stderr=err, env=self.env, **kw)
        self.processes.append(p)
        return p

    def ig(self, *argv):
        p = subprocess.run([self.args.ig, *argv], capture_output=True, text=True, env=self.env, timeout=120,
                           stdin=subprocess.DEVNULL)
        if p.returncode != 0:
            raise SystemExit(f"'ig {' '.join(argv)}' failed: {p.stderr.strip()}")
        return p.stdout.strip()

    def start_daemon(self):
        self.daemon = self.spawn([self.args.ig, "daemon", "--enable-bpfstats", "--metrics-listen",
                                  f"127.0.0.1:{self.port}"], "daemon", stdout=subprocess.DEVNULL,
                                 stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                scrape(self.url)
                return
            except OSError:
                time.sleep(0.1)
        raise SystemExit("the daemon did not start; see " + os.path.join(self.dir, "daemon.err"))

    def window(self, label):
        """Scrape once a second for --window seconds; daemon CPU over the same time."""
        latencies, servers, sizes, series = [], [], [], 0
        programs = program_count()
        cpu_before, wall_before = thread_cpu(self.daemon.pid), time.monotonic()
        next_at = wall_before
        for _ in range(self.args.window):
            next_at += 1
            seconds, body = scrape(self.url)
            latencies.append(seconds * 1000)
            servers.append(server_duration(body) * 1000)
            sizes.append(len(body))
            series = series_count(body)
            time.sleep(max(0, next_at - time.monotonic()))
        wall = time.monotonic() - wall_before
        cpu_after = thread_cpu(self.daemon.pid)
        per_thread = {tid: (name, seconds - cpu_before.get(tid, (name, 0))[1])
                      for tid, (name, seconds) in cpu_after.items()}
        cpu = sum(seconds for _, seconds in per_thread.values())
        snap = sum(seconds for name, seconds in per_thread.values() if name == "bpfstats-pass")
        result = {
            "label": label, "scrapes": len(latencies), "series": series, "bytes": statistics.median(sizes),
            "client_ms_p50": statistics.median(latencies), "client_ms_p95": percentile(latencies, 95),
            "client_ms_max": max(latencies), "server_ms_p50": statistics.median(servers),
            "server_ms_max": max(servers), "daemon_cpu_pct": 100 * cpu / wall, "wall_s": wall,
            "pass_thread_cpu_pct": 100 * snap / wall, "programs_on_system": programs,
        }
        print(f"  {label:<44} series {series:>6}  scrape p50 {result['client_ms_p50']:6.2f} ms  "
              f"p95 {result['client_ms_p95']:6.2f}  max {result['client_ms_max']:6.2f}  "
              f"(render p50 {result['server_ms_p50']:.2f} ms)  daemon CPU {result['daemon_cpu_pct']:.3f} % "
              f"(pass thread {result['pass_thread_cpu_pct']:.3f} %)  [{programs} programs on the system]",
              flush=True)
        return result

    def bpftool_enumeration(self, repeat=5):
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            subprocess.run([which("bpftool"), "prog", "show", "-j"], stdout=subprocess.DEVNULL, check=True)
            times.append((time.perf_counter() - started) * 1000)
        return statistics.median(times)

    def prometheus_peer(self, repeat=20):
        """Scrape latency of a real Prometheus's own /metrics (a Go exporter), in ms."""
        if not which("prometheus"):
            return None
        port = free_port()
        config = os.path.join(self.dir, "prometheus.yml")
        with open(config, "w") as f:
            f.write("global:\n  scrape_interval: 1h\nscrape_configs: []\n")
        p = self.spawn([which("prometheus"), f"--config.file={config}", f"--web.listen-address=127.0.0.1:{port}",
                        f"--storage.tsdb.path={os.path.join(self.dir, 'prometheus-data')}"], "prometheus",
                       stdout=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
        url = f"http://127.0.0.1:{port}/metrics"
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    scrape(url)
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        return None
                    time.sleep(0.2)
            times, series = [], 0
            for _ in range(repeat):
                seconds, body = scrape(url)
                times.append(seconds * 1000)
                series = series_count(body)
                time.sleep(0.1)
            return {"client_ms_p50": statistics.median(times), "client_ms_max": max(times), "series": series}
        finally:
            p.send_signal(signal.SIGTERM)
            p.wait(30)

    def phase(self, results, key, label, collector_args):
        """Three windows: without a collector, with one (`bpfstats --metrics ARGS`), and
        without again; stored as KEY_baseline, KEY_collector and KEY_after."""
        results[f"{key}_baseline"] = self.window("no collector")
        self.ig("run", "--name", "collector", "bpfstats", "--metrics", *collector_args, "--detach")
        time.sleep(2)
        results[f"{key}_collector"] = self.window(label)
        self.ig("remove", "collector")
        time.sleep(2)
        results[f"{key}_after"] = self.window("no collector, again")

    def run(self):
        results = {"kernel": platform.release(), "cpu": cpu_model(), "window_s": self.args.window}
        self.start_daemon()
        print(f"ig daemon pid {self.daemon.pid}, metrics at {self.url}; {INSTANCES} instances, "
              f"{FOREIGN} foreign programs, {self.args.window} s windows at 1 scrape/s", flush=True)
        for i in range(INSTANCES):
            if i % 2 == 0:
                self.ig("run", "--name", f"open{i}", "trace_open", "--comm", NO_MATCH_COMM, "--detach")
            else:
                self.ig("run", "--name", f"exec{i}", "trace_exec", "--pid", "1", "--detach")
        print("A: 50 instances (25 trace_open, 25 trace_exec)", flush=True)
        self.phase(results, "a", "bpfstats --metrics (per instance)", [])

        holder = self.spawn([self.args.holder, str(FOREIGN)], "holder", stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE)
        line = holder.stdout.readline().decode().strip()
        if line != f"ready {FOREIGN}":
            raise SystemExit(f"metrics_prog_holder: {line!r}; see {self.dir}/holder.err")
        print(f"B: 50 instances + {FOREIGN} foreign programs", flush=True)
        results["bpftool_prog_show_ms"] = self.bpftool_enumeration()
        self.phase(results, "b", "bpfstats --metrics --all (per program)", ["--all"])
        # C: the same programs without the instances, whose timers make B's windows noisy.
        self.ig("remove", "--all")
        print(f"C: {FOREIGN} foreign programs, no instances", flush=True)
        self.phase(results, "c", "bpfstats --metrics --all (per program)", ["--all"])
        holder.stdin.close()
        holder.wait(30)
        results["prometheus_peer"] = self.prometheus_peer()
        return results

    def close(self):
        try:
            subprocess.run([self.args.ig, "remove", "--all"], env=self.env, capture_output=True, timeout=60)
        except (subprocess.TimeoutExpired, OSError):
            pass
        for p in reversed(self.processes):
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
                try:
                    p.wait(15)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait()
        shutil.rmtree(self.dir, ignore_errors=True)


def cpu_model():
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.machine()


def overhead(r, key):
    """The collector's window minus the mean of the windows before and after it (drift cancels)."""
    without = (r[f"{key}_baseline"]["daemon_cpu_pct"] + r[f"{key}_after"]["daemon_cpu_pct"]) / 2
    return r[f"{key}_collector"]["daemon_cpu_pct"] - without


def report(r):
    a_over, b_over, c_over = overhead(r, "a"), overhead(r, "b"), overhead(r, "c")
    print()
    print(f"kernel {r['kernel']}, CPU {r['cpu']}, {os.cpu_count()} CPUs")
    for key, over, what in (("a", a_over, "A  collector"), ("b", b_over, "B  collector --all"),
                            ("c", c_over, "C  collector --all")):
        c = r[f"{key}_collector"]
        print(f"{what} overhead {over:+.3f} % of one CPU (target < 0.5 %; its pass thread alone "
              f"{c['pass_thread_cpu_pct']:.3f} %); scrape p50 {c['client_ms_p50']:.2f} ms, worst "
              f"{c['client_ms_max']:.2f} ms (target < 10 ms); {c['programs_on_system']} programs on the system")
    print(f"   bpftool prog show -j over the same programs: {r['bpftool_prog_show_ms']:.1f} ms per run "
          f"(= {r['bpftool_prog_show_ms'] / 10:.2f} % of one CPU if run every second)")
    peer = r.get("prometheus_peer")
    if peer:
        ratio = r["b_collector"]["client_ms_p50"] / peer["client_ms_p50"]
        print(f"   prometheus's own /metrics ({peer['series']} series): p50 {peer['client_ms_p50']:.2f} ms; "
              f"ig with {r['b_collector']['series']} series: {ratio:.2f}x")
    r["a_overhead_pct"], r["b_overhead_pct"], r["c_overhead_pct"] = a_over, b_over, c_over


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build-dir", default="build-bench")
    parser.add_argument("--ig")
    parser.add_argument("--holder")
    parser.add_argument("--window", type=int, default=30, help="seconds per measurement window (default 30)")
    parser.add_argument("--json", help="write every reading here")
    args = parser.parse_args()
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    args.ig = args.ig or os.path.join(root, args.build_dir, "host", "ig")
    args.holder = args.holder or os.path.join(root, args.build_dir, "bench", "metrics_prog_holder")
    if os.geteuid() != 0:
        raise SystemExit("metrics_bench: needs root (it loads BPF programs)")
    for path in (args.ig, args.holder):
        if not os.access(path, os.X_OK):
            raise SystemExit(f"metrics_bench: '{path}' is missing; build it: ninja -C {args.build_dir}")
    if not which("bpftool"):
        raise SystemExit("metrics_bench: needs bpftool")
    bench = Bench(args)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    try:
        results = bench.run()
    finally:
        bench.close()
    report(results)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=2)


if __name__ == "__main__":
    main()
