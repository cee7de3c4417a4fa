#include "top/history.h"

#include <algorithm>

namespace ig::host::top {

void Series::push(double value) {
  if (size_ < kHistorySamples) {
    values_[(start_ + size_++) % kHistorySamples] = value;
    return;
  }
  values_[start_] = value;  // over the oldest
  start_ = (start_ + 1) % kHistorySamples;
}

double Series::max() const {
  double m = 0;
  for (std::size_t i = 0; i < size_; ++i) m = std::max(m, at(i));
  return m;
}

std::vector<double> Series::tail(std::size_t n) const {
  std::size_t count = std::min(n, size_);
  std::vector<double> out;
  out.reserve(count);
  for (std::size_t i = size_ - count; i < size_; ++i) out.push_back(at(i));
  return out;
}

double Series::moving_average(std::size_t i, std::size_t window) const {
  if (i >= size_ || window == 0) return 0;
  std::size_t first = i + 1 >= window ? i + 1 - window : 0;
  double sum = 0;
  for (std::size_t j = first; j <= i; ++j) sum += at(j);
  return sum / static_cast<double>(i + 1 - first);
}

}  // namespace ig::host::top
