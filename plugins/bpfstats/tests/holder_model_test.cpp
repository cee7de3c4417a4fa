#include <doctest/doctest.h>

#include <map>

#include "holder_model.h"

using namespace ig::bpfstats;

namespace {

constexpr std::uint32_t kOwn = 900;  // the iterator's own program
constexpr std::uint32_t kSelf = 77;  // our pid

}  // namespace

TEST_CASE("holders carry each pid's comm, read once per pid") {
  std::map<std::uint32_t, int> reads;
  auto comm_of = [&reads](std::uint32_t pid) {
    ++reads[pid];
    return pid == 5 ? std::string("bpftrace") : std::string();  // 6 has exited
  };
  HoldersByProgram holders = with_comms({{10, {5, 6}}, {11, {5}}}, comm_of);
  REQUIRE(holders.size() == 2);
  REQUIRE(holders[10].size() == 2);
  CHECK(holders[10][0].pid == 5);
  CHECK(holders[10][0].comm == "bpftrace");
  CHECK(holders[10][1].pid == 6);
  CHECK(holders[10][1].comm == "");
  REQUIRE(holders[11].size() == 1);
  CHECK(holders[11][0].comm == "bpftrace");
  CHECK(reads == std::map<std::uint32_t, int>{{5, 1}, {6, 1}});
}

TEST_CASE("the iterator's pairs become pids by program, ascending and distinct") {
  std::vector<holder_record> pairs = {{300, 42, 0}, {17, 42, 0}, {17, 42, 0}, {17, 43, 0}, {kSelf, kOwn, 0}};
  auto pids = pids_from_iterator(pairs, kOwn, kSelf, false);
  REQUIRE(pids);
  CHECK(*pids == PidsByProgram{{42, {17, 300}}, {43, {17}}});
}

TEST_CASE("a kept iterator lists its own program, held by us") {
  auto pids = pids_from_iterator({{17, 42, 0}, {kSelf, kOwn, 0}}, kOwn, kSelf, true);
  REQUIRE(pids);
  CHECK(*pids == PidsByProgram{{42, {17}}, {kOwn, {kSelf}}});
}

TEST_CASE("map fds' pairs become pids by map, trusted through the iterator's own program") {
  std::vector<holder_record> pairs = {{17, 42, 0}, {17, 0, 7}, {300, 0, 7}, {300, 0, 8}, {kSelf, kOwn, 0}};
  auto maps = pids_from_iterator(pairs, kOwn, kSelf, false, HeldObject::Map);
  REQUIRE(maps);
  CHECK(*maps == PidsByProgram{{7, {17, 300}}, {8, {300}}});
  auto programs = pids_from_iterator(pairs, kOwn, kSelf, false);
  REQUIRE(programs);
  CHECK(*programs == PidsByProgram{{42, {17}}});  // map fds are not program holders
  CHECK_FALSE(pids_from_iterator({{17, 0, 7}, {4000, kOwn, 0}}, kOwn, kSelf, false, HeldObject::Map));
}

TEST_CASE("pairs in another pid namespace's numbers are not trusted") {
  CHECK_FALSE(pids_from_iterator({{17, 42, 0}, {4000, kOwn, 0}}, kOwn, kSelf, false));
}

TEST_CASE("pairs that miss the iterator's own program are not trusted") {
  CHECK_FALSE(pids_from_iterator({{17, 42, 0}}, kOwn, kSelf, false));
  CHECK_FALSE(pids_from_iterator({}, kOwn, kSelf, true));
}
