// The central registry: which BPF program and map ids belong to which instance.
#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "registry/registry.h"

using ig::BpfObjectIds;
using ig::RegisteredInstance;
using ig::host::Registry;
using Ids = std::vector<std::uint32_t>;

namespace {

const RegisteredInstance* find(const std::vector<RegisteredInstance>& snap, const std::string& id) {
  auto it = std::find_if(snap.begin(), snap.end(), [&](const RegisteredInstance& r) { return r.id == id; });
  return it == snap.end() ? nullptr : &*it;
}

// The instance whose snapshot lists `prog`, if any. A program listed by two
// instances fails the test: a program has one owner.
std::optional<std::string> program_owner(const Registry& r, std::uint32_t prog) {
  std::optional<std::string> owner;
  for (const RegisteredInstance& inst : r.snapshot()) {
    if (std::count(inst.objects.programs.begin(), inst.objects.programs.end(), prog) == 0) continue;
    CHECK_MESSAGE(!owner.has_value(), "program " << prog << " is listed by '" << owner.value_or("") << "' and '"
                                                 << inst.id << "'");
    owner = inst.id;
  }
  return owner;
}

Ids sorted(Ids v) {
  std::sort(v.begin(), v.end());
  return v;
}

}  // namespace

TEST_CASE("a new instance is listed with its name, gadget and no objects") {
  Registry r;
  r.add_instance("aa", "mytrace", "trace_open");
  auto snap = r.snapshot();
  REQUIRE(snap.size() == 1);
  CHECK(snap[0].id == "aa");
  CHECK(snap[0].name == "mytrace");
  CHECK(snap[0].gadget == "trace_open");
  CHECK(snap[0].objects.programs.empty());
  CHECK(snap[0].objects.maps.empty());
}

TEST_CASE("objects registered under an instance are listed once and owned by it") {
  Registry r;
  r.add_instance("aa", "a", "trace_open");
  r.add_objects("aa", BpfObjectIds{{10, 11}, {20, 21}});
  r.add_objects("aa", BpfObjectIds{{11, 12}, {21}});  // 11 and 21 again: no duplicates
  auto snap = r.snapshot();
  REQUIRE(snap.size() == 1);
  CHECK(sorted(snap[0].objects.programs) == Ids{10, 11, 12});
  CHECK(sorted(snap[0].objects.maps) == Ids{20, 21});
  CHECK(program_owner(r, 10) == "aa");
  CHECK(program_owner(r, 12) == "aa");
  CHECK_FALSE(program_owner(r, 99).has_value());
}

TEST_CASE("objects for an unknown instance are ignored") {
  Registry r;
  r.add_objects("nobody", BpfObjectIds{{10}, {20}});
  CHECK(r.snapshot().empty());
  CHECK_FALSE(program_owner(r, 10).has_value());
}

TEST_CASE("removing objects drops them from the instance and from program ownership") {
  Registry r;
  r.add_instance("aa", "a", "trace_open");
  r.add_objects("aa", BpfObjectIds{{10, 11}, {20, 21}});
  r.remove_objects("aa", BpfObjectIds{{10}, {21}});
  auto snap = r.snapshot();
  CHECK(snap[0].objects.programs == Ids{11});
  CHECK(snap[0].objects.maps == Ids{20});
  CHECK_FALSE(program_owner(r, 10).has_value());
  CHECK(program_owner(r, 11) == "aa");
}

TEST_CASE("removing an instance drops it and every object it owned") {
  Registry r;
  r.add_instance("aa", "a", "trace_open");
  r.add_instance("bb", "b", "trace_exec");
  r.add_objects("aa", BpfObjectIds{{10}, {20}});
  r.add_objects("bb", BpfObjectIds{{30}, {40}});
  r.remove_instance("aa");
  auto snap = r.snapshot();
  REQUIRE(snap.size() == 1);
  CHECK(snap[0].id == "bb");
  CHECK_FALSE(program_owner(r, 10).has_value());
  CHECK(program_owner(r, 30) == "bb");
  r.remove_instance("aa");  // twice is harmless
  r.remove_instance("never");
  CHECK(r.snapshot().size() == 1);
}

TEST_CASE("a program registered by a second instance moves to it") {
  Registry r;
  r.add_instance("aa", "a", "trace_open");
  r.add_instance("bb", "b", "trace_open");
  r.add_objects("aa", BpfObjectIds{{10, 11}, {}});
  r.add_objects("bb", BpfObjectIds{{10}, {}});
  CHECK(program_owner(r, 10) == "bb");
  auto snap = r.snapshot();
  CHECK(find(snap, "aa")->objects.programs == Ids{11});
  CHECK(find(snap, "bb")->objects.programs == Ids{10});

  SUBCASE("the old owner removing it does not take it from the new owner") {
    r.remove_objects("aa", BpfObjectIds{{10}, {}});
    CHECK(program_owner(r, 10) == "bb");
    CHECK(find(r.snapshot(), "bb")->objects.programs == Ids{10});
  }
  SUBCASE("removing the old owner leaves the new owner's program alone") {
    r.remove_instance("aa");
    CHECK(program_owner(r, 10) == "bb");
    CHECK(find(r.snapshot(), "bb")->objects.programs == Ids{10});
  }
}

