// trace_unlink: the user side. Describes the gadget, sets the BPF filters, loads
// through the SDK (which registers every program and map with ig, so bpfstats
// attributes them to this instance), and hands ring buffer records to ig as events.
#include <fcntl.h>

#include <cstdint>
#include <string>

#include <ig/ig.h>

#include "trace_unlink.h"
#include "trace_unlink.skel.h"

namespace {

using Event = trace_unlink_event;
using ig::FieldType;

// Everything `ig gadgets` and `ig run trace_unlink --help` say; the columns too.
ig::Description describe() {
  ig::Field flags = IG_FIELD(Event, flags, FieldType::Flags, "unlinkat() flags");
  flags.flags = {{AT_REMOVEDIR, AT_REMOVEDIR, "AT_REMOVEDIR"}};
  flags.width = 12;
  return {
      "trace_unlink",
      "1.0.0",
      "Trace unlink() and unlinkat() system calls",
      {
          {"pid", ig::ParamType::Uint, "", "only this process (tgid)"},
          {"failed", ig::ParamType::Bool, "false", "only calls that failed"},
      },
      {
          IG_FIELD(Event, timestamp, FieldType::Timestamp, "wall-clock time the call returned"),
          IG_FIELD(Event, pid, FieldType::U32, "process id (tgid)"),
          IG_FIELD(Event, tid, FieldType::U32, "thread id"),
          IG_FIELD(Event, uid, FieldType::U32, "user id"),
          IG_FIELD(Event, comm, FieldType::String, "command name of the caller"),
          IG_FIELD(Event, error, FieldType::Errno, "the error name (ENOENT, ...), empty on success"),
          flags,
          IG_FIELD(Event, path, FieldType::String, "the path as the caller passed it"),
      },
      sizeof(Event),
      {},  // capabilities: a tracer needs none of the host's powers
  };
}

class TraceUnlink final : public ig::Gadget {
 public:
  ig::Result<void> start(ig::Context& ctx) override {
    std::uint64_t pid = ctx.params().get_uint("pid");
    if (pid > UINT32_MAX)
      return ig::make_error("invalid value '" + std::to_string(pid) + "' for '--pid': not a process id");

    // Opens the BPF object and lets the lambda set its filters; then loads it, registers
    // every program and map id with ig, attaches, and turns ring buffer records into events.
    return tracer_.start(ctx, [&](trace_unlink_bpf& s) {
      s.rodata->targ_tgid = static_cast<std::uint32_t>(pid);
      s.rodata->targ_failed = ctx.params().get_bool("failed");
      // unlink(2) has no tracepoint where the legacy syscall is missing (arm64).
      ig::bpf::autoload_if_tracepoint("syscalls", "sys_enter_unlink", {s.progs.ig_unlink_e, s.progs.ig_unlink_x});
      // The ring buffer the events come from, and the BPF side's `lost` counter.
      return ig::bpf::EventSource{s.maps.ig_unlink_evts, &s.bss->lost};
    });
  }

  // Stops reading events, then leaves the registry, detaches and frees the BPF objects.
  void stop() noexcept override { tracer_.stop(); }

 private:
  ig::bpf::Tracer<trace_unlink_bpf> tracer_;
};

}  // namespace

IG_PLUGIN(describe(), TraceUnlink)
