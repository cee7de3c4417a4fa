// The one way every bpfstats run ends: after `count` good passes, at the first
// failed one, never twice.
#include <doctest/doctest.h>

#include "fake_run.h"
#include "finisher.h"

using namespace ig;
using namespace ig::bpfstats;
using ig::bpfstats::testing::FakeContext;

TEST_CASE("a run with a count finishes after that many good passes, once") {
  FakeContext ctx;
  Finisher finisher(ctx, 3);
  finisher.after_pass({});
  finisher.after_pass({});
  CHECK_FALSE(finisher.done());
  CHECK(ctx.finished.empty());
  finisher.after_pass({});
  CHECK(finisher.done());
  REQUIRE(ctx.finished.size() == 1);
  CHECK(ctx.finished[0].ok());
  finisher.after_pass({});
  finisher.after_pass(make_error("too late"));
  CHECK(ctx.finished.size() == 1);
}

TEST_CASE("the first failed pass finishes the run with its error") {
  FakeContext ctx;
  Finisher finisher(ctx, 0);
  finisher.after_pass({});
  finisher.after_pass(make_error("cannot list BPF programs"));
  CHECK(finisher.done());
  REQUIRE(ctx.finished.size() == 1);
  REQUIRE_FALSE(ctx.finished[0].ok());
  CHECK(ctx.finished[0].error().message == "cannot list BPF programs");
  finisher.after_pass(make_error("another"));
  CHECK(ctx.finished.size() == 1);
}

TEST_CASE("count 0 runs until stopped; a done run takes no more passes") {
  FakeContext ctx;
  Finisher forever(ctx, 0);
  for (int i = 0; i < 100; ++i) forever.after_pass({});
  CHECK_FALSE(forever.done());
  CHECK(ctx.finished.empty());

  Finisher once(ctx, 1);
  int passes = 0;
  auto pass = [&]() -> Result<void> {
    ++passes;
    return {};
  };
  once.run(pass);
  once.run(pass);
  CHECK(passes == 1);
  CHECK(ctx.finished.size() == 1);
}
