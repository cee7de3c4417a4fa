// A valid plugin whose BPF program the verifier rejects: the host must report the
// program's name and the verifier's complaint, and leave nothing in the kernel.
#include <cstddef>
#include <cstdint>
#include <optional>

#include <ig/ig.h>

#include "verifier_reject.skel.h"

namespace {

struct Record {
  std::uint64_t count;
};

ig::Description describe() {
  return {"verifier_reject", "0.0.1", "Loads a program the verifier refuses (test plugin)", {},
          {IG_FIELD(Record, count, ig::FieldType::U64, "calls counted")}, sizeof(Record), {}};
}

class VerifierReject final : public ig::Gadget {
 public:
  ig::Result<void> start(ig::Context& ctx) override {
    auto skel = ig::bpf::Skeleton<verifier_reject_bpf>::open(ctx);
    if (!skel) return skel.error();
    skel_.emplace(std::move(skel).value());
    return skel_->load_and_attach();
  }

  void stop() noexcept override { skel_.reset(); }

 private:
  std::optional<ig::bpf::Skeleton<verifier_reject_bpf>> skel_;
};

}  // namespace

IG_PLUGIN(describe(), VerifierReject)
