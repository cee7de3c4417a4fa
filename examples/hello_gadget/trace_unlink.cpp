// trace_unlink: the user side. Describes the gadget, sets the BPF filters, loads
// through the SDK (which registers every program and map with ig, so bpfstats
// attributes them to this instance), and hands ring buffer records to ig as events.
#include <fcntl.h>

#include <cstdint>
#include <optional>

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
  };
}

class TraceUnlink final : public ig::Gadget {
 public:
  ig::Result<void> start(ig::Context& ctx) override {
    std::uint64_t pid = ctx.params().get_uint("pid");
    if (pid > UINT32_MAX)
      return ig::make_error("invalid value '" + std::to_string(pid) + "' for '--pid': not a process id");

    auto skel = ig::bpf::Skeleton<trace_unlink_bpf>::open(ctx);
    if (!skel) return skel.error();
    skel_.emplace(std::move(skel).value());
    trace_unlink_bpf* s = skel_->get();
    s->rodata->targ_tgid = static_cast<std::uint32_t>(pid);
    s->rodata->targ_failed = ctx.params().get_bool("failed");
    // unlink(2) has no tracepoint where the legacy syscall is missing (arm64).
    ig::bpf::autoload_if_tracepoint("syscalls", "sys_enter_unlink", {s->progs.ig_unlink_e, s->progs.ig_unlink_x});
    // Loads, registers every program and map id with ig, then attaches.
    if (auto loaded = skel_->load_and_attach(); !loaded) return loaded;

    // Ring buffer records become events; the BPF side's `lost` counter is reported.
    auto events = ig::bpf::EventStream::open(ctx, s->maps.ig_unlink_evts, &s->bss->lost);
    if (!events) return events.error();
    events_.emplace(std::move(events).value());
    return {};
  }

  void stop() noexcept override {
    events_.reset();  // stop reading first,
    skel_.reset();    // then leave the registry, detach and free the BPF objects
  }

 private:
  std::optional<ig::bpf::Skeleton<trace_unlink_bpf>> skel_;
  std::optional<ig::bpf::EventStream> events_;
};

}  // namespace

IG_PLUGIN(describe(), TraceUnlink)
