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


def unknown_option_is_named(sandbox):
    message = refused(sandbox, ["run", "trace_open", "--bogus"])
    expect("'--bogus'" in message, f"message: {message!r}")


def gadget_names_that_look_like_paths_are_refused(sandbox):
    for name in ["a/b", "../x", ".."]:
        message = refused(sandbox, ["run", name])
        expect(message.startswith(f"invalid gadget name '{name}'"), f"{name}: message {message!r}")


if __name__ == "__main__":
    main("bad_input", [unknown_gadget_lists_available_ones, malformed_pid_names_the_option,
                       unknown_option_is_named, gadget_names_that_look_like_paths_are_refused],
         programs=["bpftool"])
