// Reports which host powers its Context grants: one record, then done. Built twice
// (see meson.build): host_access_none declares no capability, as every tracer, and
// must get null for each; host_access_all declares all three and must get them.
#include <cstdint>

#include <ig/host_access.h>
#include <ig/ig.h>

#if !defined(IG_TEST_NAME) || !defined(IG_TEST_DECLARES_ALL)
#error "build with -DIG_TEST_NAME=\"name\" -DIG_TEST_DECLARES_ALL=0|1"
#endif

namespace {

struct Record {
  std::uint8_t registry;   // Context::registry() was not null
  std::uint8_t bpf_stats;  // Context::bpf_stats()
  std::uint8_t metrics;    // Context::metrics()
  std::uint8_t pad;
  std::uint32_t instances;  // what the registry showed, when granted
};

ig::Description describe() {
  ig::Capabilities declared;
  if (IG_TEST_DECLARES_ALL)
    declared = {ig::Capability::Registry, ig::Capability::BpfStats, ig::Capability::Metrics};
  return {IG_TEST_NAME, "0.0.1", "Reports the host powers it was granted (test plugin)", {},
          {IG_FIELD(Record, registry, ig::FieldType::Bool, "registry() granted"),
           IG_FIELD(Record, bpf_stats, ig::FieldType::Bool, "bpf_stats() granted"),
           IG_FIELD(Record, metrics, ig::FieldType::Bool, "metrics() granted"),
           IG_FIELD(Record, instances, ig::FieldType::U32, "instances in the registry snapshot")},
          sizeof(Record), declared};
}

class ReportAccess final : public ig::Gadget {
 public:
  ig::Result<void> start(ig::Context& ctx) override {
    Record record{};
    record.registry = ctx.registry() != nullptr;
    record.bpf_stats = ctx.bpf_stats() != nullptr;
    record.metrics = ctx.metrics() != nullptr;
    if (ig::RegistryAccess* registry = ctx.registry())
      record.instances = static_cast<std::uint32_t>(registry->snapshot().size());
    ctx.emit(&record, sizeof(record));
    ctx.finish({});
    return {};
  }
};

}  // namespace

IG_PLUGIN(describe(), ReportAccess)
