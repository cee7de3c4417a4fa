#include "cli/instance_list.h"

#include <algorithm>
#include <cstdlib>
#include <ctime>

#include "output/object_output.h"

namespace ig::host {
namespace {

std::int64_t created_at(const protocol::Message& row) { return std::atoll(row.get("created").c_str()); }

std::string age_text(std::int64_t created, std::int64_t now) {
  std::int64_t s = std::max<std::int64_t>(0, now - created);
  if (s < 60) return std::to_string(s) + "s";
  if (s < 3600) return std::to_string(s / 60) + "m";
  if (s < 86400) return std::to_string(s / 3600) + "h";
  return std::to_string(s / 86400) + "d";
}

std::string iso_time(std::int64_t created) {
  std::time_t t = created;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string pad(std::string s, std::size_t width) {
  if (s.size() < width) s.append(width - s.size(), ' ');
  return s;
}

std::string columns(const std::vector<protocol::Message>& rows, std::int64_t now) {
  std::size_t name_w = 4, gadget_w = 6;
  for (const auto& r : rows) {
    name_w = std::max(name_w, r.get("name").size());
    gadget_w = std::max(gadget_w, r.get("gadget").size());
  }
  std::string out = pad("ID", 12) + " " + pad("NAME", name_w) + " " + pad("GADGET", gadget_w) + " " +
                    pad("STATUS", 10) + " " + pad("AGE", 5) + " PARAMS\n";
  for (const auto& r : rows) {
    std::string params;
    for (const auto& [k, v] : r.fields())
      if (k.starts_with("param.") && !v.empty() && v != "false")
        params += (params.empty() ? "" : " ") + k.substr(6) + "=" + v;
    std::string status = r.get("status");
    if (status == "error") params = r.get("error");
    out += pad(r.get("id").substr(0, 12), 12) + " " + pad(r.get("name"), name_w) + " " + pad(r.get("gadget"), gadget_w) +
           " " + pad(status, 10) + " " + pad(age_text(created_at(r), now), 5) + " " + params + "\n";
  }
  return out;
}

template <class Writer>
void write_instance(Writer& writer, const protocol::Message& r) {
  writer.begin_object()
      .member("id", r.get("id"))
      .member("name", r.get("name"))
      .member("gadget", r.get("gadget"))
      .member("status", r.get("status"))
      .member("mode", r.get("mode"))
      .member("created", iso_time(created_at(r)))
      .key("params")
      .begin_object();
  for (const auto& [k, v] : r.fields())
    if (k.starts_with("param.")) writer.member(k.substr(6), v);
  writer.end_object();
  if (r.has("error")) writer.member("error", r.get("error"));
  if (r.has("events")) writer.raw_member("events", r.get("events")).raw_member("lost", r.get("lost"));
  writer.end_object();
}

}  // namespace

std::string format_instance_list(const std::vector<protocol::Message>& rows, OutputFormat format, std::int64_t now) {
  if (format == OutputFormat::Columns) return columns(rows, now);
  return write_objects(rows, format, [](auto& writer, const protocol::Message& r) { write_instance(writer, r); });
}

}  // namespace ig::host
