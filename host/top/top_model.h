// Everything `ig top` shows, without a terminal: the latest batch of rows, each row's
// history, the node totals, and what the user chose (level, sort, filter, selection,
// pause). The view draws it; the controller turns keys into calls here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "top/history.h"
#include "top/top_row.h"

namespace ig::host::top {

enum class SortKey : std::uint8_t { Name, Gadget, Cpu, RuntimePerS, RunsPerS, AvgNs, MapMemory, MapCount };
inline constexpr std::size_t kSortKeys = 8;
const char* sort_key_name(SortKey key);

enum class Scope : std::uint8_t {
  Instances,    // `ig top`: one row per instance
  AllPrograms,  // `ig top --all`: one row per program on the system
};

enum class Level : std::uint8_t {
  List,      // the scope's rows
  Programs,  // one instance's programs (Enter on an instance)
  Detail,    // one row's graphs (Enter on a program)
};

struct Totals {
  double cpu = 0;              // % of one CPU, every program on the node
  std::size_t programs = 0;    // on the node
  std::size_t instances = 0;   // ig instances that own BPF objects
  std::uint64_t ig_maps = 0;   // distinct maps per instance, summed
  std::uint64_t ig_map_memory = 0;
  // From bpfstats' total row: the maps of every program on the node, each once.
  std::optional<std::uint64_t> node_maps;
  std::optional<std::uint64_t> node_map_memory;       // memlock
  std::optional<std::uint64_t> node_map_memory_real;  // what they hold, where known
  std::uint64_t elapsed_ns = 0;  // what the last batch measured over
};

class TopModel {
 public:
  explicit TopModel(Scope scope) : scope_(scope) { frames_.push_back({Level::List, {}, {}, 0}); }

  // A whole batch from bpfstats (programs and instances). Held back while paused.
  void apply(std::vector<TopRow> batch);
  bool has_data() const { return batches_ > 0; }
  std::uint64_t batches() const { return batches_; }

  Scope scope() const { return scope_; }
  Level level() const { return frames_.back().level; }
  // The instance whose programs are shown (Level::Programs), or the row in Detail.
  const std::string& focus() const { return frames_.back().focus; }
  // The rows of this level, filtered and sorted; valid until the next call that
  // changes rows, level, sort or filter.
  const std::vector<const TopRow*>& visible() const;
  // The selected row, if any row is visible (or the Detail row).
  const TopRow* selected() const;
  std::size_t selected_index() const;  // in visible()
  const History* history(const std::string& key) const;
  const Totals& totals() const { return totals_; }
  // The row behind the current Programs or Detail level (null at List or once gone).
  const TopRow* focused_row() const;

  void move(long delta);  // by rows; clamped
  void move_to_first();
  void move_to_last();
  // Into the selected instance's programs, or the selected program's detail.
  void enter();
  // Back one level; false at the top (nothing to go back to).
  bool back();

  SortKey sort_key() const { return sort_; }
  bool descending() const { return descending_; }
  void set_sort(SortKey key);  // the same key again flips the direction
  void next_sort();
  void reverse() {
    descending_ = !descending_;
    changed();
  }

  const std::string& filter() const { return filter_; }
  void set_filter(std::string text) {
    filter_ = std::move(text);
    changed();
  }

  bool paused() const { return paused_; }
  void toggle_pause();

 private:
  struct Frame {
    Level level;
    std::string focus;         // instance id (Programs) or row key (Detail)
    std::string selected_key;  // remembered so the selection follows its row through re-sorts
    std::size_t selected_at;   // where it was, for when its row goes
  };
  bool in_level(const TopRow& row, const Frame& frame) const;
  bool matches_filter(const TopRow& row) const;
  void take(std::vector<TopRow> batch);
  void changed() { visible_ready_ = false; }  // what visible() gives must be worked out again

  Scope scope_;
  std::vector<TopRow> rows_;
  std::unordered_map<std::string, History> history_;
  Totals totals_;
  std::uint64_t batches_ = 0;
  std::vector<Frame> frames_;
  SortKey sort_ = SortKey::Cpu;
  bool descending_ = true;
  std::string filter_;
  bool paused_ = false;
  std::vector<TopRow> held_;  // the newest batch that arrived while paused
  bool holding_ = false;
  // visible() once per change, not once per question: 1000 rows sorted for every
  // lookup would be most of ig top's CPU.
  mutable std::vector<const TopRow*> visible_;
  mutable bool visible_ready_ = false;
};

}  // namespace ig::host::top
