// `ig gadgets`: every gadget found, sorted by name, as aligned columns or one object
// per gadget (json, jsonpretty, yaml) that also carries its parameters and columns,
// which shell completion reads.
#pragma once

#include <string>
#include <vector>

#include <ig/schema.h>

#include "output/record_formatter.h"

namespace ig::host {

struct GadgetEntry {
  const Description* description = nullptr;
  std::string path;      // the plugin file
  bool example = false;  // an example from ig's own build tree (see is_build_tree_example)
};

std::string format_gadget_list(std::vector<GadgetEntry> gadgets, OutputFormat format);

}  // namespace ig::host
