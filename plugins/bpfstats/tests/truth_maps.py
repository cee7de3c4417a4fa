"""truth_test.py's map checks: --maps, mapMemoryReal, mapMemoryShared and --total
against the objects bpfstats-truth-objects and the bst_shared gadget hold, and
against bpftool."""
import os
import subprocess
import tempfile

from kernel_test import Failure, KernelView, bpftool, expect, which

ATTEMPTS = 3  # others load and free BPF objects meanwhile: a total is retried when they do


def maps_by_id(sandbox, *args):
    rows, _ = sandbox.bpfstats("--maps", *args)
    return {row["mapID"]: row for row in rows if not row["total"]}, [row for row in rows if row["total"]]


def inner_ids(outer_id):
    """The inner map ids of a map-of-maps, as bpftool dumps them (each value is an id's bytes)."""
    return [int.from_bytes(bytes(int(b, 16) for b in entry["value"]), "little")
            for entry in bpftool("map", "dump", "id", str(outer_id))]


def check_hash_fill(sandbox, objects):
    """A preallocated hash with 1234 of 10000 elements: entries, fill, idle; then 234."""
    pre, dyn = objects.maps["bst_prealloc"], objects.maps["bst_dynamic"]
    empty, _ = maps_by_id(sandbox)
    objects.do("fill bst_prealloc 1234")
    objects.do("fill bst_dynamic 1234")
    kernel = KernelView()
    rows, _ = maps_by_id(sandbox)
    row = rows[pre]
    expect(row["entries"] == 1234 and row["maxEntries"] == 10000, f"bst_prealloc: {row}")
    expect(abs(row["fill"] - 12.34) < 0.006, f"bst_prealloc: fill {row['fill']}, expected 12.34")
    expect(row["preallocated"] is True, f"bst_prealloc: preallocated {row['preallocated']}")
    expect(row["mapMemory"] == kernel.maps[pre]["bytes_memlock"] == empty[pre]["mapMemory"],
           f"bst_prealloc: mapMemory {row['mapMemory']}, bpftool {kernel.maps[pre]['bytes_memlock']}, "
           f"empty {empty[pre]['mapMemory']} (preallocated: its memlock must not move)")
    idle = row["mapMemoryIdle"] / row["mapMemory"]
    expect(abs(idle - 0.8766) < 0.001, f"bst_prealloc: mapMemoryIdle is {idle:.2%} of memlock, expected 87.66 %")
    expect(objects.ids["trigger"] in [int(i) for i in row["progIDs"].split(",")], f"bst_prealloc: progIDs {row}")
    expect(str(objects.proc.pid) in row["pids"].split(","), f"bst_prealloc: pids {row['pids']!r}")
    expect(row["comms"].split(",")[0] == "bpfstats-truth-", f"bst_prealloc: comms {row['comms']!r}")

    grown = rows[dyn]
    expect(grown["entries"] == 1234 and grown["preallocated"] is False and grown["mapMemoryIdle"] == 0,
           f"bst_dynamic: {grown}")
    expect(grown["mapMemory"] == kernel.maps[dyn]["bytes_memlock"],
           f"bst_dynamic: mapMemory {grown['mapMemory']}, bpftool {kernel.maps[dyn]['bytes_memlock']}")
    expect(grown["mapMemory"] > empty[dyn]["mapMemory"],
           f"bst_dynamic: mapMemory {empty[dyn]['mapMemory']} empty, {grown['mapMemory']} with 1234 elements")

    objects.do("delete bst_prealloc 1000")
    objects.do("delete bst_dynamic 1000")
    kernel = KernelView()
    rows, _ = maps_by_id(sandbox)
    expect(rows[pre]["entries"] == 234 and abs(rows[pre]["fill"] - 2.34) < 0.006, f"bst_prealloc: {rows[pre]}")
    expect(rows[pre]["mapMemoryIdle"] > row["mapMemoryIdle"], f"bst_prealloc: idle did not grow: {rows[pre]}")
    shrunk = rows[dyn]
    expect(shrunk["entries"] == 234 and shrunk["mapMemory"] == kernel.maps[dyn]["bytes_memlock"] < grown["mapMemory"],
           f"bst_dynamic: mapMemory {shrunk['mapMemory']} after deleting 1000 (bpftool "
           f"{kernel.maps[dyn]['bytes_memlock']}), {grown['mapMemory']} before")
    print(f"--maps: bst_prealloc 1234 -> 234 entries, idle {idle:.2%}; bst_dynamic memlock "
          f"{empty[dyn]['mapMemory']} -> {grown['mapMemory']} -> {shrunk['mapMemory']}")


