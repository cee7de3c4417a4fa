// `ig run` arguments: ig's own options plus the parameters the plugin declares.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <ig/result.h>
#include <ig/schema.h>

#include "output/record_formatter.h"
#include "runtime/param_values.h"  // parse_duration, normalize_param

namespace ig::host {

struct RunOptions {
  std::string gadget;
  std::map<std::string, std::string> params;  // normalised; every declared parameter
  OutputFormat output = OutputFormat::Columns;
  std::vector<std::string> fields;
  std::string filter;        // --filter, parsed against the description by the caller
  bool include_ig = false;   // keep the records of ig's own processes
  std::optional<std::chrono::nanoseconds> timeout;
  std::optional<std::string> name;  // set when --name was given, even empty
  bool detach = false;
  bool help = false;
  bool verbose = false;
};

// "a,b,,c" → {a, b, c}.
std::vector<std::string> split_commas(const std::string& text);

// The gadget token: the first argument that is not an option or an option's value.
// Empty when there is none.
std::string find_gadget_token(const std::vector<std::string>& args);
// Its position in `args`, if any.
std::optional<std::size_t> find_gadget_index(const std::vector<std::string>& args);

// Parse everything after `ig run`, given the plugin's description.
Result<RunOptions> parse_run_options(const std::vector<std::string>& args, const Description& description);

// What `ig run NAME --help` and `ig gadgets -o json` call each type: "uint", "duration",
// "u32", "errno", ...
const char* param_type_name(ParamType type);
const char* field_type_name(FieldType type);

// ig run's own options, for `ig run --help`.
std::string run_options_help();

// `ig run NAME --help`: parameters and the meaning of every column.
std::string run_help(const Description& description);

}  // namespace ig::host
