// ig's global options: one table, read by the parser, by `ig --help`, by the commands
// that also take them after their name (`ig daemon --socket X`), and when a client
// starts a daemon with its own settings.
#pragma once

#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <boost/program_options/options_description.hpp>
#include <boost/program_options/variables_map.hpp>

#include <ig/result.h>

#include "daemon/config.h"

namespace ig::host {

struct GlobalOption {
  // Where the value lands. ConfigFile names the file the rest is read from (and
  // Config::file records it); a Path overrides one path of the file (the last one
  // given wins); a PathList replaces the file's list with every value given.
  enum class Lands { ConfigFile, Path, PathList };

  std::string_view name;  // without "--"
  std::string_view value_name;
  std::string_view help;
  Lands lands;
  std::filesystem::path Config::* path = nullptr;                // ConfigFile, Path
  std::vector<std::filesystem::path> Config::* paths = nullptr;  // PathList
};

std::span<const GlobalOption> global_options();

// The table as program_options options, for parsing and for help. Every value is
// composing, so values given before and after a command add up in one variables_map.
boost::program_options::options_description global_options_description();

// Refuse a global option given an empty value.
Result<void> check_global_values(const boost::program_options::variables_map& given);

// The configuration the given global options name: defaults < config file < options.
Result<Config> resolve_config(const boost::program_options::variables_map& given);

// Global options that make a daemon use exactly `config`'s settings.
std::vector<std::string> global_arguments(const Config& config);

}  // namespace ig::host
