// A command's own options, parsed with program_options: `--help` comes with every
// command, words that are not options are its operands, and every parse error is one
// line that points at the command's help.
#pragma once

#include <cstddef>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/program_options/cmdline.hpp>
#include <boost/program_options/errors.hpp>
#include <boost/program_options/options_description.hpp>
#include <boost/program_options/variables_map.hpp>

#include <ig/result.h>

namespace ig::host {

// No abbreviations: `--out` is not `--output`, so adding an option never changes what
// an existing command line means.
inline constexpr int kCommandLineStyle =
    boost::program_options::command_line_style::default_style & ~boost::program_options::command_line_style::allow_guessing;

// Help lines as wide as ig's other help text, not program_options' 80 columns.
inline constexpr unsigned kHelpLineLength = 100;

struct ParsedCommand {
  boost::program_options::variables_map options;
  std::vector<std::string> operands;  // in order; after `--`, even words starting with '-'
  bool help = false;
};

class CommandOptions {
 public:
  static constexpr std::size_t kAnyNumber = std::numeric_limits<std::size_t>::max();

  // `usage` without "Usage: ", e.g. "ig list [-o columns|json]".
  CommandOptions(std::string command, std::string usage, std::string about, std::size_t max_operands = 0);

  boost::program_options::options_description_easy_init add() { return options_.add_options(); }
  // A group of options with its own caption in the help.
  void add(const boost::program_options::options_description& group) { options_.add(group); }

  Result<ParsedCommand> parse(const std::vector<std::string>& args) const;
  // parse() for a command's first step: on --help print the help, on an error print
  // the error, and return the exit code that ends the command; nothing: carry on.
  std::optional<int> parse_or_exit(const std::vector<std::string>& args, ParsedCommand& parsed) const;
  // "Usage: ...", what the command does, and its options.
  std::string help() const;
  const std::string& usage() const { return usage_; }

 private:
  std::string command_;
  std::string usage_;
  std::string about_;
  std::size_t max_operands_;
  boost::program_options::options_description options_;
};

// `-o/--output FORMAT`, default columns (see parse_output_format).
void add_output_option(CommandOptions& options);

// A help line's text after two spaces and `left` padded to `width` (at least one space).
std::string help_row(std::string_view left, std::string_view text, std::size_t width);

// One line for a program_options error: an unknown option names `subject`; every
// message ends by pointing at `help_command`.
std::string parse_error_message(const boost::program_options::error& e, std::string_view subject,
                                std::string_view help_command);

}  // namespace ig::host
