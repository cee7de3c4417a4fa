#include "top/top_model.h"

#include <algorithm>
#include <cctype>
#include <compare>
#include <unordered_set>

namespace ig::host::top {
namespace {

bool is_text(SortKey key) { return key == SortKey::Name || key == SortKey::Gadget; }

// The GADGET column: an instance's gadget; a program's instance, or its holders' names.
const std::string& gadget_of(const TopRow& row) {
  if (row.kind == RowKind::Instance) return row.gadget_image;
  return row.gadget_name.empty() ? row.comms : row.gadget_name;
}

template <class T>
std::weak_ordering order(const T& a, const T& b) {
  if (a < b) return std::weak_ordering::less;
  if (b < a) return std::weak_ordering::greater;
  return std::weak_ordering::equivalent;
}

std::weak_ordering compare(const TopRow& a, const TopRow& b, SortKey key) {
  switch (key) {
    case SortKey::Name: return order(a.name(), b.name());
    case SortKey::Gadget: return order(gadget_of(a), gadget_of(b));
    case SortKey::Cpu: return order(a.cpu, b.cpu);
    case SortKey::RuntimePerS: return order(a.runtime_per_s(), b.runtime_per_s());
    case SortKey::RunsPerS: return order(a.runs_per_s(), b.runs_per_s());
    case SortKey::AvgNs: return order(a.avg_ns().value_or(-1), b.avg_ns().value_or(-1));
    case SortKey::MapMemory: return order(a.map_memory, b.map_memory);
    case SortKey::MapCount: return order(a.map_count, b.map_count);
  }
  return std::weak_ordering::equivalent;
}

bool contains_folded(const std::string& text, const std::string& needle) {
  return std::search(text.begin(), text.end(), needle.begin(), needle.end(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         }) != text.end();
}

}  // namespace

const char* sort_key_name(SortKey key) {
  static const char* const names[kSortKeys] = {"name",   "gadget",     "%cpu", "runtime/s",
                                               "runs/s", "avg/run", "map memory", "maps"};
  return names[static_cast<std::size_t>(key)];
}

void TopModel::apply(std::vector<TopRow> batch) {
  if (paused_) {
    held_ = std::move(batch);
    holding_ = true;
    return;
  }
  take(std::move(batch));
}

void TopModel::take(std::vector<TopRow> batch) {
  totals_ = {};
  for (const TopRow& row : batch)
    if (row.kind == RowKind::Total) {
      totals_.node_maps = row.map_count;
      totals_.node_map_memory = row.map_memory;
      totals_.node_map_memory_real = row.map_memory_real;
    }
  std::erase_if(batch, [](const TopRow& row) { return row.kind == RowKind::Total; });
  rows_ = std::move(batch);
  changed();
  ++batches_;
  std::unordered_set<std::string> present;
  for (const TopRow& row : rows_) {
    const std::string& key = row.key();
    present.insert(key);
    if (row.kind == RowKind::Map) continue;  // no runs: nothing to graph or total
    History& h = history_[key];
    h.cpu.push(row.cpu);
    h.runs.push(row.runs_per_s());
    totals_.elapsed_ns = std::max(totals_.elapsed_ns, row.elapsed_ns);
    if (row.kind == RowKind::Program) {
      totals_.cpu += row.cpu;
      ++totals_.programs;
    } else if (row.kind == RowKind::Instance) {
      ++totals_.instances;
      totals_.ig_maps += row.map_count;
      totals_.ig_map_memory += row.map_memory;
    }
  }
  std::erase_if(history_, [&](const auto& entry) { return !present.count(entry.first); });
}

bool TopModel::in_level(const TopRow& row, const Frame& frame) const {
  switch (frame.level) {
    case Level::List: return row.kind == (scope_ == Scope::Instances ? RowKind::Instance : RowKind::Program);
    case Level::Programs:
      return (row.kind == RowKind::Program || row.kind == RowKind::Map) && row.gadget_id == frame.focus;
    case Level::Detail: return row.key() == frame.focus;
  }
  return false;
}

bool TopModel::matches_filter(const TopRow& row) const {
  if (filter_.empty() || level() == Level::Detail) return true;
  return contains_folded(row.name(), filter_) || contains_folded(row.gadget_name, filter_) ||
         contains_folded(row.gadget_image, filter_) || contains_folded(row.comms, filter_);
}

const std::vector<const TopRow*>& TopModel::visible() const {
  if (visible_ready_) return visible_;
  visible_.clear();
  for (const TopRow& row : rows_)
    if (in_level(row, frames_.back()) && matches_filter(row)) visible_.push_back(&row);
  std::stable_sort(visible_.begin(), visible_.end(), [this](const TopRow* a, const TopRow* b) {
    const bool a_map = a->kind == RowKind::Map, b_map = b->kind == RowKind::Map;
    if (a_map != b_map) return b_map;  // an instance's programs first, then its maps
    std::weak_ordering by = compare(*a, *b, sort_);
    if (by != 0) return descending_ ? by > 0 : by < 0;
    if (a->name() != b->name()) return a->name() < b->name();  // a steady order for ties
    return a->key() < b->key();
  });
  visible_ready_ = true;
  return visible_;
}

std::size_t TopModel::selected_index() const {
  const Frame& frame = frames_.back();
  const std::vector<const TopRow*>& rows = visible();
  for (std::size_t i = 0; i < rows.size(); ++i)
    if (rows[i]->key() == frame.selected_key) return i;
  return rows.empty() ? 0 : std::min(frame.selected_at, rows.size() - 1);
}

const TopRow* TopModel::selected() const {
  const std::vector<const TopRow*>& rows = visible();
  return rows.empty() ? nullptr : rows[selected_index()];
}

const TopRow* TopModel::focused_row() const {
  const Frame& frame = frames_.back();
  for (const TopRow& row : rows_) {
    if (frame.level == Level::Programs && row.kind == RowKind::Instance && row.gadget_id == frame.focus) return &row;
    if (frame.level == Level::Detail && row.key() == frame.focus) return &row;
  }
  return nullptr;
}

const History* TopModel::history(const std::string& key) const {
  auto it = history_.find(key);
  return it == history_.end() ? nullptr : &it->second;
}

void TopModel::move(long delta) {
  const std::vector<const TopRow*>& rows = visible();
  Frame& frame = frames_.back();
  if (rows.empty()) return;
  long at = static_cast<long>(selected_index()) + delta;
  at = std::clamp(at, 0L, static_cast<long>(rows.size()) - 1);
  frame.selected_at = static_cast<std::size_t>(at);
  frame.selected_key = rows[frame.selected_at]->key();
}

void TopModel::move_to_first() { move(-static_cast<long>(rows_.size()) - 1); }
void TopModel::move_to_last() { move(static_cast<long>(rows_.size()) + 1); }

void TopModel::enter() {
  const TopRow* row = selected();
  if (!row || level() == Level::Detail || row->kind == RowKind::Map) return;  // a map has no run graphs
  if (row->kind == RowKind::Instance)
    frames_.push_back({Level::Programs, row->gadget_id, {}, 0});
  else
    frames_.push_back({Level::Detail, row->key(), row->key(), 0});
  changed();
}

bool TopModel::back() {
  if (frames_.size() == 1) return false;
  frames_.pop_back();
  changed();
  return true;
}

void TopModel::set_sort(SortKey key) {
  if (key == sort_) {
    reverse();
    return;
  }
  sort_ = key;
  descending_ = !is_text(key);  // the biggest first, names from A
  changed();
}

void TopModel::next_sort() { set_sort(static_cast<SortKey>((static_cast<std::size_t>(sort_) + 1) % kSortKeys)); }

void TopModel::toggle_pause() {
  paused_ = !paused_;
  if (!paused_ && holding_) {
    holding_ = false;
    take(std::move(held_));
  }
}

}  // namespace ig::host::top
