// JSON text appended to a string: escaped strings, and objects and arrays written
// member by member. Every JSON that ig prints (event records, `ig list`, `ig version`)
// goes through here, so escaping and separators are decided once.
#pragma once

#include <string>
#include <string_view>

namespace ig::host {

// `text` as the inside of a JSON string: quote, backslash and control characters
// escaped (DEL too), UTF-8 passed through.
void append_json_escaped(std::string& out, std::string_view text);
std::string json_escape(std::string_view text);

enum class JsonStyle {
  Compact,  // one line, no spaces: `{"a":1,"b":[2]}`
  Pretty,   // two-space indents, one member or element a line, `"key": value`
};

// Writes into `out` (which it does not own); the caller nests begin/end correctly.
class JsonWriter {
 public:
  explicit JsonWriter(std::string& out, JsonStyle style = JsonStyle::Compact)
      : out_(out), pretty_(style == JsonStyle::Pretty) {}

  JsonWriter& begin_object() { return open('{'); }
  JsonWriter& end_object() { return close('}'); }
  JsonWriter& begin_array() { return open('['); }
  JsonWriter& end_array() { return close(']'); }

  // An object member's name; its value comes next.
  JsonWriter& key(std::string_view name) { return prepared_key(prepare_key(name)); }
  // A value: a quoted, escaped string, or text that already is JSON (a number, true, null).
  JsonWriter& string(std::string_view value) {
    separate();
    out_ += '"';
    append_json_escaped(out_, value);
    out_ += '"';
    state_ = State::AfterValue;
    return *this;
  }
  JsonWriter& raw(std::string_view json) {
    separate();
    out_ += json;
    state_ = State::AfterValue;
    return *this;
  }

  JsonWriter& member(std::string_view name, std::string_view value) { return key(name).string(value); }
  JsonWriter& raw_member(std::string_view name, std::string_view json) { return key(name).raw(json); }

  // A key rendered once (`"name":`) and written many times, for a writer of many
  // records with the same keys: one copy instead of an escape per record.
  static std::string prepare_key(std::string_view name);
  JsonWriter& prepared_key(std::string_view rendered) {
    separate();
    out_ += rendered;
    if (pretty_) out_ += ' ';
    state_ = State::AfterKey;
    return *this;
  }

 private:
  enum class State { AfterOpen, AfterKey, AfterValue };

  JsonWriter& open(char bracket) {
    separate();
    out_ += bracket;
    ++depth_;
    state_ = State::AfterOpen;
    return *this;
  }
  JsonWriter& close(char bracket) {
    --depth_;
    if (pretty_ && state_ == State::AfterValue) new_line();  // an empty container stays `{}`
    out_ += bracket;
    state_ = State::AfterValue;
    return *this;
  }
  // The comma before a member or an element that follows another; pretty, the line
  // break and indent before each one inside a container.
  void separate() {
    if (state_ == State::AfterValue) out_ += ',';
    if (pretty_ && state_ != State::AfterKey && depth_ > 0) new_line();
  }
  void new_line() {
    out_ += '\n';
    out_.append(2 * static_cast<std::size_t>(depth_), ' ');
  }

  std::string& out_;
  bool pretty_;
  int depth_ = 0;
  // A fresh writer acts as after an open bracket: no comma before the first value.
  State state_ = State::AfterOpen;
};

}  // namespace ig::host
