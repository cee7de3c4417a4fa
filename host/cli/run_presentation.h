// What the daemon's `started` reply says about showing a run: what the plugin asked
// for in start() through Context::finishes_by_itself() and default_fields() (ABI 2.1).
#pragma once

#include <string>
#include <vector>

#include "output/record_formatter.h"
#include "protocol/message.h"

namespace ig::host {

struct RunPresentation {
  bool finishes_by_itself = false;
  std::vector<std::string> default_fields;  // empty: the description's defaults
};

RunPresentation presentation_of(const protocol::Message& started);

// The user's --fields if any, else (in columns) the ones the plugin chose for this run.
Result<RecordFormatter> formatter_for_run(const Description& description, OutputFormat format,
                                          const std::vector<std::string>& user_fields,
                                          const RunPresentation& presentation);

}  // namespace ig::host
