// bpf_loader N: load N one-entry array maps and N socket-filter programs, program i
// referencing map i, print "ready <prog ids first-last> <map ids first-last>" and hold
// them until stdin closes or SIGINT/SIGTERM arrives. Exiting closes every fd, which
// frees every object (nothing is pinned or attached).
//
// For the bpfstats benchmark (bench/bpfstats_bench.py): a system with N more programs
// and N more maps, each program with one map in its map_ids, so `--all` has N rows
// to enumerate and N maps to read memlock from. Needs CAP_SYS_ADMIN (CAP_BPF).
// Memory: Linux 5.11+ charges BPF memory to the memory cgroup, not RLIMIT_MEMLOCK;
// the limit is still raised for older kernels. RLIMIT_NOFILE is raised to fit 2N fds.
#define _GNU_SOURCE
#include <bpf/bpf.h>
#include <errno.h>
#include <linux/bpf.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

static volatile sig_atomic_t stop;

static void on_signal(int sig) {
  (void)sig;
  stop = 1;
}

static int raise_limit(int resource, rlim_t want) {
  struct rlimit lim;
  if (getrlimit(resource, &lim) != 0) return -1;
  if (lim.rlim_cur != RLIM_INFINITY && lim.rlim_cur >= want) return 0;
  if (lim.rlim_cur == RLIM_INFINITY) return 0;
  lim.rlim_cur = want;
  if (lim.rlim_max != RLIM_INFINITY && lim.rlim_max < want) lim.rlim_max = want;
  return setrlimit(resource, &lim);
}

static __u32 id_of(int fd, int is_prog) {
  if (is_prog) {
    struct bpf_prog_info info;
    __u32 len = sizeof(info);
    memset(&info, 0, sizeof(info));
    return bpf_obj_get_info_by_fd(fd, &info, &len) == 0 ? info.id : 0;
  }
  struct bpf_map_info info;
  __u32 len = sizeof(info);
  memset(&info, 0, sizeof(info));
  return bpf_obj_get_info_by_fd(fd, &info, &len) == 0 ? info.id : 0;
}

int main(int argc, char** argv) {
  if (argc != 2 || atoi(argv[1]) <= 0) {
    fprintf(stderr, "usage: %s N   (load N maps and N programs, hold until stdin closes)\n", argv[0]);
    return 2;
  }
  const int n = atoi(argv[1]);
  if (raise_limit(RLIMIT_NOFILE, (rlim_t)(2 * n + 64)) != 0) {
    fprintf(stderr, "bpf_loader: cannot raise RLIMIT_NOFILE to %d: %s\n", 2 * n + 64, strerror(errno));
    return 1;
  }
  raise_limit(RLIMIT_MEMLOCK, RLIM_INFINITY);  // pre-5.11 kernels only; failure is not fatal

  signal(SIGINT, on_signal);
  signal(SIGTERM, on_signal);
  signal(SIGPIPE, SIG_IGN);

  __u32 first_prog = 0, last_prog = 0, first_map = 0, last_map = 0;
  for (int i = 0; i < n; ++i) {
    char name[16];
    snprintf(name, sizeof(name), "igb_m%d", i);
    LIBBPF_OPTS(bpf_map_create_opts, map_opts);
    int map_fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, name, sizeof(__u32), sizeof(__u64), 1, &map_opts);
    if (map_fd < 0) {
      fprintf(stderr, "bpf_loader: map %d: %s\n", i, strerror(errno));
      return 1;
    }
    // r1 = &map (ld_imm64 with BPF_PSEUDO_MAP_FD puts the map in the program's map_ids);
    // r0 = 0; exit. A socket filter returning 0 that nothing attaches.
    struct bpf_insn insns[] = {
        {.code = BPF_LD | BPF_DW | BPF_IMM, .dst_reg = 1, .src_reg = BPF_PSEUDO_MAP_FD, .imm = map_fd},
        {.code = 0, .imm = 0},
        {.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = 0},
        {.code = BPF_JMP | BPF_EXIT},
    };
    snprintf(name, sizeof(name), "igb_p%d", i);
    LIBBPF_OPTS(bpf_prog_load_opts, prog_opts);
    int prog_fd = bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, name, "GPL", insns,
                                sizeof(insns) / sizeof(insns[0]), &prog_opts);
    if (prog_fd < 0) {
      fprintf(stderr, "bpf_loader: program %d: %s\n", i, strerror(errno));
      return 1;
    }
    if (i == 0) {
      first_prog = id_of(prog_fd, 1);
      first_map = id_of(map_fd, 0);
    }
    if (i == n - 1) {
      last_prog = id_of(prog_fd, 1);
      last_map = id_of(map_fd, 0);
    }
    if (stop) return 1;
  }
  printf("ready %u-%u %u-%u\n", first_prog, last_prog, first_map, last_map);
  fflush(stdout);

  char buf[64];
  while (!stop) {
    ssize_t got = read(STDIN_FILENO, buf, sizeof(buf));
    if (got == 0 || (got < 0 && errno != EINTR)) break;
  }
  return 0;  // the fds close with the process; the kernel frees the objects
}
