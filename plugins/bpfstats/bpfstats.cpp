// bpfstats: plugin glue. Holds BPF stats on while it runs and hands the run to the
// runner its mode calls for (runner.h): one-shot, interval rows or metrics collector.
// The registry comes through the host (host_powers.h), the kernel through libbpf
// (kernel_source.h).
#include <memory>

#include <ig/context.h>
#include <ig/plugin.h>

#include "config.h"
#include "host_powers.h"
#include "kernel_source.h"
#include "record.h"
#include "runner.h"

namespace ig::bpfstats {
namespace {

class Bpfstats final : public Gadget {
 public:
  Result<void> start(Context& ctx) override {
    auto config = parse_config(ctx.params());
    if (!config) return config.error();

    HostPowers powers(ctx);
    bool stats_were_on = powers.bpf_stats_already_on();
    auto stats = powers.enable_bpf_stats();
    if (!stats) return stats.error();
    stats_ = std::move(stats).value();

    if (auto shown = present_run(ctx, config.value()); !shown) return shown.error();
    kernel_ = std::make_unique<KernelSource>(ctx);
    runner_ = make_runner(config.value(), RunEnv{ctx, powers, *kernel_}, stats_were_on);
    return runner_->start();
  }

  void stop() noexcept override {
    runner_.reset();  // joins a collector's pass in flight
    kernel_.reset();  // leaves the registry, then frees bpfstats' iterators
    stats_.reset();
  }

 private:
  std::shared_ptr<void> stats_;  // BPF stats stay on while this lives
  std::unique_ptr<KernelSource> kernel_;
  std::unique_ptr<Runner> runner_;
};

}  // namespace
}  // namespace ig::bpfstats

IG_PLUGIN(ig::bpfstats::describe(), ig::bpfstats::Bpfstats)
