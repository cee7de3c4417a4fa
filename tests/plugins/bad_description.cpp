// A plugin whose description declares the field 'pid' twice: the host must refuse
// it when loading, before any instance starts.
#include <cstddef>
#include <cstdint>
#include <stdexcept>

#include <ig/ig.h>

namespace {

struct Record {
  std::uint32_t pid;
  std::uint32_t tid;
};

ig::Description describe() {
  ig::Field tid = IG_FIELD(Record, tid, ig::FieldType::U32, "thread id, wrongly named 'pid'");
  tid.name = "pid";
  return {"bad_description", "0.0.1", "Declares a field twice (test plugin)", {},
          {IG_FIELD(Record, pid, ig::FieldType::U32, "process id"), tid}, sizeof(Record), {}};
}

class NeverStarted final : public ig::Gadget {
 public:
  ig::Result<void> start(ig::Context&) override {
    throw std::logic_error("bad_description: the host started a plugin it should have refused");
  }
};

}  // namespace

IG_PLUGIN(describe(), NeverStarted)
