#include "runtime/identity.h"

#include <sys/random.h>

#include <array>
#include <cstdint>
#include <regex>
#include <stdexcept>

namespace ig::host {
namespace {

void random_bytes(void* buf, std::size_t len) {
  auto* p = static_cast<unsigned char*>(buf);
  while (len > 0) {
    ssize_t n = ::getrandom(p, len, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error("getrandom failed");  // a broken kernel: fatal
    }
    p += n;
    len -= static_cast<std::size_t>(n);
  }
}

constexpr std::array kAdjectives = {"amber", "brave", "calm", "clever", "eager", "fancy", "gentle", "happy",
                                    "jolly", "keen", "lucky", "merry", "nimble", "proud", "quick", "quiet",
                                    "rapid", "shiny", "silent", "sunny", "swift", "tidy", "vivid", "witty"};
constexpr std::array kNouns = {"badger", "beaver", "condor", "falcon", "ferret", "gecko", "heron", "ibis",
                               "jaguar", "koala", "lemur", "lynx", "marmot", "otter", "panda", "puffin",
                               "quokka", "raven", "salmon", "tapir", "toucan", "walrus", "wombat", "yak"};

}  // namespace

InstanceId InstanceId::generate() {
  unsigned char bytes[16];
  random_bytes(bytes, sizeof(bytes));
  static const char* hex = "0123456789abcdef";
  std::string id;
  for (unsigned char b : bytes) {
    id += hex[b >> 4];
    id += hex[b & 15];
  }
  return InstanceId(std::move(id));
}

Result<InstanceId> InstanceId::parse(std::string_view text) {
  static const std::regex valid("^[0-9a-f]{32}$");
  std::string id(text);
  if (!std::regex_match(id, valid))
    return make_error("invalid instance id '" + id + "': use 32 lowercase hex characters");
  return InstanceId(std::move(id));
}

InstanceName InstanceName::generate() {
  std::uint32_t r[3];
  random_bytes(r, sizeof(r));
  return InstanceName(std::string(kAdjectives[r[0] % kAdjectives.size()]) + "_" + kNouns[r[1] % kNouns.size()] + "_" +
                      std::to_string(r[2] % 100));
}

Result<InstanceName> InstanceName::parse(std::string_view text) {
  static const std::regex valid("^[a-z0-9_-]{1,32}$");
  std::string name(text);
  if (!std::regex_match(name, valid))
    return make_error("invalid instance name '" + name + "': use 1 to 32 characters of a-z, 0-9, _ and -");
  return InstanceName(std::move(name));
}

}  // namespace ig::host
