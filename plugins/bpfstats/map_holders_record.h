/* One map fd as the map_holders iterator writes it: the layout shared by the BPF
 * side (map_holders.bpf.c) and the reader (map_holders.cpp). */
#ifndef IG_BPFSTATS_MAP_HOLDERS_RECORD_H
#define IG_BPFSTATS_MAP_HOLDERS_RECORD_H

struct map_holders_record {
  __u32 pid; /* the holding process (tgid) */
  __u32 map_id;
};

#endif
