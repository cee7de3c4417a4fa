// bpf_enum_floor [ROUNDS]: the syscall floor of one bpfstats --all pass, timed in-process.
//
// Per round, for every BPF program: one BPF_PROG_GET_NEXT_ID, one BPF_PROG_GET_FD_BY_ID,
// one BPF_OBJ_GET_INFO_BY_FD (with room for 16 map ids, as bpfstats asks), one close.
// For every BPF map: one BPF_MAP_GET_NEXT_ID, one BPF_MAP_GET_FD_BY_ID, one
// BPF_OBJ_GET_INFO_BY_FD, one open+read+close of /proc/self/fdinfo/FD (memlock), one
// close. No parsing beyond finding "memlock:", no allocation, no output per object.
//
// A second variant, "reread", is the same walk with the fdinfo trick bpfstats uses:
// the map fd is closed before the next map is opened, so the next one gets the same
// fd number, and /proc/self/fdinfo/N, kept open, is read again with pread (the
// kernel looks fd N up at each read). Per map that is one pread instead of an
// open, a read and a close.
// Prints one line per round and a summary line:
//   floor progs=P maps=M median_us=... min_us=... max_us=... prog_us=... map_us=...
//         cpu_median_us=... cpu_min_us=... cpu_max_us=... reread_median_us=... reread_cpu_median_us=...
// (wall time; prog_us/map_us: medians of the two halves; cpu_*: the process's CPU
// time, CLOCK_PROCESS_CPUTIME_ID, which waiting for a CPU on a shared machine does
// not inflate). Medians are the upper median. Needs CAP_SYS_ADMIN.
#define _GNU_SOURCE
#include <bpf/bpf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double clock_us(clockid_t clock) {
  struct timespec ts;
  clock_gettime(clock, &ts);
  return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static double now_us(void) { return clock_us(CLOCK_MONOTONIC); }
static double cpu_us(void) { return clock_us(CLOCK_PROCESS_CPUTIME_ID); }

static int cmp_double(const void* a, const void* b) {
  double x = *(const double*)a, y = *(const double*)b;
  return (x > y) - (x < y);
}

static unsigned long long checksum;  // keeps the reads observable

static int walk_programs(void) {
  int count = 0;
  __u32 id = 0, map_ids[16];
  while (bpf_prog_get_next_id(id, &id) == 0) {
    int fd = bpf_prog_get_fd_by_id(id);
    if (fd < 0) continue;  // gone meanwhile
    struct bpf_prog_info info;
    memset(&info, 0, sizeof(info));
    info.nr_map_ids = 16;
    info.map_ids = (__u64)(unsigned long)map_ids;
    __u32 len = sizeof(info);
    if (bpf_obj_get_info_by_fd(fd, &info, &len) == 0) {
      checksum += info.run_time_ns + info.run_cnt;
      ++count;
    }
    close(fd);
  }
  return count;
}

static int walk_maps(void) {
  int count = 0;
  __u32 id = 0;
  char path[64], text[1024];
  while (bpf_map_get_next_id(id, &id) == 0) {
    int fd = bpf_map_get_fd_by_id(id);
    if (fd < 0) continue;
    struct bpf_map_info info;
    memset(&info, 0, sizeof(info));
    __u32 len = sizeof(info);
    if (bpf_obj_get_info_by_fd(fd, &info, &len) == 0) {
      snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
      int info_fd = open(path, O_RDONLY | O_CLOEXEC);
      if (info_fd >= 0) {
        ssize_t n = read(info_fd, text, sizeof(text) - 1);
        close(info_fd);
        if (n > 0) {
          text[n] = '\0';
          const char* memlock = strstr(text, "memlock:");
          if (memlock) checksum += strtoull(memlock + 8, NULL, 10);
        }
      }
      ++count;
    }
    close(fd);
  }
  return count;
}

