// A valid plugin whose Gadget::start throws: the host must fail this instance with
// the exception's text, never crash.
#include <cstddef>
#include <cstdint>
#include <stdexcept>

#include <ig/ig.h>

namespace {

struct Record {
  std::uint32_t pid;
};

ig::Description describe() {
  return {"throws_in_start", "0.0.1", "Throws from Gadget::start (test plugin)", {},
          {IG_FIELD(Record, pid, ig::FieldType::U32, "process id")}, sizeof(Record), {}};
}

class ThrowsInStart final : public ig::Gadget {
 public:
  ig::Result<void> start(ig::Context&) override {
    throw std::runtime_error("throws_in_start: deliberate failure in start()");
  }
};

}  // namespace

IG_PLUGIN(describe(), ThrowsInStart)
