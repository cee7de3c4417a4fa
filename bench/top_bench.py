#!/usr/bin/env python3
"""What `ig top --all` costs at 1 s over N extra programs and maps (default 1000), and
how fast it answers a key.

bench/bpf_loader holds N socket-filter programs and N maps. A private `ig daemon`
(config in a temp dir) runs one trace_exec instance. Then, one after the other, for
--seconds each:

* `ig top --all --interval 1s` in a private tmux server's pane (it needs a terminal),
* the peers: `ig run bpfstats --all --interval 1s -o json > file` (the text stream ig top
  replaces) and `bpftool prog show -j > file` once a second (what `watch` users do).

CPU is on-CPU ns from /proc/PID/task/*/schedstat of the daemon and the client (for
bpftool: RUSAGE_CHILDREN), as a percentage of one CPU over the window, with the
daemon's own idle cost measured before and reported beside it. Key latency: `s` sent
through tmux until capture-pane shows the new sort, 20 times, between snapshots.
Prints one JSON object; needs root, tmux and bpftool.

  sudo python3 bench/top_bench.py --build-dir build
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


def die(msg):
    print(f"top_bench: {msg}", file=sys.stderr)
    sys.exit(1)


def read(path):
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return ""


def sched_ns(pid):
    """On-CPU ns over a process's live threads."""
    total = 0
    for tid in os.listdir(f"/proc/{pid}/task"):
        parts = read(f"/proc/{pid}/task/{tid}/schedstat").split()
        total += int(parts[0]) if parts else 0
    return total


def cpu_model():
    for line in read("/proc/cpuinfo").splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor()


