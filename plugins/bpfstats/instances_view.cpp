// The default view: one row per instance that owns BPF objects (progID 0, progName
// empty), its programs summed and its distinct maps counted once.
#include <set>

#include "view.h"

namespace ig::bpfstats {
namespace {

class InstancesView final : public View {
 public:
  SnapshotRequest plan(const std::vector<RegisteredInstance>& registry) const override {
    SnapshotRequest request;
    request.program_ids = registered_programs(registry);
    // An instance row also counts maps it registered that no program references.
    for (const RegisteredInstance& instance : registry)
      request.map_ids.insert(request.map_ids.end(), instance.objects.maps.begin(), instance.objects.maps.end());
    request.map_users = true;  // mapMemoryShared: do other tools' programs use our maps?
    return request;
  }

  std::vector<Row> rows(const KernelSnapshot& now, const std::vector<RegisteredInstance>& registry,
                        const KernelSnapshot* before) const override {
    MapUsers users(now, registry);
    std::vector<Row> rows;
    for (const RegisteredInstance& instance : registry)
      if (auto row = instance_row(now, instance, before, users)) rows.push_back(std::move(*row));
    return rows;
  }

  std::string_view row_per() const override { return "instance"; }

  std::string_view empty_note() const override {
    return "no running ig instance owns BPF objects; '--all' shows every BPF program on the system";
  }

  std::span<const Column> columns() const override { return program_columns(); }

  Row total(const KernelSnapshot& now, const std::vector<RegisteredInstance>& registry, const KernelSnapshot* before,
            const std::vector<Row>& rows) const override {
    std::set<std::string> shown;
    for (const Row& row : rows) shown.insert(row.gadget_id);
    std::set<std::uint32_t> programs, maps;
    for (const RegisteredInstance& instance : registry) {
      if (!shown.count(instance.id)) continue;
      for (std::uint32_t id : instance.objects.maps) maps.insert(id);
      for (std::uint32_t id : instance.objects.programs) {
        auto prog = now.programs.find(id);
        if (prog == now.programs.end()) continue;
        programs.insert(id);
        maps.insert(prog->second.map_ids.begin(), prog->second.map_ids.end());
      }
    }
    Row row = total_row(now, programs, maps, before, MapUsers(now, registry));
    row.gadget_name = "TOTAL";
    return row;
  }
};

}  // namespace

std::unique_ptr<View> make_instances_view() { return std::make_unique<InstancesView>(); }

}  // namespace ig::bpfstats
