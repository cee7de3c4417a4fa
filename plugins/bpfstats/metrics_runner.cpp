// --metrics: a collector that publishes the rows as series on the daemon's metrics
// endpoint every interval (collector.h) and emits no rows. Each pass (kernel read,
// join, series) runs on a worker thread (worker.h); the loop publishes its result.
#include <set>
#include <string>
#include <vector>

#include "collector.h"
#include "finisher.h"
#include "runner.h"
#include "worker.h"

namespace ig::bpfstats {
namespace {

class MetricsRunner final : public Runner {
 public:
  MetricsRunner(RunEnv env, std::unique_ptr<View> view, const Config& config)
      : env_(env), view_(std::move(view)), finisher_(env.ctx, config.count), interval_(config.interval) {}

  Result<void> start() override {
    env_.kernel.expect_repeated(plan({}));
    std::vector<RegisteredInstance> registry = env_.powers.registry_snapshot();
    auto baseline = env_.kernel.baseline(plan(registry));
    if (!baseline) return baseline.error();
    previous_ = std::move(baseline).value();
    // Publish at once: a refusal (no listener, another collector) fails the start,
    // and the first scrape after `--detach` returns already has the series.
    std::vector<MetricFamily> first = collector_.published_families(view_->rows(previous_, registry, nullptr));
    if (auto published = env_.powers.publish_metrics(std::move(first)); !published) return published.error();
    worker_ = std::make_unique<PassWorker>(
        [this](std::vector<RegisteredInstance>& registry) { return pass(registry); });
    if (auto started = worker_->start("bpfstats-pass"); !started) return started.error();
    env_.ctx.watch_fd(worker_->fd(), [this] { on_pass(); });
    // The line the seed's users know; --help and the README list the families beside them.
    env_.ctx.log(LogLevel::Info, "publishing runtime_total, runcount_total, mapMemory and mapCount per " +
                                     std::string(view_->row_per()) +
                                     " to the daemon's metrics endpoint; no rows are printed");
    env_.ctx.every(interval_, [this] {
      // A pass still in flight makes the worker skip this tick.
      if (!finisher_.done()) worker_->submit(env_.powers.registry_snapshot());
    });
    return {};
  }

 private:
  // The collector's passes: a registry copy in, the families to publish out.
  using PassWorker = Worker<std::vector<RegisteredInstance>, std::vector<MetricFamily>>;

  // A collector has no pids label, so it never looks for holders.
  SnapshotRequest plan(const std::vector<RegisteredInstance>& registry) const {
    SnapshotRequest request = view_->plan(registry);
    request.holders = false;
    return request;
  }

  // On the worker's thread only (it alone touches previous_ and collector_ once the
  // worker runs): the kernel pass, the join, the series.
  Result<std::vector<MetricFamily>> pass(const std::vector<RegisteredInstance>& registry) {
    auto now = env_.kernel.pass(plan(registry), &previous_);
    if (!now) return now.error();
    std::vector<Row> rows = view_->rows(now.value(), registry, &previous_);
    previous_ = std::move(now).value();
    return collector_.published_families(rows);
  }

  // On the loop: a pass finished (taking it also clears the worker's fd).
  void on_pass() {
    auto families = worker_->take_result();
    if (!families || finisher_.done()) return;
    finisher_.after_pass(publish(std::move(*families)));
  }

  // Leave out the series of instances removed while the pass ran (the host already
  // dropped theirs), then publish.
  Result<void> publish(Result<std::vector<MetricFamily>> families) {
    if (!families) return families.error();
    std::set<std::string> alive;
    for (const RegisteredInstance& instance : env_.powers.registry_snapshot()) alive.insert(instance.id);
    for (MetricFamily& family : families.value())
      std::erase_if(family.samples, [&](const MetricSample& sample) {
        return !sample.instance_id.empty() && !alive.count(sample.instance_id);
      });
    return env_.powers.publish_metrics(std::move(families).value());
  }

  RunEnv env_;
  std::unique_ptr<View> view_;
  Finisher finisher_;
  std::chrono::nanoseconds interval_;
  Collector collector_;
  KernelSnapshot previous_;
  std::unique_ptr<PassWorker> worker_;  // last: destroyed first, joining a pass in flight
};

}  // namespace

std::unique_ptr<Runner> make_metrics_runner(RunEnv env, std::unique_ptr<View> view, const Config& config) {
  return std::make_unique<MetricsRunner>(env, std::move(view), config);
}

}  // namespace ig::bpfstats
