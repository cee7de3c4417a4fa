// The central registry: which kernel BPF object belongs to which instance.
// Thread-safe; the one source of truth for bpfstats' attribution.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include <ig/host_access.h>

namespace ig::host {

class Registry {
 public:
  void add_instance(const std::string& id, const std::string& name, const std::string& gadget);
  // Drops the instance and every object registered under it.
  void remove_instance(const std::string& id);

  // Ignored for an unknown instance. A program belongs to one instance (a program id
  // registered again moves); a map may be shared and then belongs to each.
  void add_objects(const std::string& instance_id, const BpfObjectIds& ids);
  void remove_objects(const std::string& instance_id, const BpfObjectIds& ids);

  // A consistent copy, ordered by instance id.
  std::vector<RegisteredInstance> snapshot() const;

 private:
  static void erase_ids(std::vector<std::uint32_t>& from, const std::vector<std::uint32_t>& ids);

  mutable std::mutex mutex_;
  std::map<std::string, RegisteredInstance> instances_;
  std::unordered_map<std::uint32_t, std::string> program_owner_;  // program id -> the instance listing it
};

}  // namespace ig::host
