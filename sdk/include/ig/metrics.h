// Metrics a plugin publishes through Context::publish_metrics(); the daemon serves
// them on its Prometheus endpoint (text exposition format 0.0.4) when it has one.
//
// Plain data, no host code: a family is one metric name with its HELP text, its type
// and its samples; a sample is one series (a set of label pairs) and its value.
//
// Rules the host checks when an instance publishes (the whole publish is refused,
// with a one-line reason, if one fails):
//   * family names match ^[a-zA-Z_:][a-zA-Z0-9_:]*$ and do not start with "ig_" or
//     "process_" (the daemon's own metrics);
//   * label names match ^[a-zA-Z_][a-zA-Z0-9_]*$ and do not start with "__";
//   * no family name twice in one publish, no label name twice in one sample, no
//     label set twice in one family (one series, one value);
//   * no family name that another live instance publishes: one owner per family,
//     so a scrape never shows the same series twice.
// A sample may name the instance it describes (MetricSample::instance_id); it then
// vanishes with that instance too. Label values and HELP may be any text; the host escapes them (and replaces bytes
// that are not UTF-8) when it renders.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace ig {

enum class MetricType : std::uint8_t {
  Counter,  // only goes up while the instance lives (name it ..._total)
  Gauge,    // goes up and down
};

struct MetricLabel {
  std::string name;
  std::string value;
};

struct MetricSample {
  std::vector<MetricLabel> labels;  // rendered in this order
  double value = 0;
  // The ig instance (full 32-hex id) this series describes, if any. When that
  // instance stops or is removed the host drops the series at once, so it is gone
  // from the very next scrape, before the publisher's next update. Not a label.
  std::string instance_id;
};

struct MetricFamily {
  std::string name;
  std::string help;  // one line: what it counts, in which unit
  MetricType type = MetricType::Gauge;
  std::vector<MetricSample> samples;
};

}  // namespace ig
