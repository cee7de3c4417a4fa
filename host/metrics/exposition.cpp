#include "metrics/exposition.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>

namespace ig::host {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// Length of the valid UTF-8 sequence at `s[i]`, or 0 when it is not one
// (overlong forms, surrogates and code points above U+10FFFF are not).
std::size_t utf8_sequence(std::string_view s, std::size_t i) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = byte(i);
  if (c < 0x80) return 1;
  std::size_t length;
  std::uint32_t cp;
  if ((c & 0xE0) == 0xC0) {
    length = 2;
    cp = c & 0x1F;
  } else if ((c & 0xF0) == 0xE0) {
    length = 3;
    cp = c & 0x0F;
  } else if ((c & 0xF8) == 0xF0) {
    length = 4;
    cp = c & 0x07;
  } else {
    return 0;
  }
  if (i + length > s.size()) return 0;
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  static constexpr std::uint32_t kMinimum[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMinimum[length] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return length;
}

void append_escaped(std::string& out, std::string_view text, bool quotes) {
  // Most values are plain ASCII with nothing to escape: copy them at once.
  bool plain = std::all_of(text.begin(), text.end(), [quotes](char c) {
    return static_cast<unsigned char>(c) < 0x80 && c != '\\' && c != '\n' && !(quotes && c == '"');
  });
  if (plain) {
    out.append(text);
    return;
  }
  for (std::size_t i = 0; i < text.size();) {
    char c = text[i];
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '"' && quotes) {
      out += "\\\"";
    } else {
      std::size_t n = utf8_sequence(text, i);
      if (n == 0) {
        out += kReplacement;
        ++i;
        continue;
      }
      out.append(text.substr(i, n));
      i += n;
      continue;
    }
    ++i;
  }
}

std::string escape(std::string_view text, bool quotes) {
  std::string out;
  out.reserve(text.size());
  append_escaped(out, text, quotes);
  return out;
}

bool name_char(char c, bool first, bool colon) {
  bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (colon && c == ':');
  return letter || (!first && c >= '0' && c <= '9');
}

bool valid_name(std::string_view name, bool colon) {
  if (name.empty()) return false;
  for (std::size_t i = 0; i < name.size(); ++i)
    if (!name_char(name[i], i == 0, colon)) return false;
  return true;
}

}  // namespace

std::string escape_label_value(std::string_view value) { return escape(value, true); }

std::string escape_help(std::string_view help) { return escape(help, false); }

std::string format_value(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  char buf[32];
  constexpr double kExact = 9007199254740992.0;  // 2^53
  std::to_chars_result r;
  if (value == std::trunc(value) && std::fabs(value) <= kExact)
    r = std::to_chars(buf, buf + sizeof(buf), static_cast<std::int64_t>(value));
  else
    r = std::to_chars(buf, buf + sizeof(buf), value);
  return std::string(buf, r.ptr);
}

bool valid_metric_name(std::string_view name) { return valid_name(name, true); }

bool valid_label_name(std::string_view name) { return valid_name(name, false) && !name.starts_with("__"); }

void render_family(std::string& out, const MetricFamily& family) {
  out += "# HELP ";
  out += family.name;
  out += ' ';
  append_escaped(out, family.help, false);
  out += "\n# TYPE ";
  out += family.name;
  out += family.type == MetricType::Counter ? " counter\n" : " gauge\n";
  for (const MetricSample& sample : family.samples) {
    out += family.name;
    if (!sample.labels.empty()) {
      out += '{';
      for (std::size_t i = 0; i < sample.labels.size(); ++i) {
        if (i) out += ',';
        out += sample.labels[i].name;
        out += "=\"";
        append_escaped(out, sample.labels[i].value, true);
        out += '"';
      }
      out += '}';
    }
    out += ' ';
    out += format_value(sample.value);
    out += '\n';
  }
}

void render_families(std::string& out, const std::vector<MetricFamily>& families) {
  for (const MetricFamily& family : families) render_family(out, family);
}

}  // namespace ig::host
