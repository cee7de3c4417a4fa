// `ig gadgets`: sorted by name, examples marked, and -o json with params and columns.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "cli/gadget_list.h"

using ig::host::format_gadget_list;
using ig::host::GadgetEntry;
using ig::host::OutputFormat;

namespace {

ig::Description gadget(std::string name, std::string summary) {
  ig::Description d;
  d.name = std::move(name);
  d.version = "1.0.0";
  d.summary = std::move(summary);
  return d;
}

}  // namespace

TEST_CASE("ig gadgets: sorted by name, and an example from the build tree says so") {
  ig::Description open = gadget("trace_open", "Trace open()"), unlink = gadget("trace_unlink", "Trace unlink()");
  ig::Description stats = gadget("bpfstats", "What it costs");
  stats.capabilities = {ig::Capability::Registry, ig::Capability::Metrics};
  std::vector<GadgetEntry> found = {{&unlink, "/b/examples/x/trace_unlink.so", true},
                                    {&open, "/b/gadgets/trace_open/trace_open.so", false},
                                    {&stats, "/b/plugins/bpfstats/bpfstats.so", false}};
  CHECK(format_gadget_list(found, OutputFormat::Columns) ==
        "GADGET        VERSION  CAPABILITIES      DESCRIPTION\n"
        "bpfstats      1.0.0    registry,metrics  What it costs\n"
        "trace_open    1.0.0    -                 Trace open()\n"
        "trace_unlink  1.0.0    -                 Trace unlink() [example from the build tree, not installed]\n");
}

TEST_CASE("ig gadgets -o json: one object per gadget with its parameters and columns") {
  ig::Description open = gadget("trace_open", "Trace open()");
  open.params = {{"pid", ig::ParamType::Uint, "", "only this process"}};
  ig::Field path = ig::make_field("path", ig::FieldType::String, 0, 8, "the path");
  path.hidden = true;
  open.fields = {path};
  CHECK(format_gadget_list({{&open, "/p/trace_open.so", false}}, OutputFormat::Json) ==
        R"x({"name":"trace_open","version":"1.0.0","summary":"Trace open()","capabilities":[],"example":false,)x"
        R"("path":"/p/trace_open.so","params":[{"name":"pid","type":"uint","default":"","help":"only this process"}],)"
        R"("fields":[{"name":"path","type":"string","hidden":true,"help":"the path"}]})"
        "\n");
}
