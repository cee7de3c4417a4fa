#include <doctest/doctest.h>

#include "cpu_list.h"

using ig::bpfstats::contiguous_cpu_count;

TEST_CASE("CPUs numbered 0..N-1 count N, with or without the file's newline") {
  CHECK(contiguous_cpu_count("0-1\n", 1024) == 2);
  CHECK(contiguous_cpu_count("0-127", 1024) == 128);
  CHECK(contiguous_cpu_count("0\n", 1024) == 1);
}

TEST_CASE("holes, other first CPUs, garbage and too many CPUs count 0") {
  CHECK(contiguous_cpu_count("0-3,8-11\n", 1024) == 0);
  CHECK(contiguous_cpu_count("1-3", 1024) == 0);
  CHECK(contiguous_cpu_count("", 1024) == 0);
  CHECK(contiguous_cpu_count("0-x", 1024) == 0);
  CHECK(contiguous_cpu_count("0-1023", 1024) == 1024);
  CHECK(contiguous_cpu_count("0-1024", 1024) == 0);
}
