// RAII for libbpf objects and the load helper every gadget uses. Loading through
// Skeleton registers each program and map id with the host's central registry, so
// bpfstats attributes the gadget's cost without any code from its author.
// A tracing gadget usually needs only ig/tracer.h, which puts these pieces together.
#pragma once

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <initializer_list>
#include <memory>
#include <string>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include "ig/context.h"
#include "ig/result.h"

namespace ig::bpf {

// "Operation not permitted" for -EPERM or EPERM.
inline std::string errno_text(int err) { return std::strerror(err < 0 ? -err : err); }

// True when the tracepoint exists on this kernel (tracefs is mounted by the host).
inline bool tracepoint_exists(const std::string& category, const std::string& name) {
  struct stat st {};
  return ::stat(("/sys/kernel/tracing/events/" + category + "/" + name).c_str(), &st) == 0;
}

// Turn autoload off for `programs` when the tracepoint they need is missing on this
// kernel, so the gadget runs without them instead of failing. Call before load.
inline void autoload_if_tracepoint(const std::string& category, const std::string& name,
                                   std::initializer_list<bpf_program*> programs) {
  if (tracepoint_exists(category, name)) return;
  for (bpf_program* prog : programs) bpf_program__set_autoload(prog, false);
}

namespace detail {

// The last lines of a verifier log, on one line: where the program went wrong.
inline std::string log_tail(const char* log, std::size_t max_lines = 3) {
  std::vector<std::string> lines;
  std::string line;
  for (const char* p = log; *p; ++p) {
    if (*p == '\n') {
      if (!line.empty()) lines.push_back(line);
      line.clear();
    } else {
      line += *p;
    }
  }
  if (!line.empty()) lines.push_back(line);
  std::string tail;
  std::size_t first = lines.size() > max_lines ? lines.size() - max_lines : 0;
  for (std::size_t i = first; i < lines.size(); ++i) tail += (tail.empty() ? "" : " | ") + lines[i];
  return tail;
}

inline BpfObjectIds collect_ids(bpf_object* obj) {
  BpfObjectIds ids;
  bpf_program* prog;
  bpf_object__for_each_program(prog, obj) {
    int fd = bpf_program__fd(prog);
    if (fd < 0) continue;  // autoload turned off
    bpf_prog_info info{};
    __u32 len = sizeof(info);
    if (bpf_obj_get_info_by_fd(fd, &info, &len) == 0) ids.programs.push_back(info.id);
  }
  bpf_map* map;
  bpf_object__for_each_map(map, obj) {
    int fd = bpf_map__fd(map);
    if (fd < 0) continue;
    bpf_map_info info{};
    __u32 len = sizeof(info);
    if (bpf_obj_get_info_by_fd(fd, &info, &len) == 0) ids.maps.push_back(info.id);
  }
  return ids;
}

// Detaching a tracepoint link waits for an RCU grace period (tens of ms on 6.x,
// where syscall tracepoints may fault); one after another that makes removing a
// six-program gadget take hundreds of ms. Overlap the waits instead.
inline void destroy_links_concurrently(const bpf_object_skeleton* sk) {
  std::vector<std::thread> workers;
  for (int i = 0; i < sk->prog_cnt; ++i) {
    bpf_link** link = sk->progs[i].link;
    if (!link || !*link) continue;
    try {
      workers.emplace_back([link] {
        bpf_link__destroy(*link);
        *link = nullptr;
      });
    } catch (const std::system_error&) {  // no thread to spare: do it here
      bpf_link__destroy(*link);
      *link = nullptr;
    }
  }
  for (auto& worker : workers) worker.join();
}

}  // namespace detail

// Owns a bpftool-generated skeleton (`bpftool gen skeleton ... name NAME`):
//   auto skel = ig::bpf::Skeleton<trace_open_bpf>::open(ctx);   // then set rodata
//   skel->rodata->targ_pid = ...;
//   if (auto r = skel.load_and_attach(); !r) return r;
// Destruction leaves the registry first, then detaches links, then frees the object.
template <class Skel>
class Skeleton {
 public:
  static Result<Skeleton> open(Context& ctx) {
    auto state = std::make_unique<State>();
    state->ctx = &ctx;
    state->skel = Skel::open(nullptr);
    if (!state->skel)
      return make_error("failed to open BPF object: " + errno_text(errno) +
                        "; check that the kernel has BTF (/sys/kernel/btf/vmlinux)");
    // One small log per program: libbpf fills only the one that fails to load.
    bpf_program* prog;
    bpf_object__for_each_program(prog, state->skel->obj) {
      auto& buf = state->logs.emplace_back(new char[kLogSize]());
      bpf_program__set_log_buf(prog, buf.get(), kLogSize);
    }
    return Skeleton(std::move(state));
  }

  Skel* operator->() const { return state_->skel; }
  Skel* get() const { return state_->skel; }

  Result<void> load_and_attach() {
    State& s = *state_;
    if (int err = Skel::load(s.skel); err) return load_error(err);
    s.logs.clear();
    s.ids = detail::collect_ids(s.skel->obj);
    s.ctx->register_bpf(s.ids);
    s.registered = true;
    if (int err = Skel::attach(s.skel); err) {
      std::string name = "?";
      const bpf_object_skeleton* sk = s.skel->skeleton;
      for (int i = 0; i < sk->prog_cnt; ++i)
        if (bpf_program__autoload(*sk->progs[i].prog) && !*sk->progs[i].link) {
          name = sk->progs[i].name;
          break;
        }
      return make_error("failed to attach '" + name + "': " + errno_text(err) + hint(err));
    }
    return {};
  }

