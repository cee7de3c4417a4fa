// The guard in front of TOML++: non-ASCII text stays welcome in strings and
// comments; where TOML++ 3.3 would reach undefined behaviour it is a parse error
// naming the line (found by fuzz_config and fuzz_state_file).
#include <doctest/doctest.h>

#include <string>

#include "common/toml_parse.h"

using ig::host::parse_toml;

namespace {

// The parse error's description ("" when the text parses), checking its line.
std::string problem(const std::string& text, std::size_t expected_line = 0) {
  try {
    (void)parse_toml(text, "t");
    return "";
  } catch (const toml::parse_error& e) {
    if (expected_line) CHECK_MESSAGE(e.source().begin.line == expected_line, text);
    return std::string(e.description());
  }
}

}  // namespace

TEST_CASE("toml guard: non-ASCII in strings and comments is parsed as before") {
  for (const char* text : {"a = \"café\"\n", "a = 'café'\n", "a = \"\"\"ü\nö\"\"\"\n", "a = '''ü'''\n",
                           "# répertoire\na = 1\n", "\"é\" = 1\n", "[\"é\"]\nb = [\"ü\", 'ñ']\n",
                           "a = \"\"\"x\"\"\"\"\nb = 'é'\n", "a = \"\\\"é\"\n", "a = \"\"\"\\\n  x é\"\"\"\n",
                           "a = {b='é', c=[\"ü\",'ö']}\n", "\"a\".'é' = 1\n", "[ 'é' . \"ü\" ]\n"}) {
    CHECK_MESSAGE(problem(text).empty(), text);
  }
}

TEST_CASE("toml guard: non-ASCII where TOML++ 3.3 misbehaves is a parse error with its line") {
  // TOML++'s own description, naming the character it never got to classify.
  CHECK(problem("a = 1\nb = 1é\n", 2) == "Error while parsing decimal integer: expected digit, saw 'é'");
  CHECK(problem("é = 1\n", 1).ends_with("saw 'é'"));
  CHECK(problem(" \xef\xba\xbf", 1).ends_with("saw '\xef\xba\xbf'"));
  // A quote inside a bare token opens no string: TOML++ reads on to a delimiter.
  CHECK_FALSE(problem("a = 1\nb = 0'/tmp\xef\xbb\xaf'\n", 2).empty());
  CHECK_FALSE(problem("i= 0aro='\xef\xbb\xb7p'\n", 1).empty());  // '=' too
  // A date, a blank, then more: TOML++ reads on as a date-time.
  CHECK_FALSE(problem("created = 0324-01-01T00:01:00+02:00\ngadGet =2027-01-01 5 \"bp\xef\xba\xbf" "0327-0", 2).empty());
  CHECK(problem("a = 'x'\nb = \"\"\"\\\n\xc2\xa7\"\"\"\n", 3) ==
        "non-ASCII character after a backslash and blanks; escape it as \\uXXXX");
  CHECK(problem("a = \"\"\"\\ \n \xc3\xa9\"\"\"\n", 2).starts_with("non-ASCII character after a backslash"));
  CHECK(problem("a = \"\"\"\\\xc3\xa9\"\"\"\n", 1) == "Error while parsing string: unknown escape sequence '\\é'");
  try {
    parse_toml("a = 1\nb = 1é\n", "state.toml");
    FAIL("no parse error");
  } catch (const toml::parse_error& e) {
    CHECK(e.source().begin.line == 2);
    CHECK(*e.source().path == "state.toml");
  }
}
