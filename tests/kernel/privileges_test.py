#!/usr/bin/env python3
"""Without CAP_BPF (and CAP_SYS_ADMIN), ig refuses to run a gadget and says what is missing."""
import subprocess
import sys

from igtest import expect, expect_no_bpf_left, expect_one_error, ig_programs, main, run_ig, which

# A client of our own that skips ig's check of its own capabilities and sends the
# daemon a Run frame (host/protocol/message.h: u32 length, u8 version 1, u8 type 2,
# then u32-length-prefixed keys and values); it prints the reply's bytes.
RAW_RUN = """
import socket, struct, sys
def field(k, v): return struct.pack('<I', len(k)) + k + struct.pack('<I', len(v)) + v
payload = field(b'gadget', b'trace_exec') + field(b'detach', b'1')
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
s.sendall(struct.pack('<IBB', len(payload), 1, 2) + payload)
s.settimeout(10)
sys.stdout.buffer.write(s.recv(65536))
"""


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


def the_daemon_refuses_a_client_without_caps_and_logs_it(sandbox):
    sandbox.start_daemon()
    before = ig_programs()
    p = subprocess.run([*without_bpf_caps(), sys.executable, "-c", RAW_RUN, sandbox.path("ig.sock")],
                       capture_output=True, timeout=30)
    expect(b"missing capability CAP_BPF" in p.stdout, f"the daemon's reply does not say why: {p.stdout!r} {p.stderr!r}")
    with open(sandbox.daemon_log) as f:
        refusals = [line for line in f if "refused a run from a client (uid 0, pid " in line]
    expect(len(refusals) == 1 and "CAP_BPF" in refusals[0], f"the daemon did not log the refusal once: {refusals}")
    expect_no_bpf_left(sandbox, before, "a run refused by the daemon")


if __name__ == "__main__":
    main("privileges", [missing_capabilities_are_named, a_running_root_daemon_lends_no_capabilities,
                        the_daemon_refuses_a_client_without_caps_and_logs_it],
         programs=["bpftool", "setpriv"])
