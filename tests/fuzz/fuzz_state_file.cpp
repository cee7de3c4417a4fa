// The daemon's instance state files (<state_dir>/instances/<id>.toml), which it reads
// at start: any text is an instance spec or one error, never a crash; a spec that
// parses has a valid id and name, and survives render → parse unchanged.
#include <cstddef>
#include <cstdint>
#include <string>

#include "daemon/state_store.h"
#include "fuzz_check.h"
#include "runtime/identity.h"

using namespace ig::host;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  auto parsed = parse_instance(text, "fuzz.toml");
  if (!parsed) {
    IG_FUZZ_CHECK(!parsed.error().message.empty(), "an error says what is wrong");
    return 0;
  }
  const InstanceSpec& instance = parsed.value();
  IG_FUZZ_CHECK(InstanceId::parse(instance.id.str()).ok(), "a restored id is valid");
  IG_FUZZ_CHECK(InstanceName::parse(instance.name.str()).ok(), "a restored name is valid");
  IG_FUZZ_CHECK(!instance.gadget.empty(), "a restored instance names its gadget");

  auto again = parse_instance(render_instance(instance), "rendered.toml");
  IG_FUZZ_CHECK(again.ok(), "what the daemon writes, it reads back");
  IG_FUZZ_CHECK(again->id == instance.id && again->name == instance.name && again->gadget == instance.gadget &&
                    again->params == instance.params && again->created == instance.created,
                "render then parse keeps every field");
  return 0;
}
