#include "finisher.h"

#include <utility>

namespace ig::bpfstats {

void Finisher::after_pass(Result<void> outcome) {
  if (done_) return;
  if (!outcome) return finish_once(std::move(outcome));
  if (count_ != 0 && ++passes_ >= count_) finish_once({});
}

void Finisher::finish_once(Result<void> status) {
  done_ = true;
  ctx_.finish(std::move(status));
}

}  // namespace ig::bpfstats
