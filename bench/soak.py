#!/usr/bin/env python3
"""Soak and load: a long-lived daemon stays flat, stays consistent under 50 clients,
bounds a slow reader's memory, and how `ig list` and bpfstats grow with instances.

Four parts, each against a private `ig daemon --enable-bpfstats` (bench/bpfstats_bench.py's
Daemon: its own socket and state in a temp dir; stats on for its life, so a one-shot
`ig run bpfstats` answers at once instead of sampling for 1 s):

  cycles   --cycles (1000) rounds of `run --detach` + `remove` of trace_open, then of
           trace_exec (system-wide: their programs see the machine's opens and execs
           while they live). Every --every (100) cycles: the daemon's RSS, open fds and
           threads, the programs, maps and links it holds (its fdinfo), and the
           kernel's totals (bpftool; other people's objects come and go in those).
  clients  --clients (50) threads for --seconds (60), each looping run --detach (its own
           name or one of 5 shared names), list, attach (0.2 s once attached, then Ctrl-C) and remove
           (by id) at random. Checked: no command outlives 30 s (a hang), no `list`
           shows a name twice or an id whose remove returned before the list started,
           no two instances' certain lifetimes (run returned .. remove called) under one
           name overlap, and at the end the state dir holds exactly the ids `ig list`
           shows.
  slow     a detached trace_open filtered to open_storm's comm, one `ig attach` that
           never reads its stdout and one that does; bench/open_storm does --storm-count
           opens twice. Sampled: the daemon's RSS every 50 ms, `ig list` latency; then
           the events and losses each client reports.
  scale    --scale (10,100,1000) detached instances, trace_exec and trace_open in turn,
           filtered to pid 1: `ig list` and `ig run bpfstats` latency (median of
           --repeat), RSS and fds. Stops early, measuring where it stopped and saying
           why, if a run fails (the kernel's reason: it runs at most 64 programs on one
           tracepoint) or MemAvailable drops under 3 GiB (4 MiB of ring buffer each).

Usage (root), from the repository root after building (ninja -C build):
  python3 bench/soak.py --build-dir build [--plot docs/soak.png] [--json soak.json]
  python3 bench/soak.py --parts cycles --cycles 200      # one part, shorter
Leaves nothing behind: every instance and the daemon are stopped, the daemon's
objects are checked gone, kernel.bpf_stats_enabled is checked unchanged.
"""
import argparse
import json
import os
import platform
import random
import signal
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bpfstats_bench import BPFTOOL, SYSCTL, Daemon, cpu_model, med, read  # noqa: E402

SHARED_NAMES = [f"shared{k}" for k in range(5)]
HANG_S = 30


def die(msg):
    print(f"soak: {msg}", file=sys.stderr)
    sys.exit(1)


# --- what a process and the kernel hold ------------------------------------------

def kib(path, key):
    """A 'Key: N kB' (or plain count) line of a /proc file."""
    for line in read(path).splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    return 0


def status_field(pid, key):
    return kib(f"/proc/{pid}/status", key)


def held_objects(pid):
    """{"prog": ids, "map": ids, "link": ids} the process holds through its fds."""
    held = {"prog": set(), "map": set(), "link": set()}
    for fd in os.listdir(f"/proc/{pid}/fd"):
        text = read(f"/proc/{pid}/fdinfo/{fd}")
        link = [int(line.split()[1]) for line in text.splitlines() if line.startswith("link_id:")]
        if link:
            held["link"].update(link)
            continue
        for kind in ("prog", "map"):
            held[kind].update(int(line.split()[1]) for line in text.splitlines() if line.startswith(kind + "_id:"))
    return held


def kernel_counts():
    counts = {}
    for kind in ("prog", "map", "link"):
        out = subprocess.run([BPFTOOL, kind, "show", "-j"], capture_output=True, text=True).stdout
        counts[kind] = len(json.loads(out or "[]"))
    return counts


