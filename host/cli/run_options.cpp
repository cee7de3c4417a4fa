#include "cli/run_options.h"

#include <boost/program_options.hpp>
#include <sstream>

#include "cli/command_options.h"
#include "cli/ig_exclusion.h"
#include "output/record_filter.h"

namespace po = boost::program_options;

namespace ig::host {
namespace {

po::options_description host_options() {
  po::options_description d("ig run options");
  d.add_options()
      ("name", po::value<std::string>(), "instance name (^[a-z0-9_-]{1,32}$)")
      ("detach", po::bool_switch(), "run in the daemon and return once attached")
      ("output,o", po::value<std::string>()->default_value("columns"),
       "columns, json (a line per event), jsonpretty (indented) or yaml (a document per event); the same keys in all "
       "three")
      ("fields", po::value<std::string>(), "comma-separated columns to show, in order")
      ("filter", po::value<std::string>()->value_name("FILTER"), std::string(filter_help()).c_str())
      ("include-ig", po::bool_switch(), std::string(include_ig_help()).c_str())
      ("timeout", po::value<std::string>(), "stop after this long (e.g. 5, 500ms, 2m)")
      ("verbose,v", po::bool_switch(), "debug logging in this client (the daemon logs libbpf with 'ig daemon -v')")
      ("help,h", po::bool_switch(), "show this help");
  return d;
}

}  // namespace

const char* param_type_name(ParamType type) {
  switch (type) {
    case ParamType::Bool: return "bool";
    case ParamType::Int: return "int";
    case ParamType::Uint: return "uint";
    case ParamType::String: return "string";
    case ParamType::Duration: return "duration";
  }
  return "?";
}

const char* field_type_name(FieldType type) {
  switch (type) {
    case FieldType::U32: return "u32";
    case FieldType::I32: return "i32";
    case FieldType::U64: return "u64";
    case FieldType::I64: return "i64";
    case FieldType::Bool: return "bool";
    case FieldType::String: return "string";
    case FieldType::StringList: return "list";
    case FieldType::Errno: return "errno";
    case FieldType::Timestamp: return "time";
    case FieldType::Flags: return "flags";
    case FieldType::Octal: return "octal";
    case FieldType::F64: return "float";
  }
  return "?";
}

std::optional<std::size_t> find_gadget_index(const std::vector<std::string>& args) {
  const po::options_description options = host_options();
  // `--name x` and `-o json` take the next argument; `--output=json` and `-ojson` do not.
  auto takes_next = [&](const std::string& arg) {
    const po::option_description* option = options.find_nothrow(arg.starts_with("--") ? arg.substr(2) : arg, false);
    return option && option->semantic()->max_tokens() > 0;
  };
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--") return i + 1 < args.size() ? std::optional(i + 1) : std::nullopt;
    if (!a.starts_with("-") || a == "-") return i;
    if (takes_next(a)) ++i;
  }
  return std::nullopt;
}

std::string find_gadget_token(const std::vector<std::string>& args) {
  auto index = find_gadget_index(args);
  return index ? args[*index] : "";
}

Result<RunOptions> parse_run_options(const std::vector<std::string>& args, const Description& d) {
  po::options_description all = host_options();
  po::options_description gadget_opts("parameters");
  for (const Param& p : d.params) {
    auto* value = po::value<std::string>();
    if (p.type == ParamType::Bool) value->implicit_value("true");
    gadget_opts.add_options()(p.name.c_str(), value, p.help.c_str());
  }
  all.add(gadget_opts);
  // The gadget token comes out first, so a switch before it (`--failed trace_open`)
  // cannot take it as its value; anything else positional is an error.
  auto gadget_index = find_gadget_index(args);
  if (!gadget_index) return make_error("no gadget given; usage: ig run GADGET [options]");
  std::vector<std::string> rest = args;
  rest.erase(rest.begin() + static_cast<std::ptrdiff_t>(*gadget_index));
  if (*gadget_index > 0 && rest[*gadget_index - 1] == "--") rest.erase(rest.begin() + static_cast<std::ptrdiff_t>(*gadget_index - 1));
  po::options_description positional_opt;
  positional_opt.add_options()("unexpected", po::value<std::vector<std::string>>());
  all.add(positional_opt);
  po::positional_options_description positional;
  positional.add("unexpected", -1);

  po::variables_map vm;
  try {
    po::store(po::command_line_parser(rest).options(all).positional(positional).style(kCommandLineStyle).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    return make_error(parse_error_message(e, d.name, "ig run " + d.name + " --help"));
  }

  RunOptions o;
  o.gadget = args[*gadget_index];
  if (vm.count("unexpected"))
    return make_error("unexpected argument '" + vm["unexpected"].as<std::vector<std::string>>()[0] +
                      "'; parameters are options, see 'ig run " + d.name + " --help'");
  o.help = vm["help"].as<bool>();
  o.verbose = vm["verbose"].as<bool>();
  o.detach = vm["detach"].as<bool>();
  if (vm.count("name")) o.name = vm["name"].as<std::string>();
  auto format = parse_output_format(vm["output"].as<std::string>());
  if (!format) return format.error();
  o.output = format.value();
  if (vm.count("fields")) o.fields = split_commas(vm["fields"].as<std::string>());
  if (vm.count("filter")) o.filter = vm["filter"].as<std::string>();
  o.include_ig = vm["include-ig"].as<bool>();
  if (vm.count("timeout")) {
    auto timeout = parse_duration(vm["timeout"].as<std::string>());
    if (!timeout) return make_error(timeout.error().message + " for '--timeout'");
    o.timeout = timeout.value();
  }
  for (const Param& p : d.params) {
    auto value = param_value(p, vm.count(p.name) ? vm[p.name].as<std::string>() : p.default_value);
    if (!value) return value.error();
    o.params[p.name] = value.value();
  }
  return o;
}

std::string run_options_help() {
  std::ostringstream out;
  out << host_options();
  return out.str();
}

std::string run_help(const Description& d) {
  std::ostringstream out;
  out << "Usage: ig run " << d.name << " [options]\n\n" << d.summary << " (version " << d.version << ")\n\n";
  out << "Parameters:\n";
  if (d.params.empty()) out << "  (none)\n";
  for (const Param& p : d.params) {
    out << help_row("--" + p.name + (p.type == ParamType::Bool ? "" : " " + std::string(param_type_name(p.type))), p.help,
                    22);
    if (!p.default_value.empty() && p.type != ParamType::Bool) out << " (default " << p.default_value << ")";
    out << "\n";
  }
  out << "\nColumns:\n";
  for (const Field& f : d.fields) {
    out << help_row(f.name + " (" + field_type_name(f.type) + ")", f.help, 22)
        << (f.hidden ? " [json only unless named in --fields]" : "") << "\n";
  }
  out << "\n" << host_options();
  return out.str();
}

std::vector<std::string> split_commas(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, ',');)
    if (!item.empty()) out.push_back(item);
  return out;
}

}  // namespace ig::host
