// What a bpfstats run talks to, faked, so the runners run without a daemon or BPF:
// a Context that records what the plugin emits, logs and finishes with, in order,
// and hands its timers and fd watches to the test to fire by hand; and a
// SnapshotSource that hands out prepared snapshots and records what was asked.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstring>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <ig/context.h>
#include <ig/host_access.h>

#include "record.h"
#include "snapshot_source.h"

namespace ig::bpfstats::testing {

// Grants every host power, as the host does to bpfstats, which declares them all.
class FakeContext final : public Context, private RegistryAccess, private BpfStatsAccess, private MetricsAccess {
 public:
  // Everything the plugin did, in order: "emit <gadgetName>/<progID> +<runtimeDelta>",
  // "log <message>", "finish ok" or "finish <error>".
  std::vector<std::string> journal;
  std::vector<Record> records;
  std::vector<Result<void>> finished;
  std::vector<std::pair<std::chrono::nanoseconds, std::function<void()>>> timers;
  std::vector<std::pair<int, std::function<void()>>> watches;
  std::vector<BpfObjectIds> registered, unregistered;
  std::vector<RegisteredInstance> registry_entries;  // what registry()->snapshot() returns
  bool stats_on = false;
  std::vector<std::vector<MetricFamily>> published;
  std::optional<Error> refuse_publish;  // set: publish() fails with it
  bool finishes_by_itself_called = false;
  std::vector<std::string> default_fields_given;

  const Params& params() const override { return params_; }
  std::string_view instance_id() const override { return "ffffffffffffffffffffffffffffffff"; }
  std::string_view instance_name() const override { return "bst"; }

  void emit(const void* record, std::size_t size) override {
    Record r{};
    std::memcpy(&r, record, std::min(size, sizeof(r)));
    records.push_back(r);
    journal.push_back("emit " + std::string(r.gadget_name) + "/" + std::to_string(r.prog_id) + " +" +
                      std::to_string(r.runtime_delta));
  }
  void report_lost(std::uint64_t) override {}
  void log(LogLevel, std::string_view message) override { journal.push_back("log " + std::string(message)); }
  void watch_fd(int fd, std::function<void()> on_readable) override {
    watches.emplace_back(fd, std::move(on_readable));
  }
  void every(std::chrono::nanoseconds period, std::function<void()> tick) override {
    timers.emplace_back(period, std::move(tick));
  }
  void finish(Result<void> status) override {
    journal.push_back(status ? "finish ok" : "finish " + status.error().message);
    finished.push_back(std::move(status));
  }
  void register_bpf(const BpfObjectIds& ids) override { registered.push_back(ids); }
  void unregister_bpf(const BpfObjectIds& ids) override { unregistered.push_back(ids); }
  RegistryAccess* registry() override { return this; }
  BpfStatsAccess* bpf_stats() override { return this; }
  MetricsAccess* metrics() override { return this; }
  void finishes_by_itself() override { finishes_by_itself_called = true; }
  Result<void> default_fields(std::vector<std::string> names) override {
    default_fields_given = std::move(names);
    return {};
  }

  // Fire the one timer the run armed.
  void tick() { timers.at(0).second(); }

 private:
  std::vector<RegisteredInstance> snapshot() const override { return registry_entries; }
  Result<std::shared_ptr<void>> enable() override { return std::shared_ptr<void>(std::make_shared<int>(0)); }
  bool already_on() const override { return stats_on; }
  Result<void> publish(std::vector<MetricFamily> families) override {
    if (refuse_publish) return *refuse_publish;
    published.push_back(std::move(families));
    return {};
  }

  Params params_;
};

// Hands out the snapshots it was given, in order, to baseline() and pass() alike;
// when they run out, an error. The collector's passes call it from its worker.
class FakeSource final : public SnapshotSource {
 public:
  struct Call {
    bool baseline = false;
    bool had_before = false;
    SnapshotRequest request;
  };

  void add(Result<KernelSnapshot> snapshot) {
    std::lock_guard lock(mutex_);
    snapshots_.push_back(std::move(snapshot));
  }
  std::vector<Call> calls() const {
    std::lock_guard lock(mutex_);
    return calls_;
  }
  std::optional<SnapshotRequest> repeated;  // what expect_repeated() was told

  void expect_repeated(const SnapshotRequest& request) override { repeated = request; }
  Result<KernelSnapshot> baseline(const SnapshotRequest& request) override { return next({true, false, request}); }
  Result<KernelSnapshot> pass(const SnapshotRequest& request, const KernelSnapshot* before) override {
    return next({false, before != nullptr, request});
  }

 private:
  Result<KernelSnapshot> next(Call call) {
    std::lock_guard lock(mutex_);
    calls_.push_back(std::move(call));
    if (snapshots_.empty()) return make_error("the test prepared no more snapshots");
    Result<KernelSnapshot> out = std::move(snapshots_.front());
    snapshots_.pop_front();
    return out;
  }

  mutable std::mutex mutex_;
  std::deque<Result<KernelSnapshot>> snapshots_;
  std::vector<Call> calls_;
};

}  // namespace ig::bpfstats::testing
