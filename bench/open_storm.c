// SPDX-License-Identifier: Apache-2.0
/* open_storm: a fixed-count open() storm for the trace_open benchmark.
 *
 *   open_storm COUNT EXISTING_PATH MISSING_PATH
 *
 * Opens and closes EXISTING_PATH COUNT times, then opens MISSING_PATH COUNT times
 * (each must fail with ENOENT), and prints one JSON object on stdout: the pid, the
 * counts, the wall-clock and CPU time of each phase, and for the whole storm the time
 * on a CPU and the time spent waiting for one (from /proc/self/schedstat). glibc's
 * open() is the openat syscall. Setup (argument parsing, the dynamic loader's own
 * opens) happens before the clock starts, so the timed part is open()+close() only.
 * Exits 1 if any open behaves unexpectedly. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

struct phase {
  uint64_t opens;
  uint64_t ok;     /* open returned an fd */
  uint64_t failed; /* open returned -1 */
  uint64_t wall_ns;
  uint64_t cpu_user_ns;
  uint64_t cpu_sys_ns;
};

static uint64_t now_ns(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void cpu_ns(uint64_t *user, uint64_t *sys)
{
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  *user = (uint64_t)ru.ru_utime.tv_sec * 1000000000u + (uint64_t)ru.ru_utime.tv_usec * 1000u;
  *sys = (uint64_t)ru.ru_stime.tv_sec * 1000000000u + (uint64_t)ru.ru_stime.tv_usec * 1000u;
}

/* /proc/self/schedstat: ns on a CPU, ns waiting on a run queue. {0, 0} if absent. */
static void sched_ns(uint64_t *on_cpu, uint64_t *waiting)
{
  unsigned long long a = 0, b = 0;
  FILE *f = fopen("/proc/self/schedstat", "r");
  if (f) {
    if (fscanf(f, "%llu %llu", &a, &b) != 2)
      a = b = 0;
    fclose(f);
  }
  *on_cpu = a;
  *waiting = b;
}

static void run_phase(const char *path, uint64_t count, struct phase *p)
{
  uint64_t u0, s0, u1, s1;
  memset(p, 0, sizeof(*p));
  cpu_ns(&u0, &s0);
  uint64_t t0 = now_ns();
  for (uint64_t i = 0; i < count; i++) {
    int fd = open(path, O_RDONLY);
    if (fd >= 0) {
      p->ok++;
      close(fd);
    } else {
      p->failed++;
    }
  }
  p->wall_ns = now_ns() - t0;
  cpu_ns(&u1, &s1);
  p->opens = count;
  p->cpu_user_ns = u1 - u0;
  p->cpu_sys_ns = s1 - s0;
}

static void print_phase(const char *name, const char *path, const struct phase *p, const char *sep)
{
  /* Paths come from our own driver; refuse anything that would need JSON escaping. */
  printf("\"%s\":{\"path\":\"%s\",\"opens\":%" PRIu64 ",\"ok\":%" PRIu64 ",\"failed\":%" PRIu64
         ",\"wall_ns\":%" PRIu64 ",\"cpu_user_ns\":%" PRIu64 ",\"cpu_sys_ns\":%" PRIu64 "}%s",
         name, path, p->opens, p->ok, p->failed, p->wall_ns, p->cpu_user_ns, p->cpu_sys_ns, sep);
}

static int plain_path(const char *s)
{
  for (; *s; s++)
    if (*s == '"' || *s == '\\' || (unsigned char)*s < 0x20)
      return 0;
  return 1;
}

int main(int argc, char **argv)
{
  if (argc != 4) {
    fprintf(stderr, "usage: %s COUNT EXISTING_PATH MISSING_PATH\n", argv[0]);
    return 2;
  }
  char *end = NULL;
  errno = 0;
  unsigned long long count = strtoull(argv[1], &end, 10);
  if (errno || !end || *end || count == 0) {
    fprintf(stderr, "open_storm: invalid count '%s': give a positive integer\n", argv[1]);
    return 2;
  }
  const char *existing = argv[2];
  const char *missing = argv[3];
  if (!plain_path(existing) || !plain_path(missing)) {
    fprintf(stderr, "open_storm: paths must not contain quotes, backslashes or control characters\n");
    return 2;
  }
  if (access(existing, R_OK) != 0) {
    fprintf(stderr, "open_storm: cannot read '%s': %s; create it first\n", existing, strerror(errno));
    return 2;
  }
  if (access(missing, F_OK) == 0 || errno != ENOENT) {
    fprintf(stderr, "open_storm: '%s' must not exist; pick another path\n", missing);
    return 2;
  }

  struct phase hit, miss;
  uint64_t cpu0, wait0, cpu1, wait1;
  sched_ns(&cpu0, &wait0);
  uint64_t t0 = now_ns();
  run_phase(existing, count, &hit);
  run_phase(missing, count, &miss);
  uint64_t total = now_ns() - t0;
  sched_ns(&cpu1, &wait1);

  printf("{\"pid\":%d,\"count\":%llu,", (int)getpid(), count);
  print_phase("existing", existing, &hit, ",");
  print_phase("missing", missing, &miss, ",");
  /* Run-queue wait: time the storm was ready but another task had the CPU. */
  printf("\"opens\":%" PRIu64 ",\"wall_ns\":%" PRIu64 ",\"sched_cpu_ns\":%" PRIu64
         ",\"sched_wait_ns\":%" PRIu64 "}\n",
         hit.opens + miss.opens, total, cpu1 - cpu0, wait1 - wait0);
  if (hit.ok != count || miss.failed != count) {
    fprintf(stderr, "open_storm: expected %llu successful and %llu failed opens, got %" PRIu64 " and %" PRIu64 "\n",
            count, count, hit.ok, miss.failed);
    return 1;
  }
  return 0;
}
