// SPDX-License-Identifier: GPL-2.0
/* For tracer_test.cpp: one event per getppid() of the test process, a program on a
 * tracepoint no kernel has (its attach fails), and a map that is no ring buffer. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

const volatile __u32 targ_tgid = 0;

__u64 lost = 0;

struct {
  __uint(type, BPF_MAP_TYPE_RINGBUF);
  __uint(max_entries, 1 << 16);
} ig_tt_events SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, __u64);
} ig_tt_array SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_getppid")
int ig_tt_getppid(void *ctx)
{
  __u32 tgid = bpf_get_current_pid_tgid() >> 32;
  if (tgid != targ_tgid)
    return 0;
  if (bpf_ringbuf_output(&ig_tt_events, &tgid, sizeof(tgid), 0))
    __sync_fetch_and_add(&lost, 1);
  return 0;
}

SEC("tracepoint/syscalls/sys_enter_ig_no_such_call")
int ig_tt_missing(void *ctx)
{
  return 0;
}

char LICENSE[] SEC("license") = "GPL";
