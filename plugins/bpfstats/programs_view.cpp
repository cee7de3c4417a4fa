// --all: one row per program the kernel holds, ours with their instance's columns,
// other tools' with the processes that hold them. --gadgets-only keeps only ours.
#include <set>
#include <unordered_map>

#include "view.h"

namespace ig::bpfstats {
namespace {

class ProgramsView final : public View {
 public:
  explicit ProgramsView(bool gadgets_only) : gadgets_only_(gadgets_only) {}

  SnapshotRequest plan(const std::vector<RegisteredInstance>& registry) const override {
    SnapshotRequest request;
    if (!gadgets_only_) {
      request.all_programs = true;
      request.holders = true;
      return request;
    }
    // A program row counts only the maps its program references: no registered maps.
    request.program_ids = registered_programs(registry);
    request.map_users = true;  // mapMemoryShared: do other tools' programs use them?
    return request;
  }

  std::vector<Row> rows(const KernelSnapshot& now, const std::vector<RegisteredInstance>& registry,
                        const KernelSnapshot* before) const override {
    std::unordered_map<std::uint32_t, const RegisteredInstance*> owner;
    for (const RegisteredInstance& instance : registry)
      for (std::uint32_t id : instance.objects.programs) owner.emplace(id, &instance);
    MapUsers users(now, registry);
    std::vector<Row> rows;
    rows.reserve(now.programs.size());
    for (const auto& [id, prog] : now.programs) {
      auto it = owner.find(id);
      const RegisteredInstance* instance = it == owner.end() ? nullptr : it->second;
      if (gadgets_only_ && !instance) continue;
      rows.push_back(program_row(now, prog, instance, before, users));
    }
    return rows;
  }

  std::string_view row_per() const override { return "program"; }

  std::span<const Column> columns() const override { return program_columns(); }

  Row total(const KernelSnapshot& now, const std::vector<RegisteredInstance>& registry, const KernelSnapshot* before,
            const std::vector<Row>& rows) const override {
    std::set<std::uint32_t> programs, maps;
    for (const Row& row : rows) {
      auto prog = now.programs.find(row.prog_id);
      if (prog == now.programs.end()) continue;
      programs.insert(row.prog_id);
      maps.insert(prog->second.map_ids.begin(), prog->second.map_ids.end());
    }
    Row row = total_row(now, programs, maps, before, MapUsers(now, registry));
    row.prog_name = "TOTAL";
    return row;
  }

 private:
  bool gadgets_only_;
};

}  // namespace

std::unique_ptr<View> make_programs_view(bool gadgets_only) { return std::make_unique<ProgramsView>(gadgets_only); }

}  // namespace ig::bpfstats