TEST_CASE("a shared map is listed by each instance that registered it") {
  Registry r;
  r.add_instance("aa", "a", "trace_open");
  r.add_instance("bb", "b", "trace_exec");
  r.add_objects("aa", BpfObjectIds{{10}, {50, 51}});
  r.add_objects("bb", BpfObjectIds{{30}, {50}});
  auto snap = r.snapshot();
  CHECK(sorted(find(snap, "aa")->objects.maps) == Ids{50, 51});
  CHECK(find(snap, "bb")->objects.maps == Ids{50});

  r.remove_instance("aa");
  CHECK(find(r.snapshot(), "bb")->objects.maps == Ids{50});
}

TEST_CASE("a snapshot is a copy ordered by instance id, unaffected by later changes") {
  Registry r;
  r.add_instance("cc", "c", "g");
  r.add_instance("aa", "a", "g");
  r.add_instance("bb", "b", "g");
  r.add_objects("aa", BpfObjectIds{{1}, {2}});
  auto snap = r.snapshot();
  r.remove_instance("aa");
  r.add_objects("bb", BpfObjectIds{{3}, {4}});
  REQUIRE(snap.size() == 3);
  CHECK(snap[0].id == "aa");
  CHECK(snap[1].id == "bb");
  CHECK(snap[2].id == "cc");
  CHECK(snap[0].objects.programs == Ids{1});
  CHECK(snap[1].objects.programs.empty());
}

// Writers move programs between instances and add/remove their own; readers check
// that every snapshot they see is consistent: no program is listed by two instances.
TEST_CASE("concurrent writers and readers always see consistent snapshots") {
  Registry r;
  const int kWriters = 4, kRounds = 2000;
  for (int w = 0; w < kWriters; ++w) r.add_instance("w" + std::to_string(w), "w", "g");
  std::atomic<bool> done{false};
  std::atomic<int> inconsistent{0};
  std::atomic<long> snapshots{0};

  std::vector<std::thread> threads;
  for (int w = 0; w < kWriters; ++w) {
    threads.emplace_back([&, w] {
      const std::string me = "w" + std::to_string(w);
      const std::uint32_t own = 1000 + w;  // only this writer touches it
      // Start once a reader runs: on a busy machine the writers could otherwise
      // finish before any snapshot was taken, and the test would check nothing.
      while (snapshots == 0) std::this_thread::yield();
      for (int i = 0; i < kRounds; ++i) {
        r.add_objects(me, BpfObjectIds{{1, 2, 3, own}, {7, own}});  // 1..3 are contended
        r.remove_objects(me, BpfObjectIds{{own}, {own}});
      }
    });
  }
  for (int k = 0; k < 2; ++k) {
    threads.emplace_back([&] {
      while (!done) {
        std::set<std::uint32_t> seen;
        for (const RegisteredInstance& inst : r.snapshot())
          for (auto prog : inst.objects.programs)
            if (!seen.insert(prog).second) ++inconsistent;
        ++snapshots;
      }
    });
  }
  for (int w = 0; w < kWriters; ++w) threads[w].join();
  done = true;
  for (std::size_t t = kWriters; t < threads.size(); ++t) threads[t].join();

  CHECK(inconsistent == 0);
  CHECK(snapshots > 0);
  // Final state: each contended program has exactly one owner, which lists it.
  auto snap = r.snapshot();
  for (std::uint32_t prog : {1u, 2u, 3u}) {
    auto owner = program_owner(r, prog);
    REQUIRE(owner.has_value());
    int listed = 0;
    for (const RegisteredInstance& inst : snap) {
      bool has = std::count(inst.objects.programs.begin(), inst.objects.programs.end(), prog) > 0;
      listed += has;
      if (has) CHECK(inst.id == *owner);
    }
    CHECK(listed == 1);
  }
  // And the registry agrees on that owner: a new instance registering the program
  // takes it from exactly there, leaving no second lister behind.
  r.add_instance("zz", "z", "g");
  for (std::uint32_t prog : {1u, 2u, 3u}) {
    r.add_objects("zz", BpfObjectIds{{prog}, {}});
    CHECK(program_owner(r, prog) == "zz");
  }
  for (const RegisteredInstance& inst : snap) {
    CHECK(inst.objects.maps == Ids{7});  // the shared map, in every instance, once
    CHECK(std::count(inst.objects.programs.begin(), inst.objects.programs.end(), 1000u + (inst.id[1] - '0')) == 0);
  }
}
