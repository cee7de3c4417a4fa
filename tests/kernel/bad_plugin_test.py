#!/usr/bin/env python3
"""Broken plugins from tests/plugins, run by path: one `ig: error:` line naming the
cause, a non-zero exit, no crash (of the client or the daemon), and nothing left in
the kernel."""
import os
import shutil

from igtest import (IgRun, alive, expect, expect_no_bpf_left, expect_one_error, host_abi, ig_programs, main,
                    plugin_path, run_ig)


def refused(sandbox, plugin, path=None):
    path = path or plugin_path(plugin)
    daemon = sandbox.start_daemon()  # so the failing run prints nothing but its error
    before = ig_programs()
    rc, lines = run_ig(sandbox, ["run", path, "--timeout", "10s"])
    message = expect_one_error(rc, lines, f"ig run {path}")
    expect(alive(daemon) and sandbox.daemon_pid() == daemon, f"the daemon did not survive {plugin}.so")
    expect_no_bpf_left(sandbox, before, f"{plugin}.so")
    return path, message


def abi_major_mismatch_names_both_versions(sandbox):
    major, minor = host_abi()
    path, message = refused(sandbox, "abi_major")
    expect(path in message, f"the plugin is not named: {message!r}")
    for version in (f"{major + 1}.{minor}", f"{major}.{minor}"):
        expect(f"ABI {version}" in message, f"version {version} missing: {message!r}")


def newer_abi_minor_is_refused(sandbox):
    major, minor = host_abi()
    path, message = refused(sandbox, "abi_minor_newer")
    for version in (f"{major}.{minor + 1}", f"{major}.{minor}"):
        expect(f"ABI {version}" in message, f"version {version} missing: {message!r}")


def abi_1_x_plugin_is_refused_naming_both_versions(sandbox):
    major, minor = host_abi()
    path, message = refused(sandbox, "abi_1_1")
    expect(path in message, f"the plugin is not named: {message!r}")
    for version in ("1.1", f"{major}.{minor}"):
        expect(f"ABI {version}" in message, f"version {version} missing: {message!r}")


def other_cxx_library_is_refused(sandbox):
    path, message = refused(sandbox, "cxx_old_string")
    expect(path in message and "'libstdc++ pre-cxx11'" in message and "this ig uses 'libstdc++ cxx11'" in message,
           f"message: {message!r}")


def file_not_named_after_its_gadget_is_refused(sandbox):
    path, message = refused(sandbox, "wrong_name")
    expect(path in message and "declares gadget 'renamed_gadget'" in message and "'renamed_gadget.so'" in message,
           f"both names are not in the message: {message!r}")


def granted(sandbox, plugin):
    """What the host_access test plugin reports its Context granted, run through the daemon."""
    run = IgRun(sandbox, [plugin_path(plugin), "--timeout", "10s"])
    rc = run.wait()
    expect(rc == 0, f"ig run {plugin}.so exited with {rc}: {run.stderr().strip()!r}")
    events = run.events()
    expect(len(events) == 1, f"expected one record from {plugin}.so, got {events!r}")
    return events[0]


def plain_gadget_cannot_reach_the_registry(sandbox):
    sandbox.start_daemon()
    record = granted(sandbox, "host_access_none")
    for power in ("registry", "bpf_stats", "metrics"):
        expect(record[power] is False, f"a gadget that declares nothing was granted {power}: {record!r}")


def declared_capabilities_are_granted(sandbox):
    sandbox.start_daemon()
    record = granted(sandbox, "host_access_all")
    for power in ("registry", "bpf_stats", "metrics"):
        expect(record[power] is True, f"a plugin that declares {power} did not get it: {record!r}")
    expect(record["instances"] >= 1, f"the registry did not show the plugin's own instance: {record!r}")


def library_without_ig_symbols_is_refused(sandbox):
    path, message = refused(sandbox, "not_a_plugin")
    expect(path in message and "not an ig plugin" in message, f"message: {message!r}")
    expect("ig_plugin_abi_version" in message, f"the missing symbol is not named: {message!r}")


def text_file_is_refused(sandbox):
    path, message = refused(sandbox, "not_elf")
    expect(path in message and "not an ELF" in message, f"message: {message!r}")


def exception_in_start_fails_the_instance(sandbox):
    _, message = refused(sandbox, "throws_in_start")
    expect("throws_in_start: deliberate failure in start()" in message,
           f"the exception's text is missing: {message!r}")


