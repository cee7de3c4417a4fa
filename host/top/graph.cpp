#include "top/graph.h"

#include <algorithm>
#include <cmath>

namespace ig::host::top {
namespace {

// Index 0 is empty; 1-8 are eighths.
const char* const kBlocks[9] = {" ", "\u2581", "\u2582", "\u2583", "\u2584", "\u2585", "\u2586", "\u2587", "\u2588"};
const char* const kAscii[9] = {" ", ".", ".", ":", ":", "|", "|", "#", "#"};

// A value's height in eighths of `rows` rows, at least 1 when above zero.
std::size_t eighths_of(double value, double max, std::size_t rows) {
  if (value <= 0 || max <= 0) return 0;
  double scaled = std::clamp(value / max, 0.0, 1.0) * static_cast<double>(rows * 8);
  return std::max<std::size_t>(1, static_cast<std::size_t>(std::lround(scaled)));
}

}  // namespace

std::string bar_glyph(std::uint8_t eighths, bool utf8) { return (utf8 ? kBlocks : kAscii)[eighths > 8 ? 8 : eighths]; }
std::string average_glyph(bool utf8) { return utf8 ? "\u00b7" : "-"; }

std::string sparkline(const Series& series, std::size_t width, bool utf8, double max) {
  if (max <= 0) max = series.max();
  std::vector<double> values = series.tail(width);
  std::string out(width - values.size(), ' ');
  for (double v : values) out += bar_glyph(static_cast<std::uint8_t>(eighths_of(v, max, 1)), utf8);
  return out;
}

Graph bar_graph(const Series& series, std::size_t height, std::size_t width, double max, std::size_t window) {
  Graph g;
  g.height = height;
  g.width = width;
  g.cells.assign(height * width, Cell::Empty);
  g.fill.assign(height * width, 0);
  std::size_t shown = std::min(width, series.size());
  std::size_t first_sample = series.size() - shown;
  for (std::size_t k = 0; k < shown; ++k) {
    std::size_t sample = first_sample + k;
    std::size_t col = width - shown + k;
    std::size_t bar = eighths_of(series.at(sample), max, height);
    for (std::size_t row = 0; row < height; ++row) {
      std::size_t from_bottom = height - 1 - row;  // the row's base, in rows
      std::size_t in_row = bar > from_bottom * 8 ? std::min<std::size_t>(8, bar - from_bottom * 8) : 0;
      if (in_row == 0) continue;
      g.cells[row * width + col] = Cell::Bar;
      g.fill[row * width + col] = static_cast<std::uint8_t>(in_row);
    }
    // The average's row, marked where the bar does not reach.
    std::size_t avg = eighths_of(series.moving_average(sample, window), max, height);
    if (avg == 0) continue;
    std::size_t at = (height - 1 - std::min(height - 1, (avg - 1) / 8)) * width + col;
    if (g.cells[at] == Cell::Empty) g.cells[at] = Cell::Average;
  }
  return g;
}

}  // namespace ig::host::top
