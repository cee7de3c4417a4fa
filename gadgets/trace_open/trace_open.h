/* The record trace_open's BPF programs submit; shared by both sides. */
#pragma once

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#define TRACE_OPEN_COMM_LEN 16
#define TRACE_OPEN_PATH_LEN 256

struct trace_open_event {
  __u64 timestamp; /* bpf_ktime_get_boot_ns() at syscall exit */
  __u32 pid;
  __u32 tid;
  __u32 uid;
  __u32 gid;
  __s32 fd;    /* -1 when the call failed */
  __s32 error; /* 0 or -errno */
  __u32 flags;
  __u32 mode;
  char comm[TRACE_OPEN_COMM_LEN];
  char path[TRACE_OPEN_PATH_LEN];
};
