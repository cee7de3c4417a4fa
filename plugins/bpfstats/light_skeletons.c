#include "light_skeletons.h"

/* skel_internal.h (libbpf 1.1) uses errno and calloc without including them. */
#include <errno.h>
#include <stdlib.h>

#include "map_details.lskel.h"
#include "map_details_nokfunc.lskel.h"
#include "program_counters.lskel.h"

/* The two variants differ only in their name; one macro loads either. */
#define LOAD_ITERATOR(NAME, PROG, it)                                       \
  do {                                                                      \
    struct NAME *skel = NAME##__open_and_load();                            \
    int err;                                                                \
    if (!skel)                                                              \
      return errno ? -errno : -EINVAL;                                      \
    err = NAME##__attach(skel);                                             \
    if (err) {                                                              \
      NAME##__destroy(skel);                                                \
      return err < 0 ? err : -err;                                          \
    }                                                                       \
    (it)->skel = skel;                                                      \
    (it)->destroy = (void (*)(void *))NAME##__destroy;                      \
    (it)->prog_fd = skel->progs.PROG.prog_fd;                               \
    (it)->link_fd = skel->links.PROG##_fd;                                  \
    (it)->map_count = 0;                                                    \
    return 0;                                                               \
  } while (0)

int bpfstats_map_details_load(struct bpfstats_light_iter *it, int with_kfunc)
{
  if (with_kfunc)
    LOAD_ITERATOR(map_details_lskel, bpfstats_maps, it);
  LOAD_ITERATOR(map_details_nokfunc_lskel, bpfstats_maps, it);
}

int bpfstats_program_counters_load(struct bpfstats_light_iter *it, unsigned nr_cpus)
{
  struct program_counters_lskel *skel = program_counters_lskel__open();
  int err;

  if (!skel)
    return errno ? -errno : -EINVAL;
  skel->rodata->nr_cpus = nr_cpus;
  err = program_counters_lskel__load(skel);
  if (!err)
    err = program_counters_lskel__attach(skel);
  if (err) {
    program_counters_lskel__destroy(skel);
    return err < 0 ? err : -err;
  }
  it->skel = skel;
  it->destroy = (void (*)(void *))program_counters_lskel__destroy;
  it->prog_fd = skel->progs.bpfstats_progs.prog_fd;
  it->link_fd = skel->links.bpfstats_progs_fd;
  it->map_fds[0] = skel->maps.cpu_probe.map_fd;
  it->map_fds[1] = skel->maps.rodata.map_fd;
  it->map_fds[2] = skel->maps.bss.map_fd;
  it->map_count = 3;
  return 0;
}

void bpfstats_program_counters_full(struct bpfstats_light_iter *it, int full)
{
  ((struct program_counters_lskel *)it->skel)->bss->counters_only = full ? 0 : 1;
}

void bpfstats_light_iter_destroy(struct bpfstats_light_iter *it)
{
  if (it->skel)
    it->destroy(it->skel);
  it->skel = 0;
}
