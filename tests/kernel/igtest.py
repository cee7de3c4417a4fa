"""Shared helpers for ig's kernel tests (Python 3 standard library only).

A test file lists its cases and calls main(); each case gets a Sandbox: a private
temp dir with an IG_CONFIG file (so a private ig daemon), from which it starts
`ig run` (IgRun) or runs ig to completion (run_ig). The bpf_* helpers look at
kernel objects through bpftool and /proc/PID/fdinfo, so a test only ever asserts on
objects it can attribute to its own ig processes: other people load BPF on the
same machine.
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
import traceback

SKIP = 77
ATTACHED = re.compile(r"^ig: '([^']+)' attached as '([^']+)'; Ctrl-C to stop$")
CAP_SYS_ADMIN, CAP_PERFMON, CAP_BPF = 21, 38, 39
SAFETY_TIMEOUT = "120s"  # every ig we start ends by itself even if the test dies


class Failure(Exception):
    """A test expectation that did not hold."""


def expect(condition, message):
    if not condition:
        raise Failure(message)


def ig_binary():
    return os.environ["IG"]


def plugin_path(name):
    """Path of a purpose-built plugin from tests/plugins, given by meson."""
    return os.environ["IG_PLUGIN_" + name.upper()]


# --- requirements -----------------------------------------------------------

def _effective_caps():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("CapEff:"):
                return int(line.split()[1], 16)
    return 0


def require(test, programs=(), tracepoints=()):
    """Exit 77 (or 1 under IG_REQUIRE_KERNEL=1) unless the kernel test can run."""
    missing = []
    caps = _effective_caps()
    has_bpf = caps & (1 << CAP_SYS_ADMIN) or (caps & (1 << CAP_BPF) and caps & (1 << CAP_PERFMON))
    if not has_bpf:
        missing.append("root or CAP_BPF,CAP_PERFMON")
    if not os.path.exists("/sys/kernel/btf/vmlinux"):
        missing.append("kernel BTF (/sys/kernel/btf/vmlinux)")
    missing += [program for program in programs if not which(program)]
    events = "/sys/kernel/tracing/events"
    if os.path.isdir(events):  # ig mounts tracefs itself; check hooks when we can
        missing += [f"tracepoint {tp}" for tp in tracepoints if not os.path.isdir(f"{events}/{tp}")]
    if not missing:
        return
    print(f"SKIP {test}: needs {', '.join(missing)}; run: sudo meson test --suite kernel")
    sys.exit(1 if os.environ.get("IG_REQUIRE_KERNEL") == "1" else SKIP)


def which(program):
    """Like `which`, also looking in the sbin directories (bpftool lives there)."""
    return shutil.which(program, path=os.environ.get("PATH", "") + ":/usr/sbin:/sbin")


# --- running ig -------------------------------------------------------------

class Sandbox:
    """A temp dir with its own ig config, so `ig` talks to a private daemon (started
    on first use); teardown stops that daemon and removes the dir."""

    def __enter__(self):
        self.dir = tempfile.mkdtemp(prefix="ig-kernel-test-")
        self.pid_file = os.path.join(self.dir, "ig.pid")
        self.daemon_log = os.path.join(self.dir, "ig.log")  # what a started daemon writes, beside its pid file
        config = os.path.join(self.dir, "config.toml")
        with open(config, "w") as f:
            f.write(f'socket = "{self.dir}/ig.sock"\n'
                    f'pid_file = "{self.pid_file}"\n'
                    f'state_dir = "{self.dir}/state"\n')
        self.env = dict(os.environ, IG_CONFIG=config)
        self.runs = []
        return self

    def path(self, name):
        return os.path.join(self.dir, name)

    def daemon_pid(self):
        """The pid of this sandbox's running ig daemon, or None."""
        try:
            with open(self.pid_file) as f:
                pid = int(f.read().split()[0])
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                argv0 = f.read().split(b"\0")[0]
        except (OSError, ValueError, IndexError):
            return None
        # Never trust a stale pid that now names someone else's process.
        return pid if os.path.basename(argv0) == b"ig" else None

    def start_daemon(self):
        """Start the private daemon now, so later commands print only their own lines."""
        rc, lines = run_ig(self, ["list"])
        expect(rc == 0 and self.daemon_pid(), f"could not start the ig daemon ({rc}): {lines!r}")
        return self.daemon_pid()

    def __exit__(self, *exc):
        for run in self.runs:
            run.kill()
        pid = self.daemon_pid()
        if pid:
            _terminate(pid)
        shutil.rmtree(self.dir, ignore_errors=True)
        return False