def fd_count(pid):
    """The fewest fds over 0.25 s: the daemon may still be closing the last client's."""
    counts = []
    for _ in range(6):
        counts.append(len(os.listdir(f"/proc/{pid}/fd")))
        time.sleep(0.05)
    return min(counts)


def sample(daemon, label):
    held = held_objects(daemon.pid)
    return {"at": label, "rss_kib": status_field(daemon.pid, "VmRSS"),
            "rss_anon_kib": status_field(daemon.pid, "RssAnon"), "fds": fd_count(daemon.pid),
            "threads": status_field(daemon.pid, "Threads"), **{f"held_{k}": len(v) for k, v in held.items()},
            **{f"kernel_{k}": v for k, v in kernel_counts().items()}}


def ig(daemon, *args, timeout=HANG_S, check=True):
    p = subprocess.run([daemon.ig, *args], env=daemon.env, capture_output=True, text=True, timeout=timeout,
                       stdin=subprocess.DEVNULL)
    if check and p.returncode != 0:
        die(f"'ig {' '.join(args)}' failed ({p.returncode}): {p.stderr.strip()}")
    return p


def timed(fn):
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def pct(xs, q):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(len(xs) * q))] if xs else float("nan")


# --- parts -----------------------------------------------------------------------

def cycles(daemon, a):
    rows = [sample(daemon, 0)]
    start = time.monotonic()
    for c in range(1, a.cycles + 1):
        for gadget in ("trace_open", "trace_exec"):
            ig(daemon, "run", "--name", "soak", gadget, "--detach")
            ig(daemon, "remove", "soak")
        if c % a.every == 0:
            rows.append(sample(daemon, c))
            r = rows[-1]
            print(f"  cycle {c}: RSS {r['rss_kib']} KiB, {r['fds']} fds, {r['threads']} threads, holds "
                  f"{r['held_prog']}/{r['held_map']}/{r['held_link']} prog/map/link", flush=True)
    first, warm, last = rows[0], rows[1], rows[-1]
    print(f"\n{a.cycles} cycles in {time.monotonic() - start:.0f} s\n")
    print("| cycle | RSS KiB | fds | threads | held prog/map/link | kernel prog/map/link |")
    print("|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['at']} | {r['rss_kib']} | {r['fds']} | {r['threads']} | {r['held_prog']}/{r['held_map']}/"
              f"{r['held_link']} | {r['kernel_prog']}/{r['kernel_map']}/{r['kernel_link']} |")
    growth = last["rss_kib"] - warm["rss_kib"]
    print(f"\nRSS growth after warm-up (cycle {warm['at']} to {last['at']}): {growth} KiB (goal < 1024: "
          f"{'met' if growth < 1024 else 'MISSED'}); fds {first['fds']} -> {last['fds']} "
          f"({'flat' if last['fds'] == first['fds'] else 'NOT flat'}); held objects at the end "
          f"{last['held_prog']}/{last['held_map']}/{last['held_link']}")
    return rows


