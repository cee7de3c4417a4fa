// Draws the model with ncurses: the header (node totals, stats, sort, filter), the
// table with a sparkline per row, the selected row's graphs, and the key line. What is
// drawn is only what fits; ncurses sends the terminal only what changed.
#pragma once

#include <cstddef>
#include <string>

#include "top/top_model.h"

namespace ig::host::top {

// What the controller knows beyond the model.
struct UiState {
  bool help = false;
  bool editing_filter = false;
  std::string filter_draft;
  std::string status;        // the latest message from bpfstats or the daemon
  std::string stats_origin;  // who keeps BPF stats on
  std::string interval;      // "1s"
};

class View {
 public:
  explicit View(bool utf8) : utf8_(utf8) {}
  void draw(const TopModel& model, const UiState& ui);

 private:
  void draw_header(const TopModel& model, const UiState& ui, int width);
  void draw_table(const TopModel& model, int top, int height, int width);
  void draw_footer(const TopModel& model, const UiState& ui, int y, int width);
  void draw_help(int height, int width);

  bool utf8_;
  std::size_t scroll_ = 0;  // the first row the table shows
};

// Helpers shared by the view's files: text clipped to `width` cells at (y, x).
void put_text(int y, int x, const std::string& text, int width, int attrs = 0);
// The selected row's two graphs (%CPU and runs/s) side by side, or stacked in Detail.
void draw_graphs(const History& history, int top, int height, int width, bool utf8, bool stacked);
// Detail: what the row is, above its graphs.
int draw_row_facts(const TopRow& row, int top, int width);

}  // namespace ig::host::top
