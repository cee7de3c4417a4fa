// The config file (/etc/ig/config.toml, $IG_CONFIG, --config): any text is a Config
// or one error naming the file, never a crash. A metrics address it accepts then goes
// through the same address parser the daemon applies before it listens.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/log.h"
#include "daemon/config.h"
#include "fuzz_check.h"
#include "metrics/metrics_server.h"

using namespace ig::host;

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  set_log_level(ig::LogLevel::Error);  // unknown keys are warnings: not a finding, and noisy
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto config = parse_config(text, "/etc/ig/config.toml");
  if (!config) {
    IG_FUZZ_CHECK(config.error().message.starts_with("config '/etc/ig/config.toml'"), "an error names the file");
    return 0;
  }
  IG_FUZZ_CHECK(!config->socket.empty() && !config->pid_file.empty() && !config->state_dir.empty(),
                "every path the daemon needs is set");
  if (!config->metrics_listen.empty()) {
    auto address = parse_listen_address(config->metrics_listen);
    if (address)
      IG_FUZZ_CHECK(address->port != 0 && !address->host.empty(), "an accepted address has a port and a host");
  }
  return 0;
}
