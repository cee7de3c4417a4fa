#!/usr/bin/env python3
"""The man pages as a reader meets them, and as ig itself describes things:

* every built page renders with `man --warnings` and no warning, and has a whatis
  line that lexgrog (apropos) can read;
* each generated ig-GADGET(1) lists every parameter and column the plugin's
  `ig run PLUGIN --help` lists, in PARAMETERS and COLUMNS;
* ig(1) lists every command, global option, environment variable and command option
  that `ig --help` and `ig COMMAND --help` show;
* ig-bpfstats(7) explains every bpfstats column;
* ig.toml(5) documents exactly the keys of the shipped default config, and both
  that config (uncommented) and the page's example load without a warning;
* every plugin meson installs has its generated page.

Arguments come from tests/man/meson.build. Exit 0 pass, 1 fail.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

from gadget_man import long_option_names as long_options  # build-aux/, on PYTHONPATH

failures = []


def check(ok, message):
    if not ok:
        failures.append(message)
    return ok


def run(cmd, env=None):
    return subprocess.run(cmd, capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL)


def ig_run(ig, *args):
    """ig with no config file or plugin path of this machine's to interfere."""
    env = {k: v for k, v in os.environ.items() if k != "IG_PLUGIN_PATH"}
    env["IG_CONFIG"] = os.devnull
    p = run([ig, *args], env=env)
    if p.returncode != 0:
        sys.exit(f"FAIL man: '{' '.join([ig, *args])}' exited with {p.returncode}: {p.stderr.strip()}")
    return p.stdout


def render(page):
    """The page as `man` shows it on an 80-column terminal; warnings are failures."""
    env = dict(os.environ, MANWIDTH="80", LC_ALL="C.UTF-8", MANPAGER="cat", PAGER="cat")
    p = run(["man", "--warnings", "-l", "-E", "UTF-8", page], env=env)
    name = os.path.basename(page)
    check(p.returncode == 0, f"{name}: man exited with {p.returncode}")
    check(not p.stderr.strip(), f"{name}: man --warnings says:\n{p.stderr.rstrip()}")
    check(p.stdout.strip(), f"{name}: renders empty")
    return p.stdout


def sections(text):
    """Rendered page -> {SECTION TITLE: its lines}."""
    out, current = {}, None
    for line in text.splitlines():
        if line and not line[0].isspace() and line.upper() == line and not line.endswith(")"):
            current = line.strip()
            out[current] = []
        elif current:
            out[current].append(line)
    return out


def is_item(lines, term, indent=7):
    """A definition-list entry: `term` at the start of a line at `indent`, e.g. '--pid uint'."""
    pattern = re.compile(r"^ {%d}%s(?=$|[ ,=\[])" % (indent, re.escape(term)))
    return any(pattern.match(line) for line in lines)


def help_block(text, title):
    """The indented lines under 'Title:' in a --help text."""
    out, inside = [], False
    for line in text.splitlines():
        if line.startswith(title):
            inside = True
        elif inside and line.strip() and not line[0].isspace():
            break
        elif inside:
            out.append(line)
    return out


def gadget_help(ig, plugin):
    text = ig_run(ig, "run", os.path.abspath(plugin), "--help")
    params = [m.group(1) for l in help_block(text, "Parameters:") if (m := re.match(r"^  --([a-z0-9_-]+)", l))]
    fields = [m.group(1) for l in help_block(text, "Columns:") if (m := re.match(r"^  ([A-Za-z]\w*) \(", l))]
    check(fields, f"'ig run {plugin} --help' lists no columns; has its format changed?")
    return params, fields, long_options(help_block(text, "ig run options:"))


def check_gadget_page(name, page_text, params, fields, run_options):
    page = sections(page_text)
    for p in params:
        check(is_item(page.get("PARAMETERS", []), "--" + p), f"ig-{name}(1): PARAMETERS lacks --{p}")
    for f in fields:
        check(is_item(page.get("COLUMNS", []), f), f"ig-{name}(1): COLUMNS lacks {f}")
    options_text = " ".join(page.get("OPTIONS", []))
    for o in run_options:
        check("--" + o in options_text, f"ig-{name}(1): OPTIONS does not name --{o}")


def check_ig_page(ig, page_text):
    page = sections(page_text)
    usage = ig_run(ig, "--help")
    commands = [l.split()[0] for l in help_block(usage, "Commands:") if l.strip()]
    check(commands, "'ig --help' lists no commands; has its format changed?")
    for c in commands:
        check(is_item(page.get("COMMANDS", []), c), f"ig(1): COMMANDS lacks '{c}'")
    global_options = long_options(help_block(usage, "Global options"))
    for o in global_options:
        check(is_item(page.get("GLOBAL OPTIONS", []), "--" + o), f"ig(1): GLOBAL OPTIONS lacks --{o}")
    for var in sorted(set(re.findall(r"\b(IG_[A-Z_]+)\b", usage))):
        check(is_item(page.get("ENVIRONMENT", []), var), f"ig(1): ENVIRONMENT lacks {var}")
    for c in commands:
        text = ig_run(ig, c, "--help")
        own = [o for o in long_options(help_block(text, "Options:") + help_block(text, "ig run options:"))
               if o not in global_options and (o != "help" or c == "run")]
        if not own:
            continue
        titles = [t for t in page if c.upper() in re.findall(r"[A-Z]+", t) and t.endswith("OPTIONS")]
        if not check(titles, f"ig(1) has no section for the options of 'ig {c}' ({c.upper()} ... OPTIONS)"):
            continue
        for o in own:
            check(is_item(page[titles[0]], "--" + o) or is_item(page[titles[0]], "-" + o[0] + ", --" + o),
                  f"ig(1): {titles[0]} lacks --{o} of 'ig {c}'")


