/* One program's counters as the program_counters iterator writes them: the layout
 * shared by the BPF side (program_counters.bpf.c) and the reader (program_counters.cpp). */
#ifndef IG_BPFSTATS_PROGRAM_COUNTERS_RECORD_H
#define IG_BPFSTATS_PROGRAM_COUNTERS_RECORD_H

struct program_counters_record {
  __u32 id;
  __u32 map_count; /* used_map_cnt: grows only through BPF_PROG_BIND_MAP */
  __u64 run_cnt;
  __u64 run_time_ns;
  __u64 recursion_misses; /* 0 before Linux 5.12, which added prog->stats->misses */
};

#endif
