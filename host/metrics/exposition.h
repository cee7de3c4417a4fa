// The Prometheus text exposition format, version 0.0.4: what `GET /metrics` returns.
//   # HELP name help text
//   # TYPE name counter|gauge
//   name{label="value",...} 12.5
// Pure functions, no I/O; unit-tested in tests/unit/metrics_test.cpp.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <ig/metrics.h>

namespace ig::host {

inline constexpr std::string_view kExpositionContentType = "text/plain; version=0.0.4; charset=utf-8";

// A label value inside double quotes: backslash, double quote and newline escaped
// (\\, \", \n); bytes that are not UTF-8 become U+FFFD so one bad value cannot
// break the whole scrape.
std::string escape_label_value(std::string_view value);
// HELP text: backslash and newline escaped (a quote stays as it is), UTF-8 as above.
std::string escape_help(std::string_view help);
// A sample value: integers exactly (up to 2^53), else the shortest text that reads
// back as the same double; NaN, +Inf, -Inf.
std::string format_value(double value);

// Metric and label name rules (metrics.h); true when `name` is valid.
bool valid_metric_name(std::string_view name);
bool valid_label_name(std::string_view name);

// Append one family: HELP, TYPE, then one line per sample. A family without
// samples still gets its HELP and TYPE lines.
void render_family(std::string& out, const MetricFamily& family);
void render_families(std::string& out, const std::vector<MetricFamily>& families);

}  // namespace ig::host
