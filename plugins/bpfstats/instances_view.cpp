// The default view: one row per instance that owns BPF objects (progID 0, progName
// empty), its programs summed and its distinct maps counted once.
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
    return request;
  }

  std::vector<Row> rows(const KernelSnapshot& now, const std::vector<RegisteredInstance>& registry,
                        const KernelSnapshot* before) const override {
    std::vector<Row> rows;
    for (const RegisteredInstance& instance : registry)
      if (auto row = instance_row(now, instance, before)) rows.push_back(std::move(*row));
    return rows;
  }

  std::string_view row_per() const override { return "instance"; }

  std::string_view empty_note() const override {
    return "no running ig instance owns BPF objects; '--all' shows every BPF program on the system";
  }
};

}  // namespace

std::unique_ptr<View> make_instances_view() { return std::make_unique<InstancesView>(); }

}  // namespace ig::bpfstats