def check_real_memory(sandbox, objects):
    """mapMemoryReal: perf buffers of N pages per CPU, and an array-of-maps' 3 inner maps."""
    kernel = KernelView()
    rows, _ = maps_by_id(sandbox)
    perf, outer = objects.maps["bst_perf"], objects.maps["bst_outer"]
    page, cpus, pages = objects.ids["page_size"], objects.ids["perf_cpus"], objects.ids["perf_pages"]
    # Each CPU's buffer is the mmapped control page and N data pages.
    buffers = cpus * (pages + 1) * page
    row = rows[perf]
    expect(row["mapMemory"] == kernel.maps[perf]["bytes_memlock"], f"bst_perf: mapMemory {row}")
    expect(row["mapMemoryReal"] == row["mapMemory"] + buffers,
           f"bst_perf: mapMemoryReal {row['mapMemoryReal']}, expected memlock {row['mapMemory']} + "
           f"{cpus} CPUs x ({pages} + 1) pages x {page}")
    expect(row["entries"] == cpus, f"bst_perf: entries {row['entries']}, {cpus} CPUs' events")
    inner = inner_ids(outer)
    expect(sorted(inner) == sorted(objects.ids["inner"]), f"bst_outer holds {inner}, the loader made "
                                                          f"{objects.ids['inner']}")
    expected = kernel.maps[outer]["bytes_memlock"] + sum(kernel.maps[i]["bytes_memlock"] for i in inner)
    expect(rows[outer]["mapMemoryReal"] == expected and rows[outer]["entries"] == 3,
           f"bst_outer: mapMemoryReal {rows[outer]['mapMemoryReal']}, bpftool {expected}; {rows[outer]}")
    trigger = {r["progID"]: r for r in sandbox.bpfstats("--all")[0]}[objects.ids["trigger"]]
    uses = trigger["mapMemory"] + buffers + sum(kernel.maps[i]["bytes_memlock"] for i in inner)
    expect(trigger["mapMemoryReal"] == uses, f"bst_trigger: mapMemoryReal {trigger['mapMemoryReal']}, expected {uses}")
    print(f"mapMemoryReal: perf buffers {buffers} bytes, 3 inner maps, on the map and on its program")


def daemon_objects(sandbox, kernel):
    """The programs and maps the sandbox's daemon holds, and the maps its programs use."""
    progs, maps = set(), set()
    for fd in os.listdir(f"/proc/{sandbox.daemon.pid}/fd"):
        try:
            link = os.readlink(f"/proc/{sandbox.daemon.pid}/fd/{fd}")
            with open(f"/proc/{sandbox.daemon.pid}/fdinfo/{fd}") as f:
                info = dict(line.split(":", 1) for line in f if ":" in line)
        except OSError:
            continue
        if link == "anon_inode:bpf-prog":
            progs.add(int(info["prog_id"]))
        elif link == "anon_inode:bpf-map":
            maps.add(int(info["map_id"]))
    return progs, maps | used_maps(kernel, progs)


def stable(before, after, progs, maps):
    return (all(p in before.progs and p in after.progs for p in progs) and
            all(m in before.maps and m in after.maps and
                before.maps[m]["bytes_memlock"] == after.maps[m]["bytes_memlock"] for m in maps))


def prog_memory(prog):
    return prog["bytes_memlock"] + prog.get("bytes_jited", 0)


