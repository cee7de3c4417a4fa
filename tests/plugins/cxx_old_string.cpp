// A sound plugin built with -D_GLIBCXX_USE_CXX11_ABI=0 (see meson.build): its
// std::string is libstdc++'s old copy-on-write one, 8 bytes where ig's is 32, so the
// Description it returns would be read as garbage. IG_PLUGIN records the C++ library
// in ig_plugin_abi_version, and the host must refuse the file before calling its entry.
#include <cstdint>
#include <stdexcept>

#include <ig/ig.h>

namespace {

struct Record {
  std::uint32_t pid;
};

ig::Description describe() {
  return {"cxx_old_string", "0.0.1", "Built with the pre-C++11 std::string (test plugin)", {},
          {IG_FIELD(Record, pid, ig::FieldType::U32, "process id")}, sizeof(Record), {}};
}

class NeverStarted final : public ig::Gadget {
 public:
  ig::Result<void> start(ig::Context&) override {
    throw std::logic_error("cxx_old_string: the host started a plugin of another C++ library ABI");
  }
};

}  // namespace

IG_PLUGIN(describe(), NeverStarted)
