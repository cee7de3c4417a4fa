#!/usr/bin/env python3
"""Daemon latency and memory: `ig run --detach` + `ig remove` round trip, `ig list`
with 0 and 50 instances, daemon RSS idle and with 50 instances.

Usage (root, from the repo after building): python3 bench/daemon_bench.py [build/host/ig]
Runs a private daemon in a temp dir; leaves nothing behind.
"""
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

IG = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "build/host/ig")


def timed(env, *args, runs, program=None):
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([program or IG, *args], env=env, check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def cpu_model():
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor()


def row(name, samples, target=None):
    med = statistics.median(samples)
    p90 = sorted(samples)[int(len(samples) * 0.9) - 1]
    verdict = "" if target is None else (" (target < %g ms: %s)" % (target, "met" if med < target else "MISSED"))
    print(f"| {name} | {len(samples)} | {med:.2f} | {p90:.2f} | {min(samples):.2f} |{verdict}")


def main():
    tmp = tempfile.mkdtemp(prefix="ig-bench-")
    config = os.path.join(tmp, "config.toml")
    with open(config, "w") as f:
        f.write(f'socket = "{tmp}/ig.sock"\npid_file = "{tmp}/ig.pid"\nstate_dir = "{tmp}/state"\n')
    env = dict(os.environ, IG_CONFIG=config)
    try:
        subprocess.run([IG, "list"], env=env, check=True, capture_output=True)
        pid = int(open(f"{tmp}/ig.pid").read())
        time.sleep(0.5)
        idle_rss = rss_kib(pid)
        print(f"kernel {platform.release()}, {cpu_model()}, {os.cpu_count()} CPUs")
        print("| operation | runs | median ms | p90 ms | min ms |")
        print("|---|---|---|---|---|")
        row("`ig list`, 0 instances", timed(env, "list", runs=200), 2)
        row("`/bin/true` (the harness's fork+exec floor)", timed(env, runs=200, program="/bin/true"))
        row("`ig version` (ig's start-up, no daemon)", timed(env, "version", runs=200))
        cycle = []
        for _ in range(30):
            start = time.perf_counter()
            subprocess.run([IG, "run", "--name", "b", "trace_open", "--detach"], env=env, check=True,
                           stdout=subprocess.DEVNULL)
            mid = time.perf_counter()
            subprocess.run([IG, "remove", "b"], env=env, check=True, stdout=subprocess.DEVNULL)
            cycle.append(((mid - start) * 1000, (time.perf_counter() - mid) * 1000))
        row("`ig run trace_open --detach`", [c[0] for c in cycle], 100)
        row("`ig remove` (trace_open)", [c[1] for c in cycle])
        # First 50 instances that filter to pid 1: their programs still run on every
        # open/exec, but the list client's own library opens produce no events.
        for n in range(50):
            gadget = "trace_open" if n % 2 else "trace_exec"
            subprocess.run([IG, "run", "--name", f"i{n}", gadget, "--pid", "1", "--detach"], env=env, check=True,
                           stdout=subprocess.DEVNULL)
        row("`ig list`, 50 instances filtered to pid 1", timed(env, "list", runs=200), 2)
        subprocess.run([IG, "remove", "--all"], env=env, check=True, stdout=subprocess.DEVNULL)
        for n in range(50):
            gadget = "trace_open" if n % 2 else "trace_exec"
            subprocess.run([IG, "run", "--name", f"i{n}", gadget, "--detach"], env=env, check=True,
                           stdout=subprocess.DEVNULL)
        row("`ig list`, 50 system-wide instances", timed(env, "list", runs=200), 2)
        busy_rss = rss_kib(pid)
        print(f"\ndaemon RSS: idle {idle_rss / 1024:.1f} MiB (target < 8 MiB: "
              f"{'met' if idle_rss < 8 * 1024 else 'MISSED'}), with 50 instances {busy_rss / 1024:.1f} MiB")
    finally:
        subprocess.run([IG, "remove", "--all"], env=env, capture_output=True)
        try:
            os.kill(int(open(f"{tmp}/ig.pid").read()), 15)
            time.sleep(0.5)
        except (OSError, ValueError):
            pass
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
