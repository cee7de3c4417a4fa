"""The daemon's Prometheus endpoint against the real tools: `promtool check metrics`
on the exposition, a real `prometheus` server (Debian's package, on loopback, with a
temp config and data dir) scraping a private daemon, bpfstats' collector (--metrics
and the seed's --annotate spelling), series that vanish with their instance, and
bad input: listen addresses, a taken port, a second collector, garbage clients.

Everything listens on 127.0.0.1 only. Assertions are on this daemon's instances only:
other people load BPF on this machine at the same time. Every process started here
ends (SIGTERM, then SIGKILL) before the case returns.
"""
import json
import os
import re
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

from igtest import (Failure, IgRun, bpf_ids_held_by, expect, expect_one_error, ig_binary, main, run_ig, which)

BPFSTATS_FAMILIES = ("runtime_total", "runcount_total", "mapMemory", "mapCount")
# Issue 12's figures, published beside them with the same labels and the same spelling.
FIGURE_FAMILIES = (("mapMemoryReal", "gauge"), ("progMemory", "gauge"), ("recursionMisses_total", "counter"))
LABELS = ("gadgetID", "gadgetName", "gadgetImage", "progID", "progName")
# promtool lints for snake_case; the seed's names and labels are camelCase on
# purpose (users already scrape them), and issue 12's names follow them. Anything
# else promtool says is a failure.
SEED_LINT = re.compile(r"^(runtime_total|runcount_total|mapMemory|mapCount|mapMemoryReal|progMemory|"
                       r"recursionMisses_total) label names should be written in 'snake_case' not 'camelCase'$|"
                       r"^(mapMemory|mapCount|mapMemoryReal|progMemory|recursionMisses_total) metric names should be "
                       r"written in 'snake_case' not 'camelCase'$")
SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$')
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')


# --- helpers -------------------------------------------------------------------

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ig_stdout(sandbox, *args, timeout=60):
    p = subprocess.run([ig_binary(), *args], capture_output=True, text=True, env=sandbox.env, timeout=timeout,
                       stdin=subprocess.DEVNULL)
    expect(p.returncode == 0, f"'ig {' '.join(args)}' failed ({p.returncode}): {p.stderr.strip()}")
    return p.stdout.strip()


class Process:
    """A background process with output in files; stop() ends it for sure."""

    def __init__(self, argv, prefix, env=None):
        self.err_path = prefix + ".err"
        with open(prefix + ".out", "wb") as out, open(self.err_path, "wb") as err:
            self.proc = subprocess.Popen(argv, stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=env)
        self.pid = self.proc.pid

    def stderr(self):
        with open(self.err_path, errors="replace") as f:
            return f.read()

    def running(self):
        return self.proc.poll() is None

    def stop(self, grace=10):
        if self.running():
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(grace)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode


def wait_for(condition, timeout, what, process=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        if process and not process.running():
            raise Failure(f"{what}: the process exited with {process.proc.returncode}: {process.stderr().strip()!r}")
        time.sleep(0.1)
    raise Failure(f"{what} within {timeout}s")


class Daemon:
    """`ig daemon --metrics-listen 127.0.0.1:PORT` for this sandbox, in the foreground."""

    def __init__(self, sandbox, *flags):
        self.sandbox = sandbox
        for attempt in range(3):  # the free port may be taken between probe and bind
            self.port = free_port()
            self.process = Process([ig_binary(), "daemon", "--metrics-listen", f"127.0.0.1:{self.port}", *flags],
                                   sandbox.path(f"daemon{attempt}"), sandbox.env)
            try:
                wait_for(lambda: "listening on" in self.process.stderr(), 20, "the daemon did not start",
                         self.process)
                break
            except Failure:
                if "Address already in use" not in self.process.stderr() or attempt == 2:
                    raise
        self.url = f"http://127.0.0.1:{self.port}/metrics"

    def get(self, path="/metrics"):
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=10) as r:
            return r.status, r.headers.get("Content-Type"), r.read().decode()

    def scrape(self):
        return self.get()[2]

    def stop(self):
        self.process.stop()


