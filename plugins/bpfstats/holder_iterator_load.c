#include "holder_iterator_load.h"

#include <errno.h>
#include <linux/types.h>

#include "holder_iterator.lskel.h"

int holder_iterator_load(int *prog_fd, int *link_fd)
{
	struct holder_iterator_bpf *skel = holder_iterator_bpf__open();
	int err;

	if (!skel)
		return -ENOMEM;
	err = holder_iterator_bpf__load(skel);
	if (!err)
		err = holder_iterator_bpf__attach(skel);
	if (err) {
		holder_iterator_bpf__destroy(skel);
		return err < 0 ? err : -EINVAL;
	}
	*prog_fd = skel->progs.bpfstats_pids.prog_fd;
	*link_fd = skel->links.bpfstats_pids_fd;
	/* The fds are the caller's now: destroy frees only the skeleton. */
	skel->progs.bpfstats_pids.prog_fd = -1;
	skel->links.bpfstats_pids_fd = -1;
	holder_iterator_bpf__destroy(skel);
	return 0;
}
