// JSON text appended to a string: escaped strings, and objects and arrays written
// member by member. Every JSON that ig prints (event records, `ig list -o json`) goes
// through here, so escaping and separators are decided once.
#pragma once

#include <string>
#include <string_view>

namespace ig::host {

// `text` as the inside of a JSON string: quote, backslash and control characters
// escaped (DEL too), UTF-8 passed through.
void append_json_escaped(std::string& out, std::string_view text);
std::string json_escape(std::string_view text);

// Writes into `out` (which it does not own); the caller nests begin/end correctly.
class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) {}

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
    after_value_ = true;
    return *this;
  }
  JsonWriter& raw(std::string_view json) {
    separate();
    out_ += json;
    after_value_ = true;
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
    after_value_ = false;
    return *this;
  }

 private:
  JsonWriter& open(char bracket) {
    separate();
    out_ += bracket;
    after_value_ = false;
    return *this;
  }
  JsonWriter& close(char bracket) {
    out_ += bracket;
    after_value_ = true;
    return *this;
  }
  // The comma before a member or an element that follows another.
  void separate() {
    if (after_value_) out_ += ',';
  }

  std::string& out_;
  bool after_value_ = false;
};

}  // namespace ig::host
