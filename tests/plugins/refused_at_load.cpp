// A sound plugin the host must refuse when loading, for something outside its code
// (see meson.build), before any instance starts:
//   wrong_name.so      declares the gadget IG_TEST_NAME = 'renamed_gadget': `ig run
//                      wrong_name` would find it while `ig list` called it otherwise;
//   cxx_old_string.so  built with -D_GLIBCXX_USE_CXX11_ABI=0: its std::string is 8
//                      bytes where ig's is 32, so its Description would be garbage.
#include <cstdint>
#include <stdexcept>

#include <ig/ig.h>

#ifndef IG_TEST_NAME
#error "build with -DIG_TEST_NAME=\"name\""
#endif

namespace {

struct Record {
  std::uint32_t pid;
};

ig::Description describe() {
  return {IG_TEST_NAME, "0.0.1", "Refused at load (test plugin)", {},
          {IG_FIELD(Record, pid, ig::FieldType::U32, "process id")}, sizeof(Record), {}};
}

class NeverStarted final : public ig::Gadget {
 public:
  ig::Result<void> start(ig::Context&) override {
    throw std::logic_error(IG_TEST_NAME ": the host started a plugin it should have refused at load");
  }
};

}  // namespace

IG_PLUGIN(describe(), NeverStarted)
