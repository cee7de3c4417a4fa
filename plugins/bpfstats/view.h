// Which rows a run shows. A view is a small strategy: what the kernel snapshot must
// read for it, and which rows that snapshot joined with the registry gives (how each
// row adds up is aggregate.h's). Every mode (runner.h) takes rows from a view, so a
// new view (per map, per cgroup) is one more class here and needs no mode of its own.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include <ig/host_access.h>

#include "aggregate.h"
#include "snapshot.h"

namespace ig::bpfstats {

enum class ViewKind : std::uint8_t {
  Instances,  // one row per instance that owns BPF objects
  Programs,   // --all: one row per program the kernel holds
  Maps,       // --maps: one row per map the kernel holds
};

// The view the parameters chose.
struct ViewSpec {
  ViewKind kind = ViewKind::Instances;
  bool gadgets_only = false;    // Programs: only programs of ig instances
  bool with_instances = false;  // Programs: each batch also has a row per instance
};

class View {
 public:
  virtual ~View() = default;

  // What the kernel snapshot must read for this view's rows.
  virtual SnapshotRequest plan(const std::vector<RegisteredInstance>& registry) const = 0;
  // The rows for `now` (unsorted), with deltas and cpu against `before` if given.
  virtual std::vector<Row> rows(const KernelSnapshot& now, const std::vector<RegisteredInstance>& registry,
                                const KernelSnapshot* before) const = 0;
  // What one row stands for, as in "one row per instance".
  virtual std::string_view row_per() const = 0;
  // Said once when a batch has no rows; empty when an empty batch needs no word.
  virtual std::string_view empty_note() const { return {}; }
  // The columns its rows fill, which --sort may name.
  virtual std::span<const Column> columns() const = 0;
  // Whether its rows show run counters, which a one-shot must sample for while stats
  // were off.
  virtual bool counts_runs() const { return true; }
  // The columns a client shows when the user names none with --fields; empty: the
  // description's defaults.
  virtual std::span<const Column> default_fields() const { return {}; }
  // The order when --sort is not given.
  virtual SortOrder default_sort() const { return SortOrder{Column::Runtime, true}; }
  // --total: one row over the objects of `rows` (built from `now`), each kernel
  // object counted once however many rows share it.
  virtual Row total(const KernelSnapshot& now, const std::vector<RegisteredInstance>& registry,
                    const KernelSnapshot* before, const std::vector<Row>& rows) const = 0;
};

std::unique_ptr<View> make_view(const ViewSpec& spec);

// The views make_view() chooses from, one file each.
std::unique_ptr<View> make_instances_view();
std::unique_ptr<View> make_programs_view(bool gadgets_only);
std::unique_ptr<View> make_programs_and_instances_view(bool gadgets_only);
std::unique_ptr<View> make_maps_view();

// The columns of the per-instance and per-program views.
std::span<const Column> program_columns();

// Every program id the registry lists, in its order: what a view of our own
// instances reads.
std::vector<std::uint32_t> registered_programs(const std::vector<RegisteredInstance>& registry);

}  // namespace ig::bpfstats
