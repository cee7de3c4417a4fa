#!/usr/bin/env python3
"""docs/writing-a-gadget.md shows the example's files verbatim, and the example is
what ig's build compiles and the out-of-tree test runs: so the tutorial cannot
drift from code that works. When you change a file in examples/hello_gadget/,
paste it into the tutorial's code block too.

It also names every call the host offers a plugin: each virtual member of the
headers given after --api (ig/context.h, ig/host_access.h) appears in the tutorial
as `name(`, and each capability by the name `ig gadgets` shows.

usage: tutorial_test.py TUTORIAL.md EXAMPLE_DIR FILE... [--api HEADER...]
"""
import os
import re
import sys


def api_names(headers):
    """Virtual members (not destructors) and capability names declared in `headers`."""
    calls, capabilities = [], []
    for header in headers:
        with open(header) as f:
            text = f.read()
        calls += re.findall(r"virtual\s[^;(]*?\b([a-z_][a-z0-9_]*)\s*\(", text)
        capabilities += re.findall(r'case Capability::\w+: return "([a-z-]+)";', text)
    return calls, capabilities


def main():
    args = sys.argv[1:]
    headers = args[args.index("--api") + 1:] if "--api" in args else []
    tutorial, example_dir, *files = args[:args.index("--api")] if headers else args
    with open(tutorial) as f:
        text = f.read()
    failed = 0
    for name in files:
        with open(os.path.join(example_dir, name)) as f:
            code = f.read().rstrip("\n")
        if "\n" + code + "\n```" in text:
            print(f"ok   {name}")
        else:
            failed += 1
            print(f"FAIL {name}: {tutorial} does not show it as it is in {example_dir}; update the code block")
    calls, capabilities = api_names(headers)
    for call in calls:
        if f"`{call}(" not in text:
            failed += 1
            print(f"FAIL {call}(): the host offers it, but {tutorial} never names it as `{call}(`")
    for capability in capabilities:
        if f"(`{capability}`)" not in text:
            failed += 1
            print(f"FAIL capability '{capability}': {tutorial} does not show it as (`{capability}`)")
    checked = len(files) + len(calls) + len(capabilities)
    print(f"tutorial: {checked - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
