// Instance names, ids and the lookup every command that takes an instance does
// (`ig remove X`, `ig attach X`): InstanceName::parse accepts exactly
// ^[a-z0-9_-]{1,32}$ and InstanceId::parse exactly 32 lowercase hex digits, each
// refusal naming the value; find_instance, over instances built from the input
// (ids from a small alphabet so prefixes collide, names that may look like ids),
// follows the documented rule: a full id always reaches its instance, an exact name
// next, else a prefix of exactly one id; an ambiguous prefix lists every match.
#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz_check.h"
#include "runtime/instance_lookup.h"

using namespace ig::host;

namespace {

bool name_by_hand(const std::string& name) {
  if (name.empty() || name.size() > 32) return false;
  for (char c : name)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) return false;
  return true;
}

bool id_by_hand(const std::string& id) {
  if (id.size() != 32) return false;
  for (char c : id)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

void check_parsers(const std::string& text) {
  auto name = InstanceName::parse(text);
  IG_FUZZ_CHECK(name.ok() == name_by_hand(text), "the name rule is ^[a-z0-9_-]{1,32}$");
  if (name) IG_FUZZ_CHECK(name->str() == text, "a name is kept as given");
  else IG_FUZZ_CHECK(name.error().message.find("'" + text + "'") != std::string::npos, "a refusal names the value");
  auto id = InstanceId::parse(text);
  IG_FUZZ_CHECK(id.ok() == id_by_hand(text), "the id rule is 32 lowercase hex digits");
}

// The instances a daemon could hold: distinct ids, distinct names.
std::vector<InstanceSpec> instances(FuzzedDataProvider& in) {
  static const char kHex[] = "0123456789abcdef";
  std::vector<InstanceSpec> out;
  std::size_t count = in.ConsumeIntegralInRange(0, 6);
  std::size_t alphabet = in.ConsumeIntegralInRange(1, 16);
  for (std::size_t i = 0; i < count; ++i) {
    std::string id_text;
    for (int c = 0; c < 32; ++c) id_text += kHex[in.ConsumeIntegralInRange<std::size_t>(0, alphabet - 1)];
    std::string name_text;
    switch (in.ConsumeIntegralInRange(0, 2)) {
      case 0: name_text = in.ConsumeRandomLengthString(33); break;
      case 1:  // another instance's id (or its own)
        name_text = out.empty() ? id_text : out[in.ConsumeIntegralInRange<std::size_t>(0, out.size() - 1)].id.str();
        break;
      default: name_text = id_text.substr(0, in.ConsumeIntegralInRange(1, 32)); break;
    }
    auto id = InstanceId::parse(id_text);
    auto name = InstanceName::parse(name_text);
    if (!name) name = InstanceName::parse("n" + std::to_string(i));
    bool taken = false;
    for (const InstanceSpec& other : out) taken = taken || other.id == id.value() || other.name == name.value();
    if (!taken) out.push_back({id.value(), name.value(), "trace_open", {}, 0});
  }
  std::sort(out.begin(), out.end(), [](const InstanceSpec& a, const InstanceSpec& b) { return a.id < b.id; });
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider in(data, size);
  std::vector<InstanceSpec> specs = instances(in);
  std::string target;
  if (!specs.empty() && in.ConsumeBool()) {
    const InstanceSpec& some = specs[in.ConsumeIntegralInRange<std::size_t>(0, specs.size() - 1)];
    target = in.ConsumeBool() ? some.name.str() : some.id.str().substr(0, in.ConsumeIntegralInRange(0, 32));
  } else {
    target = in.ConsumeRemainingBytesAsString();
  }
  check_parsers(target);

  std::vector<const InstanceSpec*> held;
  for (const InstanceSpec& spec : specs) held.push_back(&spec);
  auto found = find_instance(target, held);

  const InstanceSpec* by_id = nullptr;
  const InstanceSpec* by_name = nullptr;
  std::vector<const InstanceSpec*> by_prefix;
  for (const InstanceSpec& spec : specs) {
    if (spec.id.str() == target) by_id = &spec;
    if (spec.name.str() == target) by_name = &spec;
    if (spec.id.str().starts_with(target)) by_prefix.push_back(&spec);
  }
  if (target.empty()) {
    IG_FUZZ_CHECK(!found, "an empty target is an error");
  } else if (by_id) {
    IG_FUZZ_CHECK(found && found.value() == by_id->id, "a full id reaches its instance");
  } else if (by_name) {
    IG_FUZZ_CHECK(found && found.value() == by_name->id, "an exact name reaches its instance");
  } else if (by_prefix.size() == 1) {
    IG_FUZZ_CHECK(found && found.value() == by_prefix[0]->id, "a unique prefix reaches its instance");
  } else {
    IG_FUZZ_CHECK(!found, "no match, or an ambiguous prefix, is an error");
    for (const InstanceSpec* spec : by_prefix) {
      std::string listed = spec->id.short_form() + " (" + spec->name.str() + ")";
      IG_FUZZ_CHECK(found.error().message.find(listed) != std::string::npos, "an ambiguous prefix lists every match");
    }
  }
  return 0;
}
