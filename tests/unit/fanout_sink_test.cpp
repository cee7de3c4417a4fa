// The daemon's fan-out: one instance's output reaches every subscriber that is
// still there, and only the plugin's own finish reaches the manager.
#include <doctest/doctest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "daemon/fanout_sink.h"

using namespace ig;
using namespace ig::host;

namespace {

struct Recorder final : InstanceSink {
  std::vector<std::string> heard;
  void on_event(const void* record, std::size_t size) override {
    heard.push_back("event " + std::string(static_cast<const char*>(record), size));
  }
  void on_lost(std::uint64_t count) override { heard.push_back("lost " + std::to_string(count)); }
  void on_log(LogLevel level, std::string_view message) override {
    heard.push_back("log " + std::to_string(static_cast<int>(level)) + " " + std::string(message));
  }
  void on_finished(const Result<void>& status) override {
    heard.push_back("finished " + (status ? std::string("ok") : status.error().message));
  }
};

const InstanceId kId = InstanceId::parse("0123456789abcdef0123456789abcdef").value();

}  // namespace

TEST_CASE("every subscriber hears the events, losses, logs and the end, in order") {
  std::optional<std::string> manager_heard;
  FanoutSink fanout(kId, [&](const Result<void>& status) {
    manager_heard = status ? "ok" : status.error().message;
  });
  auto a = std::make_shared<Recorder>(), b = std::make_shared<Recorder>();
  fanout.subscribe(a);
  fanout.subscribe(b);
  fanout.on_event("abc", 3);
  fanout.on_lost(4);
  fanout.on_log(LogLevel::Debug, "hello");
  fanout.on_finished(make_error("boom"));
  const std::vector<std::string> expected = {"event abc", "lost 4", "log 3 hello", "finished boom"};
  CHECK(a->heard == expected);
  CHECK(b->heard == expected);
  CHECK(manager_heard == "boom");
}

TEST_CASE("a subscriber that went away or unsubscribed hears nothing more") {
  FanoutSink fanout(kId, [](const Result<void>&) {});
  auto stays = std::make_shared<Recorder>(), leaves = std::make_shared<Recorder>();
  auto gone = std::make_shared<Recorder>();
  fanout.subscribe(stays);
  fanout.subscribe(leaves);
  fanout.subscribe(gone);
  gone.reset();
  fanout.on_event("x", 1);
  fanout.unsubscribe(leaves.get());
  fanout.on_lost(1);
  CHECK(stays->heard == std::vector<std::string>{"event x", "lost 1"});
  CHECK(leaves->heard == std::vector<std::string>{"event x"});
}

TEST_CASE("an end the daemon decides reaches the subscribers, not the manager") {
  bool manager_called = false;
  FanoutSink fanout(kId, [&](const Result<void>&) { manager_called = true; });
  auto a = std::make_shared<Recorder>();
  fanout.subscribe(a);
  fanout.end(make_error("instance 'web' was removed"));
  CHECK(a->heard == std::vector<std::string>{"finished instance 'web' was removed"});
  CHECK_FALSE(manager_called);
}
