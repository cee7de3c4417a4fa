// trace_open: user side. Sets the filters, loads through the SDK (which registers the
// programs and maps), and forwards ring buffer records as events.
#include <fcntl.h>

#include <cstdlib>
#include <cstring>
#include <string>

#include <ig/ig.h>

#include "trace_open.h"
#include "trace_open.skel.h"

namespace {

using ig::FieldType;
using ig::ParamType;
using Event = trace_open_event;

std::vector<ig::FlagName> open_flag_names() {
  std::vector<ig::FlagName> names = {
      {O_ACCMODE, O_RDONLY, "O_RDONLY"}, {O_ACCMODE, O_WRONLY, "O_WRONLY"},
      {O_ACCMODE, O_RDWR, "O_RDWR"},
  };
  const std::pair<std::uint32_t, const char*> bits[] = {
      {O_CREAT, "O_CREAT"},       {O_EXCL, "O_EXCL"},         {O_NOCTTY, "O_NOCTTY"},
      {O_TRUNC, "O_TRUNC"},       {O_APPEND, "O_APPEND"},     {O_NONBLOCK, "O_NONBLOCK"},
      {O_DSYNC, "O_DSYNC"},       {O_ASYNC, "O_ASYNC"},       {O_DIRECT, "O_DIRECT"},
      {O_DIRECTORY, "O_DIRECTORY"}, {O_NOFOLLOW, "O_NOFOLLOW"},
      {O_NOATIME, "O_NOATIME"},   {O_CLOEXEC, "O_CLOEXEC"},   {O_PATH, "O_PATH"},
      // The kernel's __O_SYNC and __O_TMPFILE bits: O_SYNC and O_TMPFILE are these
      // plus O_DSYNC and O_DIRECTORY, which are named on their own above.
      {04000000, "O_SYNC"},       {020000000, "O_TMPFILE"},
      // glibc defines O_LARGEFILE as 0 on 64-bit; the kernel's bit is what callers pass.
      {0100000, "O_LARGEFILE"},
  };
  for (auto [bit, name] : bits) names.push_back({bit, bit, name});
  return names;
}

ig::Description describe() {
  ig::Field flags = IG_FIELD(Event, flags, FieldType::Flags, "open flags (O_*)");
  flags.flags = open_flag_names();
  flags.width = 30;  // O_RDONLY|O_DIRECTORY|O_CLOEXEC, what opendir() passes, fits whole
  ig::Field path = IG_FIELD(Event, path, FieldType::String, "the path as the caller passed it");
  return {
      "trace_open",
      "1.0.0",
      "Trace open(), openat() and openat2() system calls",
      {
          {"pid", ParamType::Uint, "", "only this process (tgid; 0 is refused: leave --pid out for all)"},
          {"comm", ParamType::String, "", "only processes with this command name (15 characters at most)"},
          {"failed", ParamType::Bool, "false", "only calls that failed"},
      },
      {
          IG_FIELD(Event, timestamp, FieldType::Timestamp, "wall-clock time the call returned"),
          IG_FIELD(Event, pid, FieldType::U32, "process id (tgid)"),
          IG_FIELD(Event, tid, FieldType::U32, "thread id"),
          IG_FIELD(Event, uid, FieldType::U32, "user id"),
          IG_FIELD(Event, gid, FieldType::U32, "group id"),
          IG_FIELD(Event, comm, FieldType::String, "command name of the caller"),
          IG_FIELD(Event, fd, FieldType::I32, "the returned file descriptor, -1 on failure"),
          IG_FIELD(Event, error, FieldType::Errno, "the error name (ENOENT, ...), empty on success"),
          flags,
          IG_FIELD(Event, mode, FieldType::Octal, "mode for O_CREAT/O_TMPFILE, in octal"),
          path,
      },
      sizeof(Event),
      {},  // capabilities: a tracer needs none of the host's powers
  };
}

class TraceOpen final : public ig::Gadget {
 public:
  ig::Result<void> start(ig::Context& ctx) override {
    const ig::Params& params = ctx.params();
    std::string comm = params.get_string("comm");
    if (comm.size() >= TRACE_OPEN_COMM_LEN)
      return ig::make_error("invalid value '" + comm + "' for '--comm': the kernel keeps 15 characters; shorten it");
    std::uint64_t pid = params.get_uint("pid");
    if (pid > UINT32_MAX)
      return ig::make_error("invalid value '" + std::to_string(pid) + "' for '--pid': not a process id");
    if (params.has("pid") && pid == 0)  // 0 would be no filter: a script's empty $(pidof x) must not trace all
      return ig::make_error("invalid value '0' for '--pid': no process has id 0; leave --pid out to trace every process");

    return tracer_.start(ctx, [&](trace_open_bpf& s) {
      s.rodata->targ_tgid = static_cast<__u32>(pid);
      s.rodata->targ_failed = params.get_bool("failed");
      s.rodata->targ_filter_comm = !comm.empty();
      std::memcpy(const_cast<char*>(s.rodata->targ_comm), comm.c_str(), comm.size() + 1);
      choose_programs(s);
      return ig::bpf::EventSource{s.maps.ig_open_events, &s.bss->lost};
    });
  }

  void stop() noexcept override { tracer_.stop(); }

 private:
  // One exit program per call where the kernel hands BPF the saved syscall
  // registers (Linux 5.15+); an entry/exit pair joined through a map elsewhere.
  // IG_TRACE_OPEN_ENTRY_EXIT=1 in the daemon's environment forces the pairs (tests).
  static void choose_programs(trace_open_bpf& s) {
    const bool exit_only = !std::getenv("IG_TRACE_OPEN_ENTRY_EXIT") &&
                           libbpf_probe_bpf_helper(BPF_PROG_TYPE_TRACEPOINT, BPF_FUNC_task_pt_regs, nullptr) == 1;
    for (bpf_program* prog : {s.progs.ig_open_e, s.progs.ig_open_x, s.progs.ig_openat_e, s.progs.ig_openat_x,
                              s.progs.ig_openat2_e, s.progs.ig_openat2_x})
      bpf_program__set_autoload(prog, !exit_only);
    for (bpf_program* prog : {s.progs.ig_open, s.progs.ig_openat, s.progs.ig_openat2})
      bpf_program__set_autoload(prog, exit_only);
    bpf_map__set_autocreate(s.maps.ig_open_args, !exit_only);  // only the pairs use it
    // open(2) has no tracepoint on architectures without the legacy syscall (arm64).
    ig::bpf::autoload_if_tracepoint("syscalls", "sys_enter_open", {s.progs.ig_open_e, s.progs.ig_open_x, s.progs.ig_open});
    // openat2 arrived in Linux 5.6.
    ig::bpf::autoload_if_tracepoint("syscalls", "sys_enter_openat2",
                                    {s.progs.ig_openat2_e, s.progs.ig_openat2_x, s.progs.ig_openat2});
  }

  ig::bpf::Tracer<trace_open_bpf> tracer_;
};

}  // namespace

IG_PLUGIN(describe(), TraceOpen)
