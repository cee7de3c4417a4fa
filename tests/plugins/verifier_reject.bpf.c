// SPDX-License-Identifier: GPL-2.0
/* verifier_reject: a program the BPF verifier must refuse. It dereferences a map
 * value without checking the lookup for NULL. The map is a hash, not an array:
 * recent verifiers (Linux 6.18 does) know that an array lookup with a constant
 * in-range key is never NULL, and accept the unchecked dereference. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, __u64);
} ig_vrej_count SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_getpid")
int ig_vrej_getpid(void *ctx)
{
  __u32 key = 0;
  __u64 *count = bpf_map_lookup_elem(&ig_vrej_count, &key);
  *count += 1; /* no NULL check: "invalid mem access 'map_value_or_null'" */
  return 0;
}

char LICENSE[] SEC("license") = "GPL";
