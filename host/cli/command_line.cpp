#include "cli/command_line.h"

#include <climits>
#include <sstream>

#include <boost/program_options/parsers.hpp>

#include "cli/command_options.h"
#include "cli/commands.h"
#include "cli/global_options.h"

namespace po = boost::program_options;

namespace ig::host {
namespace {

// Once the command is reached, it and every word after it are positional: what
// follows the command is the command's, even an option that shares a global's name.
std::vector<po::option> command_and_its_arguments(std::vector<std::string>& args) {
  // Two or more words only: program_options also hands each style parser a single
  // word to ask whether an option's value looks like an option, and claiming that
  // word would make `--socket socket` read as a missing value. A last word alone
  // becomes a positional anyway.
  if (args.size() < 2 || args[0].starts_with("-")) return {};
  std::vector<po::option> words;
  for (const std::string& arg : args) {
    po::option word;
    word.value.push_back(arg);
    word.original_tokens.push_back(arg);
    word.position_key = INT_MAX;  // program_options' mark for "never an option's value"
    words.push_back(std::move(word));
  }
  args.clear();
  return words;
}

std::string global_option_names() {
  std::string names;
  for (const GlobalOption& option : global_options()) names += (names.empty() ? "--" : ", --") + std::string(option.name);
  return names;
}

std::string command_names() {
  std::string names;
  for (const Command& command : commands()) names += (names.empty() ? "" : ", ") + std::string(command.name);
  return names;
}

const Command* find_command(std::string_view word) {
  for (const Command& command : commands()) {
    if (command.name == word) return &command;
    for (std::string_view alias : command.aliases)
      if (alias == word) return &command;
  }
  return nullptr;
}

// The global options among a command's own arguments go to `globals`; the rest stay,
// in order.
Result<std::vector<std::string>> take_global_options(const std::string& command, const std::vector<std::string>& args,
                                                     po::variables_map& globals) {
  const po::options_description options = global_options_description();  // outlives `parsed`, which points to it
  try {
    auto parsed = po::command_line_parser(args)
                      .options(options)
                      .style(kCommandLineStyle)
                      .allow_unregistered()
                      .run();
    po::store(parsed, globals);
    if (auto checked = check_global_values(globals); !checked) return checked.error();
    return po::collect_unrecognized(parsed.options, po::include_positional);
  } catch (const po::error& e) {
    return make_error(parse_error_message(e, "ig " + command, "ig " + command + " --help"));
  }
}

}  // namespace

const std::vector<Command>& commands() {
  static const std::vector<Command> table = {
      {.name = "gadgets", .synopsis = "gadgets", .summary = "list the gadgets ig can run", .run = cmd_gadgets},
      {.name = "run",
       .synopsis = "run GADGET [...]",
       .summary = "run a gadget (ig run GADGET --help); --detach keeps it running",
       .run = cmd_run},
      {.name = "list", .aliases = {"ls"}, .synopsis = "list", .summary = "the daemon's instances", .run = cmd_list},
      {.name = "top",
       .synopsis = "top [--all]",
       .summary = "a live view of what every instance (--all: program) costs, with graphs",
       .run = cmd_top},
      {.name = "attach",
       .synopsis = "attach NAME|ID",
       .summary = "stream a detached instance's events",
       .run = cmd_attach},
      {.name = "remove",
       .aliases = {"delete", "rm"},
       .synopsis = "remove NAME|ID...",
       .summary = "stop and forget instances (also: delete; --all)",
       .run = cmd_remove},
      {.name = "daemon",
       .synopsis = "daemon",
       .summary = "run the daemon in the foreground",
       .takes_global_options = true,
       .run = cmd_daemon},
      {.name = "version", .synopsis = "version", .summary = "ig, plugin ABI, libbpf and kernel versions; BPF features", .run = cmd_version},
  };
  return table;
}

Result<CommandLine> split_command_line(const std::vector<std::string>& args) {
  CommandLine line;
  po::options_description options = global_options_description();
  options.add_options()("help,h", "")("version", "");
  std::vector<std::string> words;
  try {
    auto parsed = po::command_line_parser(args)
                      .options(options)
                      .style(kCommandLineStyle)
                      .extra_style_parser(command_and_its_arguments)
                      .run();
    po::store(parsed, line.globals);
    words = po::collect_unrecognized(parsed.options, po::include_positional);
  } catch (const po::unknown_option& e) {
    std::string option = e.get_option_name();
    return make_error("unknown global option '" + option.substr(0, option.find('=')) + "'; global options are " +
                      global_option_names() + ", and a command's own options go after it (see 'ig --help')");
  } catch (const po::error& e) {
    return make_error(parse_error_message(e, "ig", "ig --help"));
  }
  if (auto checked = check_global_values(line.globals); !checked) return checked.error();
  line.help = line.globals.count("help") > 0 || (!words.empty() && words[0] == "help");
  if (line.help) return line;
  if (line.globals.count("version") > 0) words.insert(words.begin(), "version");  // `ig --version`
  if (words.empty()) return make_error("no command given; see 'ig --help'");
  line.command = find_command(words[0]);
  if (!line.command)
    return make_error("unknown command '" + words[0] + "'; commands: " + command_names() + " (see 'ig --help')");
  line.args.assign(words.begin() + 1, words.end());
  if (line.command->takes_global_options) {
    auto own = take_global_options(std::string(line.command->name), line.args, line.globals);
    if (!own) return own.error();
    line.args = std::move(own).value();
  }
  return line;
}

std::string usage_text() {
  std::ostringstream out;
  out << "Usage: ig [global options] COMMAND [options]\n\nCommands:\n";
  for (const Command& command : commands()) out << help_row(command.synopsis, command.summary, 24) << "\n";
  out << "\nEnvironment: IG_CONFIG (config file), IG_PLUGIN_PATH (extra plugin dirs, colon-separated,\n"
         "searched first by this command)\n\n"
      << global_options_description();
  return out.str();
}

}  // namespace ig::host