class Setup:
    def __init__(self, args):
        self.args = args
        self.tmp = tempfile.mkdtemp(prefix="ig-top-bench-")
        config = os.path.join(self.tmp, "config.toml")
        with open(config, "w") as f:
            f.write(f'socket = "{self.tmp}/ig.sock"\npid_file = "{self.tmp}/ig.pid"\nstate_dir = "{self.tmp}/state"\n')
        self.env = dict(os.environ, IG_CONFIG=config)
        self.tmux_server = f"ig-top-bench-{os.getpid()}"
        self.loader = self.daemon = None

    def start(self):
        err = open(os.path.join(self.tmp, "daemon.err"), "wb")
        self.daemon = subprocess.Popen([self.args.ig, "daemon"], env=self.env, stdin=subprocess.DEVNULL,
                                       stdout=err, stderr=err)
        deadline = time.time() + 20
        while "listening on" not in read(os.path.join(self.tmp, "daemon.err")):
            if self.daemon.poll() is not None or time.time() > deadline:
                die("the ig daemon did not start: " + read(os.path.join(self.tmp, "daemon.err")))
            time.sleep(0.05)
        subprocess.run([self.args.ig, "run", "--name", "bench-exec", "trace_exec", "--detach"], env=self.env,
                       check=True, stdout=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
        self.loader = subprocess.Popen([self.args.loader, str(self.args.programs)], stdin=subprocess.PIPE,
                                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        ready, _, _ = select.select([self.loader.stdout], [], [], 180)
        line = self.loader.stdout.readline() if ready else ""
        if not line.startswith("ready "):
            die(f"bpf_loader did not get ready: {line!r}")

    def tmux(self, *args):
        return subprocess.run(["tmux", "-L", self.tmux_server, "-f", "/dev/null", *args], capture_output=True,
                              text=True, check=True).stdout

    def stop(self):
        subprocess.run(["tmux", "-L", self.tmux_server, "kill-server"], capture_output=True)
        if self.loader:
            self.loader.stdin.close()
            self.loader.wait(timeout=60)
        if self.daemon:
            self.daemon.send_signal(signal.SIGTERM)
            self.daemon.wait(timeout=30)
        shutil.rmtree(self.tmp, ignore_errors=True)


def window(setup, client_pid, seconds):
    """% of one CPU of the daemon and the client over `seconds`."""
    t0 = time.perf_counter()
    d0, c0 = sched_ns(setup.daemon.pid), sched_ns(client_pid)
    time.sleep(seconds)
    d1, c1 = sched_ns(setup.daemon.pid), sched_ns(client_pid)
    elapsed = time.perf_counter() - t0
    return {"daemon_pct": (d1 - d0) / elapsed / 1e7, "client_pct": (c1 - c0) / elapsed / 1e7}


def top_pid(setup):
    """ig top's pid: the pane's process, or its child when a shell stayed in between."""
    pane = int(setup.tmux("display-message", "-p", "#{pane_pid}").strip())
    if read(f"/proc/{pane}/comm").strip() == "ig":
        return pane
    for pid in os.listdir("/proc"):
        stat = read(f"/proc/{pid}/stat")
        if stat and int(stat.rpartition(")")[2].split()[1]) == pane:
            return int(pid)
    die("cannot find ig top's process")


def key_latency(setup, samples=20):
    """ms from sending `s` until the screen shows the next sort."""
    out = []
    for _ in range(samples):
        before = re.search(r"sort (\S+ \S+)", setup.tmux("capture-pane", "-p")).group(1)
        t0 = time.perf_counter()
        setup.tmux("send-keys", "s")
        while re.search(r"sort (\S+ \S+)", setup.tmux("capture-pane", "-p")).group(1) == before:
            if time.perf_counter() - t0 > 5:
                die("ig top did not answer a key within 5 s")
        out.append((time.perf_counter() - t0) * 1000)
        time.sleep(0.137)  # land at different points between snapshots
    return out


def measure_top(setup, seconds):
    idle0 = sched_ns(setup.daemon.pid)
    time.sleep(3)
    idle = (sched_ns(setup.daemon.pid) - idle0) / 3e9 * 100
    env = f"IG_CONFIG={setup.env['IG_CONFIG']} TERM=xterm-256color LANG=C.UTF-8"
    setup.tmux("new-session", "-d", "-x", "160", "-y", "50", f"env {env} {setup.args.ig} top --all --interval 1s")
    deadline = time.time() + 30
    while "programs" not in setup.tmux("capture-pane", "-p") or "NAME " not in setup.tmux("capture-pane", "-p"):
        if time.time() > deadline:
            die("ig top did not show rows: " + setup.tmux("capture-pane", "-p"))
        time.sleep(0.1)
    pid = top_pid(setup)
    time.sleep(3)  # past the baseline and the first snapshots
    result = window(setup, pid, seconds)
    screen = setup.tmux("capture-pane", "-p")
    result["programs_shown"] = int(re.search(r"(\d+) programs", screen).group(1))
    result["daemon_idle_pct"] = idle
    latencies = key_latency(setup)
    result["key_ms_median"] = statistics.median(latencies)
    result["key_ms_max"] = max(latencies)
    setup.tmux("send-keys", "q")
    deadline = time.time() + 10
    while os.path.exists(f"/proc/{pid}") and time.time() < deadline:
        time.sleep(0.05)
    result["screen"] = screen
    return result


def measure_bpfstats(setup, seconds):
    out = open(os.path.join(setup.tmp, "bpfstats.json"), "wb")
    client = subprocess.Popen([setup.args.ig, "run", "bpfstats", "--all", "--interval", "1s", "-o", "json"],
                              env=setup.env, stdout=out, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    time.sleep(3)
    result = window(setup, client.pid, seconds)
    client.send_signal(signal.SIGINT)
    client.wait(timeout=30)
    return result


def measure_bpftool(setup, seconds):
    bpftool = shutil.which("bpftool", path=os.environ.get("PATH", "") + ":/usr/sbin:/sbin")
    out = os.path.join(setup.tmp, "bpftool.json")
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    next_run = t0
    while time.perf_counter() - t0 < seconds:
        with open(out, "wb") as f:
            subprocess.run([bpftool, "prog", "show", "-j"], stdout=f, check=True)
        next_run += 1
        time.sleep(max(0, next_run - time.perf_counter()))
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    elapsed = time.perf_counter() - t0
    cpu = (r1.ru_utime + r1.ru_stime) - (r0.ru_utime + r0.ru_stime)
    return {"client_pct": cpu / elapsed * 100, "daemon_pct": 0.0}


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--build-dir", default="build")
    p.add_argument("--ig")
    p.add_argument("--loader")
    p.add_argument("--programs", type=int, default=1000)
    p.add_argument("--seconds", type=float, default=30)
    p.add_argument("--json")
    args = p.parse_args()
    args.ig = args.ig or os.path.join(args.build_dir, "host", "ig")
    args.loader = args.loader or os.path.join(args.build_dir, "bench", "bpf_loader")
    if os.geteuid() != 0:
        die("needs root (BPF, BPF stats)")
    if not shutil.which("tmux"):
        die("needs tmux (apt-get install tmux)")
    stats_before = read("/proc/sys/kernel/bpf_stats_enabled").strip()
    setup = Setup(args)
    try:
        setup.start()
        results = {
            "kernel": platform.release(), "cpu": cpu_model(), "cpus": os.cpu_count(),
            "extra_programs": args.programs, "seconds": args.seconds,
            "top": measure_top(setup, args.seconds),
            "bpfstats_interval": measure_bpfstats(setup, args.seconds),
            "bpftool_every_second": measure_bpftool(setup, args.seconds),
        }
    finally:
        setup.stop()
    stats_after = read("/proc/sys/kernel/bpf_stats_enabled").strip()
    results["bpf_stats_enabled"] = {"before": stats_before, "after": stats_after}
    screen = results["top"].pop("screen")
    for name in ("top", "bpfstats_interval", "bpftool_every_second"):
        r = results[name]
        r["total_pct"] = r["daemon_pct"] + r["client_pct"]
        print(f"{name:22s} daemon {r['daemon_pct']:.3f}%  client {r['client_pct']:.3f}%  "
              f"together {r['total_pct']:.3f}% of one CPU", file=sys.stderr)
    t = results["top"]
    print(f"ig top: {t['programs_shown']} programs shown; daemon idle before {t['daemon_idle_pct']:.3f}%; "
          f"key answered in {t['key_ms_median']:.1f} ms median, {t['key_ms_max']:.1f} ms max "
          f"(tmux round trip included)", file=sys.stderr)
    print(screen, file=sys.stderr)
    text = json.dumps(results, indent=2)
    print(text)
    if args.json:
        with open(args.json, "w") as f:
            f.write(text)
    if stats_after != stats_before:
        die(f"kernel.bpf_stats_enabled is {stats_after}, was {stats_before}")


if __name__ == "__main__":
    main()
