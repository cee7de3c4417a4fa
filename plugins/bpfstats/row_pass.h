// One batch of rows, as the one-shot and interval modes print it: a kernel pass, the
// view's rows measured against the previous pass, sorted, one record emitted per row.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

#include <ig/result.h>

#include "aggregate.h"
#include "finisher.h"
#include "runner.h"
#include "view.h"

namespace ig::bpfstats {

class RowPass {
 public:
  // `total`: end every batch with the view's --total row.
  RowPass(RunEnv env, std::unique_ptr<View> view, SortOrder sort, bool total)
      : env_(env), view_(std::move(view)), sort_(sort), total_(total) {}

  const View& view() const { return *view_; }

  // The snapshot the first batch is measured against.
  Result<void> take_baseline();

  // One batch, measured against the previous pass or the baseline. Without either (a
  // one-shot with stats already on), deltas and cpu are 0. `note`, if any, is logged
  // once the kernel has been read, before the rows.
  Result<void> emit(std::string_view note = {});

  // Take the baseline, then emit a batch (with `note`, static text) every `period`
  // until `finisher` says the run is done. A baseline that cannot be read is the error.
  Result<void> repeat(std::chrono::nanoseconds period, Finisher& finisher, std::string_view note = {});

 private:
  RunEnv env_;
  std::unique_ptr<View> view_;
  SortOrder sort_;
  bool total_;
  std::optional<KernelSnapshot> previous_;
  bool told_empty_ = false;
  std::uint64_t batches_ = 0;  // emitted so far, empty ones included
};

}  // namespace ig::bpfstats
