#!/usr/bin/env python3
"""`ig version`: versions, the kernel, and the BPF features probed without a daemon,
as root and as an unprivileged user."""
import json
import os
import subprocess

from igtest import expect, ig_binary, kernel_at_least, main, which

FEATURES = ["btf", "bpf_stats", "ring_buffer", "iterators", "trampolines"]


def version_json(env, wrapper=()):
    p = subprocess.run([*wrapper, ig_binary(), "version", "-o", "json"], capture_output=True, text=True,
                       env=env, timeout=30, stdin=subprocess.DEVNULL)
    expect(p.returncode == 0, f"ig version -o json failed ({p.returncode}): {p.stderr!r}")
    expect(p.stderr == "", f"ig version wrote to stderr: {p.stderr!r}")
    return json.loads(p.stdout)


def root_sees_the_kernel_and_its_features(sandbox):
    report = version_json(sandbox.env)
    uname = os.uname()
    expect(report["kernel"] == f"{uname.sysname} {uname.release}", f"kernel: {report['kernel']!r}")
    expect(report["machine"] == uname.machine, f"machine: {report['machine']!r}")
    expect(report["libbpf"].count(".") == 1, f"libbpf major.minor: {report['libbpf']!r}")
    expect(list(report["features"]) == FEATURES, f"features: {list(report['features'])}")
    features = report["features"]
    expect(features["btf"]["available"] is True, f"the kernel suite runs with BTF: {features['btf']}")
    if kernel_at_least(5, 8):
        for name in ("bpf_stats", "ring_buffer", "iterators"):
            expect(features[name]["available"] is True, f"{name} on Linux 5.8+: {features[name]}")
    expect(features["trampolines"]["available"] in (True, False), f"root gets an answer: {features['trampolines']}")
    expect(sandbox.daemon_pid() is None, "ig version started the daemon")


def a_user_is_told_what_needs_root(sandbox):
    setpriv = which("setpriv")
    expect(setpriv is not None, "setpriv (util-linux) is missing")
    # The sandbox's config is in a directory only root may read: the user runs without it.
    env = {k: v for k, v in sandbox.env.items() if k != "IG_CONFIG"}
    report = version_json(env, [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups",
                                    "--inh-caps=-all", "--bounding-set=-all"])
    features = report["features"]
    expect(features["btf"]["available"] is True, f"BTF is readable by anyone: {features['btf']}")
    for name in ("ring_buffer", "trampolines"):
        expect(features[name]["available"] is None and "run as root" in features[name]["detail"],
               f"{name} as a user: {features[name]}")


if __name__ == "__main__":
    main("version", [root_sees_the_kernel_and_its_features, a_user_is_told_what_needs_root])