static int walk_maps_reread(void) {
  int count = 0, slot = -1, info_fd = -1;
  __u32 id = 0;
  char path[64], text[1024];
  while (bpf_map_get_next_id(id, &id) == 0) {
    int fd = bpf_map_get_fd_by_id(id);
    if (fd < 0) continue;
    struct bpf_map_info info;
    memset(&info, 0, sizeof(info));
    __u32 len = sizeof(info);
    if (bpf_obj_get_info_by_fd(fd, &info, &len) == 0) {
      if (fd != slot) {
        if (info_fd >= 0) close(info_fd);
        snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
        info_fd = open(path, O_RDONLY | O_CLOEXEC);
        slot = fd;
      }
      ssize_t n = info_fd >= 0 ? pread(info_fd, text, sizeof(text) - 1, 0) : -1;
      if (n > 0) {
        text[n] = '\0';
        const char* memlock = strstr(text, "memlock:");
        if (memlock) checksum += strtoull(memlock + 8, NULL, 10);
      }
      ++count;
    }
    close(fd);
  }
  if (info_fd >= 0) close(info_fd);
  return count;
}

int main(int argc, char** argv) {
  int rounds = argc > 1 ? atoi(argv[1]) : 20;
  if (rounds <= 0) rounds = 20;
  double* total = calloc((size_t)rounds, sizeof(double));
  double* progs_t = calloc((size_t)rounds, sizeof(double));
  double* maps_t = calloc((size_t)rounds, sizeof(double));
  double* cpu = calloc((size_t)rounds, sizeof(double));
  double* reread = calloc((size_t)rounds, sizeof(double));
  double* reread_cpu = calloc((size_t)rounds, sizeof(double));
  if (!total || !progs_t || !maps_t || !cpu || !reread || !reread_cpu) return 1;
  int progs = 0, maps = 0;
  for (int r = 0; r < rounds; ++r) {
    double c0 = cpu_us(), t0 = now_us();
    progs = walk_programs();
    double t1 = now_us();
    maps = walk_maps();
    double t2 = now_us(), c1 = cpu_us();
    cpu[r] = c1 - c0;
    progs_t[r] = t1 - t0;
    maps_t[r] = t2 - t1;
    total[r] = t2 - t0;
    double c2 = cpu_us(), t3 = now_us();
    walk_programs();
    walk_maps_reread();
    reread[r] = now_us() - t3;
    reread_cpu[r] = cpu_us() - c2;
    printf("round %d progs=%d maps=%d us=%.0f reread_us=%.0f\n", r, progs, maps, total[r], reread[r]);
  }
  if (progs == 0 && errno == EPERM) {
    fprintf(stderr, "bpf_enum_floor: listing BPF objects needs CAP_SYS_ADMIN\n");
    return 1;
  }
  qsort(total, (size_t)rounds, sizeof(double), cmp_double);
  qsort(progs_t, (size_t)rounds, sizeof(double), cmp_double);
  qsort(maps_t, (size_t)rounds, sizeof(double), cmp_double);
  qsort(cpu, (size_t)rounds, sizeof(double), cmp_double);
  qsort(reread, (size_t)rounds, sizeof(double), cmp_double);
  qsort(reread_cpu, (size_t)rounds, sizeof(double), cmp_double);
  printf("floor progs=%d maps=%d median_us=%.0f min_us=%.0f max_us=%.0f prog_us=%.0f map_us=%.0f "
         "cpu_median_us=%.0f cpu_min_us=%.0f cpu_max_us=%.0f reread_median_us=%.0f reread_cpu_median_us=%.0f "
         "checksum=%llu\n",
         progs, maps, total[rounds / 2], total[0], total[rounds - 1], progs_t[rounds / 2], maps_t[rounds / 2],
         cpu[rounds / 2], cpu[0], cpu[rounds - 1], reread[rounds / 2], reread_cpu[rounds / 2], checksum % 10);
  return 0;
}
