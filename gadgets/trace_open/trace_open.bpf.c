// SPDX-License-Identifier: GPL-2.0
/* trace_open: one event per completed open(), openat() and openat2().
 *
 * Linux 5.15+: one program per call, at the exit tracepoint (ig_open, ig_openat,
 * ig_openat2). The arguments are still in the registers the syscall entry saved
 * (bpf_task_pt_regs), so nothing needs stashing: no entry program, no map update
 * and delete per call.
 * Older kernels: the enter tracepoint stashes the arguments by thread in a hash map;
 * the exit tracepoint joins them with the return value (the *_e / *_x pairs).
 * trace_open.cpp loads one set or the other. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "trace_open.h"

/* Filters, set before load: a filter that is off costs one compare. */
const volatile __u32 targ_tgid = 0;
const volatile bool targ_failed = false;
const volatile bool targ_filter_comm = false;
const volatile char targ_comm[TRACE_OPEN_COMM_LEN] = {};
/* Wake the reader only once this much is queued; it also drains on a timer. */
const volatile __u64 wakeup_bytes = 256 * 1024;

__u64 lost = 0; /* calls not reported: ring buffer or argument map full */

struct open_args {
  const char *path;
  __u32 flags;
  __u32 mode;
};

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 10240);
  __type(key, __u64);
  __type(value, struct open_args);
} ig_open_args SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_RINGBUF);
  __uint(max_entries, 4 << 20);
} ig_open_events SEC(".maps");

static __always_inline bool comm_matches(void)
{
  char comm[TRACE_OPEN_COMM_LEN];
  bpf_get_current_comm(comm, sizeof(comm));
  for (int i = 0; i < TRACE_OPEN_COMM_LEN; i++) {
    if (comm[i] != targ_comm[i])
      return false;
    if (comm[i] == '\0')
      break;
  }
  return true;
}

/* The tgid and comm filters. */
static __always_inline bool wanted(__u64 id)
{
  if (targ_tgid && (id >> 32) != targ_tgid)
    return false;
  if (targ_filter_comm && !comm_matches())
    return false;
  return true;
}

/* One record for a completed call. */
static __always_inline void submit(__u64 id, long ret, const char *path, __u32 flags, __u32 mode)
{
  struct trace_open_event *e = bpf_ringbuf_reserve(&ig_open_events, sizeof(*e), 0);
  if (!e) {
    __sync_fetch_and_add(&lost, 1);
    return;
  }
  __u64 uid_gid = bpf_get_current_uid_gid();
  e->timestamp = bpf_ktime_get_boot_ns();
  e->pid = id >> 32;
  e->tid = (__u32)id;
  e->uid = (__u32)uid_gid;
  e->gid = uid_gid >> 32;
  e->fd = ret >= 0 ? ret : -1;
  e->error = ret >= 0 ? 0 : ret;
  e->flags = flags;
  e->mode = mode;
  bpf_get_current_comm(e->comm, sizeof(e->comm));
  bpf_probe_read_user_str(e->path, sizeof(e->path), path);
  __u64 queued = bpf_ringbuf_query(&ig_open_events, BPF_RB_AVAIL_DATA);
  bpf_ringbuf_submit(e, queued >= wakeup_bytes ? BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP);
}

/* --- Linux 5.15+: the exit tracepoint alone ------------------------------------ */

/* The user registers the syscall entry saved: the call's arguments. */
static __always_inline struct pt_regs *syscall_regs(void)
{
  return (struct pt_regs *)bpf_task_pt_regs(bpf_get_current_task_btf());
}

/* Whether a completed call with this result is reported; `id` gets pid_tgid. */
static __always_inline bool report(long ret, __u64 *id)
{
  if (targ_failed && ret >= 0)
    return false;
  *id = bpf_get_current_pid_tgid();
  return wanted(*id);
}

