#!/usr/bin/env python3
"""ig-bpf-skeleton: what a gadget build needs on the BPF side, installed with the SDK.

    ig-bpf-skeleton --vmlinux OUTPUT [--btf FILE]
        vmlinux.h (every kernel type, for CO-RE) from the running kernel's BTF.
    ig-bpf-skeleton --name NAME [-I DIR]... [--depfile FILE] SOURCE.bpf.c OUTPUT.skel.h
        clang -target bpf, then a libbpf skeleton with the object embedded
        (bpf_skeleton.py, which sits next to this file). Fails on a program or map
        name longer than 15 characters.

clang and bpftool are taken from PATH (and the sbin directories), or from --clang /
--bpftool, or from the CLANG / BPFTOOL environment variables. The BPF target
architecture follows the machine this runs on unless --arch says otherwise.

Installed as <prefix>/<libexecdir>/ig/ig-bpf-skeleton; its path is the
`bpf_skeleton` variable of ig-sdk.pc. ig's own build runs it from build-aux/.
"""
import argparse
import os
import platform
import shutil
import subprocess
import sys

TOOL = "ig-bpf-skeleton"
VMLINUX_BTF = "/sys/kernel/btf/vmlinux"

# platform.machine() -> the kernel's name for the architecture (__TARGET_ARCH_*),
# which bpf_tracing.h uses to read syscall arguments from pt_regs.
ARCHES = {
    "x86_64": "x86", "i386": "x86", "i686": "x86",
    "aarch64": "arm64", "arm64": "arm64",
    "armv7l": "arm", "armv6l": "arm",
    "ppc64le": "powerpc", "ppc64": "powerpc",
    "s390x": "s390",
    "riscv64": "riscv",
    "loongarch64": "loongarch",
    "mips64": "mips", "mips": "mips",
}

INSTALL_HINT = {"clang": "apt-get install clang", "bpftool": "apt-get install bpftool"}


def fail(message):
    print(f"{TOOL}: {message}", file=sys.stderr)
    sys.exit(1)


def find_tool(name, given):
    """The path of clang or bpftool: --NAME, then $NAME upper-cased, then PATH + sbin."""
    candidate = given or os.environ.get(name.upper())
    if candidate:
        found = shutil.which(candidate)
        if not found:
            fail(f"'{candidate}' (given for {name}) is not an executable; check the path")
        return found
    path = os.environ.get("PATH", os.defpath) + ":/usr/local/sbin:/usr/sbin:/sbin"
    found = shutil.which(name, path=path)
    if not found:
        fail(f"'{name}' not found in PATH; install it (Debian: {INSTALL_HINT[name]}) "
             f"or pass --{name} PATH")
    return found


def write_vmlinux_h(output, btf, bpftool):
    if not os.path.exists(btf):
        if btf != VMLINUX_BTF:
            fail(f"no BTF file at '{btf}'; check the path given to --btf")
        fail(f"no kernel BTF at '{btf}': this kernel was built without CONFIG_DEBUG_INFO_BTF=y, "
             "and CO-RE gadgets need its types; run a kernel with BTF, or pass --btf FILE "
             "with a BTF file for this kernel")
    result = subprocess.run([bpftool, "btf", "dump", "file", btf, "format", "c"],
                            capture_output=True, text=True)
    if result.returncode != 0:
        fail(f"'bpftool btf dump file {btf}' failed: {result.stderr.strip() or result.returncode}")
    tmp = output + ".tmp"
    with open(tmp, "w") as f:
        f.write(result.stdout)
    os.replace(tmp, output)  # never leave a half-written header behind


def main():
    ap = argparse.ArgumentParser(prog=TOOL, description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog=__doc__.split("\n\n", 1)[1])
    ap.add_argument("--vmlinux", metavar="OUTPUT", help="write vmlinux.h from the kernel's BTF and exit")
    ap.add_argument("--btf", default=VMLINUX_BTF, help=f"BTF file for --vmlinux (default {VMLINUX_BTF})")
    ap.add_argument("--clang", metavar="PATH", help="clang to compile with (default: $CLANG, else PATH)")
    ap.add_argument("--bpftool", metavar="PATH", help="bpftool to use (default: $BPFTOOL, else PATH and sbin)")
    ap.add_argument("--arch", help="BPF target architecture (default: this machine's)")
    args, rest = ap.parse_known_args()
    if not args.vmlinux and not rest:
        ap.error("nothing to do: give --vmlinux OUTPUT, or --name NAME SOURCE.bpf.c OUTPUT.skel.h")

    bpftool = find_tool("bpftool", args.bpftool)
    if args.vmlinux:
        if rest:
            fail(f"--vmlinux takes no other arguments, got {' '.join(rest)}")
        write_vmlinux_h(args.vmlinux, args.btf, bpftool)
        return

    arch = args.arch or ARCHES.get(platform.machine())
    if not arch:
        fail(f"unknown machine '{platform.machine()}'; pass --arch (the kernel's arch name, e.g. x86)")
    clang = find_tool("clang", args.clang)

    # The skeleton step is bpf_skeleton.py's, the same code ig's own gadgets build with.
    here = os.path.dirname(os.path.realpath(__file__))
    sys.path.insert(0, here)
    sys.dont_write_bytecode = True  # no __pycache__ in the install or source tree
    try:
        import bpf_skeleton
    except ImportError:
        fail(f"bpf_skeleton.py is missing next to {TOOL} in '{here}'; reinstall the ig SDK")
    sys.argv = [TOOL, "--clang", clang, "--bpftool", bpftool, "--arch", arch, *rest]
    bpf_skeleton.main()


if __name__ == "__main__":
    main()
