// Instance ids and names.
#pragma once

#include <string>

namespace ig::host {

// 32 lowercase hex characters from the kernel's random source.
std::string new_instance_id();
// A readable name such as "brave_falcon", unique enough to need no retry in practice.
std::string new_instance_name();
// Empty when `name` is a valid instance name, else why it is not.
std::string check_instance_name(const std::string& name);

}  // namespace ig::host