def parse_exposition(text):
    """{(name, frozenset(labels)): value}, plus {name: (help, type)}; fails on anything malformed
    and on a series given twice."""
    series, meta = {}, {}
    for line in text.splitlines():
        if line.startswith("# HELP "):
            name, _, help_text = line[7:].partition(" ")
            meta.setdefault(name, [None, None])[0] = help_text
            continue
        if line.startswith("# TYPE "):
            name, _, kind = line[7:].partition(" ")
            meta.setdefault(name, [None, None])[1] = kind
            continue
        m = SAMPLE.match(line)
        expect(m is not None, f"not an exposition line: {line!r}")
        labels = frozenset(LABEL.findall(m.group(3) or ""))
        key = (m.group(1), labels)
        expect(key not in series, f"series given twice: {line!r}")
        series[key] = float(m.group(4))
    return series, meta


def samples(series, name, **labels):
    """Values of `name` whose labels include `labels`: {frozenset(labels): value}."""
    want = set(labels.items())
    return {ls: v for (n, ls), v in series.items() if n == name and want <= set(ls)}


def promtool_check(text):
    p = subprocess.run([which("promtool"), "check", "metrics"], input=text, capture_output=True, text=True,
                       timeout=30)
    problems = [line for line in (p.stdout + p.stderr).splitlines() if line.strip()]
    unexpected = [line for line in problems if not SEED_LINT.match(line)]
    expect(p.returncode in (0, 3) and not unexpected,
           f"promtool check metrics failed ({p.returncode}): {unexpected or problems}")
    return problems


def make_opens(n=300):
    for _ in range(n):
        with open("/etc/hostname", "rb"):
            pass


def run_detached(sandbox, *args):
    return ig_stdout(sandbox, "run", *args, "--detach")


# --- cases -----------------------------------------------------------------------

def the_exposition_passes_promtool_and_carries_the_seed_names_and_labels(sandbox):
    daemon = Daemon(sandbox)
    try:
        trace_id = run_detached(sandbox, "--name", "mytraceopen", "trace_open")
        run_detached(sandbox, "bpfstats", "--name", "mystats", "--metrics")
        status, content_type, text = daemon.get()
        expect(status == 200, f"GET /metrics: {status}")
        expect(content_type == "text/plain; version=0.0.4; charset=utf-8", f"Content-Type: {content_type!r}")
        series, meta = parse_exposition(text)
        for name in BPFSTATS_FAMILIES:
            expect(name in meta and meta[name][0], f"no HELP for {name}: {meta.get(name)}")
        for name, kind in (("runtime_total", "counter"), ("runcount_total", "counter"), ("mapMemory", "gauge"),
                           ("mapCount", "gauge")):
            expect(meta[name][1] == kind, f"TYPE of {name} is {meta[name][1]}, expected {kind}")
            rows = samples(series, name, gadgetID=trace_id)
            expect(len(rows) == 1, f"{name}: expected one series for mytraceopen, got {rows}")
            labels = dict(next(iter(rows)))
            expect(tuple(sorted(labels)) == tuple(sorted(LABELS)), f"{name} labels: {labels}")
            expect(labels["gadgetName"] == "mytraceopen" and labels["gadgetImage"] == "trace_open" and
                   labels["progID"] == "0", f"{name} labels: {labels}")
        expect(next(iter(samples(series, "mapCount", gadgetID=trace_id).values())) >= 1, "mapCount is 0")
        expect(next(iter(samples(series, "mapMemory", gadgetID=trace_id).values())) > 0, "mapMemory is 0")
        for name, kind in FIGURE_FAMILIES:
            expect(name in meta and meta[name][0] and meta[name][1] == kind, f"{name}: HELP/TYPE {meta.get(name)}")
            rows = samples(series, name, gadgetID=trace_id)
            expect(len(rows) == 1 and tuple(sorted(dict(next(iter(rows))))) == tuple(sorted(LABELS)),
                   f"{name}: expected one series with the five labels for mytraceopen, got {rows}")
        real = next(iter(samples(series, "mapMemoryReal", gadgetID=trace_id).values()))
        expect(real >= next(iter(samples(series, "mapMemory", gadgetID=trace_id).values())), "mapMemoryReal < mapMemory")
        expect(next(iter(samples(series, "progMemory", gadgetID=trace_id).values())) > 0, "progMemory is 0")
        # The daemon's own metrics.
        for name in ("ig_instances", "ig_instance_events_total", "ig_instance_lost_events_total",
                     "ig_metrics_scrape_duration_seconds", "process_resident_memory_bytes", "process_open_fds",
                     "process_cpu_seconds_total"):
            expect(name in meta, f"no {name} in the exposition")
        expect(samples(series, "ig_instances", status="running") == {frozenset({("status", "running")}): 2.0},
               f"ig_instances: {samples(series, 'ig_instances')}")
        expect(len(samples(series, "ig_instance_lost_events_total", gadget_id=trace_id)) == 1,
               "no lost-events series for mytraceopen")
        promtool_check(text)

        # --all: one series per program, with our programs under our instance.
        ig_stdout(sandbox, "remove", "mystats")
        run_detached(sandbox, "bpfstats", "--name", "allstats", "--metrics", "--all")
        progs, _ = bpf_ids_held_by(daemon.process.pid)
        expect(progs, "the daemon holds no programs")
        series, _ = parse_exposition(daemon.scrape())
        own = []  # the collector's own iterators (counters, map details), programs of its instance
        for prog in progs:
            rows = samples(series, "runcount_total", progID=str(prog))
            expect(len(rows) == 1, f"program {prog}: expected one runcount_total series, got {rows}")
            labels = dict(next(iter(rows)))
            if labels["gadgetName"] == "allstats":
                expect(labels["gadgetImage"] == "bpfstats" and labels["progName"] in ("bpfstats_progs", "bpfstats_maps"),
                       f"program {prog}: labels {labels}")
                own.append(labels["progName"])
                continue
            expect(labels["gadgetID"] == trace_id and labels["progName"].startswith("ig_"),
                   f"program {prog}: labels {labels}")
        expect(sorted(own) == ["bpfstats_maps", "bpfstats_progs"],
               f"the --all collector's iterators are not its instance's series: {own}")
        promtool_check(daemon.scrape())
    finally:
        daemon.stop()


