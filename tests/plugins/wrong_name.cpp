// A sound plugin in the file wrong_name.so that declares the gadget 'renamed_gadget':
// `ig run wrong_name` would find it while the registry and `ig list` called it
// otherwise, so the host must refuse it when loading, naming both.
#include <cstdint>
#include <stdexcept>

#include <ig/ig.h>

namespace {

struct Record {
  std::uint32_t pid;
};

ig::Description describe() {
  return {"renamed_gadget", "0.0.1", "Declares a name its file does not have (test plugin)", {},
          {IG_FIELD(Record, pid, ig::FieldType::U32, "process id")}, sizeof(Record), {}};
}

class NeverStarted final : public ig::Gadget {
 public:
  ig::Result<void> start(ig::Context&) override {
    throw std::logic_error("wrong_name: the host started a plugin whose file name is not its gadget's");
  }
};

}  // namespace

IG_PLUGIN(describe(), NeverStarted)