def toml_keys(lines):
    """Keys of TOML text, '[table]' keys as 'table.key'."""
    keys, table = set(), ""
    for line in lines:
        line = line.strip()
        if m := re.match(r"^\[([a-z_]+)\]$", line):
            table = m.group(1) + "."
        elif m := re.match(r"^([a-z_]+)\s*=", line):
            keys.add(table + m.group(1))
    return keys


def loads_cleanly(ig, toml_text, what):
    with tempfile.NamedTemporaryFile("w", suffix=".toml") as f:
        f.write(toml_text)
        f.flush()
        p = run([ig, "--config", f.name, "version"])
    check(p.returncode == 0 and not p.stderr.strip(),
          f"{what} does not load cleanly with 'ig --config FILE version': {p.stderr.strip()}\n{toml_text}")


def check_config_page(ig, page_text, config_path):
    page = sections(page_text)
    documented, table = set(), ""
    for line in page.get("KEYS", []):
        if m := re.match(r"^ {7}\[([a-z_]+)\]$", line):
            table = m.group(1) + "."
        elif m := re.match(r"^ {7}([a-z_]+) = ", line):
            documented.add(m.group(1))
            table = ""
        elif m := re.match(r"^ {11}([a-z_]+) = ", line):
            documented.add(table + m.group(1))
    with open(config_path) as f:
        shipped = [re.sub(r"^# ?", "", l) for l in f.read().splitlines()
                   if re.match(r"^# ?([a-z_]+ = .*|\[[a-z_]+\])$", l)]
    shipped_keys = toml_keys(shipped)
    check(documented, "ig.toml(5): KEYS documents no key; has its layout changed?")
    check(documented == shipped_keys,
          f"ig.toml(5) documents {sorted(documented)} but {os.path.basename(config_path)} has {sorted(shipped_keys)}")
    loads_cleanly(ig, "\n".join(shipped) + "\n", f"the default config '{config_path}', uncommented")
    example = [l[11:] for l in page.get("EXAMPLE", []) if l.startswith(" " * 11)]
    check(example, "ig.toml(5): EXAMPLE shows no config")
    loads_cleanly(ig, "\n".join(example) + "\n", "ig.toml(5)'s EXAMPLE")


def check_installed_plugins_have_pages(build_root, plugin_dir, gadgets):
    with open(os.path.join(build_root, "meson-info", "intro-installed.json")) as f:
        installed = json.load(f)
    plugins = {os.path.basename(dest)[:-3] for dest in installed.values()
               if os.path.dirname(dest) == plugin_dir and dest.endswith(".so")}
    check(plugins, f"meson installs no plugin into '{plugin_dir}'?")
    for name in sorted(plugins - set(gadgets)):
        check(False, f"gadget '{name}' is installed but has no generated page: add it to man/meson.build")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ig", required=True)
    ap.add_argument("--build-root", required=True)
    ap.add_argument("--plugin-dir", required=True)
    ap.add_argument("--config", required=True, help="the default config.toml")
    ap.add_argument("--page", action="append", default=[], help="a built page")
    ap.add_argument("--gadget", nargs=3, action="append", default=[], metavar=("NAME", "PLUGIN", "PAGE"))
    args = ap.parse_args()
    for tool in ("man", "lexgrog"):
        if not shutil.which(tool):
            sys.exit(f"FAIL man: '{tool}' not found; install man-db (scripts/install-deps.sh)")

    pages = {os.path.basename(p): p for p in args.page}
    rendered = {name: render(path) for name, path in pages.items()}
    for name, path in pages.items():
        p = run(["lexgrog", path])
        check(p.returncode == 0 and " - " in p.stdout, f"{name}: no whatis line lexgrog can read: {p.stdout.strip()}")

    gadget_fields = {}
    for name, plugin, page in args.gadget:
        params, fields, run_options = gadget_help(args.ig, plugin)
        gadget_fields[name] = fields
        check_gadget_page(name, rendered[os.path.basename(page)], params, fields, run_options)
    check_installed_plugins_have_pages(args.build_root, args.plugin_dir, gadget_fields)

    check_ig_page(args.ig, rendered["ig.1"])
    bpfstats_columns = sections(rendered["ig-bpfstats.7"]).get("COLUMNS", [])
    for f in gadget_fields.get("bpfstats", []):
        check(is_item(bpfstats_columns, f), f"ig-bpfstats(7): COLUMNS does not explain {f}")
    check_config_page(args.ig, rendered["ig.toml.5"], args.config)

    for f in failures:
        print(f"FAIL man: {f}")
    if failures:
        return 1
    print(f"PASS man: {len(pages)} pages, {len(args.gadget)} generated from their plugins")
    return 0


if __name__ == "__main__":
    sys.exit(main())
