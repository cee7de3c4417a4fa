#include "output/json_writer.h"

namespace ig::host {

void append_json_escaped(std::string& out, std::string_view text) {
  std::size_t plain = 0;  // runs of bytes that need no escape are appended at once
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\' && c != 0x7f) continue;  // UTF-8 passes through
    out.append(text, plain, i - plain);
    plain = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default: {
        static constexpr char kHex[] = "0123456789abcdef";
        const char escaped[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 15]};
        out.append(escaped, sizeof(escaped));
      }
    }
  }
  out.append(text, plain, text.size() - plain);
}

std::string json_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  append_json_escaped(out, text);
  return out;
}

std::string JsonWriter::prepare_key(std::string_view name) {
  std::string rendered = "\"";
  append_json_escaped(rendered, name);
  rendered += "\":";
  return rendered;
}

}  // namespace ig::host
