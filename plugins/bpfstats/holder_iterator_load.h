/* Loading holder_iterator.bpf.c through its light skeleton, behind a C interface:
 * bpftool's light skeletons compile as C only. */
#ifndef IG_BPFSTATS_HOLDER_ITERATOR_LOAD_H
#define IG_BPFSTATS_HOLDER_ITERATOR_LOAD_H

#ifdef __cplusplus
extern "C" {
#endif

/* Loads the iterator program and attaches it as a task_file iterator. 0 with its
 * program fd and link fd in `prog_fd` and `link_fd` (the caller's to close), or a
 * negative errno with nothing left open. */
int holder_iterator_load(int *prog_fd, int *link_fd);

#ifdef __cplusplus
}
#endif

#endif