class Clients:
    """Many clients at once; every reply is checked against what the others were told."""

    def __init__(self, daemon, a):
        self.daemon, self.a = daemon, a
        self.lock = threading.Lock()
        self.created = {}   # id -> (name, run returned at)
        self.removing = {}  # id -> remove called at
        self.removed = {}   # id -> remove returned at
        self.latency = {"run": [], "list": [], "attach": [], "remove": []}
        self.outcomes = {}
        self.problems = []

    def note(self, op, outcome):
        with self.lock:
            self.outcomes[f"{op}: {outcome}"] = self.outcomes.get(f"{op}: {outcome}", 0) + 1

    def problem(self, text):
        with self.lock:
            self.problems.append(text)

    def command(self, op, *args):
        start = time.perf_counter()
        try:
            p = ig(self.daemon, *args, check=False)
        except subprocess.TimeoutExpired:
            self.problem(f"'ig {' '.join(args)}' hung for {HANG_S} s")
            return None
        with self.lock:
            self.latency[op].append((time.perf_counter() - start) * 1000)
        return p

    def run(self, name, gadget):
        p = self.command("run", "run", "--name", name, gadget, "--pid", "1", "--detach")
        if p is None:
            return None
        if p.returncode != 0:
            self.note("run", "name taken" if "already exists" in p.stderr else p.stderr.strip()[:80])
            return None
        ident = p.stdout.strip()
        with self.lock:
            self.created[ident] = (name, time.monotonic())
        self.note("run", "ok")
        return ident

    def remove(self, ident):
        with self.lock:
            self.removing[ident] = time.monotonic()
        p = self.command("remove", "remove", ident)
        if p is not None and p.returncode == 0:
            with self.lock:
                self.removed[ident] = time.monotonic()
            self.note("remove", "ok")
        elif p is not None:
            self.problem(f"remove of its own instance {ident[:12]} failed: {p.stderr.strip()}")

    def list(self):
        start = time.monotonic()
        p = self.command("list", "list", "-o", "json")
        if p is None or p.returncode != 0:
            return self.problem(f"list failed: {p.stderr.strip() if p else 'hung'}")
        shown = [json.loads(line) for line in p.stdout.splitlines() if line.strip()]
        names = [i["name"] for i in shown]
        if len(names) != len(set(names)):
            self.problem(f"list shows a name twice: {sorted(names)}")
        with self.lock:
            gone = [i["id"][:12] for i in shown if self.removed.get(i["id"], start) < start]
        if gone:
            self.problem(f"list shows instances removed before it started: {gone}")
        self.note("list", "ok")

    def attach(self, ident, n):
        """Attach, and once attached (or gone) watch 0.2 s more, then Ctrl-C."""
        err_path = os.path.join(self.daemon.tmp, f"attach{n}.err")
        start = time.perf_counter()
        with open(err_path, "w") as err_file:
            p = subprocess.Popen([self.daemon.ig, "attach", ident, "-o", "json"], env=self.daemon.env,
                                 stdout=subprocess.DEVNULL, stderr=err_file, stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + HANG_S
        while "attached to" not in read(err_path) and p.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        attached_ms = (time.perf_counter() - start) * 1000
        time.sleep(0.2)
        p.send_signal(signal.SIGINT)
        try:
            p.wait(timeout=HANG_S)
        except subprocess.TimeoutExpired:
            p.kill()
            return self.problem(f"attach {ident[:12]} did not end within {HANG_S} s of Ctrl-C")
        err = read(err_path)
        if "attached to" in err:
            with self.lock:
                self.latency["attach"].append(attached_ms)
        self.note("attach", "ok" if p.returncode == 0 else "instance gone" if "no instance" in err or "removed" in err
                  else err.strip()[-80:])

    def client(self, n, deadline):
        rng = random.Random(n)
        mine = []
        while time.monotonic() < deadline:
            op = rng.choice(["run", "run", "list", "attach", "remove"])
            if op == "run":
                name = f"c{n}-{rng.randrange(3)}" if rng.random() < 0.6 else rng.choice(SHARED_NAMES)
                ident = self.run(name, rng.choice(["trace_exec", "trace_open"]))
                if ident:
                    mine.append(ident)
            elif op == "list":
                self.list()
            elif op == "attach":
                with self.lock:
                    live = [i for i in self.created if i not in self.removing]
                if live:
                    self.attach(rng.choice(live), n)
            elif mine:
                self.remove(mine.pop(rng.randrange(len(mine))))

    def go(self):
        deadline = time.monotonic() + self.a.seconds
        threads = [threading.Thread(target=self.client, args=(n, deadline)) for n in range(self.a.clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        end = time.monotonic()
        for name in {n for n, _ in self.created.values()}:  # certain lifetimes under one name never overlap
            spans = sorted((t, self.removing.get(i, end)) for i, (n, t) in self.created.items() if n == name)
            for (s1, e1), (s2, e2) in zip(spans, spans[1:]):
                if s2 < e1:
                    self.problem(f"two instances held '{name}' at once")
        shown = {json.loads(line)["id"] for line in ig(self.daemon, "list", "-o", "json").stdout.splitlines() if line}
        files = {f[:-5] for f in os.listdir(os.path.join(self.daemon.tmp, "state", "instances")) if f.endswith(".toml")}
        expected = set(self.created) - set(self.removed)
        if not (shown == files == expected):
            self.problem(f"at the end: list {len(shown)}, state files {len(files)}, expected {len(expected)}")
        print(f"\n{self.a.clients} clients for {self.a.seconds:.0f} s: "
              f"{sum(len(v) for v in self.latency.values())} commands, {len(self.problems)} problems")
        print("\n| command | count | median ms | p99 ms | max ms |\n|---|---|---|---|---|")
        for op, xs in self.latency.items():
            print(f"| {op} | {len(xs)} | {med(xs):.0f} | {pct(xs, 0.99):.0f} | {max(xs, default=0):.0f} |")
        print("\noutcomes: " + ", ".join(f"{k} {v}" for k, v in sorted(self.outcomes.items())))
        for p in self.problems[:10]:
            print(f"  PROBLEM: {p}")
        ig(self.daemon, "remove", "--all")
        return {"latency_ms": {k: {"n": len(v), "median": med(v), "p99": pct(v, 0.99)} for k, v in self.latency.items()},
                "outcomes": self.outcomes, "problems": self.problems, "instances_at_end": len(shown)}


def slow_reader(daemon, a):
    ig(daemon, "run", "--name", "storm", "trace_open", "--comm", "open_storm", "--detach")
    tmp = daemon.tmp
    base_rss = status_field(daemon.pid, "VmRSS")
    with open(f"{tmp}/slow.err", "w") as slow_err, open(f"{tmp}/fast.out", "w") as fast_out, \
            open(f"{tmp}/fast.err", "w") as fast_err:
        slow = subprocess.Popen([daemon.ig, "attach", "storm", "-o", "json"], env=daemon.env, stdout=subprocess.PIPE,
                                stderr=slow_err, stdin=subprocess.DEVNULL)
        fast = subprocess.Popen([daemon.ig, "attach", "storm", "-o", "json"], env=daemon.env, stdout=fast_out,
                                stderr=fast_err, stdin=subprocess.DEVNULL)
        time.sleep(1)
        rss, lists, done = [], [], threading.Event()

        def watch():
            while not done.is_set():
                rss.append(status_field(daemon.pid, "VmRSS"))
                if len(rss) % 10 == 0:
                    lists.append(timed(lambda: ig(daemon, "list")))
                time.sleep(0.05)

        watcher = threading.Thread(target=watch)
        watcher.start()
        missing = f"{tmp}/no-such-file"
        storm = json.loads(subprocess.run([a.storm, str(a.storm_count), "/etc/hostname", missing], check=True,
                                          capture_output=True, text=True).stdout)
        time.sleep(2)  # the daemon drains what the ring buffer still holds
        done.set()
        watcher.join()
        peak = max(rss)
        slow_lines = []
        drain = threading.Thread(target=lambda: slow_lines.append(sum(1 for _ in slow.stdout)))
        drain.start()
        time.sleep(3)
        for p in (slow, fast):
            p.send_signal(signal.SIGINT)
            p.wait(HANG_S)
        drain.join()
    idle_lists = [timed(lambda: ig(daemon, "list")) for _ in range(20)]
    fast_events = sum(1 for _ in open(f"{tmp}/fast.out"))
    lost = {name: read(f"{tmp}/{name}.err").strip().splitlines()[-1:] for name in ("slow", "fast")}
    info = json.loads([line for line in ig(daemon, "list", "-o", "json").stdout.splitlines() if line][0])
    opens = storm["opens"]
    print(f"\nslow reader: open_storm did {opens} opens in {storm['wall_ns'] / 1e9:.1f} s; the instance counted "
          f"{info.get('events')} events, {info.get('lost')} lost in BPF")
    print(f"  daemon RSS: {base_rss / 1024:.1f} MiB before, peak {peak / 1024:.1f} MiB "
          f"(+{(peak - base_rss) / 1024:.1f} MiB; the cap is 32 MiB queued per client), "
          f"{status_field(daemon.pid, 'VmRSS') / 1024:.1f} MiB after")
    print(f"  slow client: {slow_lines[0] if slow_lines else '?'} events, its last line: {lost['slow']}")
    print(f"  reading client: {fast_events} events, its last line: {lost['fast']}")
    print(f"  ig list during the storm: median {med(lists):.0f} ms, max {max(lists, default=0):.0f} ms "
          f"({len(lists)} runs); idle: median {med(idle_lists):.0f} ms")
    ig(daemon, "remove", "storm")
    return {"opens": opens, "rss_base_kib": base_rss, "rss_peak_kib": peak, "slow_events": slow_lines[:1],
            "slow_last_line": lost["slow"], "fast_events": fast_events, "fast_last_line": lost["fast"],
            "instance_events": info.get("events"), "bpf_lost": info.get("lost"),
            "list_storm_ms": lists, "list_idle_ms": idle_lists}


def mem_available_mib():
    return kib("/proc/meminfo", "MemAvailable") // 1024


def measure_scale(daemon, a, count, made_s):
    lists = [timed(lambda: ig(daemon, "list")) for _ in range(a.repeat)]
    stats = [timed(lambda: ig(daemon, "run", "bpfstats", "-o", "json")) for _ in range(a.repeat)]
    s = sample(daemon, count)
    row = {"instances": count, "list_ms": med(lists), "list_p90_ms": pct(lists, 0.9), "bpfstats_ms": med(stats),
           "bpfstats_p90_ms": pct(stats, 0.9), "rss_kib": s["rss_kib"], "rss_anon_kib": s["rss_anon_kib"],
           "fds": s["fds"], "create_s": made_s}
    print(f"  {count} instances: ig list {row['list_ms']:.0f} ms, ig run bpfstats {row['bpfstats_ms']:.0f} ms",
          flush=True)
    return row


def scale(daemon, a):
    """trace_exec and trace_open in turn, filtered to pid 1, up to each --scale count."""
    rows, have, stopped = [], 0, ""
    for target in a.scale:
        start = time.monotonic()
        while have < target and not stopped:
            if mem_available_mib() < 3072:
                stopped = f"MemAvailable {mem_available_mib()} MiB at {have} instances (4 MiB ring buffer each)"
                break
            gadget = ("trace_exec", "trace_open")[have % 2]
            p = ig(daemon, "run", "--name", f"scale{have}", gadget, "--pid", "1", "--detach", check=False)
            if p.returncode != 0:
                stopped = f"instance {have + 1} ({gadget}) failed: {p.stderr.strip()}"
                break
            have += 1
        if have and (not rows or rows[-1]["instances"] != have):
            rows.append(measure_scale(daemon, a, have, time.monotonic() - start))
        if stopped:
            break
    print("\n| instances | `ig list` median (p90) ms | `ig run bpfstats` median (p90) ms | daemon RSS MiB "
          "(anonymous) | daemon fds |")
    print("|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['instances']} | {r['list_ms']:.0f} ({r['list_p90_ms']:.0f}) | {r['bpfstats_ms']:.0f} "
              f"({r['bpfstats_p90_ms']:.0f}) | {r['rss_kib'] / 1024:.1f} ({r['rss_anon_kib'] / 1024:.1f}) | "
              f"{r['fds']} |")
    if stopped:
        print(f"\nstopped: {stopped}")
    start = time.monotonic()
    ig(daemon, "remove", "--all", timeout=600)
    print(f"removing {have} instances took {time.monotonic() - start:.0f} s")
    return {"rows": rows, "stopped": stopped}


def plot(rows, path):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        # Debian's python3-matplotlib is for /usr/bin/python3, which may not be this one.
        system = "/usr/bin/python3"
        if os.path.realpath(sys.executable) != os.path.realpath(system) and os.access(system, os.X_OK):
            data = path + ".json"
            with open(data, "w") as f:
                json.dump(rows, f)
            subprocess.run([system, os.path.abspath(__file__), "--plot", path, "--plot-from", data])
            os.unlink(data)
        else:
            print(f"matplotlib is not installed (apt install python3-matplotlib); no {path}")
        return
    xs = [r["at"] for r in rows]
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(7, 6), sharex=True)
    top.plot(xs, [r["rss_kib"] / 1024 for r in rows], marker="o", label="RSS")
    top.plot(xs, [r["rss_anon_kib"] / 1024 for r in rows], marker=".", label="of which anonymous (heap)")
    top.legend(loc="lower right")
    top.set_ylabel("daemon memory (MiB)")
    top.set_ylim(bottom=0)
    top.set_title("ig daemon over run --detach / remove cycles (trace_open + trace_exec)")
    for key, label in (("fds", "open fds"), ("threads", "threads"), ("held_prog", "BPF programs held"),
                       ("held_map", "BPF maps held"), ("held_link", "BPF links held")):
        bottom.plot(xs, [r[key] for r in rows], marker=".", label=label)
    bottom.set_xlabel("cycle")
    bottom.set_ylabel("count")
    bottom.legend(loc="center right")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    print(f"plot: {path}")


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build-dir", default=os.path.join(os.path.dirname(here), "build"))
    ap.add_argument("--ig")
    ap.add_argument("--storm")
    ap.add_argument("--parts", default="cycles,clients,slow,scale")
    ap.add_argument("--cycles", type=int, default=1000)
    ap.add_argument("--every", type=int, default=100)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--storm-count", type=int, default=500000)
    ap.add_argument("--scale", default="10,100,1000")
    ap.add_argument("--repeat", type=int, default=10)
    ap.add_argument("--plot", help="write the cycles' RSS and fds to this PNG")
    ap.add_argument("--json", help="write every reading here")
    ap.add_argument("--plot-from", help=argparse.SUPPRESS)  # the cycles' rows, to plot with another python
    a = ap.parse_args()
    if a.plot_from:
        with open(a.plot_from) as f:
            return plot(json.load(f), a.plot)
    a.parts = a.parts.split(",")
    a.scale = [int(n) for n in a.scale.split(",")]
    a.ig = a.ig or os.path.join(a.build_dir, "host", "ig")
    a.storm = a.storm or os.path.join(a.build_dir, "bench", "open_storm")
    if os.geteuid() != 0:
        print("soak: needs root", file=sys.stderr)
        sys.exit(77)
    for path in (a.ig, a.storm):
        if not os.access(path, os.X_OK):
            die(f"{path} is not built")
    sysctl_before = read(SYSCTL).strip()
    print(f"kernel {platform.release()}, {cpu_model()}, {os.cpu_count()} CPUs; {' '.join(sys.argv)}", flush=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    daemon = Daemon(a.ig, "soak")
    results, held_at_end = {}, None
    try:
        for part in a.parts:
            print(f"\n## {part}", flush=True)
            results[part] = {"cycles": cycles, "clients": lambda d, a: Clients(d, a).go(), "slow": slow_reader,
                             "scale": scale}[part](daemon, a)
        held_at_end = {k: len(v) for k, v in held_objects(daemon.pid).items()}
    finally:
        subprocess.run([a.ig, "remove", "--all"], env=daemon.env, capture_output=True, timeout=600)
        daemon.stop()
    print(f"\ndaemon holds at the end: {held_at_end}; kernel.bpf_stats_enabled {sysctl_before} before, "
          f"{read(SYSCTL).strip()} after")
    if a.plot and "cycles" in results:
        plot(results["cycles"], a.plot)
    if a.json:
        with open(a.json, "w") as f:
            json.dump(results, f, indent=1, default=list)


if __name__ == "__main__":
    main()
