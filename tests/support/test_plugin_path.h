// The path of a purpose-built test plugin, which meson passes as IG_PLUGIN_<NAME>.
#pragma once

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

inline std::filesystem::path test_plugin_path(const std::string& env_name) {
  const char* path = std::getenv(env_name.c_str());
  REQUIRE_MESSAGE(path != nullptr, env_name << " is not set; run through 'meson test'");
  REQUIRE_MESSAGE(std::filesystem::exists(path), path << " does not exist; build it first");
  return path;
}
