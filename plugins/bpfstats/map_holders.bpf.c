// Which processes hold a BPF map: a task_file iterator that writes {tgid, map id}
// for every fd whose file is a map, the anonymous inode /proc shows as
// "anon_inode:bpf-map". One read() walks every process's fd table in the kernel;
// threads that share their fd table are visited once.
#include "vmlinux.h"

#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>

#include "map_holders_record.h"

#define ANON_INODE_FS_MAGIC 0x09041934

char LICENSE[] SEC("license") = "GPL";

SEC("iter/task_file")
int bpfstats_mapfds(struct bpf_iter__task_file *ctx)
{
	struct file *file = ctx->file;
	struct task_struct *task = ctx->task;
	struct map_holders_record r = {};
	const unsigned char *name;
	char text[8] = {};
	struct bpf_map *map;

	if (!file || !task)
		return 0;
	if (BPF_CORE_READ(file, f_inode, i_sb, s_magic) != ANON_INODE_FS_MAGIC)
		return 0;
	name = BPF_CORE_READ(file, f_path.dentry, d_name.name);
	bpf_probe_read_kernel(text, sizeof(text), name);
	if (__builtin_memcmp(text, "bpf-map", sizeof(text)))  // with its NUL
		return 0;
	map = BPF_CORE_READ(file, private_data);
	r.pid = BPF_CORE_READ(task, tgid);
	r.map_id = BPF_CORE_READ(map, id);
	bpf_seq_write(ctx->meta->seq, &r, sizeof(r));
	return 0;
}
