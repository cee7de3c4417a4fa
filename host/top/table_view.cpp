// The table: a header of column titles (the sort column marked), then one line per
// visible row, scrolled so the selection stays in sight.
#include <curses.h>

#include <algorithm>

#include "top/graph.h"
#include "top/table.h"
#include "top/terminal.h"
#include "top/view.h"

namespace ig::host::top {
namespace {

std::string padded(const std::string& text, std::size_t width, bool right) {
  if (text.size() >= width) return text.substr(0, width);
  std::string pad(width - text.size(), ' ');
  return right ? pad + text : text + pad;
}

std::string empty_note(const TopModel& model) {
  if (!model.has_data()) return "";
  if (!model.filter().empty()) return "no row matches '" + model.filter() + "'; Esc clears the filter";
  if (model.level() == Level::Programs) return "this instance has no BPF programs now";
  if (model.scope() == Scope::Instances)
    return "no running ig instance owns BPF objects; 'ig top --all' shows every BPF program on the node";
  return "no BPF programs";
}

}  // namespace

void View::draw_table(const TopModel& model, int top, int height, int width) {
  const std::vector<const TopRow*>& rows = model.visible();
  TableContext context{model.scope(), model.level(), false};
  for (const TopRow* row : rows) {
    context.has_used = context.has_used || row->map_memory_real.has_value();
    context.has_prog_memory = context.has_prog_memory || row->prog_memory.has_value();
  }
  std::vector<TableColumn> columns = layout_columns(static_cast<std::size_t>(width), context);

  std::string header;
  for (const TableColumn& c : columns) {
    std::string title = c.title;
    if (c.sort == model.sort_key() && c.id != ColumnId::Spark && c.id != ColumnId::MapUsed && c.id != ColumnId::ProgMemory)
      title += model.descending() ? (utf8_ ? "\u25bc" : "v") : (utf8_ ? "\u25b2" : "^");
    if (!header.empty()) header += ' ';
    // A marker is one cell but three bytes in UTF-8: pad by cells.
    std::size_t cells = c.title == title ? title.size() : std::string(c.title).size() + 1;
    std::string pad(c.width > cells ? c.width - cells : 0, ' ');
    header += c.right ? pad + title : title + pad;
  }
  attron(COLOR_PAIR(kHeader) | A_BOLD);
  mvhline(top, 0, ' ', width);
  mvaddstr(top, 0, header.c_str());
  attroff(COLOR_PAIR(kHeader) | A_BOLD);

  int lines = height - 1;
  if (lines <= 0) return;
  if (rows.empty()) {
    put_text(top + 1, 1, empty_note(model), width - 1);
    return;
  }
  std::size_t selected = model.selected_index();
  std::size_t page = static_cast<std::size_t>(lines);
  if (selected < scroll_) scroll_ = selected;
  if (selected >= scroll_ + page) scroll_ = selected + 1 - page;
  scroll_ = std::min(scroll_, rows.size() > page ? rows.size() - page : 0);

  for (std::size_t i = scroll_; i < rows.size() && i < scroll_ + page; ++i) {
    const TopRow& row = *rows[i];
    int y = top + 1 + static_cast<int>(i - scroll_);
    bool is_selected = i == selected;
    int base = is_selected ? A_REVERSE : 0;
    if (is_selected) mvchgat(y, 0, width, A_REVERSE, 0, nullptr);
    int x = 0;
    for (const TableColumn& c : columns) {
      if (c.id == ColumnId::Spark) {
        const History* history = model.history(row.key());
        std::string spark = history ? sparkline(history->cpu, c.width, utf8_) : std::string(c.width, ' ');
        attron(base | (is_selected ? 0 : COLOR_PAIR(kBar)));
        mvaddstr(y, x, spark.c_str());
        attroff(base | COLOR_PAIR(kBar));
      } else {
        put_text(y, x, padded(cell_text(row, c.id, model.level()), c.width, c.right), static_cast<int>(c.width), base);
      }
      x += static_cast<int>(c.width) + 1;
    }
  }
}

}  // namespace ig::host::top
