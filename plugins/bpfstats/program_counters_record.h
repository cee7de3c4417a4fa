/* One program as the program_counters iterator writes it: the layout shared by the
 * BPF side (program_counters.bpf.c) and the reader (program_counters.cpp). */
#ifndef IG_BPFSTATS_PROGRAM_COUNTERS_RECORD_H
#define IG_BPFSTATS_PROGRAM_COUNTERS_RECORD_H

/* Map ids a record carries; a program that uses more is read through bpf() instead. */
#define PROGRAM_COUNTERS_MAP_IDS 8

struct program_counters_record {
  __u32 id;
  __u32 map_count; /* used_map_cnt: grows only through BPF_PROG_BIND_MAP */
  __u64 run_cnt;
  __u64 run_time_ns;
  __u64 recursion_misses; /* 0 before Linux 5.12, which added prog->stats->misses */
  __u32 type;             /* enum bpf_prog_type */
  __u32 pages;            /* prog->pages: the memlock fdinfo shows is pages x page size */
  __u32 jited_len;
  __u32 verified_insns;   /* 0 before Linux 5.16 */
  __u32 map_ids[PROGRAM_COUNTERS_MAP_IDS]; /* the first map_count of them */
  char name[16];
};

#endif
