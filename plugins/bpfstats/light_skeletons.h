/* bpfstats' light skeletons (build-aux/bpf_skeleton.py --light) behind a C
 * interface: their generated headers are C that C++ refuses (conversions from
 * void *), so light_skeletons.c alone includes them. A light skeleton loads in a
 * couple of milliseconds because a loader program does the CO-RE relocations in
 * the kernel (Linux 5.17+), which is what lets a one-shot afford an iterator. */
#ifndef IG_BPFSTATS_LIGHT_SKELETONS_H
#define IG_BPFSTATS_LIGHT_SKELETONS_H

#ifdef __cplusplus
extern "C" {
#endif

/* One loaded and attached iterator. */
struct bpfstats_light_iter {
  void *skel;
  void (*destroy)(void *skel);
  int prog_fd;
  int link_fd; /* bpf_iter_create() on it starts a pass */
  int map_fds[3]; /* its own maps (-1 past map_count), to register them */
  int map_count;
};

/* The map details iterator (map_details.bpf.c), with the element-count kfunc
 * (Linux 6.6+) or without. 0, or a negative errno with `it` left empty. */
int bpfstats_map_details_load(struct bpfstats_light_iter *it, int with_kfunc);

/* The program counters iterator (program_counters.bpf.c), for CPUs 0..nr_cpus-1.
 * 0, or a negative errno with `it` left empty. */
int bpfstats_program_counters_load(struct bpfstats_light_iter *it, unsigned nr_cpus);

/* Whether its next passes write whole programs (1, as after load) or only ids, map
 * counts and counters (0). */
void bpfstats_program_counters_full(struct bpfstats_light_iter *it, int full);

/* Frees what `it` holds; accepts an empty one. */
void bpfstats_light_iter_destroy(struct bpfstats_light_iter *it);

#ifdef __cplusplus
}
#endif

#endif
