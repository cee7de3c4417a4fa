// bpfstats' self-description: the parameters and the meaning of every column.
#include <cstddef>

#include "record.h"

namespace ig::bpfstats {
namespace {

struct ColumnSpec {
  Column column;
  FieldType type;
  std::size_t offset;
  std::size_t size;
  const char* help;
  bool hidden = false;
  std::uint16_t width = 0;
  std::uint16_t max_width = 0;  // columns only; JSON keeps the whole value
};

#define IG_BPFSTATS_MEMBER(member) offsetof(Record, member), sizeof(Record::member)

}  // namespace

Description describe() {
  const ColumnSpec columns[] = {
      {Column::GadgetId, FieldType::String, IG_BPFSTATS_MEMBER(gadget_id),
       "id of the ig instance that owns the BPF objects (columns show 12 of its 32 hex characters, JSON all); "
       "empty for another tool's program",
       false, 12, 12},
      {Column::GadgetName, FieldType::String, IG_BPFSTATS_MEMBER(gadget_name), "name of that instance"},
      {Column::GadgetImage, FieldType::String, IG_BPFSTATS_MEMBER(gadget_image),
       "the gadget the instance runs (trace_open, ...)"},
      {Column::ProgId, FieldType::U32, IG_BPFSTATS_MEMBER(prog_id),
       "kernel id of the BPF program (--all); 0 on a per-instance row"},
      {Column::ProgName, FieldType::String, IG_BPFSTATS_MEMBER(prog_name),
       "the program's name as the kernel keeps it (15 characters, not unique); empty on a per-instance row"},
      {Column::ProgType, FieldType::String, IG_BPFSTATS_MEMBER(prog_type),
       "program type (tracepoint, kprobe, ...) (--all)", true},
      {Column::Runtime, FieldType::U64, IG_BPFSTATS_MEMBER(runtime),
       "nanoseconds the kernel spent running the program(s) since load, counted only while BPF stats are on"},
      {Column::Runcount, FieldType::U64, IG_BPFSTATS_MEMBER(runcount),
       "times the program(s) ran since load, counted only while BPF stats are on"},
      {Column::RuntimeDelta, FieldType::U64, IG_BPFSTATS_MEMBER(runtime_delta),
       "runtime added during the last interval (the sampled second without --interval)", true},
      {Column::RuncountDelta, FieldType::U64, IG_BPFSTATS_MEMBER(runcount_delta),
       "runcount added during the last interval", true},
      {Column::Cpu, FieldType::F64, IG_BPFSTATS_MEMBER(cpu),
       "runtimeDelta as a percentage of one CPU over the last interval (above 100 when the program runs on "
       "several CPUs at once)",
       true, 6},
      {Column::MapMemory, FieldType::U64, IG_BPFSTATS_MEMBER(map_memory),
       "bytes the kernel charges for the maps (fdinfo memlock), each distinct map counted once: per instance "
       "its registered maps plus those its programs use, with --all the maps the program uses. Limitations: "
       "memlock is the maximum size, not current use (except for maps created without preallocation, which "
       "Linux 6.4+ reports by use); perf event arrays and map-of-maps count only their own fds, not the perf "
       "buffers or inner maps; a map shared between instances counts in each. mapMemoryReal, mapMemoryShared and "
       "--total give what this leaves out"},
      {Column::MapCount, FieldType::U32, IG_BPFSTATS_MEMBER(map_count),
       "number of distinct maps counted in mapMemory"},
      {Column::Pids, FieldType::String, IG_BPFSTATS_MEMBER(pids),
       "(--all) for another tool's program: pids of the processes holding an fd to it or to a link to it, "
       "comma-separated; empty when only a pin or an attachment keeps it. With --interval the last scan is "
       "reused while the programs and their holder processes stay the same, for at most 10s, so a process "
       "that starts holding an already-held program may show up to 10s late",
       true, 8},
      {Column::Comms, FieldType::String, IG_BPFSTATS_MEMBER(comms),
       "(--all) command names of those processes, in the order of pids", true},
      {Column::Elapsed, FieldType::U64, IG_BPFSTATS_MEMBER(elapsed),
       "nanoseconds measured between this batch's snapshot and the one before: what the deltas and cpu are over "
       "(0 for a one-shot with stats already on)",
       true},
      {Column::Batch, FieldType::U64, IG_BPFSTATS_MEMBER(batch),
       "this batch's number in the run, from 1 (every row of one snapshot has the same)", true},
      {Column::BatchRows, FieldType::U32, IG_BPFSTATS_MEMBER(batch_rows),
       "rows in this batch, so a reader of the stream knows when it has the whole batch (an empty batch sends "
       "no row)",
       true},
      {Column::AvgRuntime, FieldType::U64, IG_BPFSTATS_MEMBER(avg_runtime),
       "nanoseconds per run: runtimeDelta / runcountDelta over the last interval (the sampled second without "
       "--interval), or runtime / runcount when there is no earlier snapshot; 0 without runs",
       true},
      {Column::RunsPerSecond, FieldType::F64, IG_BPFSTATS_MEMBER(runs_per_second),
       "runcountDelta per second over the last interval (the sampled second without --interval)", true, 9},
      {Column::RecursionMisses, FieldType::U64, IG_BPFSTATS_MEMBER(recursion_misses),
       "runs the kernel skipped because the program was already running on that CPU (bpf_prog_info "
       "recursion_misses, Linux 5.12+), summed over an instance's programs",
       true},
      {Column::VerifiedInsns, FieldType::U64, IG_BPFSTATS_MEMBER(verified_insns),
       "instructions the verifier processed to load the program(s) (bpf_prog_info verified_insns, Linux 5.16+; "
       "0 before), summed over an instance's programs",
       true},
      {Column::ProgMemory, FieldType::U64, IG_BPFSTATS_MEMBER(prog_memory),
       "bytes the program image costs, which mapMemory leaves out: the kernel's memlock charge for the program "
       "(its instructions and bookkeeping, bpftool's bytes_memlock) plus its JIT image (bytes_jited), summed "
       "over an instance's programs",
       true},
      {Column::MapMemoryReal, FieldType::U64, IG_BPFSTATS_MEMBER(map_memory_real),
       "bytes the maps really hold in kernel memory, each kernel object counted once: every distinct map at "
       "its memlock (on Linux 6.4+ the kernel's own accounting of what a map allocates: preallocated maps at "
       "full size, the others by use; before 6.4 the maximum size), plus the inner maps of map-of-maps, plus "
       "the perf ring buffers of perf event arrays. The buffers are read by bpfstats' map iterator from each "
       "slot's perf event: a buffer exists while a process has it mmapped, and counts with its control page "
       "and aux pages, once however many events share it. '-' (null in JSON) where the kernel cannot tell: a "
       "perf event array's buffers where the map iterator cannot load (before Linux 5.17, or without BTF)",
       true},
      {Column::MapMemoryShared, FieldType::U64, IG_BPFSTATS_MEMBER(map_memory_shared),
       "of mapMemory, the bytes in maps that another ig instance or another tool's program also uses, which "
       "removing the row's instance or program would not free (programs held by the same processes count as "
       "one tool; in --maps, the whole map when more than one uses it)",
       true},
      {Column::MapId, FieldType::U32, IG_BPFSTATS_MEMBER(map_id), "(--maps) kernel id of the BPF map", true},
      {Column::MapName, FieldType::String, IG_BPFSTATS_MEMBER(map_name),
       "(--maps) the map's name as the kernel keeps it (15 characters, not unique)", true},
      {Column::MapType, FieldType::String, IG_BPFSTATS_MEMBER(map_type), "(--maps) map type (hash, array, ...)",
       true, 16},
      {Column::KeySize, FieldType::U32, IG_BPFSTATS_MEMBER(key_size), "(--maps) bytes per key", true},
      {Column::ValueSize, FieldType::U32, IG_BPFSTATS_MEMBER(value_size), "(--maps) bytes per value", true},
      {Column::Entries, FieldType::U64, IG_BPFSTATS_MEMBER(entries),
       "(--maps) elements the map holds now: hash maps through the bpf_map_sum_elem_count kfunc in bpfstats' "
       "map iterator (Linux 6.6+), program, perf event, cgroup and map-of-map arrays their filled slots, LPM "
       "tries, queues and stacks their own counts, arrays maxEntries; '-' (null in JSON) where the kernel "
       "cannot tell",
       true},
      {Column::MaxEntries, FieldType::U64, IG_BPFSTATS_MEMBER(max_entries), "(--maps) the map's max_entries", true},
      {Column::Fill, FieldType::F64, IG_BPFSTATS_MEMBER(fill), "(--maps) entries as a percentage of maxEntries",
       true},
      {Column::Preallocated, FieldType::Bool, IG_BPFSTATS_MEMBER(preallocated),
       "(--maps) true when creating the map allocated all of it (arrays, hash maps without BPF_F_NO_PREALLOC, "
       "LRU maps, ring buffers, ...), so its memlock does not follow what it holds",
       true},
      {Column::MapMemoryIdle, FieldType::U64, IG_BPFSTATS_MEMBER(map_memory_idle),
       "(--maps) of a preallocated hash map's memlock, the part held for its empty slots, memlock × "
       "(maxEntries − entries) / maxEntries: what right-sizing it would free; 0 for other maps",
       true},
      {Column::ProgIds, FieldType::String, IG_BPFSTATS_MEMBER(prog_ids),
       "(--maps) ids of the programs that use the map, comma-separated", true, 12},
      {Column::Total, FieldType::Bool, IG_BPFSTATS_MEMBER(total),
       "true on --total's last row, which sums the view with every program and map counted once", true},
  };

#undef IG_BPFSTATS_MEMBER

  Description d;
  d.name = "bpfstats";
  d.version = "1.0.0";
  d.summary = "What every gadget instance and every BPF program costs the kernel: run time, run count, map memory";
  d.params = {
      {"all", ParamType::Bool, "false",
       "one row per BPF program on the system, ours and other tools', instead of one per ig instance"},
      {"gadgets-only", ParamType::Bool, "false", "with --all: only programs owned by ig instances"},
      {"instances", ParamType::Bool, "false",
       "with --all: each batch also has one row per instance (progID 0) and one per map an instance owns "
       "(progID 0, mapID set), from the same snapshot: what ig top reads"},
      // Empty by default, so "given" and "not given" differ: not given is one-shot.
      {"interval", ParamType::Duration, "",
       "emit a snapshot every INTERVAL until Ctrl-C (or --count), with runtimeDelta, runcountDelta and cpu "
       "over the interval; without it (and without --count) sample once for 1s, print, and exit"},
      {"count", ParamType::Uint, "",
       "stop after N snapshots (0: until Ctrl-C); implies --interval 1s when that is not given"},
      {"maps", ParamType::Bool, "false",
       "one row per BPF map on the system instead of one per instance: its type, sizes, entries, fill, "
       "memory (mapMemory, mapMemoryReal, mapMemoryIdle), owning instance or holders, and the programs that use "
       "it. Shows mapID, mapName, mapType, entries, fill, mapMemory, mapMemoryReal, mapMemoryIdle, gadgetName "
       "and comms; --fields names others (keySize, valueSize, maxEntries, preallocated, pids, progIDs, ...)"},
      {"total", ParamType::Bool, "false",
       "add a last row that sums the view, every program and map counted once (system-wide with --all or "
       "--maps), so it matches what the kernel holds"},
      // Empty by default, so each view can have its own.
      {"sort", ParamType::String, "",
       "order rows by one of the view's columns, '-' prefix for descending (default -runtime; with --maps "
       "-mapMemory)"},
      {"metrics", ParamType::Bool, "false",
       "collector: publish runtime_total, runcount_total (counters), mapMemory, mapCount (gauges) to the "
       "daemon's Prometheus endpoint every --interval (default 1s) instead of printing rows; per instance, or "
       "per program with --all. Needs 'ig daemon --metrics-listen ADDR:PORT'; one collector per daemon"},
      {"annotate", ParamType::String, "",
       "the seed's spelling of --metrics: 'bpfstats:metrics.collect=true'"},
      {"otel-metrics-name", ParamType::String, "",
       "accepted for the seed's command lines ('bpfstats:NAME'); the metric names do not change"},
  };
  for (const ColumnSpec& c : columns) {
    Field f = make_field(std::string(column_name(c.column)), c.type, c.offset, c.size, c.help);
    f.hidden = c.hidden;
    f.width = c.width;
    f.max_width = c.max_width;
    d.fields.push_back(std::move(f));
  }
  d.record_size = sizeof(Record);
  // The registry to attribute, run-time stats to read, the endpoint for --metrics.
  d.capabilities = {Capability::Registry, Capability::BpfStats, Capability::Metrics};
  return d;
}

}  // namespace ig::bpfstats
