#!/usr/bin/env python3
"""`ig top` as a person uses it: in a real terminal (tmux), with real trace_open and
trace_exec instances and an open storm, read back from the screen with
`tmux capture-pane`. Each case runs its own tmux server and leaves nothing behind."""
import itertools
import os
import re
import shlex
import signal
import subprocess
import time

from igtest import Failure, expect, ig_binary, main, run_ig, which

PROMPT = "igtop-test$ "
PANES = itertools.count()  # also names each output file, so no read sees an old one
STATS_SYSCTL = "/proc/sys/kernel/bpf_stats_enabled"


def read_sysctl():
    with open(STATS_SYSCTL) as f:
        return f.read().strip()


class Pane:
    """A shell in a private tmux server (-L), sized like a terminal."""

    def __init__(self, sandbox, width=100, height=30):
        self.server = f"igtop-{os.getpid()}-{next(PANES)}"
        self.sandbox = sandbox
        env = " ".join(f"{k}={shlex.quote(v)}" for k, v in
                       {"IG_CONFIG": sandbox.env["IG_CONFIG"], "PS1": PROMPT, "TERM": "xterm-256color",
                        "LANG": "C.UTF-8"}.items())
        self.tmux("new-session", "-d", "-x", str(width), "-y", str(height),
                  f"env -i PATH={shlex.quote(os.environ['PATH'])} {env} bash --norc --noprofile")
        self.wait_for(lambda s: s.rstrip().endswith(PROMPT.rstrip()), "the shell prompt")

    def tmux(self, *args):
        p = subprocess.run(["tmux", "-L", self.server, "-f", "/dev/null", *args], capture_output=True, text=True)
        expect(p.returncode == 0, f"tmux {' '.join(args)} failed: {p.stderr.strip()}")
        return p.stdout

    def keys(self, *keys):
        self.tmux("send-keys", *keys)

    def type_line(self, text):
        self.tmux("send-keys", "-l", text)
        self.keys("Enter")

    def screen(self):
        return self.tmux("capture-pane", "-p")

    def flag(self, name):
        return self.tmux("display-message", "-p", "#{" + name + "}").strip()

    def wait_for(self, check, what, timeout=20):
        deadline = time.monotonic() + timeout
        while True:
            screen = self.screen()
            if check(screen):
                return screen
            if time.monotonic() > deadline:
                raise Failure(f"waited {timeout}s for {what}; the screen:\n{screen}")
            time.sleep(0.1)

    def shell_child(self):
        """The pid of the command the shell runs (ig top), or None."""
        shell = int(self.flag("pane_pid"))
        for pid in os.listdir("/proc"):
            try:
                with open(f"/proc/{pid}/stat") as f:
                    if int(f.read().rpartition(")")[2].split()[1]) == shell:
                        return int(pid)
            except (OSError, ValueError, IndexError):
                continue
        return None

    def close(self):
        subprocess.run(["tmux", "-L", self.server, "kill-server"], capture_output=True)


def table(screen):
    """The rows under the column header: a list of dicts by title (NAME, %CPU, ...)."""
    lines = screen.splitlines()
    at = next((i for i, line in enumerate(lines) if line.startswith("NAME ")), None)
    if at is None:
        return []
    titles = [(m.group(0).rstrip("\u25bc\u25b2v^"), m.start(), m.end()) for m in re.finditer(r"\S+", lines[at])]
    rows = []
    for line in lines[at + 1:]:
        if not line.strip() or line.startswith("%CPU") or not re.match(r"\S", line):
            break
        words = line.split()
        row = {"NAME": words[0]}
        for title, start, end in titles:  # numbers end where their right-aligned title ends
            if title == "%CPU":  # empty for a map's row
                cell = line[max(0, end - 7):end].split()
                row["%CPU"] = float(cell[-1]) if cell else None
        rows.append(row)
    return rows


def storm():
    """Opens as fast as one process can, until killed."""
    return subprocess.Popen(["python3", "-c",
                             "import os\nwhile True: os.close(os.open('/etc/hostname', os.O_RDONLY))"])


def start_instances(sandbox):
    for name, gadget in (("topopen", "trace_open"), ("topexec", "trace_exec")):
        rc, lines = run_ig(sandbox, ["run", "--name", name, gadget, "--detach"])
        expect(rc == 0, f"could not start {gadget}: {lines!r}")


def start_top(pane, args=""):
    pane.type_line(f"{ig_binary()} top {args}".strip())
    return pane.wait_for(lambda s: "programs" in s and "NAME " in s and len(table(s)) > 0, "ig top's first rows")


def back_at_prompt(pane, what):
    screen = pane.wait_for(lambda s: s.rstrip().endswith(PROMPT.rstrip()), f"the prompt after {what}")
    expect(pane.flag("alternate_on") == "0", f"after {what} the terminal is still on the alternate screen")
    expect(pane.flag("cursor_flag") == "1", f"after {what} the cursor is still hidden")
    return screen


def terminal_modes(pane, sandbox):
    """`stty -a` in the pane, after ig top: echo and line mode must be back."""
    out = sandbox.path(f"stty{next(PANES)}.txt")
    pane.type_line(f"stty -a > {out}")
    pane.wait_for(lambda s: os.path.exists(out) and os.path.getsize(out) > 0, "stty's output")
    with open(out) as f:
        words = f.read().split()
    for mode in ("echo", "icanon", "isig", "icrnl"):
        expect(mode in words, f"terminal mode '{mode}' not restored: {' '.join(words)}")


def last_status(pane, sandbox):
    out = sandbox.path(f"status{next(PANES)}.txt")
    pane.type_line(f"echo $? > {out}")
    pane.wait_for(lambda s: os.path.exists(out) and os.path.getsize(out) > 0, "the exit status")
    with open(out) as f:
        return int(f.read())


