// Sparklines and the detail graph as plain data, so they are tested without a
// terminal: levels of eighths, drawn with Unicode blocks where the locale is UTF-8 and
// with ASCII elsewhere.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "top/history.h"

namespace ig::host::top {

// Each sample scaled to `max` (the series' own maximum when 0), newest right-aligned
// in `width` characters. A sample above zero shows at least the lowest mark.
std::string sparkline(const Series& series, std::size_t width, bool utf8, double max = 0);

enum class Cell : std::uint8_t { Empty, Bar, Average };

// A bar graph `height` rows by `width` columns, one column per sample (the newest
// right-aligned), scaled to `max`. `fill` gives each Bar cell's level in eighths (1-8);
// the moving average over `window` samples is marked where it falls above a bar.
struct Graph {
  std::size_t height = 0, width = 0;
  std::vector<Cell> cells;         // row-major, row 0 at the top
  std::vector<std::uint8_t> fill;  // eighths, for Bar cells
  Cell at(std::size_t row, std::size_t col) const { return cells[row * width + col]; }
  std::uint8_t eighths(std::size_t row, std::size_t col) const { return fill[row * width + col]; }
};
Graph bar_graph(const Series& series, std::size_t height, std::size_t width, double max, std::size_t window);

// A Bar cell's glyph: a block of `eighths` eighths (UTF-8) or an ASCII stand-in.
std::string bar_glyph(std::uint8_t eighths, bool utf8);
std::string average_glyph(bool utf8);

}  // namespace ig::host::top
