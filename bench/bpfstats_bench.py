#!/usr/bin/env python3
"""bpfstats: enumeration and attribution, against bpftool, in the same run.

For N in --sizes (default 100, 1000, 5000) bench/bpf_loader holds N socket-filter
programs and N one-entry array maps (program i references map i). Then, --repeat
times each, interleaved:

  * `ig run bpfstats --all -o json`: the whole command (client start, daemon round
    trip, enumeration, holder scan, attribution, JSON output to a file), against a
    private `ig daemon --enable-bpfstats` this script starts (stats on for the
    daemon's whole life, so a one-shot answers at once instead of sampling for 1 s).
    One trace_exec instance runs in it, so the join attributes a real instance.
  * with --baseline-plugin PATH (a bpfstats.so built from an earlier commit), the
    same command against a second private daemon that loads that plugin;
  * `bpftool prog show -j` and `bpftool map show -j`, output to a file.

Then bench/bpf_enum_floor (the syscall floor of one pass, in-process) and
bench/bpfstats_snapshot_bench (the plugin's own snapshot code, in-process: warm as
under --interval, and cold, one fresh process per sample, as a one-shot run). At
N = --interval-at (1000), `ig run bpfstats --all --interval 1s -o json` runs for
--interval-seconds (30) while the daemon's and the client's CPU time are read.
With --baseline-snapshot-bench PATH (bpfstats_snapshot_bench built from an earlier
commit), its warm and cold parts are timed too, right after this build's.

Usage (root):  python3 bench/bpfstats_bench.py --build-dir build-bench
Leaves nothing behind: loaders, instances and daemons are stopped, the loader's
programs are checked gone, kernel.bpf_stats_enabled is checked unchanged.
"""
import argparse
import json
import os
import platform
import re
import resource
import select
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

CLK_TCK = os.sysconf("SC_CLK_TCK")
BPFTOOL = shutil.which("bpftool") or "/usr/sbin/bpftool"
SYSCTL = "/proc/sys/kernel/bpf_stats_enabled"


def die(msg):
    print(f"bpfstats_bench: {msg}", file=sys.stderr)
    sys.exit(1)


def read(path, default=""):
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return default


def cpu_model():
    for line in read("/proc/cpuinfo").splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor()


def proc_cpu_s(pid):
    """utime+stime of a whole process (all its threads, live and exited), seconds."""
    fields = read(f"/proc/{pid}/stat").rsplit(")", 1)[-1].split()
    if len(fields) < 13:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def proc_sched_ns(pid):
    """On-CPU ns summed over the live threads (/proc/PID/task/*/schedstat): finer than ticks."""
    total = 0
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            parts = read(f"/proc/{pid}/task/{tid}/schedstat").split()
            if parts:
                total += int(parts[0])
    except OSError:
        pass
    return total


def children_cpu_s():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def med(xs):
    return statistics.median(xs) if xs else float("nan")


def spread(xs):
    return f"{min(xs):.1f}-{max(xs):.1f}" if xs else "-"


def loaded_programs():
    return json.loads(subprocess.run([BPFTOOL, "prog", "show", "-j"], capture_output=True, text=True).stdout or "[]")


def by_name(progs):
    """Program counts by name without trailing digits, most first."""
    names = {}
    for prog in progs:
        key = re.sub(r"\d+$", "", prog.get("name", "")) or "?"
        names[key] = names.get(key, 0) + 1
    return sorted(names.items(), key=lambda kv: -kv[1])


