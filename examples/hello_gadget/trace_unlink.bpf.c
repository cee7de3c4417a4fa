// SPDX-License-Identifier: GPL-2.0
/* trace_unlink: one event per completed unlink() and unlinkat().
 * The enter tracepoint fills in an event for the calling thread (the path is read
 * while the caller waits in the syscall); the exit tracepoint adds the result and
 * sends the event to user space through the ring buffer. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "trace_unlink.h"

/* Filters, set by the plugin before load (read-only data): off costs one compare. */
const volatile __u32 targ_tgid = 0;
const volatile bool targ_failed = false;

__u64 lost = 0; /* calls not reported: ring buffer or stash full; the plugin reports them */

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 4096);
  __type(key, __u32); /* thread id */
  __type(value, struct trace_unlink_event);
} ig_unlink_stash SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_RINGBUF);
  __uint(max_entries, 1 << 20);
} ig_unlink_evts SEC(".maps");

static __always_inline int on_enter(const char *path, __u32 flags)
{
  __u64 id = bpf_get_current_pid_tgid();
  __u32 tid = (__u32)id;
  if (targ_tgid && (id >> 32) != targ_tgid)
    return 0;
  struct trace_unlink_event e = {};
  e.pid = id >> 32;
  e.tid = tid;
  e.uid = (__u32)bpf_get_current_uid_gid();
  e.flags = flags;
  bpf_get_current_comm(e.comm, sizeof(e.comm));
  bpf_probe_read_user_str(e.path, sizeof(e.path), path);
  if (bpf_map_update_elem(&ig_unlink_stash, &tid, &e, BPF_ANY))
    __sync_fetch_and_add(&lost, 1);
  return 0;
}

static __always_inline int on_exit(long ret)
{
  __u32 tid = (__u32)bpf_get_current_pid_tgid();
  struct trace_unlink_event *e = bpf_map_lookup_elem(&ig_unlink_stash, &tid);
  if (!e)
    return 0;
  if (!targ_failed || ret < 0) {
    e->timestamp = bpf_ktime_get_boot_ns();
    e->error = ret;
    /* unlink is rare: wake the reader per event. A busy gadget submits with
     * BPF_RB_NO_WAKEUP and lets the plugin drain on a timer (see trace_open). */
    if (bpf_ringbuf_output(&ig_unlink_evts, e, sizeof(*e), 0))
      __sync_fetch_and_add(&lost, 1);
  }
  bpf_map_delete_elem(&ig_unlink_stash, &tid);
  return 0;
}

/* unlink(2) has no tracepoint where the legacy syscall is missing (arm64); the
 * plugin turns these two off there. */
SEC("tracepoint/syscalls/sys_enter_unlink")
int ig_unlink_e(struct trace_event_raw_sys_enter *ctx)
{
  return on_enter((const char *)ctx->args[0], 0);
}

SEC("tracepoint/syscalls/sys_exit_unlink")
int ig_unlink_x(struct trace_event_raw_sys_exit *ctx)
{
  return on_exit(ctx->ret);
}

SEC("tracepoint/syscalls/sys_enter_unlinkat")
int ig_unlinkat_e(struct trace_event_raw_sys_enter *ctx)
{
  return on_enter((const char *)ctx->args[1], ctx->args[2]);
}

SEC("tracepoint/syscalls/sys_exit_unlinkat")
int ig_unlinkat_x(struct trace_event_raw_sys_exit *ctx)
{
  return on_exit(ctx->ret);
}

char LICENSE[] SEC("license") = "GPL";
