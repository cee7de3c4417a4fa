// Every program's run counters in one read(), for the passes after the first of an
// --all run (--interval, a --metrics collector): program_counters.bpf.c, a bpf_prog
// iterator loaded once and read once per pass. Per program it saves the three bpf()
// calls (get-fd-by-id, get-info, close) that are otherwise the whole cost of a pass.
//
// It is bpfstats' own BPF for as long as the run lasts: the plugin registers its ids,
// so `--all` shows it as a row of the bpfstats instance, at its true cost.
#pragma once

#include <bpf/bpf.h>
#include <linux/types.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include <ig/context.h>
#include <ig/result.h>

#include "light_skeletons.h"
#include "program_counters_record.h"
#include "snapshot.h"

namespace ig::bpfstats {

struct ProgramCounters {
  std::uint32_t id = 0;
  std::uint32_t map_count = 0;  // grows only through BPF_PROG_BIND_MAP
  std::uint64_t run_cnt = 0;
  std::uint64_t run_time_ns = 0;
  std::uint64_t recursion_misses = 0;
  // The whole record, when the pass wrote whole programs: whole_program() then gives
  // the program, if it uses few enough maps for the record to list them all.
  program_counters_record record{};
};

// The program of a whole record; nullopt when it lists only some of its maps.
std::optional<ProgramInfo> whole_program(const program_counters_record& record);

class ProgramCounterReader {
 public:
  // Load and attach the iterator. An error says why it cannot run here (no bpf_prog
  // iterator before Linux 5.9, no kernel BTF, no this_cpu_off outside x86, CPUs
  // numbered with holes); callers then read counters through the bpf() syscall.
  static Result<std::unique_ptr<ProgramCounterReader>> load();
  ~ProgramCounterReader();
  ProgramCounterReader(const ProgramCounterReader&) = delete;
  ProgramCounterReader& operator=(const ProgramCounterReader&) = delete;

  // One pass, ids ascending, checked against the syscall (an error when the iterator's
  // counters disagree with it). Programs loaded or freed during the read may be
  // missed or included, as with id enumeration. `whole`: records with everything
  // whole_program() needs; otherwise ids, map counts and counters only (cheaper).
  Result<std::vector<ProgramCounters>> read(bool whole = false);

  // The iterator's own program and maps, to register with the bpfstats instance.
  const BpfObjectIds& ids() const { return ids_; }

 private:
  ProgramCounterReader() = default;
  Result<void> check_own(const bpf_prog_info& before, const bpf_prog_info& after,
                         const std::vector<program_counters_record>& records) const;
  bpfstats_light_iter iter_{};
  BpfObjectIds ids_;
};

}  // namespace ig::bpfstats
