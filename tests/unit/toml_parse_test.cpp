// The guard in front of TOML++: non-ASCII text stays welcome in strings and
// comments; where TOML++ 3.3 would reach undefined behaviour it is a parse error
// naming the line (found by fuzz_config and fuzz_state_file).
#include <doctest/doctest.h>

#include <string>

#include "common/toml_parse.h"

using ig::host::parse_toml;
using ig::host::unsafe_toml;

namespace {

std::string problem(const std::string& text, std::size_t expected_line = 0) {
  std::size_t line = 0;
  std::string why = unsafe_toml(text, line);
  if (expected_line) CHECK_MESSAGE(line == expected_line, text);
  return why;
}

}  // namespace

TEST_CASE("toml guard: non-ASCII in strings and comments is parsed as before") {
  for (const char* text : {"a = \"café\"\n", "a = 'café'\n", "a = \"\"\"ü\nö\"\"\"\n", "a = '''ü'''\n",
                           "# répertoire\na = 1\n", "\"é\" = 1\n", "[\"é\"]\nb = [\"ü\", 'ñ']\n",
                           "a = \"\"\"x\"\"\"\"\nb = 'é'\n", "a = \"\\\"é\"\n", "a = \"\"\"\\\n  x é\"\"\"\n",
                           "a = {b='é', c=[\"ü\",'ö']}\n", "\"a\".'é' = 1\n", "[ 'é' . \"ü\" ]\n"}) {
    CHECK_MESSAGE(problem(text).empty(), text);
    CHECK_NOTHROW(parse_toml(text, "t"));
  }
}

TEST_CASE("toml guard: non-ASCII where TOML++ 3.3 misbehaves is a parse error with its line") {
  CHECK(problem("a = 1\nb = 1é\n", 2) == "non-ASCII character outside a string or comment");
  CHECK(problem("é = 1\n", 1) == "non-ASCII character outside a string or comment");
  CHECK(problem(" \xef\xba\xbf", 1) == "non-ASCII character outside a string or comment");
  // A quote inside a bare token opens no string: TOML++ reads on to a delimiter.
  CHECK(problem("a = 1\nb = 0'/tmp\xef\xbb\xaf'\n", 2) == "non-ASCII character outside a string or comment");
  CHECK(problem("a = 'x'\nb = \"\"\"\\\n\xc2\xa7\"\"\"\n", 3).starts_with("non-ASCII character starting a line"));
  CHECK(problem("a = \"\"\"\\\xc3\xa9\"\"\"\n", 1) == "non-ASCII character after a backslash in a multi-line string");
  try {
    parse_toml("a = 1\nb = 1é\n", "state.toml");
    FAIL("no parse error");
  } catch (const toml::parse_error& e) {
    CHECK(e.source().begin.line == 2);
    CHECK(*e.source().path == "state.toml");
  }
}
