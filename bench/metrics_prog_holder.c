// metrics_prog_holder N: N "foreign" BPF programs for bench/metrics_bench.py. Creates N
// one-entry array maps and N socket-filter programs (never attached, so they never
// run), program i loading map i's address, so each has one map in its map_ids. Prints
// "ready N" and holds every fd until stdin closes or SIGINT/SIGTERM; exiting frees
// them all (nothing pinned). Raw bpf(2), no libbpf. Needs CAP_BPF or root.
#define _GNU_SOURCE
#include <errno.h>
#include <linux/bpf.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

static volatile sig_atomic_t stop;

static void on_signal(int sig) {
  (void)sig;
  stop = 1;
}

static int sys_bpf(int cmd, union bpf_attr* attr) {
  return (int)syscall(__NR_bpf, cmd, attr, sizeof(*attr));
}

static int create_map(int i) {
  union bpf_attr attr;
  memset(&attr, 0, sizeof(attr));
  attr.map_type = BPF_MAP_TYPE_ARRAY;
  attr.key_size = 4;
  attr.value_size = 8;
  attr.max_entries = 1;
  snprintf(attr.map_name, sizeof(attr.map_name), "igm_m%d", i);
  return sys_bpf(BPF_MAP_CREATE, &attr);
}

static int load_prog(int i, int map_fd) {
  // r1 = &map (ld_imm64, BPF_PSEUDO_MAP_FD); r0 = 0; exit
  struct bpf_insn insns[] = {
      {.code = BPF_LD | BPF_DW | BPF_IMM, .dst_reg = 1, .src_reg = BPF_PSEUDO_MAP_FD, .imm = map_fd},
      {.code = 0},
      {.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = 0},
      {.code = BPF_JMP | BPF_EXIT},
  };
  static const char license[] = "GPL";
  union bpf_attr attr;
  memset(&attr, 0, sizeof(attr));
  attr.prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
  attr.insns = (unsigned long)insns;
  attr.insn_cnt = sizeof(insns) / sizeof(insns[0]);
  attr.license = (unsigned long)license;
  snprintf(attr.prog_name, sizeof(attr.prog_name), "igm_p%d", i);
  return sys_bpf(BPF_PROG_LOAD, &attr);
}

int main(int argc, char** argv) {
  if (argc != 2 || atoi(argv[1]) <= 0) {
    fprintf(stderr, "usage: metrics_prog_holder N\n");
    return 2;
  }
  int n = atoi(argv[1]);
  struct rlimit files = {(rlim_t)(2 * n + 64), (rlim_t)(2 * n + 64)};
  struct rlimit lock = {RLIM_INFINITY, RLIM_INFINITY};
  setrlimit(RLIMIT_NOFILE, &files);  // best effort; the loads below say what failed
  setrlimit(RLIMIT_MEMLOCK, &lock);  // before Linux 5.11 BPF memory counts here
  signal(SIGINT, on_signal);
  signal(SIGTERM, on_signal);
  for (int i = 0; i < n; ++i) {
    int map_fd = create_map(i);
    if (map_fd < 0) {
      fprintf(stderr, "metrics_prog_holder: map %d: %s\n", i, strerror(errno));
      return 1;
    }
    if (load_prog(i, map_fd) < 0) {
      fprintf(stderr, "metrics_prog_holder: program %d: %s\n", i, strerror(errno));
      return 1;
    }
  }
  printf("ready %d\n", n);
  fflush(stdout);
  char buf[64];
  while (!stop && read(STDIN_FILENO, buf, sizeof(buf)) > 0) {
  }
  return 0;  // exiting closes every fd: the kernel frees the programs and maps
}
