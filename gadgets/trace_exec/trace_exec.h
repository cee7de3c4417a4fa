/* The record trace_exec's BPF programs submit; shared by both sides. */
#pragma once

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#define TRACE_EXEC_COMM_LEN 16
#define TRACE_EXEC_MAX_ARGS 20
#define TRACE_EXEC_ARGS_SIZE 4096 /* a power of two: the BPF side masks offsets with it */

/* Submitted with only the used part of args: offsetof(args) + args_size bytes. */
struct trace_exec_event {
  __u64 timestamp; /* bpf_ktime_get_boot_ns() at syscall exit */
  __u32 pid;
  __u32 ppid;
  __u32 uid;
  __s32 error;      /* 0 or -errno */
  __u32 args_count; /* arguments recorded in args */
  __u32 args_size;  /* bytes used in args */
  char comm[TRACE_EXEC_COMM_LEN];
  __u8 args_truncated; /* more than TRACE_EXEC_MAX_ARGS or TRACE_EXEC_ARGS_SIZE */
  char args[TRACE_EXEC_ARGS_SIZE]; /* argv, each NUL-terminated */
};
