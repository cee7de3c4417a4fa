#include "runtime/param_values.h"

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>

namespace ig::host {
namespace {

bool all_digits(const std::string& s, std::size_t from = 0) {
  if (s.size() <= from) return false;
  for (std::size_t i = from; i < s.size(); ++i)
    if (s[i] < '0' || s[i] > '9') return false;
  return true;
}

enum class DurationProblem { None, NotADuration, NotAboveZero, TooLong };

// "500ms", "2s", ... into `out`, or what is wrong with `text`.
DurationProblem read_duration(const std::string& text, std::chrono::nanoseconds& out) {
  static const std::pair<const char*, double> units[] = {
      {"ns", 1}, {"us", 1e3}, {"ms", 1e6}, {"s", 1e9}, {"m", 60e9}, {"h", 3600e9}};
  std::size_t end = 0;
  while (end < text.size() && (std::isdigit(static_cast<unsigned char>(text[end])) || text[end] == '.')) ++end;
  std::string number = text.substr(0, end), unit = text.substr(end);
  double scale = unit.empty() ? 1e9 : 0;
  for (auto [name, factor] : units)
    if (unit == name) scale = factor;
  char* parse_end = nullptr;
  double value = number.empty() ? 0 : std::strtod(number.c_str(), &parse_end);
  if (number.empty() || scale == 0 || *parse_end != '\0' || !std::isfinite(value)) return DurationProblem::NotADuration;
  double ns = value * scale;
  if (ns < 1) return DurationProblem::NotAboveZero;
  if (ns > 1e18) return DurationProblem::TooLong;
  out = std::chrono::nanoseconds(static_cast<std::int64_t>(ns));
  return DurationProblem::None;
}

}  // namespace

Result<std::chrono::nanoseconds> parse_duration(const std::string& text) {
  std::chrono::nanoseconds value{};
  switch (read_duration(text, value)) {
    case DurationProblem::None: return value;
    case DurationProblem::NotADuration: return make_error("invalid duration '" + text + "'; use e.g. 5, 500ms, 2s, 1m");
    case DurationProblem::NotAboveZero: return make_error("invalid duration '" + text + "': it must be positive (above 0)");
    case DurationProblem::TooLong: break;
  }
  return make_error("invalid duration '" + text + "': it must be positive (and under 30 years)");
}

Result<std::string> normalize_param(const Param& param, const std::string& text) {
  const std::string invalid = "invalid value '" + text + "' for '--" + param.name + "'";
  auto bad = [&](const std::string& expected) { return make_error(invalid + ": expected " + expected); };
  switch (param.type) {
    case ParamType::Bool:
      if (text == "true" || text == "1" || text == "yes") return std::string("true");
      if (text == "false" || text == "0" || text == "no") return std::string("false");
      return bad("true or false");
    case ParamType::Uint: {
      if (!all_digits(text)) return bad("an unsigned integer, e.g. --" + param.name + " 1234");
      errno = 0;
      unsigned long long v = std::strtoull(text.c_str(), nullptr, 10);
      if (errno == ERANGE) return bad("an unsigned integer below 2^64");
      return std::to_string(v);
    }
    case ParamType::Int: {
      if (!all_digits(text, text.starts_with("-") ? 1 : 0)) return bad("an integer, e.g. --" + param.name + " 10");
      errno = 0;
      long long v = std::strtoll(text.c_str(), nullptr, 10);
      if (errno == ERANGE) return bad("an integer in 64 bits");
      return std::to_string(v);
    }
    case ParamType::Duration: {
      std::chrono::nanoseconds d{};
      switch (read_duration(text, d)) {
        case DurationProblem::None: return std::to_string(d.count());
        case DurationProblem::NotADuration: return bad("a duration, e.g. 500ms, 2s, 1m");
        case DurationProblem::NotAboveZero: return make_error(invalid + ": the duration must be above 0");
        case DurationProblem::TooLong: return make_error(invalid + ": the duration must be under 30 years");
      }
      return bad("a duration");
    }
    case ParamType::String: return text;
  }
  return bad("a value");
}

Result<std::string> param_value(const Param& param, const std::string& text) {
  if (text.empty() && param.type != ParamType::Bool) return std::string();
  return normalize_param(param, text.empty() ? "false" : text);
}

namespace {

// `value` as the daemon keeps it, or why not.
Result<void> check_canonical(const Param& param, const std::string& value) {
  if (value.empty() && param.type != ParamType::Bool) return {};
  const std::string invalid = "invalid value '" + value + "' for '--" + param.name + "'";
  if (param.type == ParamType::Duration) {
    std::chrono::nanoseconds ns{};
    if (!all_digits(value) || read_duration(value + "ns", ns) != DurationProblem::None)
      return make_error(invalid + ": expected a duration in nanoseconds above 0, e.g. 500000000");
    return {};
  }
  auto normal = normalize_param(param, value);
  if (!normal) return normal.error();
  if (normal.value() != value) return make_error(invalid + ": expected its canonical form '" + normal.value() + "'");
  return {};
}

}  // namespace

Result<std::map<std::string, std::string>> check_canonical_params(const Description& description,
                                                                  const std::map<std::string, std::string>& params) {
  std::map<std::string, std::string> checked = params;
  for (const Param& p : description.params) {
    if (auto given = params.find(p.name); given != params.end()) {
      if (auto ok = check_canonical(p, given->second); !ok) return ok.error();
      continue;
    }
    auto value = param_value(p, p.default_value);
    if (!value) return value.error();
    checked[p.name] = value.value();
  }
  return checked;
}

}  // namespace ig::host
