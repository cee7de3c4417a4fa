// BPF objects with known contents for bpfstats' kernel tests (truth_test.py): maps
// whose size, fill and memory the test sets, and a program that really recurses.
//
// bst_recurse runs on the bpf_trace_printk tracepoint and calls bpf_trace_printk
// itself. The nested tracepoint fires on the same CPU while the program is still
// running, so the kernel skips that run and counts one recursion miss (bpf_prog_info
// recursion_misses; raw tracepoint programs count them since Linux 6.7). What
// starts it is bst_trigger: on each getppid() of the loader's process it calls
// bpf_trace_printk once. So one getppid() is one run of bst_recurse and one miss.
// (fentry would need no printk, but this machine's kernel refuses fentry and has no
// kprobes; raw tracepoints work everywhere bpfstats runs.)
#include "vmlinux.h"

#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#define NR_GETPPID 110 /* x86_64 */

char LICENSE[] SEC("license") = "GPL";

const volatile __u32 loader_tgid = 0;

// Preallocated (the default for hash maps): memlock is the full size from creation.
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10000);
	__type(key, __u32);
	__type(value, __u64);
} bst_prealloc SEC(".maps");

// Without preallocation: on Linux 6.4+ memlock follows the elements held.
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10000);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, __u32);
	__type(value, __u64);
} bst_dynamic SEC(".maps");

// One slot per CPU (libbpf sizes it); the loader's perf buffer fills them.
struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__type(key, __u32);
	__type(value, __u32);
} bst_perf SEC(".maps");

struct inner {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 256);
	__type(key, __u32);
	__type(value, __u64);
};

// The loader creates the inner maps and puts them in.
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 4);
	__type(key, __u32);
	__array(values, struct inner);
} bst_outer SEC(".maps");

// Never set: the branch only makes the program reference every map, so bpfstats
// lists it as their user.
const volatile bool touch_all = false;

static __always_inline bool from_loader(void)
{
	return bpf_get_current_pid_tgid() >> 32 == loader_tgid;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(bst_trigger, struct pt_regs *regs, long id)
{
	__u32 zero = 0;

	if (touch_all) {
		bpf_map_lookup_elem(&bst_prealloc, &zero);
		bpf_map_lookup_elem(&bst_dynamic, &zero);
		bpf_map_lookup_elem(&bst_outer, &zero);
		bpf_perf_event_output(ctx, &bst_perf, BPF_F_CURRENT_CPU, &zero, sizeof(zero));
	}
	if (id == NR_GETPPID && from_loader())
		bpf_printk("bst_trigger");
	return 0;
}

SEC("tp_btf/bpf_trace_printk")
int BPF_PROG(bst_recurse, const char *text)
{
	if (from_loader())
		bpf_printk("bst_recurse");
	return 0;
}
