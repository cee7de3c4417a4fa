#!/usr/bin/env python3
"""gadget_man.py: the man page ig-GADGET(1) of one gadget, from the plugin itself.

    gadget_man.py --ig IG --plugin PLUGIN.so --scdoc SCDOC --version V --output PAGE.1
                  [--see-also 'ig-bpfstats(7)']...

Runs `IG run PLUGIN.so --help` (the plugin's own description as ig renders it; no
daemon involved), turns its parameters and columns into scdoc and scdoc into roff.
The page can only say what the plugin says, so it cannot drift from it. A help text
this script does not understand fails the build, naming the line.
"""
import argparse
import os
import re
import subprocess
import sys

from scdoc_man import to_roff

TOOL = "gadget_man.py"
PARAM_TYPES = {"bool", "int", "uint", "string", "duration"}
HIDDEN_MARK = " [json only unless named in --fields]"


def fail(message):
    print(f"{TOOL}: {message}", file=sys.stderr)
    sys.exit(1)


def gadget_help(ig, plugin):
    """`ig run PLUGIN --help`, with no config file or extra plugin dirs to interfere."""
    env = {k: v for k, v in os.environ.items() if k != "IG_PLUGIN_PATH"}
    env["IG_CONFIG"] = os.devnull
    cmd = [ig, "run", os.path.abspath(plugin), "--help"]
    p = subprocess.run(cmd, env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    if p.returncode != 0:
        fail(f"'{' '.join(cmd)}' exited with {p.returncode}: {p.stderr.strip()}")
    return p.stdout


def sections(text):
    """{'': preamble lines, 'Parameters': [...], 'Columns': [...], 'ig run options': [...]}"""
    out, current = {"": []}, ""
    for line in text.splitlines():
        if line and not line[0].isspace() and line.endswith(":") and not line.startswith("Usage:"):
            current = line[:-1]
            out[current] = []
        elif line.strip():
            out[current].append(line)
    return out


def parse_param(line):
    """'  --pid uint      only this process (default 0)' -> (name, type, help, default)"""
    m = re.match(r"^  --([a-z0-9_-]+)(.*)$", line)
    if not m:
        fail(f"cannot read this parameter line of the help: {line!r}")
    name, rest = m.group(1), m.group(2)
    words = rest.split(None, 1)
    kind = "bool"
    if words and words[0] in PARAM_TYPES and rest.startswith(" " + words[0] + " "):
        kind, rest = words[0], words[1] if len(words) > 1 else ""
    text = rest.strip()
    default = ""
    d = re.match(r"^(.*) \(default (.+)\)$", text)
    if d:
        text, default = d.group(1), d.group(2)
    return name, kind, text, default


def parse_field(line):
    """'  pid (u32)        process id' -> (name, type, help, hidden)"""
    m = re.match(r"^  ([A-Za-z][A-Za-z0-9_]*) \(([a-z0-9]+)\)\s+(.*)$", line)
    if not m:
        fail(f"cannot read this column line of the help: {line!r}")
    text = m.group(3)
    hidden = text.endswith(HIDDEN_MARK)
    return m.group(1), m.group(2), text[: -len(HIDDEN_MARK)] if hidden else text, hidden


def long_option_names(lines):
    """The long names in a block of options of an ig --help: '  -o [ --output ] arg' -> output."""
    names = []
    for line in lines:
        m = re.match(r"^  (?:-\w \[ )?--([a-z][a-z0-9-]*)", line)
        if m:
            names.append(m.group(1))
    return names


def esc(text):
    """Plain text for scdoc: its markup characters taken literally."""
    text = text.replace("\\", "\\\\").replace("*", "\\*").replace("_", "\\_")
    return "\\" + text if text.startswith("-") else text


def describe(help_text):
    parts = sections(help_text)
    preamble = parts[""]
    usage = re.match(r"^Usage: ig run ([a-z0-9_]+) \[options\]$", preamble[0]) if preamble else None
    about = re.match(r"^(.*) \(version (\S+)\)$", preamble[1]) if len(preamble) > 1 else None
    if not usage or not about:
        fail("the help does not start with 'Usage: ig run NAME [options]' and 'SUMMARY (version V)'")
    for needed in ("Parameters", "Columns", "ig run options"):
        if needed not in parts:
            fail(f"the help has no '{needed}:' section")
    params = [] if parts["Parameters"] == ["  (none)"] else [parse_param(l) for l in parts["Parameters"]]
    fields = [parse_field(l) for l in parts["Columns"]]
    if not fields:
        fail("the help lists no columns")
    return {
        "name": usage.group(1),
        "summary": about.group(1),
        "version": about.group(2),
        "params": params,
        "fields": fields,
        "run_options": long_option_names(parts["ig run options"]),
    }


def scdoc_page(g, ig_version, see_also):
    name = g["name"]
    out = [f'ig-{name}(1) "ig {ig_version}" "ig gadgets"', ""]
    out += ["# NAME", "", f"ig-{esc(name)} - {esc(g['summary'])}", ""]
    out += ["# SYNOPSIS", "",
            f"*ig run* [*--name* _NAME_] [*--detach*] *{esc(name)}* [_options_] [_parameters_]", ""]
    out += ["# DESCRIPTION", "",
            f"*{esc(name)}* (version {esc(g['version'])}) is an ig gadget. *ig run {esc(name)}* runs it as an "
            "instance in the ig daemon and prints its rows here until it ends, Ctrl-C or *--timeout*; with "
            "*--detach* the instance keeps running in the daemon and *ig list* shows it. See *ig*(1).", "",
            f"This page is generated, when ig is built, from the description the plugin gives of itself: "
            f"the text *ig run {esc(name)} --help* prints.", ""]
    out += ["# PARAMETERS", ""]
    if not g["params"]:
        out += ["None.", ""]
    for pname, kind, text, default in g["params"]:
        if kind == "bool":
            out += [f"*--{esc(pname)}*", f"\t{esc(text)} (a switch; *--{esc(pname)}=false* turns it off)", ""]
        else:
            after = f" (default: {esc(default)})" if default else ""
            out += [f"*--{esc(pname)}* _{kind}_", f"\t{esc(text)}{after}", ""]
    out += ["# COLUMNS", "",
            "In this order by default; *--fields* picks and orders them. With *-o json* each event is one JSON "
            "object keyed by these names.", ""]
    for fname, kind, text, hidden in g["fields"]:
        note = " (in JSON; in columns only when named in *--fields*)" if hidden else ""
        out += [f"*{esc(fname)}* (_{kind}_)", f"\t{esc(text)}{note}", ""]
    options = ", ".join(f"*--{esc(o)}*" for o in g["run_options"])
    out += ["# OPTIONS", "", f"Every *ig run* option works here too: {options}. See *ig*(1).", ""]
    visible = [f[0] for f in g["fields"] if not f[3]][:4]
    out += ["# EXAMPLES", "", "```",
            f"ig run {name}",
            f"ig run {name} -o json --timeout 5",
            f"ig run {name} --fields {','.join(visible)}",
            f"ig run --name my{name} {name} --detach",
            f"ig run {name} --help", "```", ""]
    refs = ["*ig*(1)"] + [f"*{esc(s.split('(')[0])}*({s.split('(')[1]}" for s in see_also]
    out += ["# SEE ALSO", "", ", ".join(refs), ""]
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ig", required=True)
    ap.add_argument("--plugin", required=True)
    ap.add_argument("--scdoc", required=True)
    ap.add_argument("--version", required=True, help="ig's version, for the page footer")
    ap.add_argument("--output", required=True)
    ap.add_argument("--see-also", action="append", default=[], help="another page, e.g. 'ig-bpfstats(7)'")
    args = ap.parse_args()

    gadget = describe(gadget_help(args.ig, args.plugin))
    expected = f"ig-{gadget['name']}.1"
    if os.path.basename(args.output) != expected:
        fail(f"the plugin '{args.plugin}' describes gadget '{gadget['name']}', so its page is '{expected}', "
             f"not '{os.path.basename(args.output)}'")
    roff = to_roff(args.scdoc, scdoc_page(gadget, args.version, args.see_also), f"the page of '{gadget['name']}'")
    with open(args.output, "w") as f:
        f.write(roff)


if __name__ == "__main__":
    main()