def a_real_prometheus_scrapes_runcount_that_grows_and_forgets_removed_instances(sandbox):
    daemon = Daemon(sandbox)  # no --enable-bpfstats: the collector holds stats on itself
    prometheus = None
    try:
        trace_id = run_detached(sandbox, "--name", "mytraceopen", "trace_open")
        keeper_id = run_detached(sandbox, "--name", "keeper", "trace_open")
        run_detached(sandbox, "bpfstats", "--name", "mystats", "--otel-metrics-name", "bpfstats:bpfstats",
                     "--annotate", "bpfstats:metrics.collect=true")
        web_port = free_port()
        data = sandbox.path("prometheus-data")
        config = sandbox.path("prometheus.yml")
        with open(config, "w") as f:
            f.write("global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n"
                    "scrape_configs:\n  - job_name: ig\n    static_configs:\n"
                    f"      - targets: ['127.0.0.1:{daemon.port}']\n")
        prometheus = Process([which("prometheus"), f"--config.file={config}", f"--storage.tsdb.path={data}",
                              f"--web.listen-address=127.0.0.1:{web_port}", "--storage.tsdb.retention.time=1h"],
                             sandbox.path("prometheus"))
        api = f"http://127.0.0.1:{web_port}"

        def ready():
            try:
                with urllib.request.urlopen(api + "/-/ready", timeout=2) as r:
                    return r.status == 200
            except (urllib.error.URLError, OSError):
                return False

        wait_for(ready, 60, "prometheus did not become ready", prometheus)

        def query(promql):
            url = api + "/api/v1/query?" + urllib.parse.urlencode({"query": promql})
            with urllib.request.urlopen(url, timeout=5) as r:
                body = json.load(r)
            expect(body.get("status") == "success", f"query {promql!r}: {body}")
            return body["data"]["result"]

        selector = f'runcount_total{{gadgetID="{trace_id}",gadgetName="mytraceopen",progID="0"}}'
        first = wait_for(lambda: query(selector), 30, f"prometheus has no {selector}", prometheus)
        expect(len(first) == 1, f"{selector}: {first}")
        expect(first[0]["metric"].get("job") == "ig", f"labels: {first[0]['metric']}")
        before = float(first[0]["value"][1])
        up = query('up{job="ig"}')
        expect(up and up[0]["value"][1] == "1", f"up: {up}")
        make_opens()

        def grew():
            result = query(selector)
            return result and float(result[0]["value"][1]) > before

        wait_for(grew, 30, f"runcount_total did not grow past {before} after 300 opens", prometheus)
        resets = query(f"resets({selector}[5m])")
        expect(resets and resets[0]["value"][1] == "0", f"runcount_total went backwards: {resets}")
        lost = wait_for(lambda: query(f'ig_instance_lost_events_total{{gadget_id="{trace_id}"}}'), 15,
                        "prometheus has no lost-events series for mytraceopen", prometheus)
        expect(len(lost) == 1, f"lost events: {lost}")

        # Remove one traced instance: the very next scrape has none of its series (the
        # host drops them with the instance, before the collector's next tick), the
        # other instance's stay, and prometheus marks the removed ones stale.
        ig_stdout(sandbox, "remove", "mytraceopen")
        series, _ = parse_exposition(daemon.scrape())
        for name in BPFSTATS_FAMILIES:
            expect(not samples(series, name, gadgetID=trace_id), f"{name} of the removed instance is still scraped")
            expect(len(samples(series, name, gadgetID=keeper_id)) == 1, f"{name} of 'keeper' is gone too")
        wait_for(lambda: not query(selector), 30, "prometheus still returns the removed instance's series",
                 prometheus)
        expect(query(f'runcount_total{{gadgetName="keeper"}}'), "prometheus lost the other instance's series")
        # Remove the collector: every bpfstats series goes with it.
        ig_stdout(sandbox, "remove", "mystats")
        series, _ = parse_exposition(daemon.scrape())
        left = [key for key in series if key[0] in BPFSTATS_FAMILIES]
        expect(not left, f"series left after the collector was removed: {left[:3]}")
        wait_for(lambda: not query("runtime_total"), 30, "prometheus still returns runtime_total", prometheus)
    finally:
        if prometheus:
            prometheus.stop()
        daemon.stop()


