// --all --instances: every program's row, every instance's row and a row for each map
// an instance owns, from one snapshot, so a client such as `ig top` gets the
// per-instance figures (distinct maps, registered maps no program uses) and the
// programs and maps behind them in one batch, from one kernel pass.
#include <set>
#include <string>

#include "map_rows.h"
#include "view.h"

namespace ig::bpfstats {
namespace {

class ProgramsAndInstancesView final : public View {
 public:
  explicit ProgramsAndInstancesView(bool gadgets_only)
      : programs_(make_programs_view(gadgets_only)), instances_(make_instances_view()) {}

  SnapshotRequest plan(const std::vector<RegisteredInstance>& registry) const override {
    SnapshotRequest request = programs_->plan(registry);
    SnapshotRequest ours = instances_->plan(registry);
    if (!request.all_programs) request.program_ids = std::move(ours.program_ids);
    request.map_ids = std::move(ours.map_ids);
    request.map_users = request.map_users || ours.map_users;
    // The owned maps' names and types: a few bpf() calls, not the map iterator's pass
    // over every map on the node, which would cost each interval more than the rest.
    request.map_info_ids = request.map_ids;
    return request;
  }

  std::vector<Row> rows(const KernelSnapshot& now, const std::vector<RegisteredInstance>& registry,
                        const KernelSnapshot* before) const override {
    std::vector<Row> rows = programs_->rows(now, registry, before);
    std::vector<Row> instances = instances_->rows(now, registry, before);
    rows.insert(rows.end(), std::make_move_iterator(instances.begin()), std::make_move_iterator(instances.end()));
    const auto owner = owners(now, registry);
    MapUsers users(now, registry);
    for (const auto& [id, map] : now.maps)
      if (auto it = owner.find(id); it != owner.end()) rows.push_back(map_row(now, map, it->second, users));
    return rows;
  }

  std::string_view row_per() const override { return "program, one per instance and one per map it owns"; }

  std::span<const Column> columns() const override { return program_columns(); }

  // Every program shown, the maps they use and the maps the instances shown
  // registered, each once.
  Row total(const KernelSnapshot& now, const std::vector<RegisteredInstance>& registry, const KernelSnapshot* before,
            const std::vector<Row>& rows) const override {
    std::set<std::uint32_t> programs, maps;
    std::set<std::string> instances;
    for (const Row& row : rows) {
      if (row.prog_id == 0) {  // an instance's row, or one of its maps
        instances.insert(row.gadget_id);
        continue;
      }
      auto prog = now.programs.find(row.prog_id);
      if (prog == now.programs.end()) continue;
      programs.insert(row.prog_id);
      maps.insert(prog->second.map_ids.begin(), prog->second.map_ids.end());
    }
    for (const RegisteredInstance& instance : registry)
      if (instances.count(instance.id)) maps.insert(instance.objects.maps.begin(), instance.objects.maps.end());
    Row row = total_row(now, programs, maps, before, MapUsers(now, registry));
    row.prog_name = "TOTAL";
    return row;
  }

 private:
  std::unique_ptr<View> programs_;
  std::unique_ptr<View> instances_;
};

}  // namespace

std::unique_ptr<View> make_programs_and_instances_view(bool gadgets_only) {
  return std::make_unique<ProgramsAndInstancesView>(gadgets_only);
}

}  // namespace ig::bpfstats