def shows_sorts_drills_filters_and_quits(sandbox):
    stats_before = read_sysctl()
    start_instances(sandbox)
    load = storm()
    pane = Pane(sandbox)
    try:
        screen = start_top(pane)
        # The storm makes trace_open the hottest: first by %CPU, and not zero.
        screen = pane.wait_for(lambda s: [r["NAME"] for r in table(s)][:1] == ["topopen"] and
                               table(s)[0]["%CPU"] > 0 and "topexec" in s, "topopen first with %CPU > 0")
        names = [r["NAME"] for r in table(screen)]
        expect("topexec" in names, f"trace_exec's instance is not listed: {names}")
        expect(re.search(r"\bBPF stats on: ", screen), f"the header does not say who keeps stats on:\n{screen}")
        expect("sort %cpu desc" in screen, f"the header does not name the sort:\n{screen}")
        expect(re.search(r", \d+ maps, [\d.]+[KMG]? ?B? ?map memory", screen.splitlines()[0]),
               f"the header does not give the node's maps:\n{screen}")

        pane.keys("Enter")  # topopen is selected: its programs
        screen = pane.wait_for(lambda s: "programs and maps of 'topopen'" in s and "ringbuf" in s,
                               "topopen's programs and maps")
        progs = [r["NAME"] for r in table(screen)]
        expect("ig_openat" in progs or "ig_openat_e" in progs, f"trace_open's programs are not listed: {progs}")
        maps = [r["NAME"] for r in table(screen) if r["%CPU"] is None]
        expect("ig_open_events" in maps, f"trace_open's ring buffer is not among its maps: {maps}\n{screen}")
        expect("topexec" not in screen, f"another instance shows among topopen's programs:\n{screen}")

        pane.keys("Enter")  # the hottest program: its graphs
        pane.wait_for(lambda s: "program 'ig_openat" in s and "%CPU now" in s and "runs now" in s,
                      "the program's graphs")
        pane.keys("Escape")
        pane.keys("Escape")
        pane.wait_for(lambda s: "ig instances" in s and "topexec" in s, "the instance list again")

        pane.keys("/")
        pane.tmux("send-keys", "-l", "exec")
        pane.keys("Enter")
        screen = pane.wait_for(lambda s: "filter 'exec'" in s and [r["NAME"] for r in table(s)] == ["topexec"],
                               "the filter to leave only topexec")

        pane.keys("s")  # next sort column, answered before the next snapshot
        pane.wait_for(lambda s: "sort runtime/s desc" in s, "the sort to change", timeout=0.5)

        pane.tmux("resize-window", "-x", "80", "-y", "24")
        screen = pane.wait_for(lambda s: "topexec" in s and len(s.splitlines()) <= 24, "the view at 80x24")
        for line in screen.splitlines():
            expect(len(line) <= 80, f"a line is wider than the 80-column terminal: {line!r}")

        pane.keys("q")
        back_at_prompt(pane, "q")
        expect(last_status(pane, sandbox) == 0, "ig top did not exit 0 on q")
        terminal_modes(pane, sandbox)
        listed = subprocess.run([ig_binary(), "list"], env=sandbox.env, capture_output=True, text=True).stdout
        expect(" bpfstats " not in listed, f"ig top's bpfstats run is still there:\n{listed}")
    finally:
        pane.close()
        load.kill()
        load.wait()
    deadline = time.monotonic() + 5
    while read_sysctl() != stats_before and time.monotonic() < deadline:
        time.sleep(0.1)
    expect(read_sysctl() == stats_before, f"kernel.bpf_stats_enabled is {read_sysctl()}, was {stats_before}")


def sigterm_ctrl_c_and_a_vanished_daemon_restore_the_terminal(sandbox):
    start_instances(sandbox)
    pane = Pane(sandbox)
    try:
        start_top(pane)
        top = pane.shell_child()
        expect(top is not None, "cannot find ig top's process")
        os.kill(top, signal.SIGTERM)
        back_at_prompt(pane, "SIGTERM")
        expect(last_status(pane, sandbox) == 128 + signal.SIGTERM, "ig top did not exit 143 on SIGTERM")

        start_top(pane)
        pane.keys("C-c")
        back_at_prompt(pane, "Ctrl-C")
        expect(last_status(pane, sandbox) == 0, "ig top did not exit 0 on Ctrl-C")

        start_top(pane)
        os.kill(sandbox.daemon_pid(), signal.SIGKILL)
        screen = back_at_prompt(pane, "the daemon went away")
        errors = [line for line in screen.splitlines() if line.startswith("ig: error: ")]
        expect(len(errors) == 1 and "ig top stopped" in errors[0], f"expected one error line:\n{screen}")
        expect(last_status(pane, sandbox) == 1, "ig top did not exit 1 when the daemon went away")
        terminal_modes(pane, sandbox)
    finally:
        pane.close()


def refuses_without_a_terminal(sandbox):
    rc, lines = run_ig(sandbox, ["top"])
    expect(rc == 1 and len(lines) == 1, f"expected one error line, got {rc}: {lines!r}")
    expect("needs a terminal" in lines[0] and "ig run bpfstats --interval" in lines[0], f"unexpected: {lines[0]!r}")


if __name__ == "__main__":
    main("top", [refuses_without_a_terminal, shows_sorts_drills_filters_and_quits,
                 sigterm_ctrl_c_and_a_vanished_daemon_restore_the_terminal],
         programs=("tmux", "bpftool"), tracepoints=("syscalls/sys_exit_openat",))
