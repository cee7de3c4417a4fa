#include "output/record_filter.h"

#include <regex.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <optional>

#include "output/field_value.h"

namespace ig::host {
namespace {

enum class Op { Eq, Ne, Ge, Le, Gt, Lt, Match, NoMatch };
enum class Compare { Integer, Real, Text };

struct OpName {
  std::string_view text;
  Op op;
};
// Longest first, so `>=` is not read as `>` followed by a value starting with '='.
constexpr std::array<OpName, 8> kOps = {{{"==", Op::Eq},
                                         {"!=", Op::Ne},
                                         {">=", Op::Ge},
                                         {"<=", Op::Le},
                                         {"!~", Op::NoMatch},
                                         {">", Op::Gt},
                                         {"<", Op::Lt},
                                         {"~", Op::Match}}};
constexpr std::string_view kOpList = "==, !=, >=, <=, >, <, ~ (regex) or !~";

struct RegexFree {
  void operator()(regex_t* regex) const {
    regfree(regex);
    delete regex;
  }
};
using Regex = std::unique_ptr<regex_t, RegexFree>;

template <class T>
bool holds(Op op, const T& value, const T& wanted) {
  switch (op) {
    case Op::Eq: return value == wanted;
    case Op::Ne: return value != wanted;
    case Op::Ge: return value >= wanted;
    case Op::Le: return value <= wanted;
    case Op::Gt: return value > wanted;
    case Op::Lt: return value < wanted;
    default: return false;
  }
}

// Terms split at commas; `\,` is a comma inside a value.
std::vector<std::string> split_terms(std::string_view text) {
  std::vector<std::string> terms(1);
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 1 < text.size() && text[i + 1] == ',') {
      terms.back() += ',';
      ++i;
    } else if (text[i] == ',') {
      terms.emplace_back();
    } else {
      terms.back() += text[i];
    }
  }
  std::erase_if(terms, [](const std::string& t) { return t.empty(); });
  return terms;
}

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// An integer in `base` (decimal also takes 0x for hex, octal an optional 0o), signed.
std::optional<__int128> parse_integer(std::string_view text, int base) {
  bool negative = !text.empty() && text[0] == '-';
  if (!text.empty() && (text[0] == '-' || text[0] == '+')) text.remove_prefix(1);
  if (base == 10 && (text.starts_with("0x") || text.starts_with("0X"))) {
    base = 16;
    text.remove_prefix(2);
  } else if (base == 8 && text.starts_with("0o")) {
    text.remove_prefix(2);
  }
  if (text.empty() || text.size() > 30) return std::nullopt;  // 30 digits: far from overflowing 128 bits
  __int128 value = 0;
  for (char c : text) {
    int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : 99;
    if (digit >= base) return std::nullopt;
    value = value * base + digit;
  }
  return negative ? -value : value;
}

std::string column_names(const Description& d) {
  std::string names;
  for (const Field& f : d.fields) names += (names.empty() ? "" : ",") + f.name;
  return names;
}

}  // namespace

struct RecordFilter::Condition {
  Field field;
  Op op = Op::Eq;
  Compare compare = Compare::Text;
  std::string text;
  __int128 integer = 0;
  double real = 0;
  Regex regex;
};

