#!/usr/bin/env python3
"""The SDK as a gadget author meets it: `meson install --destdir` this build, build
every examples/NAME out of tree against that destdir's ig-sdk.pc and nothing else,
run the example trace_unlink by path under the real kernel, see its events, and see
bpfstats attribute its programs to its instance.

Environment (set by tests/abi/meson.build): IG, IG_BUILD_ROOT, IG_EXAMPLES_DIR, MESON.
Uses tests/kernel/igtest.py (on PYTHONPATH) for the sandboxed daemon and skip policy.
"""
import glob
import json
import os
import shutil
import subprocess
import time
import uuid

from igtest import (Failure, IgRun, bpf_ids_held_by, expect, expect_no_bpf_left, ig_programs, main, which)

BUILD_ROOT = os.environ.get("IG_BUILD_ROOT", "")
EXAMPLES_DIR = os.environ.get("IG_EXAMPLES_DIR", "")
MESON = os.environ.get("MESON") or "meson"
GADGET = "trace_unlink"  # the example this test runs (examples/hello_gadget)
PROGRAMS = {"ig_unlink_e": "sys_enter_unlink", "ig_unlink_x": "sys_enter_unlink",
            "ig_unlinkat_e": "sys_enter_unlinkat", "ig_unlinkat_x": "sys_enter_unlinkat"}


def run_step(what, cmd, env=None, timeout=120):
    """Run a build step to completion; a failure names the step and shows its output's tail."""
    try:
        p = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        raise Failure(f"{what}: '{' '.join(cmd)}' did not finish within {timeout}s")
    if p.returncode != 0:
        tail = "\n".join((p.stdout + p.stderr).strip().splitlines()[-25:])
        raise Failure(f"{what}: '{' '.join(cmd)}' exited with {p.returncode}:\n{tail}")
    return p.stdout


def install_sdk(sandbox):
    """meson install --destdir; return (destdir, the dir holding ig-sdk.pc)."""
    destdir = sandbox.path("destdir")
    run_step("meson install", [MESON, "install", "-C", BUILD_ROOT, "--destdir", destdir, "--no-rebuild", "--quiet"])
    pcs = glob.glob(os.path.join(destdir, "**", "pkgconfig", "ig-sdk.pc"), recursive=True)
    expect(len(pcs) == 1, f"expected one installed ig-sdk.pc under {destdir}, found {pcs}")
    for header in ("ig.h", "version.h", "plugin.h", "bpf.h"):
        expect(glob.glob(os.path.join(destdir, "**", "include", "ig", header), recursive=True),
               f"include/ig/{header} was not installed")
    return destdir, os.path.dirname(pcs[0])


def sdk_only_env(destdir, pc_dir):
    """An environment in which pkg-config sees the destdir's ig-sdk.pc and libbpf's
    .pc, nothing else: no ig-sdk installed on this machine can stand in for it."""
    libbpf_pc_dir = subprocess.run(["pkg-config", "--variable=pcfiledir", "libbpf"],
                                   capture_output=True, text=True).stdout.strip()
    expect(libbpf_pc_dir, "pkg-config does not know libbpf; install libbpf-dev")
    env = dict(os.environ, PKG_CONFIG_LIBDIR=f"{pc_dir}:{libbpf_pc_dir}")
    env.pop("PKG_CONFIG_PATH", None)
    with open(os.path.join(pc_dir, "ig-sdk.pc")) as f:
        relocatable = "${pcfiledir}" in f.readline()
    if not relocatable:
        # A build dir configured before pkgconfig.relocatable=true became the default:
        # its .pc names the real prefix, so map it into the destdir the classic way.
        print(f"note: ig-sdk.pc is not relocatable; using PKG_CONFIG_SYSROOT_DIR={destdir} "
              f"(reconfigure with -Dpkgconfig.relocatable=true to test the relocatable .pc)")
        env["PKG_CONFIG_SYSROOT_DIR"] = destdir
    found = run_step("pkg-config", ["pkg-config", "--variable=pcfiledir", "ig-sdk"], env=env).strip()
    expect(os.path.realpath(found) == os.path.realpath(pc_dir),
           f"pkg-config found ig-sdk in {found}, not in the destdir's {pc_dir}")
    return env


