#!/usr/bin/env python3
"""docs/writing-a-gadget.md shows the example's files verbatim, and the example is
what ig's build compiles and the out-of-tree test runs: so the tutorial cannot
drift from code that works. When you change a file in examples/hello_gadget/,
paste it into the tutorial's code block too.

usage: tutorial_test.py TUTORIAL.md EXAMPLE_DIR FILE...
"""
import os
import sys


def main():
    tutorial, example_dir, *files = sys.argv[1:]
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
    print(f"tutorial: {len(files) - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
