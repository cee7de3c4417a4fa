// --filter: parsing against a description, and which records pass.
#include <doctest/doctest.h>

#include <string>

#include "demo_record.h"
#include "output/record_filter.h"

using ig::host::RecordFilter;
using namespace ig::test;

namespace {

// Does the sample record (or `r`) pass `text`?
bool passes(const std::string& text, const Record& r = sample(), std::size_t size = 70) {
  auto filter = RecordFilter::parse(text, demo());
  REQUIRE_MESSAGE(filter.ok(), filter.error().message);
  filter.value().set_boot_to_realtime_ns(kBootToRealtime);
  return filter.value().matches(r.bytes.data(), size);
}

std::string error_of(const std::string& text) {
  auto filter = RecordFilter::parse(text, demo());
  REQUIRE_FALSE(filter.ok());
  return filter.error().message;
}

}  // namespace

TEST_CASE("filter: == and != on text and numbers; commas join terms with AND") {
  CHECK(passes("comm==cat"));
  CHECK_FALSE(passes("comm==ca"));
  CHECK(passes("comm!=sh"));
  CHECK(passes("pid==4321,comm==cat,fd>=0"));
  CHECK_FALSE(passes("pid==4321,comm==sh"));
  CHECK(passes(""));  // no term: everything passes
  CHECK(passes(",comm==cat,"));
}

TEST_CASE("filter: numbers compare as numbers, whatever their width or sign") {
  CHECK(passes("pid>999"));  // as text, "4321" < "999"
  CHECK(passes("pid<=4321"));
  CHECK_FALSE(passes("pid<4321"));
  CHECK(passes("delta<0,delta>=-42,delta==-42"));
  CHECK(passes("big==18446744073709551615,big>0"));  // u64 max, no wrap
  CHECK(passes("pid==0x10e1"));
  CHECK(passes("mode==0644,mode==644,mode>=0600,mode<0700"));  // octal, as shown
  Record failed = sample();
  failed.put<std::int32_t>(12, -1);
  CHECK(passes("fd<0", failed));
  CHECK_FALSE(passes("fd>=0", failed));
}

TEST_CASE("filter: errno by name, flags by name, bools, timestamps as UTC text") {
  Record failed = sample();
  failed.put<std::int32_t>(16, -2);
  CHECK(passes("error==ENOENT", failed));
  CHECK(passes("error!=", failed));  // failed calls
  CHECK(passes("error=="));          // the sample succeeded
  CHECK(passes("flags~CREAT,flags!~RDWR"));
  CHECK(passes("flags==WRONLY|CREAT|TRUNC"));
  CHECK(passes("ok==true"));
  CHECK_FALSE(passes("ok==false"));
  CHECK(passes("timestamp>=2024-01-02T03:04,timestamp<2024-01-02T03:05"));
  CHECK(passes("timestamp~^2024-01-02T03:04:05\\.123"));
}

TEST_CASE("filter: ~ finds a POSIX extended regex anywhere in the column's text") {
  CHECK(passes("comm~^c.t$"));
  CHECK(passes("comm~a"));
  CHECK_FALSE(passes("comm~^a"));
  CHECK(passes("comm!~^a"));
  CHECK(passes("args~-l"));  // a string list reads as its items joined by spaces
  CHECK(passes("pid~^43"));  // a number's text
  CHECK(passes("comm~(cat|dog)"));
  CHECK(passes("comm~c{1\\,2}at"));  // an escaped comma stays in the value
}

TEST_CASE("filter: a record too short for a column fails every term on it") {
  CHECK_FALSE(passes("fd>=0", sample(), 12));
  CHECK_FALSE(passes("fd!=7", sample(), 12));
  CHECK(passes("pid==4321", sample(), 12));
}

TEST_CASE("filter: an unknown column names the valid ones") {
  CHECK(error_of("nope==1") ==
        "unknown column 'nope' in --filter 'nope==1'; valid columns: "
        "timestamp,pid,fd,error,flags,mode,ok,big,delta,comm,args");
}

TEST_CASE("filter: a missing or unknown operator is one line naming the operators") {
  CHECK(error_of("comm=nginx") ==
        "invalid --filter term 'comm=nginx': unknown operator '='; use ==, !=, >=, <=, >, <, ~ (regex) or !~");
  CHECK(error_of("fd=>3") ==
        "invalid --filter term 'fd=>3': unknown operator '=>'; use ==, !=, >=, <=, >, <, ~ (regex) or !~");
  CHECK(error_of("comm") ==
        "invalid --filter term 'comm': no operator after 'comm'; use ==, !=, >=, <=, >, <, ~ (regex) or !~");
  CHECK(error_of("comm:cat") ==
        "invalid --filter term 'comm:cat': no operator after 'comm'; use ==, !=, >=, <=, >, <, ~ (regex) or !~");
  CHECK(error_of("==cat") == "invalid --filter term '==cat': it must start with a column name, e.g. comm==nginx");
}

TEST_CASE("filter: a value that does not fit its column's type is refused") {
  CHECK(error_of("fd>=abc") ==
        "invalid --filter term 'fd>=abc': 'fd' is an integer; compare it with one, or match its text with ~");
  CHECK(error_of("fd==") ==
        "invalid --filter term 'fd==': 'fd' is an integer; compare it with one, or match its text with ~");
  CHECK(error_of("mode==0999") ==
        "invalid --filter term 'mode==0999': 'mode' is an octal number; compare it with one, or match its text with ~");
  CHECK(error_of("ok>true") == "invalid --filter term 'ok>true': 'ok' is true or false; use == or !=");
  CHECK(error_of("ok==yes") == "invalid --filter term 'ok==yes': 'ok' is true or false");
}

TEST_CASE("filter: an invalid regex names the problem") {
  std::string e = error_of("comm~(cat");
  CHECK(e.starts_with("invalid regular expression '(cat' in --filter term 'comm~(cat': "));
  CHECK(e.find('\n') == std::string::npos);
}

TEST_CASE("filter: exclude() leaves out one value of an integer column, if there is one") {
  RecordFilter filter;
  CHECK(filter.exclude(demo(), "pid", 1));
  CHECK(filter.matches(sample().bytes.data(), 70));
  CHECK(filter.exclude(demo(), "pid", 4321));
  CHECK_FALSE(filter.matches(sample().bytes.data(), 70));
  CHECK_FALSE(filter.exclude(demo(), "comm", 4321));  // not an integer column
  CHECK_FALSE(filter.exclude(demo(), "tid", 4321));   // no such column
}