SEC("tracepoint/syscalls/sys_exit_open")
int ig_open(struct trace_event_raw_sys_exit *ctx)
{
  __u64 id;
  if (!report(ctx->ret, &id))
    return 0;
  struct pt_regs *regs = syscall_regs();
  submit(id, ctx->ret, (const char *)PT_REGS_PARM1_SYSCALL(regs), PT_REGS_PARM2_SYSCALL(regs),
         PT_REGS_PARM3_SYSCALL(regs));
  return 0;
}

SEC("tracepoint/syscalls/sys_exit_openat")
int ig_openat(struct trace_event_raw_sys_exit *ctx)
{
  __u64 id;
  if (!report(ctx->ret, &id))
    return 0;
  struct pt_regs *regs = syscall_regs();
  submit(id, ctx->ret, (const char *)PT_REGS_PARM2_SYSCALL(regs), PT_REGS_PARM3_SYSCALL(regs),
         PT_REGS_PARM4_SYSCALL(regs));
  return 0;
}

/* openat2 (Linux 5.6) passes flags and mode in a user-space struct open_how. */
SEC("tracepoint/syscalls/sys_exit_openat2")
int ig_openat2(struct trace_event_raw_sys_exit *ctx)
{
  __u64 id;
  if (!report(ctx->ret, &id))
    return 0;
  struct pt_regs *regs = syscall_regs();
  struct open_how how = {};
  bpf_probe_read_user(&how, sizeof(how), (void *)PT_REGS_PARM3_SYSCALL(regs));
  submit(id, ctx->ret, (const char *)PT_REGS_PARM2_SYSCALL(regs), how.flags, how.mode);
  return 0;
}

/* --- Before Linux 5.15: entry and exit joined through a map -------------------- */

static __always_inline int on_enter(const char *path, __u32 flags, __u32 mode)
{
  __u64 id = bpf_get_current_pid_tgid();
  if (!wanted(id))
    return 0;
  struct open_args args = {.path = path, .flags = flags, .mode = mode};
  if (bpf_map_update_elem(&ig_open_args, &id, &args, BPF_ANY))
    __sync_fetch_and_add(&lost, 1); /* more calls in flight than the map holds */
  return 0;
}

static __always_inline int on_exit(long ret)
{
  __u64 id = bpf_get_current_pid_tgid();
  struct open_args *args = bpf_map_lookup_elem(&ig_open_args, &id);
  if (!args)
    return 0;
  if (!targ_failed || ret < 0)
    submit(id, ret, args->path, args->flags, args->mode);
  bpf_map_delete_elem(&ig_open_args, &id);
  return 0;
}

SEC("tracepoint/syscalls/sys_enter_open")
int ig_open_e(struct trace_event_raw_sys_enter *ctx)
{
  return on_enter((const char *)ctx->args[0], ctx->args[1], ctx->args[2]);
}

SEC("tracepoint/syscalls/sys_exit_open")
int ig_open_x(struct trace_event_raw_sys_exit *ctx)
{
  return on_exit(ctx->ret);
}

SEC("tracepoint/syscalls/sys_enter_openat")
int ig_openat_e(struct trace_event_raw_sys_enter *ctx)
{
  return on_enter((const char *)ctx->args[1], ctx->args[2], ctx->args[3]);
}

SEC("tracepoint/syscalls/sys_exit_openat")
int ig_openat_x(struct trace_event_raw_sys_exit *ctx)
{
  return on_exit(ctx->ret);
}

/* openat2 (Linux 5.6) passes flags and mode in a user-space struct open_how. */
SEC("tracepoint/syscalls/sys_enter_openat2")
int ig_openat2_e(struct trace_event_raw_sys_enter *ctx)
{
  struct open_how how = {};
  bpf_probe_read_user(&how, sizeof(how), (void *)ctx->args[2]);
  return on_enter((const char *)ctx->args[1], how.flags, how.mode);
}

SEC("tracepoint/syscalls/sys_exit_openat2")
int ig_openat2_x(struct trace_event_raw_sys_exit *ctx)
{
  return on_exit(ctx->ret);
}

char LICENSE[] SEC("license") = "GPL";