def build_example(sandbox, name, env):
    """Copy examples/NAME (as an author would), configure and build it; return its build dir."""
    src, build = sandbox.path(f"src-{name}"), sandbox.path(f"build-{name}")
    shutil.copytree(os.path.join(EXAMPLES_DIR, name), src,
                    ignore=shutil.ignore_patterns("build", "build-*", "__pycache__"))
    run_step(f"meson setup of examples/{name}", [MESON, "setup", build, src], env=env)
    run_step(f"meson compile of examples/{name}", [MESON, "compile", "-C", build], env=env)
    # Built against the installed SDK only: nothing in the build names ig's source tree.
    source_root = os.path.realpath(os.path.join(EXAMPLES_DIR, "..")) + "/"
    with open(os.path.join(build, "build.ninja")) as f:
        expect(source_root not in f.read(), f"examples/{name}'s build refers to ig's source tree {source_root}")
    return build


def complete_json_lines(path):
    """JSON objects from the lines ig has finished writing (a line being written is skipped)."""
    with open(path, errors="replace") as f:
        text = f.read()
    lines = text.split("\n")[:-1]  # the part after the last newline may be incomplete
    try:
        return [json.loads(line) for line in lines if line.strip()]
    except json.JSONDecodeError as e:
        raise Failure(f"ig wrote a line that is not JSON ({e}): {text[-300:]!r}")


def wait_for_events(run, wanted, timeout=10):
    """The first event matching each predicate in `wanted` ({label: predicate})."""
    deadline = time.monotonic() + timeout
    while True:
        events = complete_json_lines(run.out_path)
        found = {label: next((e for e in events if match(e)), None) for label, match in wanted.items()}
        if all(found.values()):
            return found
        if time.monotonic() > deadline or run.proc.poll() is not None:
            missing = [label for label, event in found.items() if not event]
            raise Failure(f"no event for {missing} within {timeout}s; got {len(events)} events: {events[-5:]!r}; "
                          f"stderr: {run.stderr().strip()!r}")
        time.sleep(0.05)


def expected_programs():
    """The example's programs that load here (unlink(2) has no tracepoint on arm64)."""
    events = "/sys/kernel/tracing/events/syscalls"
    return {prog for prog, tp in PROGRAMS.items() if os.path.isdir(os.path.join(events, tp))}


