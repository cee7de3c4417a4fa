#include "daemon/connection_messages.h"

namespace ig::host {

using protocol::Message;
using protocol::Type;

Message error_message(const std::string& text) {
  Message m(Type::Error);
  m.add("message", text);
  return m;
}

Message list_entry(const InstanceInfo& info) {
  const InstanceSpec& spec = info.spec;
  Message entry(Type::ListReply);
  entry.add("id", spec.id.str()).add("name", spec.name.str()).add("gadget", spec.gadget);
  entry.add("status", std::string(status_name(info.status))).add("created", std::to_string(spec.created));
  entry.add("mode", info.detached ? "detached" : "foreground");
  if (!info.error.empty()) entry.add("error", info.error);
  for (const auto& [k, v] : spec.params) entry.add("param." + k, v);
  if (info.counters) {
    entry.add("events", std::to_string(info.counters->events));
    entry.add("lost", std::to_string(info.counters->lost));
  }
  return entry;
}

}  // namespace ig::host
