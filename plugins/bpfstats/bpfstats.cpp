// bpfstats: plugin glue. Holds BPF stats on while it runs, takes a baseline at start,
// and every interval joins a fresh kernel snapshot with the registry into rows.
// No BPF of its own: the registry comes through the Context, the kernel through libbpf.
#include <memory>

#include <ig/context.h>
#include <ig/plugin.h>

#include "aggregate.h"
#include "config.h"
#include "kernel_snapshot.h"
#include "record.h"

namespace ig::bpfstats {
namespace {

class Bpfstats final : public Gadget {
 public:
  Result<void> start(Context& ctx) override {
    auto config = parse_config(ctx.params());
    if (!config) return config.error();
    config_ = config.value();

    bool warm = ctx.bpf_stats_already_on();
    auto stats = ctx.enable_bpf_stats();
    if (!stats) return stats.error();
    stats_ = std::move(stats).value();

    // Counters already running: a one-shot answers at once, no sampling second.
    if (config_.one_shot && warm) {
      sampled_ = false;
      tick(ctx);
      return {};
    }
    auto baseline = take_kernel_snapshot(plan_snapshot(ctx.registry_snapshot(), config_.view));
    if (!baseline) return baseline.error();
    previous_ = std::move(baseline).value();
    has_previous_ = true;

    ctx.every(config_.interval, [this, &ctx] { tick(ctx); });
    return {};
  }

  void stop() noexcept override { stats_.reset(); }

 private:
  void tick(Context& ctx) {
    if (done_) return;
    // One registry copy for both the plan and the join: rows come from one snapshot.
    std::vector<RegisteredInstance> registry = ctx.registry_snapshot();
    auto now = take_kernel_snapshot(plan_snapshot(registry, config_.view));
    if (!now) {
      done_ = true;
      ctx.finish(now.error());
      return;
    }
    if (config_.one_shot && sampled_)
      ctx.log(LogLevel::Info,
              "sampled BPF run-time stats for 1s; the kernel counts runtime and runcount only while stats are on "
              "('ig daemon --enable-bpfstats' keeps them on)");
    std::vector<Row> rows = build_rows(now.value(), registry, config_.view, has_previous_ ? &previous_ : nullptr);
    sort_rows(rows, config_.sort);
    for (const Row& row : rows) {
      Record record = to_record(row);
      ctx.emit(&record, sizeof(record));
    }
    if (rows.empty() && config_.view.mode == Mode::Instances && !told_empty_) {
      ctx.log(LogLevel::Info, "no running ig instance owns BPF objects; '--all' shows every BPF program on the system");
      told_empty_ = true;
    }
    previous_ = std::move(now).value();
    has_previous_ = true;
    if (config_.one_shot) {
      done_ = true;
      ctx.finish({});
      return;
    }
    if (config_.count != 0 && ++emitted_ >= config_.count) {
      done_ = true;
      ctx.finish({});
    }
  }

  Config config_;
  std::shared_ptr<void> stats_;  // BPF stats stay on while this lives
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
