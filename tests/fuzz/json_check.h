// A strict check that text is one JSON value (RFC 8259 grammar; bytes of 0x80 and
// above pass through strings unchecked), for fuzz targets that assert ig writes JSON
// a parser accepts.
#pragma once

#include <cstddef>
#include <string_view>

namespace ig::fuzz {

class JsonCheck {
 public:
  // True when `text` is exactly one JSON value, with optional surrounding spaces.
  static bool valid(std::string_view text) {
    JsonCheck check(text);
    return check.value(0) && (check.skip_space(), check.pos_ == text.size());
  }

 private:
  explicit JsonCheck(std::string_view text) : text_(text) {}

  static constexpr int kMaxDepth = 64;

  bool value(int depth) {
    if (depth > kMaxDepth) return false;
    skip_space();
    if (pos_ >= text_.size()) return false;
    switch (text_[pos_]) {
      case '{': return members(depth);
      case '[': return elements(depth);
      case '"': return string();
      case 't': return word("true");
      case 'f': return word("false");
      case 'n': return word("null");
      default: return number();
    }
  }

  bool members(int depth) {
    ++pos_;
    skip_space();
    if (eat('}')) return true;
    do {
      skip_space();
      if (!string()) return false;
      skip_space();
      if (!eat(':') || !value(depth + 1)) return false;
      skip_space();
    } while (eat(','));
    return eat('}');
  }

  bool elements(int depth) {
    ++pos_;
    skip_space();
    if (eat(']')) return true;
    do {
      if (!value(depth + 1)) return false;
      skip_space();
    } while (eat(','));
    return eat(']');
  }

  bool string() {
    if (!eat('"')) return false;
    while (pos_ < text_.size()) {
      auto c = static_cast<unsigned char>(text_[pos_++]);
      if (c == '"') return true;
      if (c < 0x20) return false;
      if (c != '\\') continue;
      if (pos_ >= text_.size()) return false;
      char e = text_[pos_++];
      if (e == 'u') {
        for (int i = 0; i < 4; ++i)
          if (pos_ >= text_.size() || !is_hex(text_[pos_++])) return false;
      } else if (std::string_view("\"\\/bfnrt").find(e) == std::string_view::npos) {
        return false;
      }
    }
    return false;
  }

  bool number() {
    eat('-');
    if (eat('0')) {
    } else if (!digits()) {
      return false;
    }
    if (eat('.') && !digits()) return false;
    if (eat('e') || eat('E')) {
      if (!eat('+')) eat('-');
      if (!digits()) return false;
    }
    return true;
  }

  bool digits() {
    std::size_t start = pos_;
    while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') ++pos_;
    return pos_ > start;
  }

  bool word(std::string_view w) {
    if (text_.substr(pos_, w.size()) != w) return false;
    pos_ += w.size();
    return true;
  }

  bool eat(char c) {
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }

  void skip_space() {
    while (pos_ < text_.size() && std::string_view(" \t\n\r").find(text_[pos_]) != std::string_view::npos) ++pos_;
  }

  static bool is_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

  std::string_view text_;
  std::size_t pos_ = 0;
};

}  // namespace ig::fuzz