def example_builds_out_of_tree_runs_by_path_and_is_attributed(sandbox):
    expect(BUILD_ROOT and EXAMPLES_DIR, "IG_BUILD_ROOT and IG_EXAMPLES_DIR are not set; run through 'meson test'")
    started = time.monotonic()
    destdir, pc_dir = install_sdk(sandbox)
    env = sdk_only_env(destdir, pc_dir)
    print(f"installed into {destdir} ({time.monotonic() - started:.1f}s); "
          f"pkg-config sees only {env['PKG_CONFIG_LIBDIR']}")
    examples = sorted(d for d in os.listdir(EXAMPLES_DIR) if os.path.isfile(os.path.join(EXAMPLES_DIR, d, "meson.build")))
    expect("hello_gadget" in examples, f"examples/hello_gadget is missing; found {examples}")
    builds = {}
    for name in examples:
        started = time.monotonic()
        builds[name] = build_example(sandbox, name, env)
        print(f"built examples/{name} out of tree ({time.monotonic() - started:.1f}s)")

    # The loader trusts a plugin only if it and its folder are root's and not writable
    # by group or others; the sandbox is 0700, the build dir follows the umask.
    plugin = os.path.join(builds["hello_gadget"], f"{GADGET}.so")
    expect(os.path.isfile(plugin), f"the build made no {plugin}")
    os.chmod(os.path.dirname(plugin), 0o755)
    os.chmod(plugin, 0o755)

    daemon = sandbox.start_daemon()
    before = ig_programs()
    run = IgRun(sandbox, [plugin, "--pid", str(os.getpid())])
    instance = run.wait_attached()

    tag = uuid.uuid4().hex[:12]
    removed, absent = sandbox.path(f"unlink-me-{tag}"), sandbox.path(f"never-there-{tag}")
    open(removed, "w").close()
    os.unlink(removed)
    try:
        os.unlink(absent)
    except FileNotFoundError:
        pass
    found = wait_for_events(run, {
        "unlink of an existing file": lambda e: e.get("path") == removed,
        "unlink of a missing file": lambda e: e.get("path") == absent,
    })
    ok, failed = found["unlink of an existing file"], found["unlink of a missing file"]
    print(f"'{plugin}' runs as '{instance}'; events: {ok!r} {failed!r}")
    expect(ok.get("pid") == os.getpid() and ok.get("error") == "", f"unexpected event for {removed}: {ok!r}")
    expect(failed.get("error") == "ENOENT", f"the failed unlink does not say ENOENT: {failed!r}")

    # bpfstats --all while the example runs: its programs, attributed by id to its
    # instance. Unlink files during the sample so the run counts move.
    # A one-shot ends by itself and prints no "attached" line: unlink from the start.
    stats = IgRun(sandbox, ["bpfstats", "--all"])
    n = 0
    while stats.proc.poll() is None and n < 400:
        path = sandbox.path(f"during-stats-{tag}-{n}")
        open(path, "w").close()
        os.unlink(path)
        n += 1
        time.sleep(0.02)
    expect(stats.wait(30) == 0, f"ig run bpfstats --all failed: {stats.stderr().strip()!r}")
    rows = stats.events()
    ours = [r for r in rows if r.get("gadgetName") == instance]
    held_progs, _ = bpf_ids_held_by(daemon)
    expect(ours, f"bpfstats --all has no row for instance '{instance}' ({len(rows)} rows)")
    expect({r.get("gadgetImage") for r in ours} == {GADGET}, f"gadgetImage is not '{GADGET}': {ours!r}")
    expect(len({r.get("gadgetID") for r in ours}) == 1 and len(ours[0].get("gadgetID", "")) == 32,
           f"the rows do not share one 32-hex gadgetID: {ours!r}")
    names = {r.get("progName") for r in ours}
    expect(names == expected_programs(), f"programs attributed to '{instance}': {sorted(names)}, "
           f"expected {sorted(expected_programs())}")
    ids = {r.get("progID") for r in ours}
    expect(ids <= held_progs, f"attributed program ids {sorted(ids)} are not all held by this test's daemon "
           f"(it holds {sorted(held_progs)})")
    expect(not [r for r in rows if r.get("progID") in ids and r not in ours],
           "a program of the example is also shown under another instance")
    print("bpfstats --all: " + ", ".join(f"{r.get('progName')} (id {r.get('progID')}, runcount {r.get('runcount')})"
                                         for r in ours) + f" under '{instance}'")
    expect(sum(int(r.get("runcount", 0)) for r in ours) > 0,
           f"bpfstats counted no runs of the example's programs after {n} unlinks: {ours!r}")

    expect(run.stop() == 0, f"ig run {plugin} did not exit cleanly: {run.stderr().strip()!r}")
    expect_no_bpf_left(sandbox, before, f"{GADGET}.so after Ctrl-C")


if __name__ == "__main__":
    main("out_of_tree", [example_builds_out_of_tree_runs_by_path_and_is_attributed],
         programs=["bpftool", "clang", "pkg-config"], tracepoints=["syscalls/sys_enter_unlinkat"])
