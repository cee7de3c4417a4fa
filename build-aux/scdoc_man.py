#!/usr/bin/env python3
"""scdoc_man.py SCDOC INPUT.scd OUTPUT: an scdoc page to roff, as scdoc does, plus one fix.

scdoc puts `.nh` (no hyphenation) before `.TH`, and groff's man macros switch
hyphenation back on at `.TH`, so `--interval` would break as `--inter-val`. The
`.nh` is moved after `.TH`, where it holds.
"""
import subprocess
import sys


def to_roff(scdoc, text, what):
    p = subprocess.run([scdoc], input=text, capture_output=True, text=True)
    if p.returncode != 0:
        print(f"scdoc_man.py: scdoc failed on {what}: {p.stderr.strip()}", file=sys.stderr)
        sys.exit(1)
    lines = [line for line in p.stdout.splitlines() if line != ".nh"]
    th = next((i for i, line in enumerate(lines) if line.startswith(".TH ")), None)
    if th is None:
        print(f"scdoc_man.py: scdoc wrote no .TH line for {what}", file=sys.stderr)
        sys.exit(1)
    lines.insert(th + 1, ".nh")
    return "\n".join(lines) + "\n"


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__.splitlines()[0])
    scdoc, source, output = sys.argv[1:]
    with open(source) as f:
        roff = to_roff(scdoc, f.read(), f"'{source}'")
    with open(output, "w") as f:
        f.write(roff)


if __name__ == "__main__":
    main()