def a_second_collector_is_refused_and_no_series_is_ever_doubled(sandbox):
    daemon = Daemon(sandbox, "--enable-bpfstats")
    try:
        run_detached(sandbox, "--name", "mytraceopen", "trace_open")
        run_detached(sandbox, "bpfstats", "--name", "first", "--metrics")
        rc, lines = run_ig(sandbox, ["run", "bpfstats", "--name", "second", "--otel-metrics-name", "bpfstats:bpfstats",
                                     "--annotate", "bpfstats:metrics.collect=true", "--detach"])
        message = expect_one_error(rc, lines, "a second collector")
        expect("already published by instance 'first'" in message, f"error does not name the owner: {message!r}")
        names = [json.loads(line)["name"] for line in ig_stdout(sandbox, "list", "-o", "json").splitlines()]
        expect(sorted(names) == ["first", "mytraceopen"], f"instances after the refusal: {names}")
        parse_exposition(daemon.scrape())  # fails on a doubled series
        # A foreground collector is refused the same way and leaves nothing behind.
        rc, lines = run_ig(sandbox, ["run", "bpfstats", "--metrics", "--timeout", "5"])
        expect(rc != 0 and any("already published" in line for line in lines), f"foreground: {rc} {lines}")
        # Once the first is gone, the seed's spelling takes over.
        ig_stdout(sandbox, "remove", "first")
        run_detached(sandbox, "bpfstats", "--name", "second", "--otel-metrics-name", "bpfstats:bpfstats",
                     "--annotate", "bpfstats:metrics.collect=true")
        series, _ = parse_exposition(daemon.scrape())
        expect(len(samples(series, "runtime_total", gadgetName="mytraceopen")) == 1, "no series from 'second'")
    finally:
        daemon.stop()


def a_collector_needs_a_daemon_that_serves_metrics(sandbox):
    sandbox.start_daemon()  # from the sandbox's config: no [metrics]
    rc, lines = run_ig(sandbox, ["run", "bpfstats", "--name", "mystats", "--metrics", "--detach"])
    message = expect_one_error(rc, lines, "--metrics without a listener")
    expect("serves no metrics" in message and "--metrics-listen" in message, f"error: {message!r}")
    rc, lines = run_ig(sandbox, ["run", "bpfstats", "--annotate", "bpfstats:metrics.print=true"])
    message = expect_one_error(rc, lines, "an unknown annotation")
    expect("unknown annotation 'metrics.print'" in message, f"error: {message!r}")


