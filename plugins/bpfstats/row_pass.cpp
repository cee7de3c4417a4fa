#include "row_pass.h"

#include <vector>

#include "record.h"

namespace ig::bpfstats {

Result<void> RowPass::take_baseline() {
  auto baseline = env_.kernel.baseline(view_->plan(env_.powers.registry_snapshot()));
  if (!baseline) return baseline.error();
  previous_ = std::move(baseline).value();
  return {};
}

Result<void> RowPass::emit(std::string_view note) {
  // One registry copy for both the plan and the join: rows come from one snapshot.
  std::vector<RegisteredInstance> registry = env_.powers.registry_snapshot();
  const KernelSnapshot* before = previous_ ? &*previous_ : nullptr;
  auto now = env_.kernel.pass(view_->plan(registry), before);
  if (!now) return now.error();
  if (!note.empty()) env_.ctx.log(LogLevel::Info, note);
  std::vector<Row> rows = view_->rows(now.value(), registry, before);
  sort_rows(rows, sort_);
  if (total_) rows.push_back(view_->total(now.value(), registry, before, rows));
  ++batches_;
  for (const Row& row : rows) {
    Record record = to_record(row);
    record.batch = batches_;
    record.batch_rows = static_cast<std::uint32_t>(rows.size());
    env_.ctx.emit(&record, known_size(row));
  }
  if (rows.empty() && !view_->empty_note().empty() && !told_empty_) {
    env_.ctx.log(LogLevel::Info, view_->empty_note());
    told_empty_ = true;
  }
  previous_ = std::move(now).value();
  return {};
}

Result<void> RowPass::repeat(std::chrono::nanoseconds period, Finisher& finisher, std::string_view note) {
  if (auto baseline = take_baseline(); !baseline) return baseline;
  env_.ctx.every(period, [this, &finisher, note] { finisher.run([&] { return emit(note); }); });
  return {};
}

}  // namespace ig::bpfstats
