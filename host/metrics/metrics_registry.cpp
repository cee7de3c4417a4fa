#include "metrics/metrics_registry.h"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <set>
#include <string_view>
#include <unordered_map>

#include "metrics/exposition.h"

namespace ig::host {
namespace {

// The prefixes of the daemon's own metrics (self_metrics.h).
constexpr std::string_view kReservedPrefixes[] = {"ig_", "process_"};

// A hash of the series' identity, its set of label pairs: independent of their order.
std::uint64_t series_hash(const MetricSample& sample) {
  std::uint64_t sum = 0;
  for (const MetricLabel& label : sample.labels) {
    std::uint64_t h = std::hash<std::string_view>()(label.name) * 0x9E3779B97F4A7C15ull ^
                      std::hash<std::string_view>()(label.value);
    h ^= h >> 33;  // a mixer, so that summing the pairs keeps them apart
    h *= 0xFF51AFD7ED558CCDull;
    h ^= h >> 33;
    sum += h;
  }
  return sum;
}

bool same_series(const MetricSample& a, const MetricSample& b) {
  if (a.labels.size() != b.labels.size()) return false;
  for (const MetricLabel& label : a.labels) {
    auto match = std::find_if(b.labels.begin(), b.labels.end(), [&](const MetricLabel& other) {
      return other.name == label.name && other.value == label.value;
    });
    if (match == b.labels.end()) return false;
  }
  return true;
}

bool same_names(const std::vector<MetricLabel>& a, const std::vector<MetricLabel>& b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](const MetricLabel& x, const MetricLabel& y) { return x.name == y.name; });
}

// Why these label names are not allowed in a sample of `family`, or "".
std::string check_label_names(const std::string& family, const std::vector<MetricLabel>& labels) {
  for (std::size_t i = 0; i < labels.size(); ++i) {
    const std::string& name = labels[i].name;
    if (!valid_label_name(name))
      return "invalid label name '" + name + "' in metric '" + family +
             "': it must match ^[a-zA-Z_][a-zA-Z0-9_]*$ and not start with '__'";
    for (std::size_t j = 0; j < i; ++j)
      if (labels[j].name == name) return "label '" + name + "' is given twice in a sample of metric '" + family + "'";
  }
  return "";
}

std::string labels_text(const MetricSample& sample) {
  std::string text = "{";
  for (std::size_t i = 0; i < sample.labels.size(); ++i)
    text += (i ? "," : "") + sample.labels[i].name + "=\"" + escape_label_value(sample.labels[i].value) + "\"";
  return text + "}";
}

}  // namespace

std::string check_families(const std::vector<MetricFamily>& families) {
  std::set<std::string_view> names;
  for (const MetricFamily& family : families) {
    if (!valid_metric_name(family.name))
      return "invalid metric name '" + family.name + "': it must match ^[a-zA-Z_:][a-zA-Z0-9_:]*$";
    for (std::string_view prefix : kReservedPrefixes)
      if (family.name.starts_with(prefix))
        return "metric name '" + family.name + "' is reserved: names starting with '" + std::string(prefix) +
               "' are the ig daemon's own metrics";
    if (!names.insert(family.name).second) return "metric family '" + family.name + "' is given twice";
    // Samples of a family nearly always share their label names: check them once per
    // change. Doubled series are found by hash, confirmed by comparing the labels.
    const std::vector<MetricLabel>* checked = nullptr;
    std::unordered_multimap<std::uint64_t, std::size_t> series;
    series.reserve(family.samples.size());
    for (std::size_t i = 0; i < family.samples.size(); ++i) {
      const MetricSample& sample = family.samples[i];
      if (!checked || !same_names(*checked, sample.labels)) {
        if (std::string bad = check_label_names(family.name, sample.labels); !bad.empty()) return bad;
        checked = &sample.labels;
      }
      std::uint64_t hash = series_hash(sample);
      auto [first, last] = series.equal_range(hash);
      for (auto it = first; it != last; ++it)
        if (same_series(family.samples[it->second], sample))
          return "metric '" + family.name + "' has two samples with the same labels " + labels_text(sample) +
                 "; give each series a label that tells them apart";
      series.emplace(hash, i);
    }
  }
  return "";
}

Result<void> MetricsRegistry::publish(const std::string& instance_id, const std::string& instance_name,
                                      std::vector<MetricFamily> families) {
  if (std::string bad = check_families(families); !bad.empty()) return make_error(bad);
  std::lock_guard lock(mutex_);
  for (const MetricFamily& family : families) {
    auto owner = owner_.find(family.name);
    if (owner == owner_.end() || owner->second == instance_id) continue;
    const Published& other = by_instance_.at(owner->second);
    return make_error("metric family '" + family.name + "' is already published by instance '" + other.name +
                      "' (" + owner->second.substr(0, 12) + "); one instance owns a family: remove '" + other.name +
                      "' first, or run a single collector");
  }
  Published& mine = by_instance_[instance_id];
  for (const MetricFamily& family : mine.families) owner_.erase(family.name);
  mine.name = instance_name;
  mine.series = 0;
  for (const MetricFamily& family : families) {
    owner_[family.name] = instance_id;
    mine.series += family.samples.size();
  }
  mine.families = std::move(families);
  mine.rendered = false;
  if (mine.families.empty()) by_instance_.erase(instance_id);
  return {};
}

void MetricsRegistry::remove(const std::string& instance_id) {
  std::lock_guard lock(mutex_);
  if (auto it = by_instance_.find(instance_id); it != by_instance_.end()) {
    for (const MetricFamily& family : it->second.families) owner_.erase(family.name);
    by_instance_.erase(it);
  }
  // Series other instances publish about this one go too.
  for (auto& [id, published] : by_instance_) {
    std::size_t before = published.series;
    for (MetricFamily& family : published.families) {
      published.series -= family.samples.size();
      std::erase_if(family.samples, [&](const MetricSample& s) { return s.instance_id == instance_id; });
      published.series += family.samples.size();
    }
    if (published.series != before) published.rendered = false;
  }
}

void MetricsRegistry::render(std::string& out) {
  std::lock_guard lock(mutex_);
  for (auto& [id, published] : by_instance_) {
    if (!published.rendered) {
      published.text.clear();
      render_families(published.text, published.families);
      published.rendered = true;
    }
    out += published.text;
  }
}

std::size_t MetricsRegistry::series() const {
  std::lock_guard lock(mutex_);
  std::size_t total = 0;
  for (const auto& [id, published] : by_instance_) total += published.series;
  return total;
}

}  // namespace ig::host
