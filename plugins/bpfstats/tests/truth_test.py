"""bpfstats' figures beyond IG's four columns, against ground truth: objects whose
contents this test sets (bpfstats-truth-objects, from truth_objects.bpf.c), the
kernel's own numbers through bpftool and /proc/PID/fdinfo, never ig's arithmetic.

Other people load BPF programs on this machine at the same time: checks name the
objects they are about, or objects that existed through the whole check.
Python 3 standard library only. Exit 0 pass, 1 fail, 77 skip.
"""
import json
import os
import subprocess
import sys

from kernel_test import Failure, KernelView, Sandbox, expect, which
from truth_maps import check_hash_fill, check_real_memory, check_shared_and_totals

SKIP = 77
PERF_PAGES = 8  # pages per CPU of the loader's perf buffer


def require():
    missing = []
    if os.geteuid() != 0:
        missing.append("root")
    if not which("bpftool"):
        missing.append("bpftool")
    if not os.path.exists("/sys/kernel/btf/vmlinux"):
        missing.append("kernel BTF")
    if not missing:
        return
    print(f"SKIP bpfstats-truth: needs {', '.join(missing)}; run: sudo meson test --suite kernel")
    sys.exit(1 if os.environ.get("IG_REQUIRE_KERNEL") == "1" else SKIP)


