// Which processes hold a BPF program or map, in one read(): a task_file iterator
// (Linux 5.8+) visits every fd of every process and writes {tgid, program id} for
// each program fd and each link fd (Linux 5.7+ links), and {tgid, map id} for each
// map fd ("anon_inode:bpf-map").
//
// A program or link fd is an anonymous inode (its superblock is anon_inodefs') whose
// dentry is named "bpf-prog" or "bpf_link": the names /proc shows as
// "anon_inode:bpf-prog" and "anon_inode:bpf_link", so the /proc fallback
// (holder_proc_scan.cpp) and this iterator recognise the same fds. bpftool's pid
// iterator compares file->f_op with bpf_prog_fops instead, which needs data symbols
// in kallsyms (CONFIG_KALLSYMS_ALL); the names need nothing but BTF.
//
// The file, inode, superblock and dentry are typed kernel pointers the verifier lets
// the program load directly (one load a step, on every fd the kernel visits); the
// file's private data is untyped, so the program behind it is read with
// BPF_CORE_READ. Every field offset is relocated from the running kernel's BTF, by
// the kernel itself: this is built as a light skeleton (holder_iterator.h says why).
#include "vmlinux.h"

#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>

#include "holder_record.h"

#define ANON_INODE_FS_MAGIC 0x09041934  // include/uapi/linux/magic.h

char LICENSE[] SEC("license") = "GPL";

// The first 8 bytes of a dentry name as one number ("bpf-prog" and "bpf_link" fill
// them exactly, and the 9th byte must be their NUL; "bpf-map" and its NUL fill them). clang folds word("...") to a
// constant, so no string reaches the object (a string would cost it a .rodata map).
static __always_inline __u64 word(const char *name)
{
	__u64 w;

	__builtin_memcpy(&w, name, sizeof(w));
	return w;
}

SEC("iter/task_file")
int bpfstats_pids(struct bpf_iter__task_file *ctx)
{
	struct task_struct *task = ctx->task;
	struct file *file = ctx->file;
	struct holder_record r = {};
	struct bpf_prog *prog;
	char name[9];
	__u64 head;

	if (!task || !file)
		return 0;
	if (file->f_inode->i_sb->s_magic != ANON_INODE_FS_MAGIC)
		return 0;
	if (bpf_probe_read_kernel(name, sizeof(name), file->f_path.dentry->d_name.name))
		return 0;
	head = word(name);
	if (head == word("bpf-map")) {  // 7 characters: its NUL is the word's last byte
		r.map_id = BPF_CORE_READ((struct bpf_map *)file->private_data, id);
		if (!r.map_id)
			return 0;
		r.tgid = task->tgid;
		bpf_seq_write(ctx->meta->seq, &r, sizeof(r));
		return 0;
	}
	if (name[8] != '\0')
		return 0;
	if (head == word("bpf-prog"))
		prog = (struct bpf_prog *)file->private_data;
	else if (head == word("bpf_link"))
		prog = BPF_CORE_READ((struct bpf_link *)file->private_data, prog);
	else
		return 0;
	r.prog_id = BPF_CORE_READ(prog, aux, id);
	if (!r.prog_id)  // a failed read: ids start at 1
		return 0;
	r.tgid = task->tgid;
	bpf_seq_write(ctx->meta->seq, &r, sizeof(r));
	return 0;
}