namespace {

Result<RecordFilter::Condition> parse_term(const std::string& term, const Description& d) {
  auto bad = [&](const std::string& why) { return make_error("invalid --filter term '" + term + "': " + why); };
  std::size_t name_end = 0;
  while (name_end < term.size() && is_name_char(term[name_end])) ++name_end;
  std::string name = term.substr(0, name_end);
  if (name.empty()) return bad("it must start with a column name, e.g. comm==nginx");
  auto field = std::find_if(d.fields.begin(), d.fields.end(), [&](const Field& f) { return f.name == name; });
  if (field == d.fields.end())
    return make_error("unknown column '" + name + "' in --filter '" + term + "'; valid columns: " + column_names(d));

  std::string_view rest = std::string_view(term).substr(name_end);
  auto op = std::find_if(kOps.begin(), kOps.end(), [&](const OpName& o) { return rest.starts_with(o.text); });
  if (op == kOps.end()) {
    std::size_t run = 0;
    while (run < rest.size() && std::string_view("=!<>~").find(rest[run]) != std::string_view::npos) ++run;
    if (run == 0) return bad("no operator after '" + name + "'; use " + std::string(kOpList));
    return bad("unknown operator '" + std::string(rest.substr(0, run)) + "'; use " + std::string(kOpList));
  }

  RecordFilter::Condition c;
  c.field = *field;
  c.op = op->op;
  c.text = std::string(rest.substr(op->text.size()));
  if (c.op == Op::Match || c.op == Op::NoMatch) {
    c.regex.reset(new regex_t);
    if (int rc = regcomp(c.regex.get(), c.text.c_str(), REG_EXTENDED | REG_NOSUB); rc != 0) {
      char why[256];
      regerror(rc, c.regex.get(), why, sizeof(why));
      delete c.regex.release();  // regcomp failed: nothing to regfree
      return make_error("invalid regular expression '" + c.text + "' in --filter term '" + term + "': " + why);
    }
    return c;
  }
  if (is_integer_field(c.field)) {
    auto value = parse_integer(c.text, c.field.type == FieldType::Octal ? 8 : 10);
    if (!value)
      return bad("'" + name + "' is " + (c.field.type == FieldType::Octal ? "an octal number" : "an integer") +
                 "; compare it with one, or match its text with ~");
    c.compare = Compare::Integer;
    c.integer = *value;
  } else if (c.field.type == FieldType::F64) {
    char* end = nullptr;
    c.real = std::strtod(c.text.c_str(), &end);
    if (c.text.empty() || *end != '\0' || !std::isfinite(c.real))
      return bad("'" + name + "' is a number; compare it with one, or match its text with ~");
    c.compare = Compare::Real;
  } else if (c.field.type == FieldType::Bool) {
    if (c.op != Op::Eq && c.op != Op::Ne) return bad("'" + name + "' is true or false; use == or !=");
    if (c.text != "true" && c.text != "false") return bad("'" + name + "' is true or false");
  }
  return c;
}

}  // namespace

RecordFilter::RecordFilter() : boot_to_realtime_ns_(boot_to_realtime()) {}
RecordFilter::RecordFilter(RecordFilter&&) noexcept = default;
RecordFilter& RecordFilter::operator=(RecordFilter&&) noexcept = default;
RecordFilter::~RecordFilter() = default;

Result<RecordFilter> RecordFilter::parse(std::string_view text, const Description& description) {
  RecordFilter filter;
  for (const std::string& term : split_terms(text)) {
    auto condition = parse_term(term, description);
    if (!condition) return condition.error();
    filter.conditions_.push_back(std::move(condition).value());
  }
  return filter;
}

bool RecordFilter::exclude(const Description& description, std::string_view column, std::int64_t value) {
  auto field = std::find_if(description.fields.begin(), description.fields.end(),
                            [&](const Field& f) { return f.name == column && is_integer_field(f); });
  if (field == description.fields.end()) return false;
  Condition c;
  c.field = *field;
  c.op = Op::Ne;
  c.compare = Compare::Integer;
  c.integer = value;
  conditions_.push_back(std::move(c));
  return true;
}

bool RecordFilter::matches(const void* record, std::size_t size) const {
  const auto* base = static_cast<const unsigned char*>(record);
  for (const Condition& c : conditions_) {
    if (!field_present(c.field, size)) return false;
    bool ok = false;
    if (c.regex) {
      field_text(c.field, base, size, TextStyle::Full, boot_to_realtime_ns_, scratch_);
      ok = (regexec(c.regex.get(), scratch_.c_str(), 0, nullptr, 0) == 0) == (c.op == Op::Match);
    } else if (c.compare == Compare::Integer) {
      ok = holds(c.op, field_integer(c.field, base), c.integer);
    } else if (c.compare == Compare::Real) {
      ok = holds(c.op, field_real(c.field, base), c.real);
    } else {
      field_text(c.field, base, size, TextStyle::Full, boot_to_realtime_ns_, scratch_);
      ok = holds(c.op, std::string_view(scratch_), std::string_view(c.text));
    }
    if (!ok) return false;
  }
  return true;
}

std::string_view filter_help() {
  return "show only records where every comma-separated COLUMN OP VALUE holds, e.g. 'comm==nginx,fd>=0'. OP: ==, "
         "!=, >=, <=, >, <, ~ (VALUE is a POSIX extended regex found anywhere in the column's text), !~ (not found). "
         "Integer columns and floats compare as numbers (mode in octal); every other column compares as the text "
         "-o json shows: errors by name (error==ENOENT; error== for success), flags by name (flags~O_CREAT), "
         "timestamps as UTC 2024-01-02T03:04:05.123456789Z (so timestamp>=2024-01-02T03:04 works). '\\,' is a comma "
         "in a VALUE";
}

}  // namespace ig::host
