#!/usr/bin/env python3
"""dist/completion/ig.bash against the real built ig and its real plugins: bash is
handed COMP_LINE, COMP_POINT, COMP_WORDS and COMP_CWORD as it would on Tab, _ig runs,
and COMPREPLY is checked. With --instances (kernel suite, root) it also completes the
names and ids of a private daemon's instances."""
import os
import re
import subprocess
import sys
import tempfile

COMPLETION = os.environ["IG_COMPLETION"]
IG = os.environ["IG"]
FAILED = []


def bash_words(line):
    """COMP_WORDS as bash splits `line`: at blanks, and at runs of COMP_WORDBREAKS
    characters (= : < > ; | & ( by default), which become words of their own."""
    words = []
    for blank_separated in re.split(r"[ \t]+", line):
        words += [w for w in re.split(r"([=:<>;|&(]+)", blank_separated) if w] or [""]
    if line.endswith(" ") and words[-1] != "":
        words.append("")
    return words


def complete(line, env=None):
    """What Tab after `line` offers, as bash would put it in the line's last word."""
    words = bash_words(line)
    script = (f'source "$IG_COMPLETION"\n'
              f'COMP_LINE="$1"; COMP_POINT=${{#COMP_LINE}}; shift\n'
              f'COMP_WORDS=("$@"); COMP_CWORD=$((${{#COMP_WORDS[@]}} - 1))\n'
              f'_ig\nprintf "%s\\n" "${{COMPREPLY[@]}}"\n')
    path = os.path.dirname(IG) + os.pathsep + os.environ.get("PATH", "")
    p = subprocess.run(["bash", "--norc", "--noprofile", "-c", script, "bash", line, *words],
                       capture_output=True, text=True, timeout=60,
                       env=dict(env or os.environ, PATH=path, IG_COMPLETION=COMPLETION))
    if p.returncode != 0 or p.stderr:
        return [f"<bash failed {p.returncode}: {p.stderr.strip()}>"]
    return [c for c in p.stdout.split("\n") if c]


def check(line, expected, env=None, exact=True, ordered=True):
    got = complete(line, env)
    if not ordered:
        got, expected = sorted(got), sorted(expected)
    ok = got == expected if exact else set(expected) <= set(got)
    print(f"{'ok  ' if ok else 'FAIL'} {line!r}: {got}" + ("" if ok else f", expected {expected}"))
    if not ok:
        FAILED.append(line)


def offline_cases():
    check("ig ", ["gadgets", "run", "list", "top", "attach", "remove", "daemon", "version"])
    check("ig ver", ["version"])
    check("ig --", ["--config", "--socket", "--pid-file", "--state-dir", "--plugin-dir", "--help", "--version"])
    check("ig run ", ["bpfstats", "trace_exec", "trace_open"], exact=False)
    check("ig run trace_o", ["trace_open"])
    check("ig run --name x trace_e", ["trace_exec"])
    # A gadget's own parameters, from its description, beside ig run's options.
    check("ig run trace_open --", ["--pid", "--comm", "--failed", "--fields", "--filter", "--include-ig", "--output"],
          exact=False)
    check("ig run trace_open --f", ["--fields", "--filter", "--failed"])
    check("ig run bpfstats --int", ["--interval"])
    check("ig run trace_open --pid ", [])  # a value: nothing to guess
    check("ig run trace_open -o ", ["columns", "json", "jsonpretty", "yaml"])
    check("ig run trace_open --output=json", ["json", "jsonpretty"])
    # Columns for --fields and --filter (past a comma, and after a term's operator).
    check("ig run trace_open --fields pid,co", ["pid,comm"])
    check("ig run trace_open --fields ti", ["timestamp", "tid"])
    check("ig run trace_open --filter fd>=0,pa", ["0,path"])
    check("ig run trace_open --filter comm==", [])
    check("ig run trace_exec --fields args", ["args_size", "args_count", "args_truncated", "args"])
    # bpfstats' --sort takes a column, '-' first for descending.
    check("ig run bpfstats --sort -runc", ["-runcount", "-runcountDelta"])
    check("ig run bpfstats --sort mapM", ["mapMemory", "mapMemoryReal", "mapMemoryShared", "mapMemoryIdle"])
    check("ig list --", ["--help", "--output", "--no-start"])
    check("ig version -o y", ["yaml"])
    check("ig gadgets --o", ["--output"])
    check("ig daemon --m", ["--metrics-listen"])
    with tempfile.TemporaryDirectory() as d:
        open(os.path.join(d, "config.toml"), "w").close()
        check(f"ig --config {d}/con", [f"{d}/config.toml"])
        # No daemon answers on this socket: instance completion offers nothing and starts none.
        env = dict(os.environ, IG_CONFIG=os.path.join(d, "config.toml"))
        with open(env["IG_CONFIG"], "w") as f:
            f.write(f'socket = "{d}/ig.sock"\npid_file = "{d}/ig.pid"\nstate_dir = "{d}/state"\n')
        check("ig attach ", [], env)
        check("ig --config " + env["IG_CONFIG"] + " rm ", [])
        if os.path.exists(f"{d}/ig.pid") or os.path.exists(f"{d}/ig.sock"):
            print("FAIL completing an instance started a daemon")
            FAILED.append("no daemon")


def instance_cases():
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "kernel"))
    import igtest
    igtest.require("completion")
    with igtest.Sandbox() as sandbox:
        rc, lines = igtest.run_ig(sandbox, ["run", "--name", "compl_one", "trace_open", "--detach", "--comm", "nomatch"])
        if rc != 0:
            print(f"FAIL ig run --detach: {lines}")
            FAILED.append("detach")
            return
        rc, _ = igtest.run_ig(sandbox, ["run", "--name", "compl_two", "trace_exec", "--detach"])
        ids = {}
        p = subprocess.run([IG, "list", "-o", "json"], capture_output=True, text=True, env=sandbox.env)
        import json
        for line in p.stdout.splitlines():
            row = json.loads(line)
            ids[row["name"]] = row["id"]
        # Instances come in the daemon's order.
        check("ig attach ", [ids["compl_one"], ids["compl_two"], "compl_one", "compl_two"], sandbox.env,
              ordered=False)
        check("ig remove compl_", ["compl_one", "compl_two"], sandbox.env, ordered=False)
        check("ig rm " + ids["compl_two"][:6], [ids["compl_two"]], sandbox.env)
        check("ig attach compl_one -o j", ["json", "jsonpretty"], sandbox.env)
        igtest.run_ig(sandbox, ["remove", "--all"])


if __name__ == "__main__":
    if "--instances" in sys.argv:
        instance_cases()
    else:
        offline_cases()
    print(f"completion: {'FAILED ' + str(len(FAILED)) if FAILED else 'all passed'}")
    sys.exit(1 if FAILED else 0)
