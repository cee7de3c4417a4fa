// SPDX-License-Identifier: GPL-2.0
/* trace_exec: one event per completed execve() and execveat().
 * The argv must be read at enter: after a successful exec the caller's memory is
 * gone. The enter tracepoint builds the record in a per-CPU scratch buffer and
 * stashes it by process; the exit tracepoint completes it with the return value and
 * submits the header plus the used part of the argument buffer. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "trace_exec.h"

/* Filters, set before load: a filter that is off costs one compare. */
const volatile __u32 targ_tgid = 0;
const volatile bool targ_failed = false;
/* Wake the reader only once this much is queued; it also drains on a timer. */
const volatile __u64 wakeup_bytes = 256 * 1024;

__u64 lost = 0; /* records dropped: ring buffer or stash map full */

/* An argument read may start anywhere below TRACE_EXEC_ARGS_SIZE and be as long as
 * TRACE_EXEC_ARGS_SIZE: the slack lets the verifier prove every read stays inside. */
struct exec_scratch {
  struct trace_exec_event event;
  char slack[TRACE_EXEC_ARGS_SIZE];
};

struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, struct exec_scratch);
} ig_exec_scratch SEC(".maps");

/* Keyed by tgid, not tid: when a non-leader thread execs, the kernel gives it the
 * leader's pid, so exit runs under a tid that enter never saw. Each entry lives for
 * one exec call, so 1024 covers that many processes inside execve at once. */
struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 1024);
  __type(key, __u32);
  __type(value, struct trace_exec_event);
} ig_exec_args SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_RINGBUF);
  __uint(max_entries, 4 << 20);
} ig_exec_events SEC(".maps");

/* Copy argv into e->args as NUL-terminated strings, at most TRACE_EXEC_MAX_ARGS of
 * them and TRACE_EXEC_ARGS_SIZE bytes, marking the record truncated when cut. */
static __always_inline void read_args(struct exec_scratch *s, const char *const *argv)
{
  struct trace_exec_event *e = &s->event;
  __u64 used = 0;

#pragma unroll
  for (int i = 0; i <= TRACE_EXEC_MAX_ARGS; i++) {
    const char *arg = NULL;
    if (bpf_probe_read_user(&arg, sizeof(arg), &argv[i]) || !arg)
      break;
    if (i == TRACE_EXEC_MAX_ARGS || used >= TRACE_EXEC_ARGS_SIZE) {
      e->args_truncated = 1;
      break;
    }
    /* used < TRACE_EXEC_ARGS_SIZE here, so the mask changes nothing. It is for the
     * verifier: clang may test one copy of used and index with another, and before
     * Linux 5.11 a compare bounds only the register it tests. The barrier keeps
     * clang from dropping the mask as redundant. */
    __u64 off = used;
    barrier_var(off);
    off &= TRACE_EXEC_ARGS_SIZE - 1;
    __u64 room = TRACE_EXEC_ARGS_SIZE - off;
    long n = bpf_probe_read_user_str(&e->args[off], room, arg);
    if (n <= 0) {
      e->args_truncated = 1;
      break;
    }
    used += n;
    e->args_count++;
    if (n == room) {
      /* The string filled the rest of the buffer: it was cut unless it ends right here. */
      char last = 1;
      bpf_probe_read_user(&last, 1, arg + n - 1);
      if (last != '\0')
        e->args_truncated = 1;
    }
  }
  e->args_size = used;
}

static __always_inline int on_enter(const char *const *argv)
{
  __u32 tgid = bpf_get_current_pid_tgid() >> 32;
  if (targ_tgid && tgid != targ_tgid)
    return 0;
  __u32 zero = 0;
  struct exec_scratch *s = bpf_map_lookup_elem(&ig_exec_scratch, &zero);
  if (!s)
    return 0;
  s->event.pid = tgid;
  s->event.args_count = 0;
  s->event.args_truncated = 0;
  read_args(s, argv);
  if (bpf_map_update_elem(&ig_exec_args, &tgid, &s->event, BPF_ANY))
    __sync_fetch_and_add(&lost, 1);
  return 0;
}

static __always_inline int on_exit(long ret)
{
  __u32 tgid = bpf_get_current_pid_tgid() >> 32;
  struct trace_exec_event *e = bpf_map_lookup_elem(&ig_exec_args, &tgid);
  if (!e)
    return 0;
  if (targ_failed && ret >= 0)
    goto cleanup;

  struct task_struct *task = (struct task_struct *)bpf_get_current_task();
  e->timestamp = bpf_ktime_get_boot_ns();
  e->ppid = BPF_CORE_READ(task, real_parent, tgid);
  e->uid = (__u32)bpf_get_current_uid_gid();
  e->error = ret >= 0 ? 0 : ret;
  bpf_get_current_comm(e->comm, sizeof(e->comm));

  __u32 used = e->args_size;
  if (used > TRACE_EXEC_ARGS_SIZE)
    used = TRACE_EXEC_ARGS_SIZE;
  __u64 queued = bpf_ringbuf_query(&ig_exec_events, BPF_RB_AVAIL_DATA);
  __u64 flags = queued >= wakeup_bytes ? BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP;
  if (bpf_ringbuf_output(&ig_exec_events, e, offsetof(struct trace_exec_event, args) + used, flags))
    __sync_fetch_and_add(&lost, 1);
cleanup:
  bpf_map_delete_elem(&ig_exec_args, &tgid);
  return 0;
}

SEC("tracepoint/syscalls/sys_enter_execve")
int ig_exec_e(struct trace_event_raw_sys_enter *ctx)
{
  return on_enter((const char *const *)ctx->args[1]);
}

SEC("tracepoint/syscalls/sys_exit_execve")
int ig_exec_x(struct trace_event_raw_sys_exit *ctx)
{
  return on_exit(ctx->ret);
}

/* execveat(fd, filename, argv, envp, flags) */
SEC("tracepoint/syscalls/sys_enter_execveat")
int ig_execat_e(struct trace_event_raw_sys_enter *ctx)
{
  return on_enter((const char *const *)ctx->args[2]);
}

SEC("tracepoint/syscalls/sys_exit_execveat")
int ig_execat_x(struct trace_event_raw_sys_exit *ctx)
{
  return on_exit(ctx->ret);
}

char LICENSE[] SEC("license") = "GPL";
