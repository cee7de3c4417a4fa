#!/usr/bin/env python3
"""Every plugin ig builds exports exactly the two ABI symbols, ig_plugin_abi_version
and ig_plugin_entry, and nothing else (sdk/plugin.map and -fvisibility=hidden).

usage: exports_test.py NM BUILD_ROOT PLUGIN.so...
The plugins meson names are checked, and so is any other NAME.so found in
BUILD_ROOT/{gadgets,plugins,examples}/*/, so a new gadget cannot slip past by not
being listed here. Runs unprivileged; no kernel needed.
"""
import glob
import os
import subprocess
import sys

EXPECTED = {"ig_plugin_abi_version", "ig_plugin_entry"}


def defined_dynamic_symbols(nm, path):
    out = subprocess.run([nm, "-D", "--defined-only", path], capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(f"'{nm} -D --defined-only {path}' failed: {out.stderr.strip()}")
    return {line.split()[-1] for line in out.stdout.splitlines() if line.strip()}


def main():
    nm, build_root, *listed = sys.argv[1:]
    found = []
    for group in ("gadgets", "plugins", "examples"):
        found += glob.glob(os.path.join(build_root, group, "*", "*.so"))
    plugins = sorted({os.path.realpath(p) for p in listed + found})
    passed = failed = 0
    for path in plugins:
        name = os.path.relpath(path, build_root)
        if not os.path.exists(path):
            failed += 1
            print(f"FAIL {name}: not built")
            continue
        symbols = defined_dynamic_symbols(nm, path)
        if symbols == EXPECTED:
            passed += 1
            print(f"ok   {name}: exports {', '.join(sorted(symbols))}")
            continue
        failed += 1
        extra, absent = sorted(symbols - EXPECTED), sorted(EXPECTED - symbols)
        print(f"FAIL {name}: " + "; ".join(
            ([f"also exports {', '.join(extra[:10])}" + (f" and {len(extra) - 10} more" if len(extra) > 10 else "")]
             if extra else []) +
            ([f"does not export {', '.join(absent)}"] if absent else [])) +
            "; build it with gnu_symbol_visibility: 'hidden' and the SDK's plugin.map")
    print(f"exports: {passed} passed, {failed} failed")
    sys.exit(1 if failed or not plugins else 0)


if __name__ == "__main__":
    main()