def _terminate(pid, grace=5):
    """SIGTERM, then SIGKILL after `grace` seconds (the daemon is not our child)."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline and alive(pid):
            time.sleep(0.05)


def alive(pid):
    """True while `pid` runs (a zombie waiting for its reaper does not count)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rpartition(")")[2].split()[0] not in ("Z", "X")
    except (OSError, IndexError):
        return False


class IgRun:
    """`ig run ARGS -o json` in the background; output goes to files in the sandbox."""

    def __init__(self, sandbox, args, json_output=True):
        self.sandbox = sandbox
        n = len(sandbox.runs)
        self.out_path = sandbox.path(f"run{n}.out")
        self.err_path = sandbox.path(f"run{n}.err")
        cmd = [ig_binary(), "run", *args]
        if json_output:
            cmd += ["-o", "json"]
        if not any(a == "--timeout" for a in args):
            cmd += ["--timeout", SAFETY_TIMEOUT]
        with open(self.out_path, "wb") as out, open(self.err_path, "wb") as err:
            self.proc = subprocess.Popen(cmd, stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=sandbox.env)
        sandbox.runs.append(self)
        self.pid = self.proc.pid

    def stderr(self):
        with open(self.err_path, errors="replace") as f:
            return f.read()

    def wait_attached(self, timeout=30):
        """Wait for ig's "attached" line; return the instance name."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in self.stderr().splitlines():
                m = ATTACHED.match(line)
                if m:
                    return m.group(2)
            if self.proc.poll() is not None:
                raise Failure(f"ig exited with {self.proc.returncode} before attaching: {self.stderr().strip()!r}")
            time.sleep(0.05)
        raise Failure(f"ig did not attach within {timeout}s: {self.stderr().strip()!r}")

    def stop(self, timeout=15):
        """SIGINT, as Ctrl-C does; return the exit code."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
        return self.wait(timeout)

    def wait(self, timeout=15):
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise Failure(f"ig did not exit within {timeout}s; killed it")

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def events(self):
        """The JSON lines ig wrote; every line must be one JSON object."""
        events = []
        with open(self.out_path, errors="replace") as f:
            for number, line in enumerate(f, 1):
                try:
                    events.append(json.loads(line))
                except json.JSONDecodeError as e:
                    raise Failure(f"output line {number} is not JSON ({e}): {line!r}")
        return events


