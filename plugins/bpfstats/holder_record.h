/* One (process, program) or (process, map) pair as the holder iterator writes it:
 * the layout shared by the BPF side (holder_iterator.bpf.c) and the reader
 * (holder_iterator.cpp). */
#ifndef IG_BPFSTATS_HOLDER_RECORD_H
#define IG_BPFSTATS_HOLDER_RECORD_H

struct holder_record {
  __u32 tgid;    /* in the kernel's initial pid namespace */
  __u32 prog_id; /* the program of a program fd, or a link fd's program; 0 for a map fd */
  __u32 map_id;  /* the map of a map fd; 0 otherwise */
};

#endif