def check_shared_and_totals(sandbox):
    """Two bst_shared instances share a pinned map: each reports it as shared, and
    --total counts it once, as bpftool does."""
    pin_dir = tempfile.mkdtemp(prefix="bst-shared-", dir="/sys/fs/bpf")
    try:
        for name in ("bst_share_a", "bst_share_b"):
            rc, _, err = sandbox.ig_run("--name", name, os.environ["BST_SHARED"], "--detach", "--pin-dir", pin_dir)
            expect(rc == 0, f"ig run {name} bst_shared failed ({rc}): {err.strip()!r}")
        shared_id = bpftool("map", "show", "pinned", f"{pin_dir}/bst_shared_m")["id"]
        for _ in range(ATTEMPTS):
            before = KernelView()
            rows, _ = sandbox.bpfstats("--total")
            every, _ = sandbox.bpfstats("--all", "--total")
            after = KernelView()
            progs, maps = daemon_objects(sandbox, before)
            listed = [row["progID"] for row in every[:-1]]
            if stable(before, after, progs, maps) and stable(before, after, listed, used_maps(before, listed)):
                break
        else:
            raise Failure(f"BPF objects kept coming and going over {ATTEMPTS} tries")
        shared = before.maps[shared_id]["bytes_memlock"]
        by_name = {row["gadgetName"]: row for row in rows}
        for name in ("bst_share_a", "bst_share_b"):
            expect(by_name[name]["mapMemoryShared"] == shared,
                   f"{name}: mapMemoryShared {by_name[name]['mapMemoryShared']}, the shared map holds {shared}")
        total = by_name["TOTAL"]
        expect(total["total"] is True and rows[-1] is total, f"the total is not the last row: {rows[-1]}")
        memlock = sum(before.maps[m]["bytes_memlock"] for m in maps)
        expect(total["mapMemory"] == memlock and total["mapCount"] == len(maps),
               f"--total: mapMemory {total['mapMemory']} over {total['mapCount']} maps; bpftool: {memlock} over "
               f"{len(maps)} distinct maps")
        expect(total["mapMemory"] < sum(row["mapMemory"] for row in rows if not row["total"]),
               "--total does not count the shared map once")
        expect(total["progMemory"] == sum(prog_memory(before.progs[p]) for p in progs),
               f"--total: progMemory {total['progMemory']}")
        check_all_total(every, before)
        print(f"--total: per instance {total['mapMemory']} bytes over {len(maps)} maps, shared map counted once")
    finally:
        for name in ("bst_share_a", "bst_share_b"):
            subprocess.run([os.environ["IG"], "remove", name], env=sandbox.env, capture_output=True, timeout=60)
        subprocess.run(["rm", "-rf", pin_dir], check=False)


def used_maps(kernel, progs):
    maps = set()
    for p in progs:
        maps |= set(kernel.progs.get(p, {}).get("map_ids", []))
    return maps


def check_all_total(rows, kernel):
    """--all --total: the programs listed and the distinct maps they use, from bpftool."""
    total = rows[-1]
    expect(total["total"] is True, f"the last --all row is not the total: {total}")
    listed = [row["progID"] for row in rows[:-1]]
    maps = used_maps(kernel, listed)
    memlock = sum(kernel.maps[m]["bytes_memlock"] for m in maps)
    expect(total["mapMemory"] == memlock and total["mapCount"] == len(maps),
           f"--all --total: mapMemory {total['mapMemory']} over {total['mapCount']} maps, bpftool {memlock} "
           f"over {len(maps)}")
    expected = sum(prog_memory(kernel.progs[p]) for p in listed)
    differ = [(row["progID"], row["progName"], row["progMemory"], prog_memory(kernel.progs[row["progID"]]))
              for row in rows[:-1] if row["progMemory"] != prog_memory(kernel.progs[row["progID"]])]
    expect(total["progMemory"] == expected,
           f"--all --total: progMemory {total['progMemory']}, bpftool {expected}; (id, name, ig, bpftool) that "
           f"differ: {differ}")
    expect(total["runtime"] == sum(row["runtime"] for row in rows[:-1]), "--all --total: runtime is not the sum")
