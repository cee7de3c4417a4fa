// bst_shared: a test gadget whose instances share one map, for bpfstats' kernel
// test (truth_test.py). Its two programs share both of its maps; bst_shared_m is
// pinned in --pin-dir, so a second instance reuses the first one's. The pin stays
// when an instance stops (another may use it): the test removes it.
#include <bpf/libbpf.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include <ig/ig.h>

#include "bst_shared.skel.h"

namespace {

struct Record {
  std::uint64_t unused;
};

ig::Description describe() {
  return {"bst_shared", "0.0.1", "Instances that share a pinned map (bpfstats test gadget)",
          {{"pin-dir", ig::ParamType::String, "", "bpffs directory to pin and reuse bst_shared_m in"}},
          {IG_FIELD(Record, unused, ig::FieldType::U64, "never emitted")}, sizeof(Record), {}};
}

class Shared final : public ig::Gadget {
 public:
  ig::Result<void> start(ig::Context& ctx) override {
    auto skel = ig::bpf::Skeleton<bst_shared_bpf>::open(ctx);
    if (!skel) return skel.error();
    skel_.emplace(std::move(skel).value());
    std::string pin = ctx.params().get_string("pin-dir") + "/bst_shared_m";
    if (int err = bpf_map__set_pin_path((*skel_)->maps.bst_shared_m, pin.c_str()); err)
      return ig::make_error("cannot pin 'bst_shared_m' at '" + pin + "': " + ig::bpf::errno_text(err));
    return skel_->load_and_attach();
  }

  void stop() noexcept override { skel_.reset(); }

 private:
  std::optional<ig::bpf::Skeleton<bst_shared_bpf>> skel_;
};

}  // namespace

IG_PLUGIN(describe(), Shared)
