#include "top/view.h"

#include <curses.h>

#include <algorithm>

#include "top/terminal.h"
#include "top/units.h"

namespace ig::host::top {
namespace {

constexpr int kGraphPane = 8;      // rows under the table for the selected row's graphs
constexpr int kMinTableRows = 5;   // below that, the graphs give way to rows

const char* const kHelp[] = {
    "ig top keys",
    "",
    "  Up/Down, j/k      move           PgUp/PgDn, g/G  page, first, last",
    "  Enter             into an instance's programs and maps, or a program's graphs",
    "  Esc, Backspace    back (at the top: clear the filter)",
    "  s, F2-F9          sort by the next column / by column 1-8",
    "  r                 reverse the order",
    "  /                 filter by name (Enter keeps it, Esc drops it)",
    "  p, Space          pause (the daemon keeps measuring)",
    "  ?                 this help        q, Ctrl-C  quit",
    "",
    "%CPU is the time the kernel ran the program(s) over the time measured between",
    "two snapshots, as a percentage of one CPU (above 100 on several CPUs at once).",
    "MAPMEM is the maps' memlock, each distinct map once per row. The header's maps",
    "are those of every program on the node, each once (real: what they hold).",
    "",
    "any key closes this help",
};

std::string level_title(const TopModel& model) {
  const TopRow* focus = model.focused_row();
  switch (model.level()) {
    case Level::List:
      return model.scope() == Scope::Instances ? "ig instances" : "every BPF program on the node";
    case Level::Programs:
      return focus ? "programs and maps of '" + focus->gadget_name + "' (" + focus->gadget_image + ")"
                   : "programs of an instance that is gone";
    case Level::Detail:
      return focus ? "program '" + focus->prog_name + "' (id " + std::to_string(focus->prog_id) + ")"
                   : "a program that is gone";
  }
  return "";
}

}  // namespace

void put_text(int y, int x, const std::string& text, int width, int attrs) {
  if (width <= 0) return;
  attron(attrs);
  mvaddnstr(y, x, text.c_str(), std::min<int>(width, static_cast<int>(text.size())));
  attroff(attrs);
}

void View::draw(const TopModel& model, const UiState& ui) {
  int height = 0, width = 0;
  getmaxyx(stdscr, height, width);
  erase();
  if (ui.help) {
    draw_help(height, width);
    refresh();
    return;
  }
  draw_header(model, ui, width);
  int top = 3, bottom = height - 1;  // the key line is the last
  if (model.level() == Level::Detail) {
    const TopRow* row = model.focused_row();
    const History* history = row ? model.history(row->key()) : nullptr;
    if (row && history) {
      int facts = draw_row_facts(*row, top, width);
      draw_graphs(*history, top + facts, bottom - top - facts, width, utf8_, true);
    } else {
      put_text(top, 0, "the program is gone; Esc goes back", width);
    }
  } else {
    int table_height = bottom - top;
    const TopRow* selected = model.selected();
    bool graphs = selected && table_height - kGraphPane >= kMinTableRows;
    if (graphs) table_height -= kGraphPane;
    draw_table(model, top, table_height, width);
    if (graphs)
      if (const History* history = model.history(selected->key()))
        draw_graphs(*history, top + table_height, kGraphPane, width, utf8_, false);
  }
  draw_footer(model, ui, height - 1, width);
  refresh();
}

void View::draw_header(const TopModel& model, const UiState& ui, int width) {
  const Totals& t = model.totals();
  std::string first = "ig top  BPF " + percent_text(t.cpu) + "% of a CPU  " + std::to_string(t.programs) +
                      " programs  " + std::to_string(t.instances) + " instances";
  if (t.node_maps && t.node_map_memory) {
    // The node's maps (those of every program, each once), not only ig's.
    first += ", " + std::to_string(*t.node_maps) + " maps, " + bytes_text(*t.node_map_memory) + " map memory";
    if (t.node_map_memory_real && *t.node_map_memory_real != *t.node_map_memory)
      first += " (" + bytes_text(*t.node_map_memory_real) + " real)";
  } else {
    first += ", " + std::to_string(t.ig_maps) + " maps, " + bytes_text(t.ig_map_memory) + " map memory";
  }
  if (!model.has_data()) first = "ig top  waiting for the first snapshot (every " + ui.interval + ")";
  put_text(0, 0, first, width, A_BOLD);
  std::string second = "BPF stats on: " + ui.stats_origin + "  every " + ui.interval + "  sort " +
                       sort_key_name(model.sort_key()) + (model.descending() ? " desc" : " asc");
  if (!model.filter().empty()) second += "  filter '" + model.filter() + "'";
  put_text(1, 0, second, width);
  if (model.paused()) put_text(1, std::max(0, width - 8), " PAUSED ", 8, A_REVERSE | A_BOLD);
  put_text(2, 0, level_title(model), width, COLOR_PAIR(kAccent) | A_BOLD);
}

void View::draw_footer(const TopModel& model, const UiState& ui, int y, int width) {
  if (ui.editing_filter) {
    put_text(y, 0, "filter: " + ui.filter_draft, width, A_BOLD);
    curs_set(1);
    move(y, std::min(width - 1, 8 + static_cast<int>(ui.filter_draft.size())));
    return;
  }
  curs_set(0);
  if (!ui.status.empty()) {
    put_text(y, 0, ui.status, width, COLOR_PAIR(kDim));
    return;
  }
  std::string keys = model.level() == Level::List     ? "Enter into  "
                     : model.level() == Level::Programs ? "Esc back  Enter into  "
                                                        : "Esc back  ";
  put_text(y, 0, keys + "s sort  r reverse  / filter  p pause  ? help  q quit", width, COLOR_PAIR(kDim));
}

void View::draw_help(int height, int width) {
  int lines = static_cast<int>(std::size(kHelp));
  int top = std::max(0, (height - lines) / 2);
  for (int i = 0; i < lines && top + i < height; ++i) put_text(top + i, 2, kHelp[i], width - 2, i == 0 ? A_BOLD : 0);
}

}  // namespace ig::host::top
