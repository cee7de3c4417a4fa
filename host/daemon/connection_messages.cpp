#include "daemon/connection_messages.h"

namespace ig::host {

using protocol::Message;
using protocol::Type;

Result<RunRequest> run_request(const Message& run) {
  RunRequest request;
  request.gadget = run.get("gadget");
  if (std::string name = run.get("name"); !name.empty()) {
    auto parsed = InstanceName::parse(name);
    if (!parsed) return parsed.error();
    request.name = std::move(parsed).value();
  }
  request.detach = run.get("detach") == "1";
  for (const auto& [k, v] : run.fields())
    if (k.starts_with("param.")) request.params[k.substr(6)] = v;
  return request;
}

Message started_message(const StartedInstance& started) {
  Message m(Type::Started);
  m.add("id", started.id.str()).add("name", started.name.str()).add("gadget", started.gadget);
  if (started.presentation.finishes_by_itself) m.add("finishes", "1");
  std::string fields;
  for (const std::string& f : started.presentation.default_fields) fields += (fields.empty() ? "" : ",") + f;
  if (!fields.empty()) m.add("fields", fields);
  return m;
}

Message attached_message(const StartedInstance& attached) {
  Message m = started_message(attached);
  m.add("plugin", attached.plugin);
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

Message lost_message(std::uint64_t count) {
  Message m(Type::Lost);
  m.add("count", std::to_string(count));
  return m;
}

Message too_slow_message(std::uint64_t count) {
  Message m = lost_message(count);
  m.add("cause", "client_too_slow");
  return m;
}

Message log_message(LogLevel level, std::string_view text) {
  Message m(Type::Log);
  m.add("level", std::to_string(static_cast<int>(level))).add("message", std::string(text));
  return m;
}

Message finished_message(const Result<void>& status) {
  Message m(Type::Finished);
  if (!status) m.add("error", status.error().message);
  return m;
}

Message error_message(const std::string& text) {
  Message m(Type::Error);
  m.add("message", text);
  return m;
}

}  // namespace ig::host
