// --interval and/or --count: a batch of rows every interval, each measured against
// the one before (the first against a baseline taken at start), `count` times.
#include "finisher.h"
#include "row_pass.h"
#include "runner.h"

namespace ig::bpfstats {
namespace {

class IntervalRunner final : public Runner {
 public:
  IntervalRunner(RunEnv env, std::unique_ptr<View> view, const Config& config)
      : kernel_(env.kernel),
        rows_(env, std::move(view), config.sort, config.total),
        finisher_(env.ctx, config.count),
        interval_(config.interval) {}

  Result<void> start() override {
    kernel_.expect_repeated(rows_.view().plan({}));
    return rows_.repeat(interval_, finisher_);
  }

 private:
  SnapshotSource& kernel_;
  RowPass rows_;
  Finisher finisher_;
  std::chrono::nanoseconds interval_;
};

}  // namespace

std::unique_ptr<Runner> make_interval_runner(RunEnv env, std::unique_ptr<View> view, const Config& config) {
  return std::make_unique<IntervalRunner>(env, std::move(view), config);
}

}  // namespace ig::bpfstats
