#include "cli/run_presentation.h"

#include "cli/run_options.h"

namespace ig::host {

RunPresentation presentation_of(const protocol::Message& started) {
  return {started.get("finishes") == "1", split_commas(started.get("fields"))};
}

Result<RecordFormatter> formatter_for_run(const Description& description, OutputFormat format,
                                          const std::vector<std::string>& user_fields,
                                          const RunPresentation& presentation) {
  // Only columns: JSON and YAML keep every field, as they do for hidden ones.
  bool plugin_choice = user_fields.empty() && format == OutputFormat::Columns;
  return RecordFormatter::create(description, format, plugin_choice ? presentation.default_fields : user_fields);
}

}  // namespace ig::host
