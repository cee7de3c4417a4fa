// YAML text, on libyaml's emitter: the same objects JSON gets (same keys, same values),
// one YAML document (`---`) per object, with libyaml deciding quoting and escapes.
// Its member functions mirror JsonWriter's so one template writes either.
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace ig::host {

class YamlWriter {
 public:
  YamlWriter();
  ~YamlWriter();
  YamlWriter(YamlWriter&&) noexcept;
  YamlWriter& operator=(YamlWriter&&) noexcept;

  // One document per top-level value; its text is appended to `out` at end_document().
  YamlWriter& begin_document(std::string& out);
  YamlWriter& end_document();

  YamlWriter& begin_object();
  YamlWriter& end_object();
  YamlWriter& begin_array();
  YamlWriter& end_array();
  YamlWriter& key(std::string_view name) { return string(name); }
  // A string stays a string: text YAML would read as a number, bool, null or
  // timestamp is quoted. Bytes that are not UTF-8 become U+FFFD (YAML must be Unicode).
  YamlWriter& string(std::string_view value);
  // A JSON number, true, false or null, written as the same plain YAML scalar.
  YamlWriter& raw(std::string_view json);

  YamlWriter& member(std::string_view name, std::string_view value) { return key(name).string(value); }
  YamlWriter& raw_member(std::string_view name, std::string_view json) { return key(name).raw(json); }

 private:
  struct Emitter;
  std::unique_ptr<Emitter> emitter_;
};

// True when YAML 1.1 or 1.2 would read `text`, written plain, as something other than
// a string (a number, bool, null, timestamp or merge key).
bool yaml_plain_is_not_string(std::string_view text);

// `text` with every byte sequence that is not UTF-8 replaced by U+FFFD.
std::string valid_utf8(std::string_view text);

}  // namespace ig::host