  const BpfObjectIds& ids() const { return state_->ids; }

 private:
  static constexpr std::size_t kLogSize = 16 * 1024;

  struct State {
    Context* ctx = nullptr;
    Skel* skel = nullptr;
    std::vector<std::unique_ptr<char[]>> logs;
    BpfObjectIds ids;
    bool registered = false;
    ~State() {
      if (registered) ctx->unregister_bpf(ids);
      if (!skel) return;
      detail::destroy_links_concurrently(skel->skeleton);
      Skel::destroy(skel);
    }
  };

  explicit Skeleton(std::unique_ptr<State> state) : state_(std::move(state)) {}

  static std::string hint(int err) {
    if (err == -EPERM || err == -EACCES) return "; run as root or grant CAP_BPF,CAP_PERFMON";
    if (err == -ENOENT) return "; this kernel lacks the hook, or tracefs is not mounted";
    // kernel/trace/bpf_trace.c: BPF_TRACE_MAX_PROGS, for every tool on the machine.
    if (err == -E2BIG)
      return "; the kernel runs at most 64 BPF programs on one tracepoint or kprobe and that many are attached: "
             "remove an instance of this gadget, or another tool's program there ('ig run bpfstats --all')";
    return "";
  }

  Error load_error(int err) const {
    const State& s = *state_;
    int i = 0;
    bpf_program* prog;
    bpf_object__for_each_program(prog, s.skel->obj) {
      const char* log = s.logs[i++].get();
      if (log[0] == '\0') continue;
      // The errno says little here (EACCES, or ENOSPC when the log filled); the
      // log's tail says why.
      return make_error("BPF verifier rejected '" + std::string(bpf_program__name(prog)) +
                        "': " + detail::log_tail(log));
    }
    return make_error("failed to load BPF object: " + errno_text(err) + hint(err));
  }

  std::unique_ptr<State> state_;
};

// A BPF ring buffer read on the host's event loop. Submit with BPF_RB_NO_WAKEUP in the
// common case and let watch() drain it periodically: per-event wakeups cost more than
// the event itself.
class RingBuffer {
 public:
  using Handler = std::function<void(const void* data, std::size_t size)>;

  static Result<RingBuffer> open(bpf_map* map, Handler handler) {
    auto state = std::make_unique<State>();
    state->handler = std::move(handler);
    state->rb = ring_buffer__new(bpf_map__fd(map), &State::on_sample, state.get(), nullptr);
    if (!state->rb)
      return make_error("failed to open ring buffer '" + std::string(bpf_map__name(map)) +
                        "': " + errno_text(errno));
    return RingBuffer(std::move(state));
  }

  // Drain what is there now; returns the number of records or a negative errno.
  int consume() { return ring_buffer__consume(state_->rb); }

  // Drain when the kernel wakes us and at least every `period`.
  void watch(Context& ctx, std::chrono::nanoseconds period, std::function<void()> after = {}) {
    State* s = state_.get();
    s->after = std::move(after);
    auto drain = [s] {
      ring_buffer__consume(s->rb);
      if (s->after) s->after();
    };
    ctx.watch_fd(ring_buffer__epoll_fd(s->rb), drain);
    ctx.every(period, drain);
  }

 private:
  struct State {
    ring_buffer* rb = nullptr;
    Handler handler;
    std::function<void()> after;
    ~State() { ring_buffer__free(rb); }
    static int on_sample(void* self, void* data, std::size_t size) {
      static_cast<State*>(self)->handler(data, size);
      return 0;
    }
  };

  explicit RingBuffer(std::unique_ptr<State> state) : state_(std::move(state)) {}
  std::unique_ptr<State> state_;
};

// The usual gadget output path: every record of a ring buffer goes to ctx.emit(),
// and a drop counter the BPF programs increment (a __u64 in .bss) is reported as
// lost events. Keep it in a member next to the skeleton, destroyed first.
class EventStream {
 public:
  static Result<EventStream> open(Context& ctx, bpf_map* ring, const volatile __u64* lost_counter,
                                  std::chrono::nanoseconds drain_period = std::chrono::milliseconds(100)) {
    auto ring_buffer =
        RingBuffer::open(ring, [&ctx](const void* data, std::size_t size) { ctx.emit(data, size); });
    if (!ring_buffer) return ring_buffer.error();
    EventStream stream(std::move(ring_buffer).value(), std::make_unique<LostCount>(lost_counter));
    LostCount* lost = stream.lost_.get();
    stream.ring_.watch(ctx, drain_period, [lost, &ctx] { lost->report(ctx); });
    return stream;
  }

 private:
  struct LostCount {
    explicit LostCount(const volatile __u64* c) : counter(c) {}
    const volatile __u64* counter;
    std::uint64_t reported = 0;
    void report(Context& ctx) {
      std::uint64_t now = __atomic_load_n(counter, __ATOMIC_RELAXED);
      if (now > reported) ctx.report_lost(now - reported);
      reported = now;
    }
  };

  EventStream(RingBuffer ring, std::unique_ptr<LostCount> lost) : ring_(std::move(ring)), lost_(std::move(lost)) {}

  RingBuffer ring_;
  std::unique_ptr<LostCount> lost_;
};

}  // namespace ig::bpf
