// Every instance's published metric families, as the daemon's /metrics serves them.
// One owner per family name: an instance cannot publish a family another live
// instance publishes, so a scrape never shows one series twice. Rendering is lazy
// and cached per instance, so a scrape costs what changed since the last one.
#pragma once

#include <cstddef>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include <ig/metrics.h>
#include <ig/result.h>

namespace ig::host {

// Why `families` may not be published (metrics.h's rules, except ownership), or "".
std::string check_families(const std::vector<MetricFamily>& families);

class MetricsRegistry {
 public:
  // Replace the instance's whole set. On error nothing changes.
  Result<void> publish(const std::string& instance_id, const std::string& instance_name,
                       std::vector<MetricFamily> families);
  // The instance's series vanish (it stopped or was removed), and so do the samples
  // other instances publish about it (MetricSample::instance_id).
  void remove(const std::string& instance_id);

  // Append every published family in the exposition format: instances by id,
  // families in the order published.
  void render(std::string& out);
  // Samples published, over all instances.
  std::size_t series() const;

 private:
  struct Published {
    std::string name;
    std::vector<MetricFamily> families;
    std::string text;  // rendered on the first scrape after a publish
    bool rendered = false;
    std::size_t series = 0;
  };

  mutable std::mutex mutex_;
  std::map<std::string, Published> by_instance_;
  std::map<std::string, std::string> owner_;  // family name → instance id
};

}  // namespace ig::host
