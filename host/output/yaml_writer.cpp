#include "output/yaml_writer.h"

#include <yaml.h>

#include <regex>
#include <stdexcept>

namespace ig::host {
namespace {

bool equals_any_case(std::string_view text, std::string_view lower) {
  if (text.size() != lower.size()) return false;
  for (std::size_t i = 0; i < text.size(); ++i)
    if ((text[i] | 0x20) != lower[i]) return false;
  return true;
}

// The length of the UTF-8 sequence at `text[i]`, or 0 when it is not one.
std::size_t utf8_length(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char c = byte(i);
  std::size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 0;
  if (n == 0 || i + n > text.size()) return 0;
  for (std::size_t k = 1; k < n; ++k)
    if ((byte(i + k) & 0xc0) != 0x80) return 0;
  std::uint32_t code = n == 1 ? c : c & (0x7f >> n);
  for (std::size_t k = 1; k < n; ++k) code = (code << 6) | (byte(i + k) & 0x3f);
  static constexpr std::uint32_t kSmallest[] = {0, 0, 0x80, 0x800, 0x10000};
  if (code < kSmallest[n] || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return 0;
  return n;
}

}  // namespace

bool yaml_plain_is_not_string(std::string_view text) {
  if (text.empty() || text == "~" || text == "=" || text == "<<") return true;
  for (std::string_view word : {"null", "true", "false", "yes", "no", "on", "off", "y", "n"})
    if (equals_any_case(text, word)) return true;
  // Numbers and timestamps start with a digit or a dot, after an optional sign.
  std::size_t i = text[0] == '-' || text[0] == '+' ? 1 : 0;
  if (i >= text.size() || !((text[i] >= '0' && text[i] <= '9') || text[i] == '.')) return false;
  // YAML 1.1's int and float (binary, octal, hex, sexagesimal, .inf, .nan) and
  // YAML 1.2 core's, and anything that starts like a 1.1 timestamp.
  static const std::regex number_or_time(
      "[-+]?(0b[01_]+|0[0-7_]+|0|[1-9][0-9_]*|0x[0-9a-fA-F_]+|0o[0-7]+|[0-9]+|[1-9][0-9_]*(:[0-5]?[0-9])+)"
      "|[-+]?([0-9][0-9_]*)?\\.[0-9_]*([eE][-+]?[0-9]+)?|[-+]?[0-9]+([eE][-+]?[0-9]+)"
      "|[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\\.[0-9_]*|[-+]?\\.(inf|Inf|INF)|\\.(nan|NaN|NAN)"
      "|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt ].*)?",
      std::regex::optimize);
  return std::regex_match(text.begin(), text.end(), number_or_time);
}

std::string valid_utf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    std::size_t n = utf8_length(text, i);
    if (n == 0) {
      out += "\xef\xbf\xbd";
      ++i;
      continue;
    }
    out.append(text, i, n);
    i += n;
  }
  return out;
}

struct YamlWriter::Emitter {
  yaml_emitter_t emitter{};
  std::string* out = nullptr;
  bool stream_started = false;

  Emitter() {
    if (!yaml_emitter_initialize(&emitter)) throw std::bad_alloc();
    yaml_emitter_set_output(&emitter, &Emitter::write, this);
    yaml_emitter_set_unicode(&emitter, 1);
    yaml_emitter_set_width(&emitter, -1);  // never fold a long value over lines
    yaml_emitter_set_indent(&emitter, 2);
  }
  ~Emitter() { yaml_emitter_delete(&emitter); }

  static int write(void* data, unsigned char* buffer, size_t size) {
    auto* self = static_cast<Emitter*>(data);
    if (self->out) self->out->append(reinterpret_cast<const char*>(buffer), size);
    return 1;
  }

  // The events are built from text ig checked, so a refusal is a bug in the caller's
  // nesting, never an input error.
  void emit(int initialized, yaml_event_t& event) {
    if (!initialized) throw std::logic_error("yaml: cannot build the event");
    if (!yaml_emitter_emit(&emitter, &event))
      throw std::logic_error(std::string("yaml: ") + (emitter.problem ? emitter.problem : "emitter error"));
  }

  // Build an event with libyaml's `initialize(&event, args...)` and emit it.
  template <class Initialize, class... Args>
  void event(Initialize initialize, Args... args) {
    yaml_event_t built;
    emit(initialize(&built, args...), built);
  }

  void scalar(std::string_view text, bool plain) {
    yaml_event_t event;
    emit(yaml_scalar_event_initialize(&event, nullptr, nullptr,
                                      reinterpret_cast<yaml_char_t*>(const_cast<char*>(text.data())),
                                      static_cast<int>(text.size()), plain, 1,
                                      YAML_ANY_SCALAR_STYLE),
         event);
  }
};

YamlWriter::YamlWriter() : emitter_(std::make_unique<Emitter>()) {}
YamlWriter::~YamlWriter() = default;
YamlWriter::YamlWriter(YamlWriter&&) noexcept = default;
YamlWriter& YamlWriter::operator=(YamlWriter&&) noexcept = default;

YamlWriter& YamlWriter::begin_document(std::string& out) {
  Emitter& e = *emitter_;
  e.out = &out;
  if (!e.stream_started) {
    e.event(yaml_stream_start_event_initialize, YAML_UTF8_ENCODING);
    e.stream_started = true;
  }
  e.event(yaml_document_start_event_initialize, nullptr, nullptr, nullptr, 0);  // explicit: `---`
  return *this;
}

YamlWriter& YamlWriter::end_document() {
  Emitter& e = *emitter_;
  e.event(yaml_document_end_event_initialize, 1);
  yaml_emitter_flush(&e.emitter);
  e.out = nullptr;
  return *this;
}

YamlWriter& YamlWriter::begin_object() {
  emitter_->event(yaml_mapping_start_event_initialize, nullptr, nullptr, 1, YAML_BLOCK_MAPPING_STYLE);
  return *this;
}

YamlWriter& YamlWriter::end_object() {
  emitter_->event(yaml_mapping_end_event_initialize);
  return *this;
}

YamlWriter& YamlWriter::begin_array() {
  emitter_->event(yaml_sequence_start_event_initialize, nullptr, nullptr, 1, YAML_BLOCK_SEQUENCE_STYLE);
  return *this;
}

YamlWriter& YamlWriter::end_array() {
  emitter_->event(yaml_sequence_end_event_initialize);
  return *this;
}

YamlWriter& YamlWriter::string(std::string_view value) {
  std::string text = valid_utf8(value);
  emitter_->scalar(text, !yaml_plain_is_not_string(text));
  return *this;
}

YamlWriter& YamlWriter::raw(std::string_view json) {
  emitter_->scalar(json, true);
  return *this;
}

}  // namespace ig::host
