// ig::bpf::Tracer<Skel>: the BPF side of a tracing gadget in one member. It owns the
// bpftool skeleton and the event stream, starts them in order (open, let the gadget
// set its filters, load, register, attach, stream the ring buffer) and stops them in
// reverse. Header-only: compiled into the plugin, it never crosses the ABI boundary.
#pragma once

#include <bpf/libbpf.h>
#include <linux/types.h>

#include <optional>
#include <type_traits>
#include <utility>

#include "ig/bpf.h"
#include "ig/context.h"
#include "ig/result.h"

namespace ig::bpf {

// Where a tracer's events come from: the BPF ring buffer its programs submit to, and
// the counter (a __u64 in .bss) they increment when an event does not fit.
struct EventSource {
  bpf_map* ring = nullptr;
  const volatile __u64* lost = nullptr;
};

// class TraceUnlink final : public ig::Gadget {
//  public:
//   ig::Result<void> start(ig::Context& ctx) override {
//     return tracer_.start(ctx, [&](trace_unlink_bpf& s) {
//       s.rodata->targ_tgid = ...;   // filters; autoload off for missing hooks
//       return ig::bpf::EventSource{s.maps.ig_unlink_evts, &s.bss->lost};
//     });
//   }
//   void stop() noexcept override { tracer_.stop(); }
//
//  private:
//   ig::bpf::Tracer<trace_unlink_bpf> tracer_;
// };
template <class Skel>
class Tracer {
 public:
  // Opens Skel and calls `configure(Skel&)`, which sets rodata filters and autoload
  // and returns the EventSource (or an ig::Result<EventSource>, to fail). Then loads,
  // registers every program and map id with the host, attaches, and drains the ring
  // buffer into ctx.emit(), reporting growth of the lost counter. All or nothing: on
  // an error nothing stays open, loaded, attached or registered. Call it once, from
  // Gadget::start(); `ctx` must outlive stop().
  template <class Configure>
  Result<void> start(Context& ctx, Configure&& configure) {
    static_assert(std::is_convertible_v<std::invoke_result_t<Configure, Skel&>, Result<EventSource>>,
                  "configure(Skel&) returns the ig::bpf::EventSource, or an ig::Result of it");
    if (skel_) return make_error("failed to start the tracer: it is running already; call start() once per instance");
    auto skel = Skeleton<Skel>::open(ctx);
    if (!skel) return skel.error();
    Result<EventSource> source = std::forward<Configure>(configure)(*skel->get());
    if (!source) return source.error();
    if (!source->ring || !source->lost)  // a bug, but one that must not crash the daemon
      return make_error("failed to start the tracer: configure() named no ring buffer or lost counter; set both");
    if (auto loaded = skel->load_and_attach(); !loaded) return loaded;
    auto events = EventStream::open(ctx, source->ring, source->lost);
    if (!events) return events.error();
    skel_.emplace(std::move(skel).value());
    events_.emplace(std::move(events).value());
    return {};
  }

  // Stops reading events, then leaves the registry, detaches every link and frees the
  // object. Does nothing when not running, so it is safe after a failed start(). Call
  // it from Gadget::stop() (or leave it to the destructor): the host drops the
  // stream's fd watcher and timer before that, and they must never run after it.
  void stop() noexcept {
    events_.reset();
    skel_.reset();
  }

  // The running skeleton (to read a map, say), or nullptr when not running.
  Skel* get() const { return skel_ ? skel_->get() : nullptr; }

 private:
  std::optional<Skeleton<Skel>> skel_;  // declared first, so destroyed after events_
  std::optional<EventStream> events_;
};

}  // namespace ig::bpf
