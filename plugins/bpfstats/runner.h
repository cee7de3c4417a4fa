// How a bpfstats run turns kernel snapshots into output: one Runner per RunMode
// (config.h), each a small class in a file of its own, all made by make_runner().
// Every mode takes its rows from a View (view.h) and ends through a Finisher
// (finisher.h), so a new view or a new way to show rows needs no flag in the others.
#pragma once

#include <chrono>
#include <memory>

#include <ig/context.h>
#include <ig/result.h>

#include "config.h"
#include "host_powers.h"
#include "snapshot_source.h"
#include "view.h"

namespace ig::bpfstats {

// What a runner works with; all of it outlives the runner.
struct RunEnv {
  Context& ctx;             // emit, log, timers, fd watches, finish
  HostPowers powers;        // the registry, publishing metrics
  SnapshotSource& kernel;
};

class Runner {
 public:
  virtual ~Runner() = default;
  // Read what the first output needs and arm the timer. An error fails the start.
  virtual Result<void> start() = 0;
};

// `stats_were_on`: BPF run-time stats were on before this run asked for them, so
// counters need no warm-up.
std::unique_ptr<Runner> make_runner(const Config& config, RunEnv env, bool stats_were_on);

// Tell the client how to show the run: whether it ends by itself, and the view's
// default columns when they are not the description's.
Result<void> present_run(Context& ctx, const Config& config);

// The modes make_runner() chooses from, one file each.
std::unique_ptr<Runner> make_one_shot_runner(RunEnv env, std::unique_ptr<View> view, const Config& config,
                                             bool stats_were_on);
std::unique_ptr<Runner> make_interval_runner(RunEnv env, std::unique_ptr<View> view, const Config& config);
std::unique_ptr<Runner> make_metrics_runner(RunEnv env, std::unique_ptr<View> view, const Config& config);

}  // namespace ig::bpfstats