def invalid_description_is_refused(sandbox):
    path, message = refused(sandbox, "bad_description")
    expect(path in message and "duplicate field 'pid'" in message, f"message: {message!r}")


def verifier_rejection_names_program_and_reason(sandbox):
    _, message = refused(sandbox, "verifier_reject")
    expect("'ig_vrej_getpid'" in message, f"the rejected program is not named: {message!r}")
    expect("invalid mem access" in message, f"the verifier's complaint is missing: {message!r}")


# --- plugins someone else could have written -----------------------------------

def planted(sandbox, layout):
    """host_access_none.so copied under the sandbox at `layout` (a relative path);
    every directory on the way is root's, 0755, until the case changes it."""
    path = sandbox.path(layout)
    os.makedirs(os.path.dirname(path), mode=0o755, exist_ok=True)
    shutil.copy(plugin_path("host_access_none"), path)
    os.chmod(sandbox.dir, 0o755)
    return path


def untrusted(sandbox, path, culprit, why, fix):
    _, message = refused(sandbox, "host_access_none", path)
    expect(f"refusing plugin '{path}': '{culprit}' {why}" in message and fix in message,
           f"the path, the cause or the fix is missing: {message!r}")


def a_plugin_in_a_trusted_tree_loads(sandbox):
    path = planted(sandbox, "plugins/host_access_none.so")
    sandbox.start_daemon()
    rc, lines = run_ig(sandbox, ["run", path, "--timeout", "10s"])
    expect(rc == 0, f"a root-owned 0644 plugin in 0755 directories was refused: {lines!r}")


def a_plugin_file_others_can_write_is_refused(sandbox):
    path = planted(sandbox, "plugins/host_access_none.so")
    os.chmod(path, 0o666)
    untrusted(sandbox, path, path, "has mode 0666, writable by group or others", "chmod go-w it")


def a_plugin_directory_others_can_write_is_refused(sandbox):
    path = planted(sandbox, "plugins/host_access_none.so")
    os.chmod(os.path.dirname(path), 0o777)
    untrusted(sandbox, path, os.path.dirname(path), "has mode 0777, writable by group or others", "chmod go-w it")


def a_plugin_owned_by_another_user_is_refused(sandbox):
    path = planted(sandbox, "plugins/host_access_none.so")
    os.chown(path, 65534, 65534)
    untrusted(sandbox, path, path, "is owned by uid 65534, not root", "chown root it")


def a_directory_above_that_others_can_rename_in_is_refused(sandbox):
    path = planted(sandbox, "open/plugins/host_access_none.so")
    os.chmod(sandbox.path("open"), 0o777)  # anyone could swap 'plugins' for their own
    untrusted(sandbox, path, sandbox.path("open"), "has mode 0777, writable by group or others", "chmod go-w it")


def a_link_is_judged_by_the_file_it_points_to(sandbox):
    target = planted(sandbox, "open/host_access_none.so")
    os.chmod(sandbox.path("open"), 0o777)
    os.makedirs(sandbox.path("plugins"), mode=0o755)
    link = sandbox.path("plugins/host_access_none.so")
    os.symlink(target, link)
    untrusted(sandbox, link, sandbox.path("open"), "has mode 0777, writable by group or others", "chmod go-w it")


if __name__ == "__main__":
    main("bad_plugin", [abi_major_mismatch_names_both_versions, newer_abi_minor_is_refused,
                        abi_1_x_plugin_is_refused_naming_both_versions, other_cxx_library_is_refused,
                        file_not_named_after_its_gadget_is_refused, plain_gadget_cannot_reach_the_registry,
                        declared_capabilities_are_granted, library_without_ig_symbols_is_refused, text_file_is_refused,
                        exception_in_start_fails_the_instance, invalid_description_is_refused,
                        verifier_rejection_names_program_and_reason, a_plugin_in_a_trusted_tree_loads,
                        a_plugin_file_others_can_write_is_refused, a_plugin_directory_others_can_write_is_refused,
                        a_plugin_owned_by_another_user_is_refused,
                        a_directory_above_that_others_can_rename_in_is_refused,
                        a_link_is_judged_by_the_file_it_points_to],
         programs=["bpftool"], tracepoints=["syscalls/sys_enter_getpid"])
