#include "common/toml_parse.h"

#include <fstream>
#include <iterator>
#include <memory>

namespace ig::host {
namespace {

// Stands in for a non-ASCII character on the first pass: TOML accepts it exactly
// where it accepts a non-ASCII one, in strings and comments, and nowhere else.
constexpr char kStandIn = '@';

bool is_ascii(char c) { return static_cast<unsigned char>(c) < 0x80; }
bool is_continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// The length of the UTF-8 sequence at `pos` (1 for a stray byte), so that one
// stand-in replaces one character and TOML++'s columns stay the same.
std::size_t sequence_length(std::string_view text, std::size_t pos) {
  auto lead = static_cast<unsigned char>(text[pos]);
  std::size_t want = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
  std::size_t length = 1;
  while (length < want && pos + length < text.size() && is_continuation(text[pos + length])) ++length;
  return length;
}

std::string with_stand_ins(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t pos = 0; pos < text.size();) {
    if (is_ascii(text[pos])) {
      out += text[pos++];
    } else {
      out += kStandIn;
      pos += sequence_length(text, pos);
    }
  }
  return out;
}

// The original character at a 1-based line and column of the stand-in text (whose
// columns count characters), or "" when that is an ASCII one.
std::string_view non_ascii_at(std::string_view text, toml::source_position where) {
  std::size_t pos = 0;
  for (toml::source_index line = 1; line < where.line && pos < text.size(); ++pos)
    if (text[pos] == '\n') ++line;
  for (toml::source_index column = 1; column < where.column && pos < text.size(); ++column)
    pos += is_ascii(text[pos]) ? 1 : sequence_length(text, pos);
  if (pos >= text.size() || is_ascii(text[pos])) return {};
  return text.substr(pos, sequence_length(text, pos));
}

// A backslash, blanks, then a non-ASCII character: in a multi-line basic string
// TOML++ classifies that character (a line-ending backslash skips the blanks). In
// a literal string or a comment it would be harmless; refusing it there too keeps
// this check free of knowing which it is.
std::size_t line_of_backslash_before_non_ascii(std::string_view text) {
  std::size_t line = 1;
  for (std::size_t pos = 0; pos < text.size(); ++pos) {
    if (text[pos] == '\n') ++line;
    if (text[pos] != '\\') continue;
    std::size_t next = pos + 1, at_line = line;
    while (next < text.size() && std::string_view(" \t\r\n").find(text[next]) != std::string_view::npos)
      if (text[next++] == '\n') ++at_line;
    if (next > pos + 1 && next < text.size() && !is_ascii(text[next])) return at_line;
  }
  return 0;
}

[[noreturn]] void fail(const std::string& what, toml::source_position where, const std::string& source) {
  throw toml::parse_error(what.c_str(), toml::source_region{where, where, std::make_shared<const std::string>(source)});
}

}  // namespace

toml::table parse_toml(std::string_view text, const std::string& source) {
  std::string stand_in = with_stand_ins(text);
  if (stand_in != text) {
    // First the text with every non-ASCII character replaced: TOML++ itself then
    // decides where each one is, without ever classifying one.
    try {
      (void)toml::parse(stand_in, source);
    } catch (const toml::parse_error& e) {
      std::string what(e.description());
      if (std::string_view original = non_ascii_at(text, e.source().begin); !original.empty())
        for (std::size_t at = what.find(kStandIn); at != std::string::npos; at = what.find(kStandIn, at + original.size()))
          what.replace(at, 1, original);
      fail(what, e.source().begin, source);
    }
    if (std::size_t line = line_of_backslash_before_non_ascii(text))
      fail("non-ASCII character after a backslash and blanks; escape it as \\uXXXX", {static_cast<toml::source_index>(line), 1},
           source);
  }
  return toml::parse(text, source);
}

toml::table parse_toml_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw toml::parse_error("File could not be opened for reading",
                            toml::source_region{{}, {}, std::make_shared<const std::string>(path)});
  std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  return parse_toml(text, path);
}

}  // namespace ig::host
