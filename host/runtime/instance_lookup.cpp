#include "runtime/instance_lookup.h"

namespace ig::host {

Result<InstanceId> find_instance(const std::string& target, const std::vector<const InstanceSpec*>& instances) {
  if (target.empty()) return make_error("no instance given; name one, or give its id");
  // An id first: a name may be any 32 hex digits, even another instance's id, and
  // a full id must never reach the wrong instance.
  for (const InstanceSpec* spec : instances)
    if (spec->id.str() == target) return spec->id;
  for (const InstanceSpec* spec : instances)
    if (spec->name.str() == target) return spec->id;
  std::vector<const InstanceSpec*> matches;
  for (const InstanceSpec* spec : instances)
    if (spec->id.str().starts_with(target)) matches.push_back(spec);
  if (matches.size() == 1) return matches[0]->id;
  if (matches.empty()) return make_error("no instance named '" + target + "' or with that id; see 'ig list'");
  std::string list;
  for (const InstanceSpec* spec : matches)
    list += (list.empty() ? "" : ", ") + spec->id.short_form() + " (" + spec->name.str() + ")";
  return make_error("id prefix '" + target + "' is ambiguous: it matches " + list + "; give more characters");
}

}  // namespace ig::host
