// Filters and formats an instance's events and writes them to a file descriptor (stdout), buffered:
// a burst of events becomes a few large writes, not one write per line.
#pragma once

#include <string>

#include "output/record_filter.h"
#include "output/record_formatter.h"
#include "runtime/instance_sink.h"

namespace ig::host {

class OutputSink final : public InstanceSink {
 public:
  // Records `filter` leaves out are dropped before they are formatted.
  OutputSink(RecordFormatter formatter, int fd, RecordFilter filter = {})
      : formatter_(std::move(formatter)), filter_(std::move(filter)), fd_(fd) {}

  void write_header();
  // Write out what is buffered. False once the reader went away (EPIPE).
  bool flush();
  bool broken() const { return broken_; }
  bool pending() const { return !buffer_.empty(); }  // formatted output not yet written
  std::uint64_t lost() const { return lost_; }
  const Result<void>& finished_status() const { return status_; }
  bool finished() const { return finished_; }
  void set_on_finished(std::function<void()> cb) { on_finished_cb_ = std::move(cb); }

  void on_event(const void* record, std::size_t size) override;
  void on_lost(std::uint64_t count) override;
  // Events the daemon dropped because this client fell 32 MiB behind.
  void on_lost_reading(std::uint64_t count);
  void on_log(LogLevel level, std::string_view message) override;
  void on_finished(const Result<void>& status) override;

 private:
  RecordFormatter formatter_;
  RecordFilter filter_;
  int fd_;
  std::string buffer_;
  bool broken_ = false;
  std::uint64_t lost_ = 0;
  bool finished_ = false;
  Result<void> status_;
  std::function<void()> on_finished_cb_;
};

}  // namespace ig::host
