#!/usr/bin/env python3
"""Without CAP_BPF (and CAP_SYS_ADMIN), ig refuses to run a gadget and says what is missing."""
from igtest import expect, expect_no_bpf_left, expect_one_error, ig_programs, main, run_ig, which


def without_bpf_caps():
    """A setpriv prefix: dropped from the bounding set (and never inheritable), the
    capabilities are gone from the exec'd ig although it runs as root."""
    return [which("setpriv"), "--bounding-set=-bpf,-perfmon,-sys_admin", "--inh-caps=-all"]


def refused_without_caps(sandbox):
    before = ig_programs()
    rc, lines = run_ig(sandbox, ["run", "trace_open", "--timeout", "10s"], wrapper=without_bpf_caps())
    message = expect_one_error(rc, lines, "ig run trace_open without CAP_BPF")
    expect("CAP_BPF" in message, f"CAP_BPF is not named: {message!r}")
    expect_no_bpf_left(sandbox, before, "ig run without CAP_BPF")


def missing_capabilities_are_named(sandbox):
    refused_without_caps(sandbox)


def a_running_root_daemon_lends_no_capabilities(sandbox):
    sandbox.start_daemon()
    refused_without_caps(sandbox)


if __name__ == "__main__":
    main("privileges", [missing_capabilities_are_named, a_running_root_daemon_lends_no_capabilities],
         programs=["bpftool", "setpriv"])
