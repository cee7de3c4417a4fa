#include "common/toml_parse.h"

#include <fstream>
#include <iterator>

namespace ig::host {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
bool is_ascii(char c) { return static_cast<unsigned char>(c) < 0x80; }

// Walks the text as TOML's lexer does, far enough to know whether each byte is in a
// string, a comment or neither.
class Scanner {
 public:
  explicit Scanner(std::string_view text) : text_(text) {}

  std::string run() {
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (c == '#') {
        skip_to_line_end();
      } else if ((c == '"' || c == '\'') && opens_string()) {
        if (std::string problem = string(c); !problem.empty()) return problem;
        last_ = c;
      } else if (!is_ascii(c)) {
        return "non-ASCII character outside a string or comment";
      } else {
        if (c != ' ' && c != '\t') last_ = c;
        next();
      }
    }
    return "";
  }

  std::size_t line() const { return line_; }

 private:
  void next() {
    if (text_[pos_] == '\n') ++line_;
    ++pos_;
  }

  bool at(std::string_view s) const { return text_.substr(pos_, s.size()) == s; }

  // A quote starts a string only where a key or a value may start; elsewhere (as
  // in `0'x`) it is part of a bare token, which TOML++ reads up to a delimiter,
  // classifying every character it meets.
  bool opens_string() const { return std::string_view("\n=[,{.").find(last_) != std::string_view::npos; }

  void skip_to_line_end() {
    while (pos_ < text_.size() && text_[pos_] != '\n') next();
  }

  // From the opening quote to past the closing one (or the line end for an
  // unterminated one-line string, which TOML++ reports itself).
  std::string string(char quote) {
    const std::string triple(3, quote);
    bool multi_line = at(triple);
    bool basic = quote == '"';
    pos_ += multi_line ? 3 : 1;
    while (pos_ < text_.size()) {
      if (multi_line ? at(triple) : text_[pos_] == quote) {
        pos_ += multi_line ? 3 : 1;
        // Up to two quotes more belong to a multi-line string's content.
        for (int extra = 0; multi_line && extra < 2 && pos_ < text_.size() && text_[pos_] == quote; ++extra) ++pos_;
        return "";
      }
      if (!multi_line && text_[pos_] == '\n') return "";
      if (basic && text_[pos_] == '\\') {
        next();
        if (pos_ >= text_.size()) return "";
        if (multi_line && (!is_ascii(text_[pos_]) || is_space(text_[pos_]))) {
          // A line-ending backslash: TOML++ classifies the character after the
          // blanks it skips; and any character right after the backslash.
          if (!is_ascii(text_[pos_])) return "non-ASCII character after a backslash in a multi-line string";
          while (pos_ < text_.size() && is_space(text_[pos_])) next();
          if (pos_ < text_.size() && !is_ascii(text_[pos_]))
            return "non-ASCII character starting a line after a line-ending backslash; escape it as \\uXXXX";
          continue;
        }
      }
      next();
    }
    return "";
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  std::size_t line_ = 1;
  char last_ = '\n';  // the last character outside strings and comments that is not a blank
};

}  // namespace

std::string unsafe_toml(std::string_view text, std::size_t& line) {
  Scanner scanner(text);
  std::string problem = scanner.run();
  line = scanner.line();
  return problem;
}

toml::table parse_toml(std::string_view text, const std::string& source) {
  std::size_t line = 0;
  if (std::string problem = unsafe_toml(text, line); !problem.empty()) {
    toml::source_position where{static_cast<toml::source_index>(line), 1};
    throw toml::parse_error(problem.c_str(),
                            toml::source_region{where, where, std::make_shared<const std::string>(source)});
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
