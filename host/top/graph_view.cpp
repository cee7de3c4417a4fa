// The selected row's graphs: %CPU and runs/s over the last 60 samples, each with its
// moving average and maximum, like bpftop's detail view.
#include <curses.h>

#include <algorithm>

#include "top/graph.h"
#include "top/terminal.h"
#include "top/units.h"
#include "top/view.h"

namespace ig::host::top {
namespace {

constexpr std::size_t kAverageWindow = 5;  // samples in the moving average

struct Plot {
  const char* title;
  const Series* series;
  std::string (*text)(double);
};

std::string cpu_text(double v) { return percent_text(v) + "%"; }
std::string runs_text(double v) { return count_text(v) + "/s"; }

// One graph in the box (top, left, height, width): a title line with now, average and
// max, then the bars, scaled to the max (labelled on the left).
void draw_plot(const Plot& plot, int top, int left, int height, int width, bool utf8) {
  const Series& s = *plot.series;
  double avg = s.size() ? s.moving_average(s.size() - 1, kAverageWindow) : 0;
  std::string title = std::string(plot.title) + " now " + plot.text(s.last()) + " avg" +
                      std::to_string(kAverageWindow) + " " + plot.text(avg) + " max " + plot.text(s.max());
  put_text(top, left, title, width, A_BOLD);
  int rows = height - 1;
  int label = 8;
  if (rows <= 0 || width <= label + 2) return;
  double max = s.max() > 0 ? s.max() : 1;
  put_text(top + 1, left, plot.text(max), label);
  put_text(top + rows, left, plot.text(0), label);
  int graph_width = std::min<int>(width - label, static_cast<int>(kHistorySamples));
  Graph g = bar_graph(s, static_cast<std::size_t>(rows), static_cast<std::size_t>(graph_width), max, kAverageWindow);
  for (int r = 0; r < rows; ++r) {
    for (int c = 0; c < graph_width; ++c) {
      Cell cell = g.at(static_cast<std::size_t>(r), static_cast<std::size_t>(c));
      if (cell == Cell::Empty) continue;
      bool bar = cell == Cell::Bar;
      std::string glyph = bar ? bar_glyph(g.eighths(static_cast<std::size_t>(r), static_cast<std::size_t>(c)), utf8)
                              : average_glyph(utf8);
      int attrs = COLOR_PAIR(bar ? kBar : kAverage) | (bar ? 0 : A_BOLD);
      attron(attrs);
      mvaddstr(top + 1 + r, left + label + c, glyph.c_str());
      attroff(attrs);
    }
  }
}

}  // namespace

void draw_graphs(const History& history, int top, int height, int width, bool utf8, bool stacked) {
  Plot cpu{"%CPU", &history.cpu, cpu_text};
  Plot runs{"runs", &history.runs, runs_text};
  if (stacked) {
    int half = height / 2;
    draw_plot(cpu, top, 0, half, width, utf8);
    draw_plot(runs, top + half, 0, height - half, width, utf8);
    return;
  }
  int half = width / 2;
  draw_plot(cpu, top, 0, height, half - 1, utf8);
  draw_plot(runs, top, half + 1, height, width - half - 1, utf8);
}

int draw_row_facts(const TopRow& row, int top, int width) {
  std::string owner = row.gadget_name.empty() ? "held by " + (row.comms.empty() ? "no process (pinned or attached)"
                                                                                  : row.comms + " (pids " + row.pids + ")")
                                              : "instance '" + row.gadget_name + "' (" + row.gadget_image + ")";
  std::string first = "type " + (row.prog_type.empty() ? "-" : row.prog_type) + "  " + owner;
  std::string second = std::to_string(row.map_count) + " maps, " + bytes_text(row.map_memory) + " map memory" +
                       (row.map_memory_real ? " (" + bytes_text(*row.map_memory_real) + " used)" : "") +
                       (row.prog_memory ? ", program " + bytes_text(*row.prog_memory) : "") +
                       "  avg/run " + (row.avg_ns() ? duration_text(*row.avg_ns()) : "-");
  put_text(top, 0, first, width);
  put_text(top + 1, 0, second, width);
  return 3;  // two lines and a blank one
}

}  // namespace ig::host::top
