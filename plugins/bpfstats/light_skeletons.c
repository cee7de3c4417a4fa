#include "light_skeletons.h"

/* skel_internal.h (libbpf 1.1) uses errno and calloc without including them. */
#include <errno.h>
#include <stdlib.h>

#include "map_details.lskel.h"
#include "map_details_nokfunc.lskel.h"

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
    return 0;                                                               \
  } while (0)

int bpfstats_map_details_load(struct bpfstats_light_iter *it, int with_kfunc)
{
  if (with_kfunc)
    LOAD_ITERATOR(map_details_lskel, bpfstats_maps, it);
  LOAD_ITERATOR(map_details_nokfunc_lskel, bpfstats_maps, it);
}

void bpfstats_light_iter_destroy(struct bpfstats_light_iter *it)
{
  if (it->skel)
    it->destroy(it->skel);
  it->skel = 0;
}
