// One object per item, in the structured -o formats: a JSON line each (json), indented
// JSON objects one after another (jsonpretty) or a YAML document each (yaml). What
// `ig list`, `ig gadgets` and `ig version` print; `write(writer, item)` writes one
// object with either writer (JsonWriter or YamlWriter), so the keys are the same.
#pragma once

#include <string>

#include "output/json_writer.h"
#include "output/record_formatter.h"
#include "output/yaml_writer.h"

namespace ig::host {

template <class Items, class Write>
std::string write_objects(const Items& items, OutputFormat format, Write write) {
  std::string out;
  if (format == OutputFormat::Yaml) {
    YamlWriter yaml;
    for (const auto& item : items) {
      yaml.begin_document(out);
      write(yaml, item);
      yaml.end_document();
    }
    return out;
  }
  const JsonStyle style = format == OutputFormat::JsonPretty ? JsonStyle::Pretty : JsonStyle::Compact;
  for (const auto& item : items) {
    JsonWriter json(out, style);
    write(json, item);
    out += '\n';
  }
  return out;
}

}  // namespace ig::host
