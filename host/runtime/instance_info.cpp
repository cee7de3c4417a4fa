#include "runtime/instance_info.h"

namespace ig::host {

std::string_view status_name(InstanceStatus status) {
  switch (status) {
    case InstanceStatus::Running: return "running";
    case InstanceStatus::Exited: return "exited";
    case InstanceStatus::Error: return "error";
  }
  return "?";
}

}  // namespace ig::host
