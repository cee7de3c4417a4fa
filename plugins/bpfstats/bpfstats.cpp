// bpfstats: plugin glue. Holds BPF stats on while it runs, takes a baseline at start,
// and every interval joins a fresh kernel snapshot with the registry into rows.
// The registry comes through the Context, the kernel through libbpf; repeated --all
// passes read counters through an iterator of its own (program_counters.h).
#include <memory>
#include <set>

#include <ig/context.h>
#include <ig/plugin.h>

#include "aggregate.h"
#include "collector.h"
#include "config.h"
#include "kernel_snapshot.h"
#include "record.h"
#include "view.h"
#include "worker.h"

namespace ig::bpfstats {
namespace {

class Bpfstats final : public Gadget {
 public:
  Result<void> start(Context& ctx) override {
    auto config = parse_config(ctx.params());
    if (!config) return config.error();
    config_ = config.value();
    view_ = make_view(config_.view);

    bool warm = ctx.bpf_stats_already_on();
    auto stats = ctx.enable_bpf_stats();
    if (!stats) return stats.error();
    stats_ = std::move(stats).value();

    // Counters already running: a one-shot answers at once, no sampling second.
    if (config_.mode == RunMode::OneShot && warm) {
      sampled_ = false;
      tick(ctx);
      return {};
    }
    // Loading costs more than it saves on the one pass of a one-shot.
    if (config_.mode != RunMode::OneShot && plan({}).all_programs) keep_iterators(ctx);
    std::vector<RegisteredInstance> registry = ctx.registry_snapshot();
    auto baseline = take_kernel_snapshot(plan(registry));
    if (!baseline) return baseline.error();
    previous_ = std::move(baseline).value();
    has_previous_ = true;
    if (config_.mode == RunMode::Metrics) {
      // Publish at once: a refusal (no listener, another collector) fails the start,
      // and the first scrape after `--detach` returns already has the series.
      if (auto published = ctx.publish_metrics(collector_.families(view_->rows(previous_, registry, nullptr)));
          !published)
        return published.error();
      worker_ = std::make_unique<CollectorWorker>(
          [this](std::vector<RegisteredInstance>& registry) { return collector_pass(registry); });
      if (auto started = worker_->start("bpfstats-pass"); !started) return started.error();
      ctx.watch_fd(worker_->fd(), [this, &ctx] { on_pass(ctx); });
      ctx.log(LogLevel::Info, "publishing runtime_total, runcount_total, mapMemory and mapCount per " +
                                  std::string(view_->row_per()) +
                                  " to the daemon's metrics endpoint; no rows are printed");
    }

    ctx.every(config_.interval, [this, &ctx] { tick(ctx); });
    return {};
  }

  void stop() noexcept override {
    worker_.reset();  // joins a pass in flight
    if (ctx_) {
      ctx_->unregister_bpf(kept_.ids());
      kept_ = {};
    }
    stats_.reset();
  }

 private:
  // Every pass after the first of an --all run reads counters in one iterator read
  // and finds holders with an iterator loaded once. Where they cannot run, the passes
  // use the bpf() syscall and /proc, as a one-shot does.
  void keep_iterators(Context& ctx) {
    std::string why_not;
    kept_ = PassCache::load(plan({}).holders, why_not);
    if (!why_not.empty())
      ctx.log(LogLevel::Debug, "reading program counters through the bpf() syscall: " + why_not);
    ctx_ = &ctx;
    ctx.register_bpf(kept_.ids());
  }

  void tick(Context& ctx) {
    if (done_) return;
    // One registry copy for both the plan and the join: rows come from one snapshot.
    std::vector<RegisteredInstance> registry = ctx.registry_snapshot();
    if (worker_) {
      // The collector: the pass runs on the worker; on_pass() publishes its result.
      worker_->submit(std::move(registry));
      return;
    }
    auto now = take_kernel_snapshot(plan(registry), has_previous_ ? &previous_ : nullptr, &kept_);
    if (!now) {
      done_ = true;
      ctx.finish(now.error());
      return;
    }
    if (config_.mode == RunMode::OneShot && sampled_)
      ctx.log(LogLevel::Info,
              "sampled BPF run-time stats for 1s; the kernel counts runtime and runcount only while stats are on "
              "('ig daemon --enable-bpfstats' keeps them on)");
    std::vector<Row> rows = view_->rows(now.value(), registry, has_previous_ ? &previous_ : nullptr);
    sort_rows(rows, config_.sort);
    for (const Row& row : rows) {
      Record record = to_record(row);
      ctx.emit(&record, sizeof(record));
    }
    if (rows.empty() && !view_->empty_note().empty() && !told_empty_) {
      ctx.log(LogLevel::Info, view_->empty_note());
      told_empty_ = true;
    }
    previous_ = std::move(now).value();
    has_previous_ = true;
    if (config_.mode == RunMode::OneShot) {
      done_ = true;
      ctx.finish({});
      return;
    }
    if (config_.count != 0 && ++emitted_ >= config_.count) {
      done_ = true;
      ctx.finish({});
    }
  }

  // What to read: a collector has no pids label, so it never scans /proc for holders.
  SnapshotRequest plan(const std::vector<RegisteredInstance>& registry) const {
    SnapshotRequest request = view_->plan(registry);
    if (config_.mode == RunMode::Metrics) request.holders = false;
    return request;
  }

  // On the collector's thread only (it alone touches previous_ and collector_ once
  // the worker runs): the kernel pass, the join, the series.
  Result<std::vector<MetricFamily>> collector_pass(const std::vector<RegisteredInstance>& registry) {
    auto now = take_kernel_snapshot(plan(registry), &previous_, &kept_);
    if (!now) return now.error();
    std::vector<Row> rows = view_->rows(now.value(), registry, &previous_);
    previous_ = std::move(now).value();
    return collector_.families(rows);
  }

  // On the loop: a pass finished. Leave out the series of instances removed while it
  // ran (the host already dropped theirs), then publish.
  void on_pass(Context& ctx) {
    auto families = worker_->take_result();
    if (!families || done_) return;
    if (!*families) {
      done_ = true;
      ctx.finish(families->error());
      return;
    }
    std::set<std::string> alive;
    for (const RegisteredInstance& instance : ctx.registry_snapshot()) alive.insert(instance.id);
    for (MetricFamily& family : families->value())
      std::erase_if(family.samples, [&](const MetricSample& sample) {
        return !sample.instance_id.empty() && !alive.count(sample.instance_id);
      });
    if (auto published = ctx.publish_metrics(std::move(*families).value()); !published) {
      done_ = true;
      ctx.finish(published.error());
      return;
    }
    if (config_.count != 0 && ++emitted_ >= config_.count) {
      done_ = true;
      ctx.finish({});
    }
  }

  Config config_;
  std::unique_ptr<View> view_;
  Collector collector_;
  // The collector's passes: a registry copy in, the families to publish out.
  using CollectorWorker = Worker<std::vector<RegisteredInstance>, std::vector<MetricFamily>>;
  std::unique_ptr<CollectorWorker> worker_;
  std::shared_ptr<void> stats_;  // BPF stats stay on while this lives
  PassCache kept_;     // --all with repeated passes
  Context* ctx_ = nullptr;  // to unregister kept_
  KernelSnapshot previous_;
  bool has_previous_ = false;
  bool sampled_ = true;  // a one-shot that waited one interval for counters
  std::uint64_t emitted_ = 0;
  bool done_ = false;
  bool told_empty_ = false;
};

}  // namespace
}  // namespace ig::bpfstats

IG_PLUGIN(ig::bpfstats::describe(), ig::bpfstats::Bpfstats)
