#include <doctest/doctest.h>

#include "config.h"
#include "params.h"

using namespace ig::bpfstats;
using namespace std::chrono_literals;
using ig::bpfstats::testing::params;

TEST_CASE("without --interval or --count bpfstats samples once for 1s") {
  auto c = parse_config(params({}));
  REQUIRE(c.ok());
  CHECK(c->mode == RunMode::OneShot);
  CHECK(c->interval == 1s);
  CHECK(c->count == 1);
  CHECK(c->view.kind == ViewKind::Instances);
  CHECK(c->sort.column == Column::Runtime);
  CHECK(c->sort.descending);
}

TEST_CASE("--interval repeats until stopped") {
  auto c = parse_config(params({{"interval", "2000000000"}}));
  REQUIRE(c.ok());
  CHECK(c->mode == RunMode::Interval);
  CHECK(c->interval == 2s);
  CHECK(c->count == 0);
}

TEST_CASE("--count alone repeats every second, N times; --count 0 forever") {
  auto c = parse_config(params({{"count", "3"}}));
  REQUIRE(c.ok());
  CHECK(c->mode == RunMode::Interval);
  CHECK(c->interval == 1s);
  CHECK(c->count == 3);
  c = parse_config(params({{"count", "0"}, {"interval", "500000000"}}));
  REQUIRE(c.ok());
  CHECK(c->mode == RunMode::Interval);
  CHECK(c->count == 0);
}

TEST_CASE("--all and --gadgets-only pick the view") {
  auto c = parse_config(params({{"all", "true"}, {"gadgets-only", "true"}}));
  REQUIRE(c.ok());
  CHECK(c->view.kind == ViewKind::Programs);
  CHECK(c->view.gadgets_only);
  CHECK_FALSE(c->view.with_instances);
  c = parse_config(params({{"all", "true"}, {"instances", "true"}}));
  REQUIRE(c.ok());
  CHECK(c->view.with_instances);
}

TEST_CASE("bad --sort and too short --interval are errors") {
  CHECK_FALSE(parse_config(params({{"sort", "nope"}})).ok());
  auto c = parse_config(params({{"interval", "1000"}}));
  REQUIRE_FALSE(c.ok());
  CHECK(c.error().message.find("'1us' for '--interval'") != std::string::npos);
}
