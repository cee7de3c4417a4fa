// bpfstats' parameters as the host hands them over: every declared parameter
// present, defaults filled in, empty when unset, durations in nanoseconds.
#pragma once

#include <map>
#include <string>

#include <ig/schema.h>

namespace ig::bpfstats::testing {

inline Params params(const std::map<std::string, std::string>& given) {
  std::map<std::string, std::string> values = {{"all", "false"},    {"gadgets-only", "false"}, {"instances", "false"},
                                               {"maps", "false"},   {"total", "false"},        {"interval", ""},
                                               {"count", ""},       {"sort", ""},              {"metrics", "false"},
                                               {"annotate", ""},    {"otel-metrics-name", ""}};
  for (const auto& [k, v] : given) values[k] = v;
  return Params(values);
}

}  // namespace ig::bpfstats::testing
