// -o yaml: libyaml's emitter behind JsonWriter's shape; strings stay strings.
#include <doctest/doctest.h>

#include <string>

#include "output/yaml_writer.h"

using namespace std::string_view_literals;
using ig::host::YamlWriter;

TEST_CASE("yaml writer: one document per object, nested lists and objects, numbers plain") {
  YamlWriter yaml;
  std::string out;
  yaml.begin_document(out).begin_object().member("comm", "cat").raw_member("pid", "42").raw_member("ok", "true");
  yaml.key("args").begin_array().string("ls").string("-l").end_array();
  yaml.key("none").begin_array().end_array().key("params").begin_object().end_object();
  yaml.raw_member("gone", "null").end_object().end_document();
  yaml.begin_document(out).begin_object().member("comm", "sh").end_object().end_document();
  CHECK(out ==
        "---\n"
        "comm: cat\n"
        "pid: 42\n"
        "ok: true\n"
        "args:\n"
        "- ls\n"
        "- -l\n"
        "none: []\n"
        "params: {}\n"
        "gone: null\n"
        "---\n"
        "comm: sh\n");
}

TEST_CASE("yaml writer: text YAML would read as another type is quoted, specials escaped") {
  YamlWriter yaml;
  std::string out;
  yaml.begin_document(out).begin_object();
  yaml.member("mode", "0644").member("ts", "2024-01-02T03:04:05.123456789Z").member("empty", "");
  yaml.member("t", "true").member("no", "NO").member("tilde", "~").member("neg", "-1").member("float", ".5");
  yaml.member("path", "/etc/x: y").member("dash", "- x").member("ctl", "a\nb\x01").member("bad", "a\xff");
  yaml.member("y", "yes").end_object().end_document();
  CHECK(out ==
        "---\n"
        "mode: '0644'\n"
        "ts: '2024-01-02T03:04:05.123456789Z'\n"
        "empty: ''\n"
        "t: 'true'\n"
        "'no': 'NO'\n"
        "tilde: '~'\n"
        "neg: '-1'\n"
        "float: '.5'\n"
        "path: '/etc/x: y'\n"
        "dash: '- x'\n"
        "ctl: \"a\\nb\\x01\"\n"
        "bad: a\xef\xbf\xbd\n"
        "'y': 'yes'\n");
}

TEST_CASE("yaml: which plain scalars would not read back as strings") {
  using ig::host::yaml_plain_is_not_string;
  for (auto text : {""sv, "~"sv, "null"sv, "Null"sv, "TRUE"sv, "off"sv, "Y"sv, "12"sv, "-3"sv, "+4"sv, "0x1f"sv,
                    "1e3"sv, "0o17"sv, "0755"sv, "1_000"sv, "3:25:45"sv, "1.5e-3"sv, ".inf"sv, ".NaN"sv, "2024-01-02"sv, "<<"sv, "="sv})
    CHECK_MESSAGE(yaml_plain_is_not_string(text), text);
  for (auto text : {"cat"sv, "/usr/bin/ls"sv, "-l"sv, "O_RDONLY|O_CLOEXEC"sv, "ENOENT"sv, "nullable"sv, "yesterday"sv,
                    "0123456789abcdef"sv, "1.2.3"sv, "12ms"sv, "-"sv, "..."sv})
    CHECK_MESSAGE(!yaml_plain_is_not_string(text), text);
}

TEST_CASE("yaml: bytes that are not UTF-8 become U+FFFD, UTF-8 passes") {
  using ig::host::valid_utf8;
  CHECK(valid_utf8("caf\xc3\xa9") == "caf\xc3\xa9");
  CHECK(valid_utf8("\xf0\x9f\x98\x80") == "\xf0\x9f\x98\x80");
  CHECK(valid_utf8("a\xff" "b") == "a\xef\xbf\xbd" "b");
  CHECK(valid_utf8("\xc3") == "\xef\xbf\xbd");                   // cut short
  CHECK(valid_utf8("\xc0\xaf") == "\xef\xbf\xbd\xef\xbf\xbd");   // overlong
  CHECK(valid_utf8("\xed\xa0\x80") == "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");  // a surrogate
}
