/* The record trace_unlink's BPF programs send, shared by both sides: fixed-width
 * types only, no pointers. Its layout is described once, in describe(). */
#pragma once

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#define TRACE_UNLINK_COMM_LEN 16
#define TRACE_UNLINK_PATH_LEN 256

struct trace_unlink_event {
  __u64 timestamp; /* bpf_ktime_get_boot_ns() at syscall exit */
  __u32 pid;
  __u32 tid;
  __u32 uid;
  __s32 error; /* 0 or -errno */
  __u32 flags; /* unlinkat() flags: AT_REMOVEDIR; 0 for unlink() */
  char comm[TRACE_UNLINK_COMM_LEN];
  char path[TRACE_UNLINK_PATH_LEN];
};
