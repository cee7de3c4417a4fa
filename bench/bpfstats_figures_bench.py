#!/usr/bin/env python3
"""bpfstats with issue 12's figures, against bpftool in the same run.

bench/bpf_loader N holds N socket-filter programs and N one-entry array maps
(program i references map i). Then, --repeat times each, interleaved, output to a
file, against a private `ig daemon --enable-bpfstats` (bpfstats_bench.py's Daemon,
with one trace_exec instance):

  * `ig run bpfstats --all -o json` against `bpftool prog show -j` (target: 0.5x);
  * `ig run bpfstats --maps -o json` against `bpftool map show -j` (target: 0.5x);
  * `ig run bpfstats --all --total -o json`, for the cost of the total row.

Then `ig run bpfstats --all --interval 1s` and `--maps --interval 1s`, each for
--interval-seconds, with the daemon's and the client's CPU from
/proc/PID/task/*/schedstat (target: under 0.5 % of one CPU together).

Usage (root):  python3 bench/bpfstats_figures_bench.py --build-dir build
Leaves nothing behind: the loader, the instance and the daemon are stopped.
"""
import argparse
import json
import os
import platform
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bpfstats_bench import BPFTOOL, Bench, cpu_model, med, proc_sched_ns, read, spread  # noqa: E402

COMMANDS = {
    "all": ["bpfstats", "--all", "-o", "json"],
    "maps": ["bpfstats", "--maps", "-o", "json"],
    "all_total": ["bpfstats", "--all", "--total", "-o", "json"],
}
PEERS = {"prog": [BPFTOOL, "prog", "show", "-j"], "map": [BPFTOOL, "map", "show", "-j"]}


def checked_rows(path, ids, what, loaded):
    """The command's rows, checked to include every object of the loader (its id range
    and its names: others may load objects meanwhile)."""
    rows = [json.loads(line) for line in read(path).splitlines() if line.strip()]
    key, name, prefix, lo, hi = (("mapID", "mapName", "igb_m", ids[2], ids[3]) if what == "maps" else
                                 ("progID", "progName", "igb_p", ids[0], ids[1]))
    ours = [r for r in rows if lo <= r[key] <= hi and r[name].startswith(prefix)]
    if len(ours) != loaded:
        sys.exit(f"FAIL: {what}: {len(ours)} of the loader's {loaded} objects")
    return rows


def interval_cpu(bench, view, seconds):
    daemon = bench.daemons["ig"]
    out_path = os.path.join(bench.tmp, "interval.out")
    idle0 = proc_sched_ns(daemon.pid)
    time.sleep(3)
    idle = (proc_sched_ns(daemon.pid) - idle0) / 3e9 * 100
    with open(out_path, "wb") as out:
        client = subprocess.Popen([bench.args.ig, "run", "bpfstats", view, "--interval", "1s", "-o", "json"],
                                  env=daemon.env, stdout=out, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
        time.sleep(2.5)  # past start-up, the baseline and the first tick
        t0 = time.perf_counter()
        d0, c0 = proc_sched_ns(daemon.pid), proc_sched_ns(client.pid)
        time.sleep(seconds)
        d1, c1 = proc_sched_ns(daemon.pid), proc_sched_ns(client.pid)
        elapsed = time.perf_counter() - t0
        client.send_signal(signal.SIGINT)
        client.wait(timeout=30)
    daemon_pct, client_pct = (d1 - d0) / elapsed / 1e7, (c1 - c0) / elapsed / 1e7
    return {"daemon_idle_pct": idle, "daemon_pct": daemon_pct, "client_pct": client_pct,
            "bpfstats_pct": daemon_pct - idle + client_pct}


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build-dir", default=os.path.join(os.path.dirname(here), "build"))
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--interval-seconds", type=float, default=20)
    ap.add_argument("--json", help="write every reading here")
    args = ap.parse_args()
    if os.geteuid() != 0:
        sys.exit("SKIP: needs root")
    args.ig = os.path.join(args.build_dir, "host", "ig")
    args.loader = os.path.join(args.build_dir, "bench", "bpf_loader")
    args.baseline_plugin = None
    bench = Bench(args)
    results = {"kernel": platform.release(), "cpu": cpu_model(), "n": args.n}
    try:
        bench.start_daemons()
        ids, _ = bench.start_loader(args.n)
        daemon = bench.daemons["ig"]
        times = {name: [] for name in [*COMMANDS, *PEERS]}
        for _ in range(args.repeat):
            for name, argv in COMMANDS.items():
                r = bench.timed([args.ig, "run", *argv], daemon)
                checked_rows(r["path"], ids, "maps" if name == "maps" else "all", args.n)
                times[name].append(r["ms"])
            for name, argv in PEERS.items():
                times[name].append(bench.timed(argv)["ms"])
        results["ms"] = times
        ratio_all = med(times["all"]) / med(times["prog"])
        ratio_maps = med(times["maps"]) / med(times["map"])
        for name in times:
            print(f"{name:10s} {med(times[name]):7.1f} ms ({spread(times[name])})")
        print(f"ig --all / bpftool prog show: {ratio_all:.2f}   ig --maps / bpftool map show: {ratio_maps:.2f}")
        results["ratio_all"], results["ratio_maps"] = ratio_all, ratio_maps
        for view in ("--all", "--maps"):
            cpu = interval_cpu(bench, view, args.interval_seconds)
            results["interval" + view] = cpu
            print(f"{view} --interval 1s: daemon {cpu['daemon_pct']:.2f} % (idle {cpu['daemon_idle_pct']:.2f} %), "
                  f"client {cpu['client_pct']:.2f} %, bpfstats' share {cpu['bpfstats_pct']:.2f} % of one CPU")
        bench.stop_loader(ids)
    finally:
        bench.cleanup()
    print(f"{platform.release()}, {results['cpu']}, N = {args.n}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1)


if __name__ == "__main__":
    main()