def a_foreground_collector_takes_its_series_with_it(sandbox):
    daemon = Daemon(sandbox)
    try:
        trace_id = run_detached(sandbox, "--name", "mytraceopen", "trace_open")
        run = IgRun(sandbox, ["bpfstats", "--metrics", "--interval", "200ms"])
        run.wait_attached()
        wait_for(lambda: samples(parse_exposition(daemon.scrape())[0], "runtime_total", gadgetID=trace_id), 5,
                 "the foreground collector's series did not appear")
        expect(run.stop() == 0, f"the collector did not stop cleanly: {run.stderr()!r}")
        expect(run.events() == [], f"a collector printed rows: {run.events()[:2]}")
        series, _ = parse_exposition(daemon.scrape())
        expect(not [k for k in series if k[0] in BPFSTATS_FAMILIES], "series left after the collector stopped")
    finally:
        daemon.stop()


def bad_listen_addresses_and_a_taken_port_fail_the_start_with_one_line(sandbox):
    holder = socket.socket()
    holder.bind(("127.0.0.1", 0))
    holder.listen(1)
    taken = holder.getsockname()[1]
    cases = {
        "127.0.0.1": "no port",
        "127.0.0.1:0": "port 0",
        "127.0.0.1:70000": "not a number from 1 to 65535",
        "ig-no-such-host.invalid:2224": "cannot resolve",
        "::1:2224": "brackets",
        f"127.0.0.1:{taken}": "Address already in use",
    }
    try:
        for address, reason in cases.items():
            args = ["--socket", sandbox.path("bad.sock"), "--pid-file", sandbox.path("bad.pid"), "daemon",
                    "--metrics-listen", address]
            rc, lines = run_ig(sandbox, args, timeout=30)
            message = expect_one_error(rc, lines, f"--metrics-listen {address}")
            expect(reason in message and address in message, f"--metrics-listen {address}: {message!r}")
        # The same through the config file.
        config = sandbox.path("metrics.toml")
        with open(config, "w") as f:
            f.write(f'socket = "{sandbox.path("c.sock")}"\npid_file = "{sandbox.path("c.pid")}"\n'
                    f'state_dir = "{sandbox.path("c-state")}"\n[metrics]\nlisten = "127.0.0.1:{taken}"\n')
        rc, lines = run_ig(sandbox, ["--config", config, "daemon"], timeout=30)
        message = expect_one_error(rc, lines, "[metrics] listen on a taken port")
        expect("Address already in use" in message, f"config: {message!r}")
        rc, lines = run_ig(sandbox, ["daemon", "--metrics-listen"], timeout=30)
        expect_one_error(rc, lines, "--metrics-listen without a value")
    finally:
        holder.close()