class Daemon:
    """A private `ig daemon FLAGS` (default --enable-bpfstats) in a temp dir; `plugin_dirs`
    replaces the defaults."""

    def __init__(self, ig, tag, plugin_dirs=None, instance=False, flags=("--enable-bpfstats",)):
        self.ig = ig
        self.tmp = tempfile.mkdtemp(prefix=f"ig-bpfstats-bench-{tag}-")
        config = os.path.join(self.tmp, "config.toml")
        with open(config, "w") as f:
            f.write(f'socket = "{self.tmp}/ig.sock"\npid_file = "{self.tmp}/ig.pid"\n'
                    f'state_dir = "{self.tmp}/state"\n')
            if plugin_dirs:
                f.write("plugin_dirs = [" + ", ".join(f'"{d}"' for d in plugin_dirs) + "]\n")
        self.env = dict(os.environ, IG_CONFIG=config)
        self.err_path = os.path.join(self.tmp, "daemon.err")
        with open(self.err_path, "wb") as err:
            self.proc = subprocess.Popen([ig, "daemon", *flags], env=self.env, stdin=subprocess.DEVNULL,
                                         stdout=err, stderr=err)
        self.pid = self.proc.pid
        self.instance = False
        deadline = time.time() + 20
        while "listening on" not in read(self.err_path):
            if self.proc.poll() is not None or time.time() > deadline:
                die(f"the {tag} ig daemon did not start: " + read(self.err_path))
            time.sleep(0.05)
        if instance:
            subprocess.run([ig, "run", "--name", "bench-exec", "trace_exec", "--detach"], env=self.env, check=True,
                           stdout=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
            self.instance = True

    def stop(self):
        if self.instance:
            subprocess.run([self.ig, "remove", "bench-exec"], env=self.env, capture_output=True)
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        shutil.rmtree(self.tmp, ignore_errors=True)


class Bench:
    def __init__(self, args):
        self.args = args
        self.tmp = tempfile.mkdtemp(prefix="ig-bpfstats-bench-")
        self.daemons = {}  # "ig" and, with --baseline-plugin, "baseline"
        self.loader = None
        self.loaded = 0
        self.results = {"sizes": {}}

    # --- daemons and the loader --------------------------------------------------

    def start_daemons(self):
        self.daemons["ig"] = Daemon(self.args.ig, "ig", instance=True)
        if self.args.baseline_plugin:
            self.daemons["baseline"] = Daemon(self.args.ig, "baseline",
                                              plugin_dirs=[os.path.dirname(os.path.abspath(self.args.baseline_plugin))])

    def start_loader(self, n):
        start = time.perf_counter()
        self.loader = subprocess.Popen([self.args.loader, str(n)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                       stderr=subprocess.PIPE, text=True)
        ready, _, _ = select.select([self.loader.stdout], [], [], 180)
        line = self.loader.stdout.readline() if ready else ""
        m = re.match(r"ready (\d+)-(\d+) (\d+)-(\d+)", line)
        if not m:
            self.loader.kill()
            die(f"bpf_loader {n} did not get ready: {line!r} {self.loader.stderr.read()}")
        self.loaded = n
        return tuple(int(x) for x in m.groups()), time.perf_counter() - start

    def stop_loader(self, ids):
        self.loader.stdin.close()
        self.loader.wait(timeout=60)
        self.loader = None
        # The kernel frees programs and maps once their last fd closes: wait until gone.
        deadline = time.time() + 30
        while time.time() < deadline:
            left = [p["id"] for p in loaded_programs()
                    if ids[0] <= p["id"] <= ids[1] and p.get("name", "").startswith("igb_p")]
            if not left:
                return
            time.sleep(0.2)
        die(f"the loader's programs are still loaded: {left[:5]}...")

    def cleanup(self):
        if self.loader:
            try:
                self.loader.stdin.close()
                self.loader.wait(timeout=60)
            except Exception:
                self.loader.kill()
        for daemon in self.daemons.values():
            daemon.stop()
        shutil.rmtree(self.tmp, ignore_errors=True)

    # --- one timed command -------------------------------------------------------

    def timed(self, argv, daemon=None):
        out_path = os.path.join(self.tmp, "out")
        daemon_before = proc_cpu_s(daemon.pid) if daemon else 0
        cpu_before = children_cpu_s()
        with open(out_path, "wb") as out:
            start = time.perf_counter()
            p = subprocess.run(argv, env=daemon.env if daemon else None, stdout=out, stderr=subprocess.PIPE,
                               stdin=subprocess.DEVNULL)
            wall = (time.perf_counter() - start) * 1000
        if p.returncode != 0:
            die(f"{' '.join(argv)} failed ({p.returncode}): {p.stderr.decode(errors='replace')}")
        client_cpu = (children_cpu_s() - cpu_before) * 1000
        daemon_cpu = (proc_cpu_s(daemon.pid) - daemon_before) * 1000 if daemon else 0
        return {"ms": wall, "client_cpu_ms": client_cpu, "daemon_cpu_ms": daemon_cpu, "path": out_path}

    def run_ig(self, which, ids):
        daemon = self.daemons[which]
        r = self.timed([self.args.ig, "run", "bpfstats", "--all", "-o", "json"], daemon)
        rows = [json.loads(line) for line in read(r["path"]).splitlines() if line.strip()]
        # The loader's programs: its id range and its names (others may load programs meanwhile).
        ours = [row for row in rows if ids[0] <= row["progID"] <= ids[1] and row["progName"].startswith("igb_p")]
        if len(ours) != self.loaded or any(row["mapCount"] != 1 or row["mapMemory"] <= 0 for row in ours):
            die(f"{which}: ig run bpfstats --all: {len(ours)} loader rows, expected {self.loaded} with one map each")
        if not all(str(self.loader.pid) in row["pids"].split(",") for row in ours[:10]):
            die(f"{which}: ig run bpfstats --all: the loader's pid is not among its programs' holders")
        if daemon.instance and not any(row["gadgetName"] == "bench-exec" for row in rows):
            die(f"{which}: ig run bpfstats --all: no row attributed to the bench-exec instance")
        r["rows"] = len(rows)
        return r

    def run_bpftool(self, what, ids):
        r = self.timed([BPFTOOL, what, "show", "-j"])
        objects = json.loads(read(r["path"]))
        lo, hi = (ids[0], ids[1]) if what == "prog" else (ids[2], ids[3])
        prefix = "igb_p" if what == "prog" else "igb_m"
        if sum(1 for o in objects if lo <= o["id"] <= hi and o.get("name", "").startswith(prefix)) != self.loaded:
            die(f"bpftool {what} show -j misses some of the loader's objects")
        r["rows"] = len(objects)
        return r

    # --- the in-process parts ----------------------------------------------------

    def floor(self):
        out = subprocess.run([self.args.floor, str(self.args.inner_rounds)], capture_output=True, text=True,
                             check=True).stdout
        line = [l for l in out.splitlines() if l.startswith("floor ")][-1]
        return {k: float(v) for k, v in (kv.split("=") for kv in line.split()[1:])}

    def snapshot_bench(self, ids, binary):
        """Warm parts (one process, --inner-rounds rounds) and cold parts (one fresh process
        per sample, as a one-shot run loads the plugin afresh), each as {median_us, ...}."""
        parts, iterator, memlock_check, counters, counters_check = {}, "?", "?", "?", "?"
        owned = [str(ids[0]), str(ids[0] + (ids[1] - ids[0]) // 2)]
        runs = [[str(self.args.inner_rounds)]] + [["--cold", "1"]] * self.args.cold_runs
        for extra in runs:
            out = subprocess.run([binary, *extra, *owned], capture_output=True, text=True,
                                 check=True).stdout
            for line in out.splitlines():
                if line.startswith("part "):
                    fields = line.split()
                    parts.setdefault(fields[1], []).append(
                        {k: float(v) for k, v in (kv.split("=") for kv in fields[2:])})
                elif line.startswith("holders by iterator"):
                    iterator = line
                elif line.startswith("memlock of the last"):
                    memlock_check = line
                elif line.startswith("program counter iterator"):
                    counters = line
                elif line.startswith("iterator counters outside"):
                    counters_check = line
        result = {"iterator": iterator, "memlock_check": memlock_check, "counters_iterator": counters,
                  "counters_check": counters_check}
        for name, samples in parts.items():
            if len(samples) == 1:
                result[name] = samples[0]
            else:  # cold: one sample per process
                wall = [s["median_us"] for s in samples]
                result[name] = {"median_us": med(wall), "min_us": min(wall), "max_us": max(wall),
                                "cpu_median_us": med([s["cpu_median_us"] for s in samples]),
                                "rows": samples[-1]["rows"]}
        return result

    def interval_cpu(self, which, seconds):
        daemon = self.daemons[which]
        out_path = os.path.join(self.tmp, "interval.out")
        idle0 = proc_sched_ns(daemon.pid)
        time.sleep(3)
        idle_pct = (proc_sched_ns(daemon.pid) - idle0) / 3e9 * 100
        with open(out_path, "wb") as out:
            client = subprocess.Popen([self.args.ig, "run", "bpfstats", "--all", "--interval", "1s", "-o", "json"],
                                      env=daemon.env, stdout=out, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
            time.sleep(2.5)  # past start-up, the baseline snapshot and the first tick
            t0 = time.perf_counter()
            d0, c0 = proc_cpu_s(daemon.pid), proc_cpu_s(client.pid)
            dn0, cn0 = proc_sched_ns(daemon.pid), proc_sched_ns(client.pid)
            lines0 = read(out_path).count("\n")
            time.sleep(seconds)
            d1, c1 = proc_cpu_s(daemon.pid), proc_cpu_s(client.pid)
            dn1, cn1 = proc_sched_ns(daemon.pid), proc_sched_ns(client.pid)
            elapsed = time.perf_counter() - t0
            lines1 = read(out_path).count("\n")
            client.send_signal(signal.SIGINT)
            client.wait(timeout=30)
        return {
            "seconds": elapsed, "rows": lines1 - lines0, "daemon_idle_pct": idle_pct,
            "daemon_pct": (d1 - d0) / elapsed * 100, "client_pct": (c1 - c0) / elapsed * 100,
            "daemon_pct_sched": (dn1 - dn0) / elapsed / 1e9 * 100,
            "client_pct_sched": (cn1 - cn0) / elapsed / 1e9 * 100,
        }

    # --- main --------------------------------------------------------------------

    def report_size(self, n, res):
        ig, prog, mapt = res["ig"], res["prog"], res["map"]
        ig_m, prog_m, map_m = med(ig["ms"]), med(prog["ms"]), med(mapt["ms"])
        print(f"ig run bpfstats --all -o json: {ig_m:.1f} ms ({spread(ig['ms'])}), client CPU "
              f"{med(ig['client_cpu_ms']):.0f} ms, daemon CPU {med(ig['daemon_cpu_ms']):.0f} ms, {ig['rows']} rows")
        if "baseline" in res:
            b = res["baseline"]
            print(f"  same, baseline plugin:       {med(b['ms']):.1f} ms ({spread(b['ms'])}), daemon CPU "
                  f"{med(b['daemon_cpu_ms']):.0f} ms")
        print(f"bpftool prog show -j:          {prog_m:.1f} ms ({spread(prog['ms'])}), {prog['rows']} programs")
        print(f"bpftool map show -j:           {map_m:.1f} ms ({spread(mapt['ms'])}), {mapt['rows']} maps")
        print(f"ratio ig / bpftool prog = {ig_m / prog_m:.2f}, ig / (prog + map) = {ig_m / (prog_m + map_m):.2f}")
        floor, snap = res["floor"], res["snapshot"]
        fl, fc, fr = floor["median_us"], floor["cpu_median_us"], floor["reread_median_us"]
        print(f"floor: {fl / 1000:.2f} ms wall ({floor['min_us'] / 1000:.2f}-{floor['max_us'] / 1000:.2f}), "
              f"{fc / 1000:.2f} ms CPU; {floor['progs']:.0f} programs, {floor['maps']:.0f} maps; "
              f"programs {floor['prog_us'] / 1000:.2f} ms, maps {floor['map_us'] / 1000:.2f} ms; "
              f"with the fdinfo reread {fr / 1000:.2f} ms")
        print(snap["iterator"])
        print(snap["memlock_check"])
        print(snap["counters_iterator"])
        print(snap["counters_check"])
        parts = ("cold_kernel", "cold_holders", "cold_rows", "kernel", "counters", "kernel_iter", "holders",
                 "holders_kept", "holders_proc", "holder_load", "holder_load_full", "snapshot", "tick")
        for label, parts_of in (("plugin", snap), ("baseline", res.get("baseline_snapshot"))):
            for part in parts if parts_of else ():
                if part not in parts_of:
                    continue  # the iterators could not load here
                p = parts_of[part]
                print(f"{label} {part:13s}: {p['median_us'] / 1000:.2f} ms wall ({p['min_us'] / 1000:.2f}-"
                      f"{p['max_us'] / 1000:.2f}) = {p['median_us'] / fl:.2f}x floor, {p['median_us'] / fr:.2f}x "
                      f"reread floor; {p['cpu_median_us'] / 1000:.2f} ms CPU")
        one_shot = snap["cold_kernel"]["median_us"] + snap["cold_holders"]["median_us"]
        res["one_shot_snapshot_us"] = one_shot
        print(f"one-shot snapshot (cold kernel + cold holders): {one_shot / 1000:.2f} ms = {one_shot / fl:.2f}x "
              f"floor, {one_shot / fr:.2f}x reread floor; one-shot tick (+ rows) "
              f"{(one_shot + snap['cold_rows']['median_us']) / 1000:.2f} ms")
        if "baseline_snapshot" in res:
            base = res["baseline_snapshot"]
            print(f"baseline: {base['iterator']}")
            b = base["cold_kernel"]["median_us"] + base["cold_holders"]["median_us"]
            print(f"baseline one-shot snapshot: {b / 1000:.2f} ms = {b / fl:.2f}x floor, {b / fr:.2f}x reread floor")
        for which, iv in res.get("interval", {}).items():
            print(f"--interval 1s, {which}, over {iv['seconds']:.0f}s: daemon {iv['daemon_pct']:.2f}% "
                  f"(schedstat {iv['daemon_pct_sched']:.2f}%), client {iv['client_pct']:.2f}% "
                  f"(schedstat {iv['client_pct_sched']:.2f}%), {iv['rows']} rows; daemon before it "
                  f"{iv['daemon_idle_pct']:.3f}%; bpfstats' share (schedstat, daemon minus before, plus client) "
                  f"{iv['daemon_pct_sched'] - iv['daemon_idle_pct'] + iv['client_pct_sched']:.2f}%")

    def run(self):
        a = self.args
        print(f"kernel {platform.release()}, {cpu_model()}, {os.cpu_count()} CPUs, "
              f"load average {read('/proc/loadavg').split()[:3]}")
        print(subprocess.run([BPFTOOL, "version"], capture_output=True, text=True).stdout.splitlines()[0])
        base = loaded_programs()
        print(f"programs loaded before the bench: {len(base)} {by_name(base)[:8]}")
        self.results["machine"] = {"kernel": platform.release(), "cpu": cpu_model(), "cpus": os.cpu_count(),
                                   "load": read("/proc/loadavg").split()[:3], "before": by_name(base)}
        self.start_daemons()
        for n in a.sizes:
            ids, load_s = self.start_loader(n)
            others = by_name([p for p in loaded_programs() if not p.get("name", "").startswith("igb_p")])
            print(f"\n== N={n}: loader ready in {load_s:.1f}s (programs {ids[0]}-{ids[1]}, maps {ids[2]}-{ids[3]}); "
                  f"other programs {sum(c for _, c in others)} {others[:5]}")
            runs = {"ig": [], "baseline": [], "prog": [], "map": []}
            steps = [("ig", lambda: self.run_ig("ig", ids))]
            if "baseline" in self.daemons:
                steps.append(("baseline", lambda: self.run_ig("baseline", ids)))
            steps += [("prog", lambda: self.run_bpftool("prog", ids)), ("map", lambda: self.run_bpftool("map", ids))]
            for _, step in steps:
                step()  # warm-up: page cache, dentries, the daemon's first plugin load
            for r in range(a.repeat):
                for name, step in steps[r % len(steps):] + steps[:r % len(steps)]:
                    runs[name].append(step())
            res = {name: {"ms": [x["ms"] for x in xs], "client_cpu_ms": [x["client_cpu_ms"] for x in xs],
                          "daemon_cpu_ms": [x["daemon_cpu_ms"] for x in xs], "rows": xs[-1]["rows"]}
                   for name, xs in runs.items() if xs}
            res["others"] = others
            res["floor"] = self.floor()
            res["snapshot"] = self.snapshot_bench(ids, a.snapshot_bench)
            if a.baseline_snapshot_bench:
                res["baseline_snapshot"] = self.snapshot_bench(ids, a.baseline_snapshot_bench)
            if n == a.interval_at:
                res["interval"] = {which: self.interval_cpu(which, a.interval_seconds) for which in self.daemons}
            self.report_size(n, res)
            self.results["sizes"][n] = res
            self.stop_loader(ids)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build-dir", default=os.path.join(os.path.dirname(here), "build-bench"))
    ap.add_argument("--ig")
    ap.add_argument("--loader")
    ap.add_argument("--floor")
    ap.add_argument("--snapshot-bench")
    ap.add_argument("--baseline-plugin", help="a bpfstats.so from an earlier commit, timed in the same rounds")
    ap.add_argument("--baseline-snapshot-bench",
                    help="a bpfstats_snapshot_bench from an earlier commit, its parts timed in the same run")
    ap.add_argument("--sizes", default="100,1000,5000")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--inner-rounds", type=int, default=20, help="rounds inside the floor and warm snapshot benches")
    ap.add_argument("--cold-runs", type=int, default=7, help="fresh processes timing a one-shot snapshot")
    ap.add_argument("--interval-at", type=int, default=1000)
    ap.add_argument("--interval-seconds", type=float, default=30)
    ap.add_argument("--json", help="write every reading here")
    a = ap.parse_args()
    a.sizes = [int(s) for s in a.sizes.split(",")]
    a.ig = a.ig or os.path.join(a.build_dir, "host", "ig")
    a.loader = a.loader or os.path.join(a.build_dir, "bench", "bpf_loader")
    a.floor = a.floor or os.path.join(a.build_dir, "bench", "bpf_enum_floor")
    a.snapshot_bench = a.snapshot_bench or os.path.join(a.build_dir, "bench", "bpfstats_snapshot_bench")
    if os.geteuid() != 0:
        print("bpfstats_bench: needs root (CAP_SYS_ADMIN)", file=sys.stderr)
        sys.exit(77)
    for path in [a.ig, a.loader, a.floor, a.snapshot_bench] + [p for p in [a.baseline_snapshot_bench] if p]:
        if not os.access(path, os.X_OK):
            die(f"{path} is not built")

    sysctl_before = read(SYSCTL).strip()
    bench = Bench(a)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    start = time.time()
    try:
        bench.run()
    finally:
        bench.cleanup()
        after = read(SYSCTL).strip()
        if after != sysctl_before:
            print(f"bpfstats_bench: kernel.bpf_stats_enabled is {after}, was {sysctl_before}", file=sys.stderr)
    print(f"\nkernel.bpf_stats_enabled: {sysctl_before} before, {read(SYSCTL).strip()} after; "
          f"bench took {time.time() - start:.0f}s")
    if a.json:
        with open(a.json, "w") as f:
            json.dump(bench.results, f, indent=1)


if __name__ == "__main__":
    main()