class Objects:
    """bpfstats-truth-objects: loads the purpose-built objects and changes them on command."""

    def __init__(self):
        self.proc = subprocess.Popen([os.environ["TRUTH_OBJECTS"], str(PERF_PAGES)], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        expect(line, f"bpfstats-truth-objects did not load (exit {self.proc.poll()})")
        self.ids = json.loads(line)
        self.maps = self.ids["maps"]

    def do(self, command):
        self.proc.stdin.write(command + "\n")
        self.proc.stdin.flush()
        answer = self.proc.stdout.readline().strip()
        expect(answer == "ok", f"bpfstats-truth-objects '{command}': {answer or 'no answer'}")

    def close(self):
        if self.proc.poll() is None:
            self.proc.stdin.write("quit\n")
            self.proc.stdin.close()
            self.proc.wait(15)


def fdinfo_programs(pid):
    """The kernel's fdinfo of every program `pid` holds an fd to, by program id."""
    found = {}
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            if os.readlink(f"/proc/{pid}/fd/{fd}") != "anon_inode:bpf-prog":
                continue
            with open(f"/proc/{pid}/fdinfo/{fd}") as f:
                info = dict(line.split(":", 1) for line in f if ":" in line)
            found[int(info["prog_id"])] = {k.strip(): v.strip() for k, v in info.items()}
        except (OSError, KeyError, ValueError):
            pass
    return found


def prog_memory(prog):
    """progMemory from bpftool: the program's memlock plus its JIT image."""
    return prog["bytes_memlock"] + prog.get("bytes_jited", 0)


# --- programs ------------------------------------------------------------------

def check_program_figures(sandbox, objects):
    """progMemory, verifiedInsns and recursionMisses per program equal the kernel's."""
    objects.do("recurse 5")
    before = KernelView()
    rows, _ = sandbox.bpfstats("--all")
    after = KernelView()
    by_prog = {row["progID"]: row for row in rows}

    recurse = objects.ids["recurse"]
    row = by_prog.get(recurse)
    expect(row is not None, f"bst_recurse ({recurse}) has no row")
    misses = after.progs[recurse].get("recursion_misses", 0)
    expect(misses == before.progs[recurse].get("recursion_misses", 0) == 5,
           f"bst_recurse: bpftool reports {misses} recursion misses after 5 nested runs")
    expect(row["recursionMisses"] == misses, f"bst_recurse: recursionMisses {row['recursionMisses']}, kernel {misses}")
    fdinfo = fdinfo_programs(objects.proc.pid)
    for prog_id in (recurse, objects.ids["trigger"]):
        verified = int(fdinfo[prog_id]["verified_insns"])
        expect(by_prog[prog_id]["verifiedInsns"] == verified > 0,
               f"program {prog_id}: verifiedInsns {by_prog[prog_id]['verifiedInsns']}, fdinfo {verified}")

    checked = 0
    for prog_id, prog in before.progs.items():
        later = after.progs.get(prog_id)
        if not later or later.get("tag") != prog.get("tag") or prog_id not in by_prog:
            continue
        row = by_prog[prog_id]
        expect(row["progMemory"] == prog_memory(prog),
               f"program {prog_id}: progMemory {row['progMemory']}, bpftool {prog_memory(prog)}")
        lo, hi = prog.get("recursion_misses", 0), later.get("recursion_misses", 0)
        expect(lo <= row["recursionMisses"] <= hi, f"program {prog_id}: recursionMisses {row['recursionMisses']}")
        expect(row["verifiedInsns"] > 0, f"program {prog_id}: verifiedInsns is 0")
        checked += 1
    print(f"--all: progMemory, verifiedInsns, recursionMisses of {checked} programs match the kernel "
          f"(bst_recurse: {misses} misses)")


def check_instance_figures(sandbox):
    """An instance row sums its programs' figures, as the daemon's fds show them."""
    rows, _ = sandbox.bpfstats("--all", "--gadgets-only")
    programs = {}
    for row in rows:
        programs.setdefault(row["gadgetName"], []).append(row["progID"])
    kernel = KernelView()
    fdinfo = fdinfo_programs(sandbox.daemon.pid)
    rows, _ = sandbox.bpfstats()
    for row in rows:
        ids = programs.get(row["gadgetName"])
        if not ids or not all(i in kernel.progs and i in fdinfo for i in ids):
            continue
        memory = sum(prog_memory(kernel.progs[i]) for i in ids)
        verified = sum(int(fdinfo[i]["verified_insns"]) for i in ids)
        expect(row["progMemory"] == memory, f"{row['gadgetName']}: progMemory {row['progMemory']}, kernel {memory}")
        expect(row["verifiedInsns"] == verified,
               f"{row['gadgetName']}: verifiedInsns {row['verifiedInsns']}, fdinfo {verified}")
        print(f"instance {row['gadgetName']}: progMemory {memory}, verifiedInsns {verified} over {len(ids)} programs")
        return
    raise Failure(f"no instance row to check among {[r['gadgetName'] for r in rows]}")


def check_rates(sandbox, objects):
    """--interval: avgRuntime and runsPerSecond are the interval's runtime per run and runs per second."""
    rows, _ = sandbox.bpfstats("--all", "--interval", "500ms", "--count", "2")
    trigger = [row for row in rows if row["progID"] == objects.ids["trigger"]]
    expect(len(trigger) == 2, f"bst_trigger: {len(trigger)} rows over 2 batches")
    for row in trigger:
        if row["runcountDelta"]:
            expect(row["avgRuntime"] == row["runtimeDelta"] // row["runcountDelta"], f"bst_trigger: avgRuntime {row}")
        rate = row["runcountDelta"] / 0.5
        expect(abs(row["runsPerSecond"] - rate) <= 0.25 * rate + 0.01, f"bst_trigger: runsPerSecond {row}")
    # A one-shot that sampled (stats were off: this daemon does not keep them on)
    # measures over its sampled second.
    rows, err = sandbox.bpfstats("--all")
    expect("sampled BPF run-time stats for 1s" in err, f"the one-shot did not sample: {err!r}")
    for row in rows:
        if row["runcountDelta"]:
            expect(row["avgRuntime"] == row["runtimeDelta"] // row["runcountDelta"], f"one-shot avgRuntime {row}")


def run():
    sandbox = Sandbox()
    objects = None
    try:
        rc, out, err = sandbox.ig_run("--name", "bst_truth", "trace_open", "--detach", "--comm", "bst_nomatch")
        expect(rc == 0, f"ig run --detach trace_open failed ({rc}): {err.strip()!r}")
        objects = Objects()
        check_program_figures(sandbox, objects)
        check_instance_figures(sandbox)
        check_rates(sandbox, objects)
        check_hash_fill(sandbox, objects)
        check_real_memory(sandbox, objects)
        check_shared_and_totals(sandbox)
    finally:
        if objects:
            objects.close()
        sandbox.close()


def main():
    require()
    try:
        run()
    except Failure as e:
        print(f"FAIL bpfstats-truth: {e}")
        return 1
    print("PASS bpfstats-truth")
    return 0


if __name__ == "__main__":
    sys.exit(main())
