// The --metrics collector's work off the event loop. One pass over thousands of
// programs costs milliseconds of syscalls and milliseconds of joining and building
// series; on the daemon's loop that would hold every instance and every scrape for
// as long. A Worker runs one job at a time on a thread of its own and hands the
// result back through an eventfd, which the plugin watches with Context::watch_fd:
// every Context call (registry copy, publish) stays on the loop, as the SDK
// requires. A job submitted while another is in flight is refused (the tick is
// skipped). The job function owns whatever state it keeps between passes; only the
// worker thread runs it.
#pragma once

#include <pthread.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <condition_variable>
#include <cstdint>
#include <cstring>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <system_error>
#include <thread>

#include <ig/result.h>

namespace ig::bpfstats {

template <class Job, class Output>
class Worker {
 public:
  using Run = std::function<Result<Output>(Job&)>;

  explicit Worker(Run run) : run_(std::move(run)) {}
  ~Worker() {  // waits for a job in flight, then ends the thread
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    wake_.notify_one();
    if (thread_.joinable()) thread_.join();
    if (event_fd_ >= 0) ::close(event_fd_);
  }
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  // Create the eventfd and the thread (named `name`, at most 15 characters).
  Result<void> start(const char* name) {
    event_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (event_fd_ < 0)
      return make_error(std::string("cannot create an eventfd for the collector: ") + std::strerror(errno));
    try {
      thread_ = std::thread([this, name] {
        ::pthread_setname_np(::pthread_self(), name);  // visible in top -H, ps -L
        loop();
      });
    } catch (const std::system_error& e) {
      return make_error(std::string("cannot start the collector's thread: ") + e.what());
    }
    return {};
  }

  // Readable when a result is ready.
  int fd() const { return event_fd_; }

  // Start a job; false (and nothing happens) while the previous one is in flight or
  // its result has not been taken yet.
  bool submit(Job job) {
    {
      std::lock_guard lock(mutex_);
      if (busy_) {
        ++skipped_;
        return false;
      }
      busy_ = true;
      job_ = std::move(job);
    }
    wake_.notify_one();
    return true;
  }

  // The finished job's result, if any; clears the eventfd's readiness.
  std::optional<Result<Output>> take_result() {
    std::uint64_t count;
    while (::read(event_fd_, &count, sizeof(count)) < 0 && errno == EINTR) {
    }
    std::lock_guard lock(mutex_);
    if (!result_) return std::nullopt;
    std::optional<Result<Output>> out = std::move(result_);
    result_.reset();
    busy_ = false;
    return out;
  }

  // Jobs refused because one was still running.
  std::uint64_t skipped() const {
    std::lock_guard lock(mutex_);
    return skipped_;
  }

 private:
  void loop() {
    for (;;) {
      Job job;
      {
        std::unique_lock lock(mutex_);
        wake_.wait(lock, [this] { return stop_ || job_; });
        if (stop_) return;
        job = std::move(*job_);
        job_.reset();
      }
      Result<Output> result = [&]() -> Result<Output> {
        try {
          return run_(job);
        } catch (const std::exception& e) {
          return make_error(std::string("the collector's pass failed: ") + e.what());
        }
      }();
      {
        std::lock_guard lock(mutex_);
        result_ = std::move(result);
      }
      std::uint64_t one = 1;
      while (::write(event_fd_, &one, sizeof(one)) < 0 && errno == EINTR) {
      }
    }
  }

  Run run_;
  int event_fd_ = -1;
  std::thread thread_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::optional<Job> job_;
  std::optional<Result<Output>> result_;
  bool busy_ = false;  // from submit() until take_result() returns the job's result
  bool stop_ = false;
  std::uint64_t skipped_ = 0;
};

}  // namespace ig::bpfstats
