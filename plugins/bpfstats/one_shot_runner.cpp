// Neither --interval nor --count: one batch of rows, then finish. When stats were
// already on, the counters have been running and the batch comes at once. Otherwise
// the run takes a baseline, samples for one interval with stats on, and says so.
#include "finisher.h"
#include "row_pass.h"
#include "runner.h"

namespace ig::bpfstats {
namespace {

constexpr std::string_view kSampledNote =
    "sampled BPF run-time stats for 1s; the kernel counts runtime and runcount only while stats are on "
    "('ig daemon --enable-bpfstats' keeps them on)";

class OneShotRunner final : public Runner {
 public:
  OneShotRunner(RunEnv env, std::unique_ptr<View> view, const Config& config, bool stats_were_on)
      : rows_(env, std::move(view), config.sort, config.total),
        finisher_(env.ctx, 1),
        sample_(config.interval),
        stats_were_on_(stats_were_on) {}

  // No SnapshotSource::expect_repeated(): loading iterators costs more than it saves
  // on one pass.
  Result<void> start() override {
    if (!stats_were_on_ && rows_.view().counts_runs()) return rows_.repeat(sample_, finisher_, kSampledNote);
    finisher_.run([this] { return rows_.emit(); });
    return {};
  }

 private:
  RowPass rows_;
  Finisher finisher_;
  std::chrono::nanoseconds sample_;
  bool stats_were_on_;
};

}  // namespace

std::unique_ptr<Runner> make_one_shot_runner(RunEnv env, std::unique_ptr<View> view, const Config& config,
                                             bool stats_were_on) {
  return std::make_unique<OneShotRunner>(env, std::move(view), config, stats_were_on);
}

}  // namespace ig::bpfstats
