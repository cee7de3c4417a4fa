#include "cli/command_options.h"

#include <cstdio>
#include <sstream>

#include <boost/program_options/parsers.hpp>

#include "cli/commands.h"

namespace po = boost::program_options;

namespace ig::host {

void add_output_option(CommandOptions& options) {
  options.add()("output,o", po::value<std::string>()->default_value("columns")->value_name("FORMAT"),
                "columns, json, jsonpretty or yaml");
}

std::string help_row(std::string_view left, std::string_view text, std::size_t width) {
  std::string row = "  " + std::string(left);
  row.append(left.size() < width ? width - left.size() : 1, ' ');
  return row += text;
}

std::string parse_error_message(const po::error& e, std::string_view subject, std::string_view help_command) {
  std::string see = "; see '" + std::string(help_command) + "'";
  if (const auto* unknown = dynamic_cast<const po::unknown_option*>(&e)) {
    std::string option = unknown->get_option_name();
    return "unknown option '" + option.substr(0, option.find('=')) + "' for '" + std::string(subject) + "'" + see;
  }
  return e.what() + see;
}

CommandOptions::CommandOptions(std::string command, std::string usage, std::string about, std::size_t max_operands)
    : command_(std::move(command)),
      usage_(std::move(usage)),
      about_(std::move(about)),
      max_operands_(max_operands),
      options_("Options", kHelpLineLength) {
  options_.add_options()("help,h", "show this help");
}

Result<ParsedCommand> CommandOptions::parse(const std::vector<std::string>& args) const {
  ParsedCommand parsed;
  std::string name = "ig " + command_;
  try {
    auto options = po::command_line_parser(args).options(options_).style(kCommandLineStyle).run();
    po::store(options, parsed.options);
    parsed.operands = po::collect_unrecognized(options.options, po::include_positional);
  } catch (const po::error& e) {
    return make_error(parse_error_message(e, name, name + " --help"));
  }
  parsed.help = parsed.options.count("help") > 0;
  if (!parsed.help && parsed.operands.size() > max_operands_)
    return make_error("unexpected argument '" + parsed.operands[max_operands_] + "'; usage: " + usage_);
  return parsed;
}

std::optional<int> CommandOptions::parse_or_exit(const std::vector<std::string>& args, ParsedCommand& parsed) const {
  auto result = parse(args);
  if (!result) return fail(result.error().message);
  parsed = std::move(result).value();
  if (!parsed.help) return std::nullopt;
  std::fputs(help().c_str(), stdout);
  return 0;
}

std::string CommandOptions::help() const {
  std::ostringstream out;
  out << "Usage: " << usage_ << "\n\n" << about_ << "\n\n" << options_;
  return out.str();
}

}  // namespace ig::host
