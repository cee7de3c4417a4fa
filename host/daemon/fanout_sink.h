// One instance's output, forwarded to every client subscribed to it. Its log lines
// also go to the daemon's log.
#pragma once

#include <functional>
#include <memory>
#include <vector>

#include "runtime/identity.h"
#include "runtime/instance_sink.h"

namespace ig::host {

class FanoutSink final : public InstanceSink {
 public:
  // `on_finished` runs when the plugin finished, after every subscriber heard it.
  FanoutSink(InstanceId id, std::function<void(const Result<void>&)> on_finished)
      : id_(std::move(id)), on_finished_(std::move(on_finished)) {}

  void subscribe(std::weak_ptr<InstanceSink> subscriber) { subscribers_.push_back(std::move(subscriber)); }
  // Drops `subscriber`, and any that are gone.
  void unsubscribe(const InstanceSink* subscriber);
  // The daemon ended the instance (stopped or removed it): tell every subscriber.
  void end(const Result<void>& status);

  void on_event(const void* record, std::size_t size) override;
  void on_lost(std::uint64_t count) override;
  void on_log(LogLevel level, std::string_view message) override;
  void on_finished(const Result<void>& status) override;

 private:
  template <class F>
  void each(F&& call) {
    for (const auto& weak : subscribers_)
      if (auto subscriber = weak.lock()) call(*subscriber);
  }

  InstanceId id_;
  std::function<void(const Result<void>&)> on_finished_;
  std::vector<std::weak_ptr<InstanceSink>> subscribers_;
};

}  // namespace ig::host
