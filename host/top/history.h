// The last samples of one row, oldest first, for its sparkline and its detail graph.
#pragma once

#include <array>
#include <cstddef>
#include <vector>

namespace ig::host::top {

inline constexpr std::size_t kHistorySamples = 60;

class Series {
 public:
  void push(double value);
  std::size_t size() const { return size_; }
  // Sample `i`, 0 the oldest kept.
  double at(std::size_t i) const { return values_[(start_ + i) % kHistorySamples]; }
  double last() const { return size_ ? at(size_ - 1) : 0; }
  double max() const;
  // The newest `n` samples (fewer when fewer are kept), oldest first.
  std::vector<double> tail(std::size_t n) const;
  // Mean of the `window` samples ending at sample `i`.
  double moving_average(std::size_t i, std::size_t window) const;

 private:
  std::array<double, kHistorySamples> values_{};
  std::size_t start_ = 0;
  std::size_t size_ = 0;
};

struct History {
  Series cpu;   // %CPU
  Series runs;  // runs per second
};

}  // namespace ig::host::top
