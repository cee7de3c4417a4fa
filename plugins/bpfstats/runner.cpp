#include "runner.h"

#include <string>
#include <vector>

#include "columns.h"

namespace ig::bpfstats {

std::unique_ptr<Runner> make_runner(const Config& config, RunEnv env, bool stats_were_on) {
  std::unique_ptr<View> view = make_view(config.view);
  switch (config.mode) {
    case RunMode::OneShot: return make_one_shot_runner(env, std::move(view), config, stats_were_on);
    case RunMode::Interval: return make_interval_runner(env, std::move(view), config);
    case RunMode::Metrics: return make_metrics_runner(env, std::move(view), config);
  }
  return make_one_shot_runner(env, std::move(view), config, stats_were_on);
}

Result<void> present_run(Context& ctx, const Config& config) {
  if (config.count != 0) ctx.finishes_by_itself();
  std::vector<std::string> names;
  for (Column c : make_view(config.view)->default_fields()) names.emplace_back(column_name(c));
  return names.empty() ? Result<void>{} : ctx.default_fields(std::move(names));
}

}  // namespace ig::bpfstats
