#include "daemon/fanout_sink.h"

#include <string>

#include "common/log.h"

namespace ig::host {

void FanoutSink::unsubscribe(const InstanceSink* subscriber) {
  std::erase_if(subscribers_, [&](const std::weak_ptr<InstanceSink>& weak) {
    auto s = weak.lock();
    return !s || s.get() == subscriber;
  });
}

void FanoutSink::end(const Result<void>& status) {
  each([&](InstanceSink& s) { s.on_finished(status); });
}

void FanoutSink::on_event(const void* record, std::size_t size) {
  each([&](InstanceSink& s) { s.on_event(record, size); });
}

void FanoutSink::on_lost(std::uint64_t count) {
  each([&](InstanceSink& s) { s.on_lost(count); });
}

void FanoutSink::on_log(LogLevel level, std::string_view message) {
  log(level, "instance '" + id_.short_form() + "': " + std::string(message));
  each([&](InstanceSink& s) { s.on_log(level, message); });
}

void FanoutSink::on_finished(const Result<void>& status) {
  end(status);
  on_finished_(status);
}

}  // namespace ig::host
