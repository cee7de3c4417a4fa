#include "view.h"

namespace ig::bpfstats {

std::unique_ptr<View> make_view(const ViewSpec& spec) {
  switch (spec.kind) {
    case ViewKind::Instances: return make_instances_view();
    case ViewKind::Programs:
      return spec.with_instances ? make_programs_and_instances_view(spec.gadgets_only)
                                 : make_programs_view(spec.gadgets_only);
    case ViewKind::Maps: return make_maps_view();
  }
  return make_instances_view();
}

std::span<const Column> program_columns() {
  static constexpr Column kColumns[] = {
      Column::GadgetId,      Column::GadgetName,      Column::GadgetImage,   Column::ProgId,
      Column::ProgName,      Column::ProgType,        Column::Runtime,       Column::Runcount,
      Column::RuntimeDelta,  Column::RuncountDelta,   Column::Cpu,           Column::MapMemory,
      Column::MapCount,      Column::Pids,            Column::Comms,         Column::AvgRuntime,
      Column::RunsPerSecond, Column::RecursionMisses, Column::VerifiedInsns, Column::ProgMemory,
      Column::MapMemoryReal, Column::MapMemoryShared, Column::Elapsed,       Column::Batch,
      Column::BatchRows,     Column::Total,
  };
  return kColumns;
}

std::vector<std::uint32_t> registered_programs(const std::vector<RegisteredInstance>& registry) {
  std::vector<std::uint32_t> ids;
  for (const RegisteredInstance& instance : registry)
    ids.insert(ids.end(), instance.objects.programs.begin(), instance.objects.programs.end());
  return ids;
}

}  // namespace ig::bpfstats
