// What every fuzz target uses to state an invariant: a broken one stops the run
// with the reason on stderr, and libFuzzer saves the input as a crash.
#pragma once

#include <cstdio>
#include <cstdlib>

#define IG_FUZZ_CHECK(condition, what)                                              \
  do {                                                                               \
    if (!(condition)) {                                                              \
      std::fprintf(stderr, "fuzz invariant broken: %s (%s)\n", what, #condition);    \
      std::abort();                                                                  \
    }                                                                                \
  } while (0)
