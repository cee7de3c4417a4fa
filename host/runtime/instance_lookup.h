// How a command's instance argument (`ig remove X`, `ig attach X`) finds its
// instance: a name, a full id, or a unique id prefix. A pure function, so the rule
// is unit-tested and fuzzed without a daemon.
#pragma once

#include <string>
#include <vector>

#include <ig/result.h>

#include "runtime/instance_info.h"

namespace ig::host {

// `instances` ordered by id, as the daemon holds them. A full id matches first, then
// an exact name; else the target must be a prefix of exactly one id; an ambiguous
// prefix is an error that lists the matches.
Result<InstanceId> find_instance(const std::string& target, const std::vector<const InstanceSpec*>& instances);

}  // namespace ig::host
