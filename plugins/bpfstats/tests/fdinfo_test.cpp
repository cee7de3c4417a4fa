#include <doctest/doctest.h>

#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <string>

#include "fdinfo.h"

using ig::bpfstats::fdinfo_value;
using ig::bpfstats::read_fdinfo_value;
using ig::bpfstats::reread_fdinfo_value;

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

namespace {

// A file in a fresh temp dir, removed with it.
class TempFile {
 public:
  TempFile() {
    char tmpl[] = "/tmp/bpfstats-fdinfo-XXXXXX";
    dir_ = ::mkdtemp(tmpl);
  }
  ~TempFile() {
    std::remove(path().c_str());
    ::rmdir(dir_.c_str());
  }
  void write(const std::string& text) const { std::ofstream(path(), std::ios::trunc) << text; }
  std::string dir() const { return dir_; }
  std::string path() const { return dir_ + "/info"; }

 private:
  std::string dir_;
};

}  // namespace

TEST_CASE("read_fdinfo_value reads a file relative to a directory fd") {
  TempFile file;
  file.write(kMapFdinfo);
  int dir = ::open(file.dir().c_str(), O_RDONLY | O_DIRECTORY);
  REQUIRE(dir >= 0);
  CHECK(read_fdinfo_value(dir, "info", "memlock") == 1000480u);
  CHECK(read_fdinfo_value(dir, "info", "frozen") == 0u);  // the last line
  CHECK(read_fdinfo_value(dir, "info", "prog_id") == std::nullopt);
  CHECK(read_fdinfo_value(dir, "missing", "memlock") == std::nullopt);
  ::close(dir);
}

TEST_CASE("a key beyond the first read's 4 KiB is still found") {
  TempFile file;
  std::string text;
  for (int i = 0; i < 600; ++i) text += "pad" + std::to_string(i) + ":\t0\n";
  text += "memlock:\t12345";  // across the 4096-byte boundary, no final newline
  REQUIRE(text.size() > 4096);
  file.write(text);
  CHECK(read_fdinfo_value(AT_FDCWD, file.path().c_str(), "memlock") == 12345u);
}

TEST_CASE("reread_fdinfo_value reads the file again from its start") {
  TempFile file;
  file.write("pos:\t0\nmemlock:\t4096\n");
  int fd = ::open(file.path().c_str(), O_RDONLY);
  REQUIRE(fd >= 0);
  CHECK(reread_fdinfo_value(fd, "memlock") == 4096u);
  file.write("pos:\t0\nmemlock:\t8192\n");  // what fdinfo/N shows once N is another map
  CHECK(reread_fdinfo_value(fd, "memlock") == 8192u);
  ::close(fd);
}
