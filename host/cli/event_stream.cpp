#include "cli/event_stream.h"

#include <signal.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>

#include "cli/commands.h"
#include "common/log.h"

namespace ig::host {
namespace {

std::atomic<bool> g_interrupted{false};

void on_signal(int) { g_interrupted = true; }

void catch_interrupts() {
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;  // no SA_RESTART: poll() returns so we notice at once
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  sigaction(SIGHUP, &sa, nullptr);
  signal(SIGPIPE, SIG_IGN);
}

}  // namespace

int stream_events(DaemonClient& client, OutputSink& sink, std::optional<std::chrono::nanoseconds> timeout,
                  OnInterrupt on_interrupt) {
  catch_interrupts();
  auto deadline = timeout ? std::optional(std::chrono::steady_clock::now() + *timeout) : std::nullopt;
  bool stop_sent = false;
  while (true) {
    bool want_stop = g_interrupted || sink.broken() || (deadline && std::chrono::steady_clock::now() >= *deadline);
    if (want_stop && !stop_sent) {
      if (on_interrupt == OnInterrupt::Detach) break;
      stop_sent = true;
      if (auto sent = client.send(protocol::Message(protocol::Type::Stop)); !sent) return fail(sent.error().message);
    }
    // Sleep until the daemon sends something, a signal arrives or the deadline
    // passes; but while output waits in the sink, only look: a burst has ended when
    // nothing more is there, and then the output is written at once.
    int wait_ms = sink.pending() ? 0 : -1;
    if (deadline && wait_ms < 0 && !stop_sent) {
      auto left = std::chrono::ceil<std::chrono::milliseconds>(*deadline - std::chrono::steady_clock::now());
      wait_ms = static_cast<int>(std::max<std::int64_t>(0, left.count()));
    }
    auto message = client.receive(wait_ms);
    if (!message) {
      sink.flush();
      return fail(message.error().message);
    }
    if (!message.value()) {
      if (!sink.flush() && on_interrupt == OnInterrupt::Detach) break;
      continue;
    }
    const protocol::Message& m = *message.value();
    switch (m.type()) {
      case protocol::Type::Event: sink.on_event(m.raw().data(), m.raw().size()); break;
      case protocol::Type::Lost: {
        std::uint64_t count = std::strtoull(m.get("count").c_str(), nullptr, 10);
        if (m.get("cause") == "client_too_slow")
          sink.on_lost_reading(count);
        else
          sink.on_lost(count);
        break;
      }
      case protocol::Type::Log:
        log(static_cast<LogLevel>(std::atoi(m.get("level").c_str())), m.get("message"));
        break;
      case protocol::Type::Finished:
        sink.flush();
        if (sink.lost() > 0)
          log(LogLevel::Warning, "lost " + std::to_string(sink.lost()) + " events in total");
        if (m.has("error") && !stop_sent) return fail(m.get("error"));
        return 0;
      case protocol::Type::Error: sink.flush(); return fail(m.get("message"));
      default: break;
    }
  }
  sink.flush();
  return 0;
}

}  // namespace ig::host
