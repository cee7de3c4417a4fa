#!/usr/bin/env python3
"""Bad command lines: one `ig: error:` line, a non-zero exit, nothing left in the kernel."""
from igtest import expect, expect_no_bpf_left, expect_one_error, ig_programs, main, run_ig


def refused(sandbox, args):
    """Run `ig ARGS`, expect a clean failure; return the error text."""
    before = ig_programs()
    rc, lines = run_ig(sandbox, args)
    what = f"ig {' '.join(args)}"
    message = expect_one_error(rc, lines, what)
    expect_no_bpf_left(sandbox, before, what)
    return message


def unknown_gadget_lists_available_ones(sandbox):
    message = refused(sandbox, ["run", "no_such_gadget"])
    expect(message.startswith("unknown gadget 'no_such_gadget'"), f"message: {message!r}")
    expect("trace_open" in message, f"the available gadgets are not listed: {message!r}")


def malformed_pid_names_the_option(sandbox):
    message = refused(sandbox, ["run", "trace_open", "--pid", "abc"])
    expect("'abc'" in message and "'--pid'" in message, f"message: {message!r}")


def pid_0_is_refused_not_taken_for_every_process(sandbox):
    """Issue 13: --pid 0 was accepted and meant no filter at all."""
    sandbox.start_daemon()  # the gadget refuses it in the daemon: start that first, for one line
    for gadget in ("trace_open", "trace_exec"):
        message = refused(sandbox, ["run", gadget, "--pid", "0", "--timeout", "1"])
        expect(message == "invalid value '0' for '--pid': no process has id 0; leave --pid out to trace every process",
               f"{gadget}: message {message!r}")


def unknown_option_is_named(sandbox):
    message = refused(sandbox, ["run", "trace_open", "--bogus"])
    expect("'--bogus'" in message, f"message: {message!r}")


def gadget_names_that_look_like_paths_are_refused(sandbox):
    for name in ["a/b", "../x", ".."]:
        message = refused(sandbox, ["run", name])
        expect(message.startswith(f"invalid gadget name '{name}'"), f"{name}: message {message!r}")


if __name__ == "__main__":
    main("bad_input", [unknown_gadget_lists_available_ones, malformed_pid_names_the_option,
                       pid_0_is_refused_not_taken_for_every_process,
                       unknown_option_is_named, gadget_names_that_look_like_paths_are_refused],
         programs=["bpftool"])