def raw_request(port, data, timeout=15, piece=None):
    """Send `data` (in `piece`-byte writes, if given), read until the server closes;
    (response bytes, closed by the server)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        try:
            for at in range(0, len(data), piece or max(len(data), 1)):
                s.sendall(data[at:at + (piece or len(data))])
                if piece:
                    time.sleep(0.01)
        except (BrokenPipeError, ConnectionResetError):
            return b"", True
        received = b""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                chunk = s.recv(65536)
            except ConnectionResetError:
                return received, True
            except socket.timeout:
                break
            if not chunk:
                return received, True
            received += chunk
        return received, False


def garbage_huge_and_silent_clients_are_closed_and_the_daemon_is_unaffected(sandbox):
    daemon = Daemon(sandbox)
    try:
        run_detached(sandbox, "--name", "mytraceopen", "trace_open")
        reply, closed = raw_request(daemon.port, b"\x00\x01garbage\r\n\r\n")
        expect(closed and (reply == b"" or reply.startswith(b"HTTP/1.1 400")), f"garbage: {closed} {reply[:80]!r}")
        huge = b"GET /metrics HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * (1 << 20) + b"\r\n\r\n"
        reply, closed = raw_request(daemon.port, huge)
        expect(closed and b"200 OK" not in reply, f"a 1 MiB header: {closed} {reply[:80]!r}")
        body = b"GET /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"
        reply, closed = raw_request(daemon.port, body)
        expect(closed and reply.startswith(b"HTTP/1.1 400"), f"a request with a body: {reply[:80]!r}")
        # Found by fuzz_metrics_request: Boost 1.74's chunked-body parser asserted
        # (aborting the daemon) on this last chunk arriving 3 bytes at a time.
        chunked = b"GET /metrics HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\n"
        reply, closed = raw_request(daemon.port, chunked, piece=3)
        expect(daemon.process.running(), "a chunked request in 3-byte pieces killed the daemon")
        expect(closed and (reply == b"" or reply.startswith(b"HTTP/1.1 400")), f"a chunked body: {reply[:80]!r}")
        # Wrong path and method: 404 and 405, and the connection may stay.
        for request, status in ((b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", b"404"),
                                (b"POST /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", b"405"),
                                (b"DELETE /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", b"405")):
            reply, _ = raw_request(daemon.port, request)
            expect(reply.startswith(b"HTTP/1.1 " + status), f"{request.split()[0:2]}: {reply[:60]!r}")
        # Keep-alive: two scrapes on one connection.
        two = b"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\nGET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        reply, closed = raw_request(daemon.port, two)
        expect(closed and reply.count(b"HTTP/1.1 200 OK") == 2, f"keep-alive: {reply.count(b'200 OK')} answers")
        # A client that says nothing is closed after the request timeout (10 s).
        started = time.monotonic()
        reply, closed = raw_request(daemon.port, b"", timeout=20)
        expect(closed and time.monotonic() - started < 15, f"a silent client was not closed ({reply[:40]!r})")
        # A flood of connections: the extra ones are closed, scrapes work after.
        sockets = []
        try:
            for _ in range(80):
                sockets.append(socket.create_connection(("127.0.0.1", daemon.port), timeout=5))
        finally:
            for s in sockets:
                s.close()
        expect(daemon.process.running(), "the daemon died")
        wait_for(lambda: "mytraceopen" in daemon.scrape(), 15, "scrapes do not work after the bad clients")
        names = [json.loads(line)["name"] for line in ig_stdout(sandbox, "list", "-o", "json").splitlines()]
        expect(names == ["mytraceopen"], f"instances: {names}")
    finally:
        daemon.stop()


def closed_by_server(s):
    try:
        return s.recv(1, socket.MSG_DONTWAIT | socket.MSG_PEEK) == b""
    except BlockingIOError:
        return False
    except ConnectionResetError:
        return True


def silent_connections_cannot_keep_a_scrape_out(sandbox):
    """Issue 13: 64 clients that connect and say nothing took every place, and each
    scrape was closed at accept until they timed out; reconnecting kept it blind."""
    daemon = Daemon(sandbox)
    silent = []
    try:
        run_detached(sandbox, "--name", "mytraceopen", "trace_open")
        for _ in range(200):
            silent.append(socket.create_connection(("127.0.0.1", daemon.port), timeout=5))
        started = time.monotonic()
        text = daemon.scrape()
        expect("mytraceopen" in text, "the scrape behind 200 silent connections lacks the instance")
        expect(time.monotonic() - started < 5, f"the scrape took {time.monotonic() - started:.1f}s")
        # Again while the silent ones are still open and reconnect as soon as closed.
        for i, s in enumerate(silent):
            if closed_by_server(s):
                s.close()
                silent[i] = socket.create_connection(("127.0.0.1", daemon.port), timeout=5)
        expect("mytraceopen" in daemon.scrape(), "a second scrape behind the reconnected silent clients failed")
        expect(daemon.process.running(), "the daemon died")
        expect("closed the longest silent one" in daemon.process.stderr(), "the daemon did not say it closed one")
    finally:
        for s in silent:
            s.close()
        daemon.stop()


if __name__ == "__main__":
    main("metrics", [
        the_exposition_passes_promtool_and_carries_the_seed_names_and_labels,
        a_real_prometheus_scrapes_runcount_that_grows_and_forgets_removed_instances,
        a_second_collector_is_refused_and_no_series_is_ever_doubled,
        a_collector_needs_a_daemon_that_serves_metrics,
        a_foreground_collector_takes_its_series_with_it,
        bad_listen_addresses_and_a_taken_port_fail_the_start_with_one_line,
        garbage_huge_and_silent_clients_are_closed_and_the_daemon_is_unaffected,
        silent_connections_cannot_keep_a_scrape_out,
    ], programs=("bpftool", "promtool", "prometheus"), tracepoints=("syscalls/sys_enter_openat",))
