/* What the map_details iterator writes, shared by the BPF side (map_details.bpf.c)
 * and the reader (map_details.cpp): one MAP record per map, preceded by one
 * PERF_BUFFER record per perf ring buffer a perf event array's events write to. */
#ifndef IG_BPFSTATS_MAP_DETAILS_RECORD_H
#define IG_BPFSTATS_MAP_DETAILS_RECORD_H

enum map_details_kind {
  MAP_DETAILS_MAP = 1,
  MAP_DETAILS_PERF_BUFFER = 2,
};

struct map_details_record {
  __u32 kind; /* enum map_details_kind */
  __u32 id;   /* the map's id (of the perf event array, for a PERF_BUFFER) */
  __u32 type;
  __u32 flags;
  __u32 key_size;
  __u32 value_size;
  __u32 max_entries;
  __u32 reserved;
  __s64 entries; /* elements held; -1 where this iterator cannot count them */
  __u64 buffer;  /* PERF_BUFFER: the buffer's kernel address, only as its identity */
  __u64 pages;   /* PERF_BUFFER: its pages: control page, data and aux pages */
  char name[16];
};

#endif
