// The BPF side of the bst_shared test gadget: two programs that share two maps,
// one of which (bst_shared_m) the plugin pins, so that every instance after the
// first reuses the same map. The programs never do anything: they exist to
// reference the maps.
#include "vmlinux.h"

#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

const volatile bool never = false;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1000);
	__type(key, __u32);
	__type(value, __u64);
} bst_shared_m SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u64);
} bst_own_m SEC(".maps");

static __always_inline void touch(void)
{
	__u32 zero = 0;

	bpf_map_lookup_elem(&bst_shared_m, &zero);
	bpf_map_lookup_elem(&bst_own_m, &zero);
}

SEC("tp_btf/sys_enter")
int BPF_PROG(bst_share_enter)
{
	if (never)
		touch();
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(bst_share_exit)
{
	if (never)
		touch();
	return 0;
}
