#include "cli/output_sink.h"

#include <unistd.h>

#include <cerrno>

#include "common/log.h"

namespace ig::host {

namespace {
constexpr std::size_t kFlushAt = 256 * 1024;
}

void OutputSink::write_header() {
  std::string header = formatter_.header();
  if (!header.empty()) buffer_ += header + "\n";
  flush();
}

bool OutputSink::flush() {
  std::size_t done = 0;
  while (!broken_ && done < buffer_.size()) {
    ssize_t n = ::write(fd_, buffer_.data() + done, buffer_.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      broken_ = true;  // EPIPE or a closed fd: nobody reads any more
      break;
    }
    done += static_cast<std::size_t>(n);
  }
  buffer_.clear();
  return !broken_;
}

void OutputSink::on_event(const void* record, std::size_t size) {
  if (!filter_.matches(record, size)) return;
  formatter_.append(record, size, buffer_);
  if (buffer_.size() >= kFlushAt) flush();
}

void OutputSink::on_lost(std::uint64_t count) {
  lost_ += count;
  log(LogLevel::Warning, "lost " + std::to_string(count) + " events (ring buffer full), " +
                             std::to_string(lost_) + " so far");
}

void OutputSink::on_lost_reading(std::uint64_t count) {
  lost_ += count;
  log(LogLevel::Warning, "lost " + std::to_string(count) + " events: this client read too slowly and the daemon's " +
                             "32 MiB queue for it filled; write the output to a file or narrow it with --filter, " +
                             std::to_string(lost_) + " so far");
}

void OutputSink::on_log(LogLevel level, std::string_view message) { log(level, message); }

void OutputSink::on_finished(const Result<void>& status) {
  finished_ = true;
  status_ = status;
  if (on_finished_cb_) on_finished_cb_();
}

}  // namespace ig::host
