#!/usr/bin/env python3
"""Compile a CO-RE BPF source and turn it into a libbpf skeleton header.

clang -target bpf -> bpftool gen object (strips DWARF, links) -> bpftool gen skeleton.
Fails the build when a program or map name does not fit the kernel's 16-byte name
field (15 characters), because bpftool and bpfstats would then show it truncated.

--light writes a light skeleton (bpftool gen skeleton -L) instead: C only, no libbpf
at run time, and the kernel applies the CO-RE relocations from its own BTF (Linux
5.17+), so loading does not read the kernel's BTF in user space.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile

MAX_NAME = 15


def run(cmd, **kw):
    result = subprocess.run(cmd, **kw)
    if result.returncode != 0:
        sys.exit(result.returncode)
    return result


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--clang", required=True)
    ap.add_argument("--bpftool", required=True)
    ap.add_argument("--name", required=True, help="skeleton struct name")
    ap.add_argument("--arch", default="x86")
    ap.add_argument("--depfile")
    ap.add_argument("--light", action="store_true", help="a light skeleton (bpftool gen skeleton -L)")
    ap.add_argument("-I", dest="includes", action="append", default=[])
    ap.add_argument("-D", dest="defines", action="append", default=[], help="a macro for the BPF compile")
    ap.add_argument("source")
    ap.add_argument("output")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        obj = os.path.join(tmp, "prog.bpf.o")
        linked = os.path.join(tmp, "prog.o")
        cmd = [args.clang, "-g", "-O2", "-target", "bpf", f"-D__TARGET_ARCH_{args.arch}",
               "-Wall", "-Werror", "-Wno-unused-function"]
        cmd += [f"-I{d}" for d in args.includes]
        cmd += [f"-D{d}" for d in args.defines]
        if args.depfile:
            cmd += ["-MD", "-MF", args.depfile, "-MT", args.output]
        cmd += ["-c", args.source, "-o", obj]
        run(cmd)
        run([args.bpftool, "gen", "object", linked, obj])
        skel = run([args.bpftool, "gen", "skeleton", linked, "name", args.name],
                   capture_output=True, text=True).stdout
        # The names are checked on the full skeleton, which spells them out.
        light = run([args.bpftool, "gen", "skeleton", "-L", linked, "name", args.name],
                    capture_output=True, text=True).stdout if args.light else None

    too_long = []
    for kind, name in re.findall(r's->(progs|maps)\[\d+\]\.name = "([^"]*)"', skel):
        internal = kind == "maps" and "." in name  # .rodata/.bss, named by libbpf
        if not internal and len(name) > MAX_NAME:
            too_long.append(f"{kind[:-1]} '{name}' ({len(name)} characters)")
    if too_long:
        print(f"{args.source}: BPF names longer than {MAX_NAME} characters: "
              + ", ".join(too_long) + "; shorten them, e.g. ig_<gadget>_<hook>", file=sys.stderr)
        sys.exit(1)

    with open(args.output, "w") as f:
        f.write(light if args.light else skel)


if __name__ == "__main__":
    main()
