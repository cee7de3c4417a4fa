#include "output/record_formatter.h"

#include <algorithm>
#include <cctype>

#include "output/json_writer.h"
#include "output/yaml_writer.h"

namespace ig::host {
namespace {

constexpr std::string_view kEllipsis = "\xe2\x80\xa6";  // …, one column wide

std::size_t default_width(const Field& f) {
  switch (f.type) {
    case FieldType::U32:
    case FieldType::I32: return 7;
    case FieldType::U64:
    case FieldType::I64: return 12;
    case FieldType::Bool: return 5;
    case FieldType::String: return std::min<std::size_t>(std::max<std::size_t>(f.size, 8), 16);
    case FieldType::StringList: return 0;
    case FieldType::Errno: return 8;
    case FieldType::Timestamp: return 15;
    case FieldType::Flags: return 16;
    case FieldType::Octal: return 6;
    case FieldType::F64: return 6;
  }
  return 8;
}

// Text wider than its column ends in '…' at the column's edge, so the columns after it
// stay aligned; `shown` is then its width on screen. A number is never cut (a cut
// number would be a wrong one): it pushes the rest of its line right.
std::size_t fit_to_column(std::string& text, std::size_t width) {
  if (text.size() <= width || width < 2) return text.size();
  std::size_t keep = width - 1;
  while (keep > 0 && (static_cast<unsigned char>(text[keep]) & 0xc0) == 0x80) --keep;  // a whole UTF-8 character
  text.resize(keep);
  text += kEllipsis;
  return keep + 1;
}

// Numbers align right, text left; the last column is never padded.
void append_cell(std::string& out, const std::string& text, std::size_t shown, std::size_t width, bool right,
                 bool first, bool last) {
  if (!first) out += ' ';
  std::size_t pad = width > shown ? width - shown : 0;
  if (right) out.append(pad, ' ');
  out += text;
  if (!right && !last) out.append(pad, ' ');
}

std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

void write_key(JsonWriter& json, const std::string& prepared, const Field&) { json.prepared_key(prepared); }
void write_key(YamlWriter& yaml, const std::string&, const Field& f) { yaml.key(f.name); }

}  // namespace

Result<OutputFormat> parse_output_format(const std::string& text) {
  if (text == "columns") return OutputFormat::Columns;
  if (text == "json") return OutputFormat::Json;
  if (text == "jsonpretty") return OutputFormat::JsonPretty;
  if (text == "yaml") return OutputFormat::Yaml;
  return make_error("invalid output format '" + text + "'; use -o " + kOutputFormatNames);
}

RecordFormatter::RecordFormatter(OutputFormat format, std::vector<Field> fields)
    : format_(format), fields_(std::move(fields)), boot_to_realtime_ns_(boot_to_realtime()) {
  for (std::size_t i = 0; i < fields_.size(); ++i) {
    const Field& f = fields_[i];
    std::size_t width = f.width ? f.width : default_width(f);
    if (f.max_width) width = std::min<std::size_t>(width, f.max_width);
    widths_.push_back(std::max(width, f.name.size()));
    json_keys_.push_back(JsonWriter::prepare_key(f.name));
  }
  if (format_ == OutputFormat::Yaml) yaml_ = std::make_unique<YamlWriter>();
}

RecordFormatter::RecordFormatter(RecordFormatter&&) noexcept = default;
RecordFormatter& RecordFormatter::operator=(RecordFormatter&&) noexcept = default;
RecordFormatter::~RecordFormatter() = default;

Result<RecordFormatter> RecordFormatter::create(const Description& description, OutputFormat format,
                                                const std::vector<std::string>& names) {
  std::vector<Field> chosen;
  if (names.empty()) {
    for (const Field& f : description.fields)
      if (!f.hidden || format != OutputFormat::Columns) chosen.push_back(f);
  } else {
    for (const std::string& name : names) {
      auto it = std::find_if(description.fields.begin(), description.fields.end(),
                             [&](const Field& f) { return f.name == name; });
      if (it == description.fields.end()) {
        std::string valid;
        for (const Field& f : description.fields) valid += (valid.empty() ? "" : ",") + f.name;
        return make_error("unknown field '" + name + "' for '" + description.name + "'; valid fields: " + valid);
      }
      chosen.push_back(*it);
    }
  }
  return RecordFormatter(format, std::move(chosen));
}

std::string RecordFormatter::header() const {
  if (format_ != OutputFormat::Columns) return "";
  std::string out;
  for (std::size_t i = 0; i < fields_.size(); ++i) {
    std::string name = upper(fields_[i].name);
    append_cell(out, name, name.size(), widths_[i], is_number_field(fields_[i]), i == 0, i + 1 == fields_.size());
  }
  return out;
}

template <class Writer>
void RecordFormatter::write_object(Writer& writer, const unsigned char* base, std::size_t size) const {
  std::string& text = scratch_;  // reused: no allocation per field once it has grown
  writer.begin_object();
  for (std::size_t i = 0; i < fields_.size(); ++i) {
    const Field& f = fields_[i];
    write_key(writer, json_keys_[i], f);
    if (!field_present(f, size)) {
      writer.raw("null");
    } else if (f.type == FieldType::StringList) {
      writer.begin_array();
      for (const std::string& item : field_list(f, base, size)) writer.string(item);
      writer.end_array();
    } else {
      field_text(f, base, size, TextStyle::Full, boot_to_realtime_ns_, text);
      if (is_bare_json(f))
        writer.raw(text);
      else
        writer.string(text);
    }
  }
  writer.end_object();
}

void RecordFormatter::append_columns(const unsigned char* base, std::size_t size, std::string& out) const {
  std::string& text = scratch_;
  for (std::size_t i = 0; i < fields_.size(); ++i) {
    const Field& f = fields_[i];
    bool last = i + 1 == fields_.size();
    if (field_present(f, size))
      field_text(f, base, size, TextStyle::Columns, boot_to_realtime_ns_, text);
    else
      text.assign(1, '-');  // not `= "-"`: GCC 12 warns falsely (-Wrestrict)
    if (f.max_width && text.size() > f.max_width) text.resize(f.max_width);  // a prefix by design (ids)
    bool number = is_number_field(f);
    std::size_t shown = number || last ? text.size() : fit_to_column(text, widths_[i]);
    append_cell(out, text, shown, widths_[i], number, i == 0, last);
  }
  out += '\n';
}

void RecordFormatter::append(const void* record, std::size_t size, std::string& out) const {
  const auto* base = static_cast<const unsigned char*>(record);
  switch (format_) {
    case OutputFormat::Columns: append_columns(base, size, out); break;
    case OutputFormat::Json: {
      JsonWriter json(out);
      write_object(json, base, size);
      out += '\n';
      break;
    }
    case OutputFormat::JsonPretty: {
      JsonWriter json(out, JsonStyle::Pretty);
      write_object(json, base, size);
      out += '\n';
      break;
    }
    case OutputFormat::Yaml:
      yaml_->begin_document(out);
      write_object(*yaml_, base, size);
      yaml_->end_document();
      break;
  }
}

}  // namespace ig::host
