#include "registry/registry.h"

#include <algorithm>

namespace ig::host {

void Registry::add_instance(const std::string& id, const std::string& name, const std::string& gadget) {
  std::lock_guard lock(mutex_);
  instances_[id] = RegisteredInstance{id, name, gadget, {}};
}

void Registry::remove_instance(const std::string& id) {
  std::lock_guard lock(mutex_);
  auto it = instances_.find(id);
  if (it == instances_.end()) return;
  for (auto prog : it->second.objects.programs) program_owner_.erase(prog);
  instances_.erase(it);
}

void Registry::erase_ids(std::vector<std::uint32_t>& from, const std::vector<std::uint32_t>& ids) {
  from.erase(std::remove_if(from.begin(), from.end(),
                            [&](std::uint32_t id) { return std::find(ids.begin(), ids.end(), id) != ids.end(); }),
             from.end());
}

void Registry::add_objects(const std::string& instance_id, const BpfObjectIds& ids) {
  std::lock_guard lock(mutex_);
  auto it = instances_.find(instance_id);
  if (it == instances_.end()) return;
  BpfObjectIds& owned = it->second.objects;
  for (auto prog : ids.programs) {
    auto [owner, inserted] = program_owner_.try_emplace(prog, instance_id);
    if (!inserted && owner->second != instance_id) {
      if (auto previous = instances_.find(owner->second); previous != instances_.end())
        erase_ids(previous->second.objects.programs, {prog});
      owner->second = instance_id;
    }
    if (std::find(owned.programs.begin(), owned.programs.end(), prog) == owned.programs.end())
      owned.programs.push_back(prog);
  }
  for (auto map : ids.maps)
    if (std::find(owned.maps.begin(), owned.maps.end(), map) == owned.maps.end()) owned.maps.push_back(map);
}

void Registry::remove_objects(const std::string& instance_id, const BpfObjectIds& ids) {
  std::lock_guard lock(mutex_);
  auto it = instances_.find(instance_id);
  if (it == instances_.end()) return;
  for (auto prog : ids.programs) {
    auto owner = program_owner_.find(prog);
    if (owner != program_owner_.end() && owner->second == instance_id) program_owner_.erase(owner);
  }
  erase_ids(it->second.objects.programs, ids.programs);
  erase_ids(it->second.objects.maps, ids.maps);
}

std::vector<RegisteredInstance> Registry::snapshot() const {
  std::lock_guard lock(mutex_);
  std::vector<RegisteredInstance> out;
  out.reserve(instances_.size());
  for (const auto& [id, instance] : instances_) out.push_back(instance);
  return out;
}

}  // namespace ig::host
