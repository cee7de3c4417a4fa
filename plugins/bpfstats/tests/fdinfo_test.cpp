#include <doctest/doctest.h>

#include "fdinfo.h"

using ig::bpfstats::fdinfo_value;

namespace {

// As Linux 6.x prints a hash map's fdinfo.
constexpr const char* kMapFdinfo =
    "pos:\t0\nflags:\t02000002\nmnt_id:\t17\nino:\t1039\nmap_type:\t1\nkey_size:\t8\nvalue_size:\t16\n"
    "max_entries:\t10240\nmap_flags:\t0x0\nmap_extra:\t0x0\nmemlock:\t1000480\nmap_id:\t214\nfrozen:\t0\n";

// As Linux 6.x prints a perf link's fdinfo.
constexpr const char* kLinkFdinfo =
    "pos:\t0\nflags:\t02000000\nmnt_id:\t17\nino:\t1039\nlink_type:\tperf\nlink_id:\t202\n"
    "prog_tag:\t19d56f5456fb1101\nprog_id:\t415\ntp_name:\tsys_enter_open\nevent_type:\ttracepoint\ncookie:\t0\n";

}  // namespace

TEST_CASE("memlock is read from a map's fdinfo") {
  CHECK(fdinfo_value(kMapFdinfo, "memlock") == 1000480u);
  CHECK(fdinfo_value(kMapFdinfo, "map_id") == 214u);
}

TEST_CASE("prog_id is read from a link's fdinfo") { CHECK(fdinfo_value(kLinkFdinfo, "prog_id") == 415u); }

TEST_CASE("a key matches whole, never as a prefix of another key") {
  CHECK(fdinfo_value(kMapFdinfo, "map") == std::nullopt);
  CHECK(fdinfo_value(kMapFdinfo, "map_type") == 1u);
  CHECK(fdinfo_value("xmemlock:\t5\n", "memlock") == std::nullopt);
}

TEST_CASE("a missing key, a non-number or an overflow gives nothing") {
  CHECK(fdinfo_value(kMapFdinfo, "prog_id") == std::nullopt);
  CHECK(fdinfo_value(kLinkFdinfo, "prog_tag") == std::nullopt);  // "19d5...": hex text
  CHECK(fdinfo_value(kMapFdinfo, "map_flags") == std::nullopt);  // "0x0"
  CHECK(fdinfo_value("map_flags:\tabc\n", "map_flags") == std::nullopt);
  CHECK(fdinfo_value("memlock:\t99999999999999999999999\n", "memlock") == std::nullopt);
  CHECK(fdinfo_value("", "memlock") == std::nullopt);
}

TEST_CASE("the last line needs no newline, and spaces pad like tabs") {
  CHECK(fdinfo_value("pos:\t0\nmemlock:  4096", "memlock") == 4096u);
}
