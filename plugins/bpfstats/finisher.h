// How every bpfstats run ends, whatever its mode: the first pass that fails finishes
// the run with its error; otherwise the run finishes after `count` good passes (a
// batch of rows emitted, or metrics published), or never with count 0 (until
// stopped). Once finished, the run takes no more passes, though a timer or a
// collector's result may still fire before the host stops the instance.
#pragma once

#include <cstdint>

#include <ig/context.h>
#include <ig/result.h>

namespace ig::bpfstats {

class Finisher {
 public:
  Finisher(Context& ctx, std::uint64_t count) : ctx_(ctx), count_(count) {}

  bool done() const { return done_; }

  // Count the outcome of one pass.
  void after_pass(Result<void> outcome);

  // Run `pass` (returning Result<void>) and count its outcome, unless the run is done.
  template <class Pass>
  void run(Pass&& pass) {
    if (!done_) after_pass(pass());
  }

 private:
  void finish_once(Result<void> status);

  Context& ctx_;
  std::uint64_t count_;
  std::uint64_t passes_ = 0;
  bool done_ = false;
};

}  // namespace ig::bpfstats
