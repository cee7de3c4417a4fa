#include "cli/gadget_list.h"

#include <algorithm>

#include "cli/run_options.h"
#include "output/object_output.h"

namespace ig::host {
namespace {

constexpr std::string_view kExampleMark = " [example from the build tree, not installed]";

// "registry,metrics", or "-" for a tracer that declares none.
std::string capabilities_text(const Capabilities& capabilities) {
  std::string text;
  for (Capability c : kAllCapabilities)
    if (capabilities.has(c)) text += (text.empty() ? "" : ",") + std::string(capability_name(c));
  return text.empty() ? "-" : text;
}

std::string pad(const std::string& text, std::size_t width) {
  return text + std::string(width > text.size() ? width - text.size() : 0, ' ');
}

std::string columns(const std::vector<GadgetEntry>& gadgets) {
  std::size_t name_width = 6, version_width = 7, capabilities_width = 12;
  for (const GadgetEntry& g : gadgets) {
    name_width = std::max(name_width, g.description->name.size());
    version_width = std::max(version_width, g.description->version.size());
    capabilities_width = std::max(capabilities_width, capabilities_text(g.description->capabilities).size());
  }
  std::string out = pad("GADGET", name_width) + "  " + pad("VERSION", version_width) + "  " +
                    pad("CAPABILITIES", capabilities_width) + "  DESCRIPTION\n";
  for (const GadgetEntry& g : gadgets) {
    const Description& d = *g.description;
    out += pad(d.name, name_width) + "  " + pad(d.version, version_width) + "  " +
           pad(capabilities_text(d.capabilities), capabilities_width) + "  " + d.summary +
           (g.example ? std::string(kExampleMark) : "") + "\n";
  }
  return out;
}

template <class Writer>
void write_gadget(Writer& writer, const GadgetEntry& g) {
  const Description& d = *g.description;
  writer.begin_object().member("name", d.name).member("version", d.version).member("summary", d.summary);
  writer.key("capabilities").begin_array();
  for (Capability c : kAllCapabilities)
    if (d.capabilities.has(c)) writer.string(capability_name(c));
  writer.end_array().raw_member("example", g.example ? "true" : "false").member("path", g.path);
  writer.key("params").begin_array();
  for (const Param& p : d.params)
    writer.begin_object()
        .member("name", p.name)
        .member("type", param_type_name(p.type))
        .member("default", p.default_value)
        .member("help", p.help)
        .end_object();
  writer.end_array().key("fields").begin_array();
  for (const Field& f : d.fields)
    writer.begin_object()
        .member("name", f.name)
        .member("type", field_type_name(f.type))
        .raw_member("hidden", f.hidden ? "true" : "false")
        .member("help", f.help)
        .end_object();
  writer.end_array().end_object();
}

}  // namespace

std::string format_gadget_list(std::vector<GadgetEntry> gadgets, OutputFormat format) {
  std::sort(gadgets.begin(), gadgets.end(),
            [](const GadgetEntry& a, const GadgetEntry& b) { return a.description->name < b.description->name; });
  if (format == OutputFormat::Columns) return columns(gadgets);
  return write_objects(gadgets, format, [](auto& writer, const GadgetEntry& g) { write_gadget(writer, g); });
}

}  // namespace ig::host
