// trace_exec: user side. Sets the filters, loads through the SDK (which registers the
// programs and maps), and forwards ring buffer records as events.
#include <string>

#include <ig/ig.h>

#include "trace_exec.h"
#include "trace_exec.skel.h"

namespace {

using ig::FieldType;
using ig::ParamType;
using Event = trace_exec_event;

ig::Description describe() {
  ig::Field args_size = IG_FIELD(Event, args_size, FieldType::U32, "bytes of args recorded, NULs included");
  args_size.hidden = true;
  ig::Field args_count = IG_FIELD(Event, args_count, FieldType::U32, "number of arguments recorded");
  args_count.hidden = true;
  ig::Field args_truncated = IG_FIELD(Event, args_truncated, FieldType::Bool,
                                      "true when args was cut to " + std::to_string(TRACE_EXEC_MAX_ARGS) +
                                          " arguments or " + std::to_string(TRACE_EXEC_ARGS_SIZE) + " bytes");
  return {
      "trace_exec",
      "1.0.0",
      "Trace execve() and execveat() system calls",
      {
          {"pid", ParamType::Uint, "", "only this process (tgid; 0 is refused: leave --pid out for all)"},
          {"failed", ParamType::Bool, "false", "only calls that failed"},
      },
      {
          IG_FIELD(Event, timestamp, FieldType::Timestamp, "wall-clock time the call returned"),
          IG_FIELD(Event, pid, FieldType::U32, "process id (tgid)"),
          IG_FIELD(Event, ppid, FieldType::U32, "parent process id (tgid of the real parent)"),
          IG_FIELD(Event, uid, FieldType::U32, "real user id of the caller"),
          IG_FIELD(Event, comm, FieldType::String,
                   "command name after the call: the new program's on success, the caller's on failure"),
          IG_FIELD(Event, error, FieldType::Errno, "the error name (ENOENT, ...), empty on success"),
          args_size,
          args_count,
          args_truncated,
          IG_FIELD(Event, args, FieldType::StringList, "the argument list (argv), read when the call began"),
      },
      sizeof(Event),
      {},  // capabilities: a tracer needs none of the host's powers
  };
}

class TraceExec final : public ig::Gadget {
 public:
  ig::Result<void> start(ig::Context& ctx) override {
    const ig::Params& params = ctx.params();
    std::uint64_t pid = params.get_uint("pid");
    if (pid > UINT32_MAX)
      return ig::make_error("invalid value '" + std::to_string(pid) + "' for '--pid': not a process id");
    if (params.has("pid") && pid == 0)  // 0 would be no filter: a script's empty $(pidof x) must not trace all
      return ig::make_error("invalid value '0' for '--pid': no process has id 0; leave --pid out to trace every process");

    return tracer_.start(ctx, [&](trace_exec_bpf& s) {
      s.rodata->targ_tgid = static_cast<__u32>(pid);
      s.rodata->targ_failed = params.get_bool("failed");
      // execveat arrived in Linux 3.19.
      ig::bpf::autoload_if_tracepoint("syscalls", "sys_enter_execveat", {s.progs.ig_execat_e, s.progs.ig_execat_x});
      return ig::bpf::EventSource{s.maps.ig_exec_events, &s.bss->lost};
    });
  }

  void stop() noexcept override { tracer_.stop(); }

 private:
  ig::bpf::Tracer<trace_exec_bpf> tracer_;
};

}  // namespace

IG_PLUGIN(describe(), TraceExec)