def run_ig(sandbox, args, wrapper=(), timeout=60):
    """Run `[WRAPPER...] ig ARGS` to completion; return (exit code, stderr lines)."""
    try:
        p = subprocess.run([*wrapper, ig_binary(), *args], capture_output=True, env=sandbox.env, timeout=timeout,
                           stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        raise Failure(f"'ig {' '.join(args)}' did not exit within {timeout}s")
    return p.returncode, p.stderr.decode(errors="replace").splitlines()


def expect_one_error(rc, lines, what):
    """ig failed cleanly: exit code 1-255, one `ig: error: ` line; return its text."""
    expect(rc > 0, f"{what}: expected a non-zero exit code (not a signal), got {rc}")
    expect(len(lines) == 1, f"{what}: expected exactly one line on stderr, got {len(lines)}: {lines!r}")
    expect(lines[0].startswith("ig: error: "), f"{what}: stderr line does not start with 'ig: error: ': {lines[0]!r}")
    return lines[0][len("ig: error: "):]


def host_abi():
    """(major, minor) from `ig version`."""
    out = subprocess.run([ig_binary(), "version"], capture_output=True, text=True, check=True).stdout
    m = re.search(r"plugin ABI (\d+)\.(\d+)", out)
    expect(m is not None, f"'ig version' does not name the plugin ABI: {out!r}")
    return int(m.group(1)), int(m.group(2))


# --- kernel BPF objects ------------------------------------------------------

def bpftool_json(*args):
    p = subprocess.run([which("bpftool"), *args, "-j"], capture_output=True, text=True)
    if p.returncode != 0:
        return None
    return json.loads(p.stdout or "null")


def kernel_at_least(major, minor):
    release = os.uname().release.split("-")[0].split(".")
    return (int(release[0]), int(release[1])) >= (major, minor)


# trace_open's programs on this kernel: one exit program per call where BPF can read
# the saved syscall registers (bpf_task_pt_regs, Linux 5.15), else entry/exit pairs.
TRACE_OPEN_EXIT_ONLY = kernel_at_least(5, 15)
TRACE_OPEN_PROGRAMS = ({"ig_open", "ig_openat", "ig_openat2"} if TRACE_OPEN_EXIT_ONLY else
                       {"ig_open_e", "ig_open_x", "ig_openat_e", "ig_openat_x", "ig_openat2_e", "ig_openat2_x"})
TRACE_OPEN_OPENAT = {"ig_openat"} if TRACE_OPEN_EXIT_ONLY else {"ig_openat_e", "ig_openat_x"}


def ig_programs():
    """{id: name} of every loaded program whose name starts with ig_ (anyone's)."""
    progs = bpftool_json("prog", "show") or []
    return {p["id"]: p.get("name", "") for p in progs if p.get("name", "").startswith("ig_")}


def bpf_ids_held_by(pid):
    """(program ids, map ids) that process `pid` holds through its file descriptors."""
    progs, maps = set(), set()
    for fd in _bpf_fds(pid):
        try:
            with open(f"/proc/{pid}/fdinfo/{fd}") as f:
                for line in f:
                    key, _, value = line.partition(":")
                    if key == "prog_id":
                        progs.add(int(value))
                    elif key == "map_id":
                        maps.add(int(value))
        except OSError:
            continue
    return progs, maps


def _bpf_fds(pid):
    try:
        fds = os.listdir(f"/proc/{pid}/fd")
    except OSError:
        return []
    found = []
    for fd in fds:
        try:
            if os.readlink(f"/proc/{pid}/fd/{fd}").startswith("anon_inode:bpf"):
                found.append(fd)
        except OSError:
            pass
    return found


def _held_by_anyone():
    held = set()
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            held |= bpf_ids_held_by(pid)[0]
    return held


def bpf_object_exists(kind, object_id):
    """kind is "prog" or "map"."""
    p = subprocess.run([which("bpftool"), kind, "show", "id", str(object_id)],
                       capture_output=True)
    return p.returncode == 0


def wait_gone(kind, ids, timeout=5):
    """Ids of `kind` still in the kernel after `timeout` seconds (the kernel frees
    objects shortly after their last fd closes)."""
    deadline = time.monotonic() + timeout
    left = set(ids)
    while True:
        left = {i for i in left if bpf_object_exists(kind, i)}
        if not left or time.monotonic() > deadline:
            return left
        time.sleep(0.1)


def leaked_ig_programs(before, timeout=5):
    """ig_ programs loaded since `before` ({id: name}) that no live process holds:
    what a finished ig left behind. Programs of other people's running ig are held."""
    deadline = time.monotonic() + timeout
    while True:
        new = {i: n for i, n in ig_programs().items() if i not in before}
        if new:
            held = _held_by_anyone()
            new = {i: n for i, n in new.items() if i not in held and bpf_object_exists("prog", i)}
        if not new or time.monotonic() > deadline:
            return new
        time.sleep(0.2)


def expect_no_bpf_left(sandbox, before, what, timeout=5):
    """After a failed command: the sandbox's daemon (if any) holds no BPF program or
    map, and no ig_ program loaded since `before` ({id: name}) is left unheld."""
    pid = sandbox.daemon_pid()
    deadline = time.monotonic() + timeout
    while pid:
        progs, maps = bpf_ids_held_by(pid)
        if not progs and not maps:
            break
        expect(time.monotonic() < deadline,
               f"{what}: the daemon still holds programs {sorted(progs)} and maps {sorted(maps)}")
        time.sleep(0.1)
    leaked = leaked_ig_programs(before)
    expect(not leaked, f"{what}: left programs in the kernel: {leaked}")


# --- runner -----------------------------------------------------------------

def main(test, cases, **requirements):
    """Check requirements, run each case in its own Sandbox, exit 0 or 1."""
    require(test, **requirements)
    failed = 0
    for case in cases:
        name = case.__name__
        try:
            with Sandbox() as sandbox:
                case(sandbox)
            print(f"ok   {name}")
        except Failure as e:
            failed += 1
            print(f"FAIL {name}: {e}")
        except Exception:  # a bug in the test itself: show where
            failed += 1
            print(f"FAIL {name}: unexpected exception\n{traceback.format_exc()}")
        sys.stdout.flush()
    print(f"{test}: {len(cases) - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)
