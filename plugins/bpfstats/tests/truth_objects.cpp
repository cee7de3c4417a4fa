// Loads truth_objects.bpf.c for truth_test.py and changes what it holds on command.
// Prints one JSON line with the kernel ids once everything is loaded, then reads
// commands from stdin, answering "ok" (or "error ...") to each:
//   fill MAP N      insert keys 0..N-1 into hash map MAP (bst_prealloc, bst_dynamic)
//   delete MAP N    delete keys 0..N-1 from it
//   recurse K       K getppid() calls: K runs of bst_recurse, K recursion misses
//   quit            free everything and exit (so does end of input)
// Usage: bpfstats-truth-objects [PERF_PAGES]  (pages per CPU of the perf buffer, a power of 2)
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "truth_objects.skel.h"

namespace {

constexpr int kInnerMaps = 3;

struct SkelDeleter {
  void operator()(truth_objects_bpf* skel) const { truth_objects_bpf__destroy(skel); }
};
struct PerfBufferDeleter {
  void operator()(perf_buffer* pb) const { perf_buffer__free(pb); }
};

std::uint32_t id_of_map(int fd) {
  bpf_map_info info{};
  __u32 len = sizeof(info);
  return bpf_obj_get_info_by_fd(fd, &info, &len) == 0 ? info.id : 0;
}

std::uint32_t id_of_prog(int fd) {
  bpf_prog_info info{};
  __u32 len = sizeof(info);
  return bpf_obj_get_info_by_fd(fd, &info, &len) == 0 ? info.id : 0;
}

int fail(const std::string& what) {
  std::fprintf(stderr, "bpfstats-truth-objects: %s: %s\n", what.c_str(), std::strerror(errno));
  return 1;
}

// One command; an empty string when it worked.
std::string run(truth_objects_bpf& skel, const std::string& line) {
  std::istringstream in(line);
  std::string verb, name;
  long count = 0;
  in >> verb;
  if (verb == "recurse") {
    in >> count;
    for (long i = 0; i < count; ++i) ::syscall(SYS_getppid);  // glibc may cache getppid()
    return "";
  }
  in >> name >> count;
  bpf_map* map = name == "bst_prealloc" ? skel.maps.bst_prealloc : name == "bst_dynamic" ? skel.maps.bst_dynamic : nullptr;
  if (!map || count < 0) return "unknown command '" + line + "'";
  int fd = bpf_map__fd(map);
  for (std::uint32_t key = 0; key < static_cast<std::uint32_t>(count); ++key) {
    std::uint64_t value = key;
    int err = verb == "fill" ? bpf_map_update_elem(fd, &key, &value, BPF_ANY) : verb == "delete" ? bpf_map_delete_elem(fd, &key) : -EINVAL;
    if (err) return verb + " " + name + " key " + std::to_string(key) + ": " + std::strerror(-err);
  }
  return "";
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t perf_pages = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 4;
  std::unique_ptr<truth_objects_bpf, SkelDeleter> skel(truth_objects_bpf__open());
  if (!skel) return fail("cannot open truth_objects.bpf.c");
  skel->rodata->loader_tgid = static_cast<std::uint32_t>(getpid());
  if (truth_objects_bpf__load(skel.get())) return fail("cannot load truth_objects.bpf.c");
  if (truth_objects_bpf__attach(skel.get())) return fail("cannot attach its programs");

  std::vector<std::uint32_t> inner_ids;
  for (std::uint32_t slot = 0; slot < kInnerMaps; ++slot) {
    // Closed once inserted: only the outer map holds them, as usual for inner maps.
    int fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "bst_inner", 4, 8, 256, nullptr);
    if (fd < 0) return fail("cannot create an inner map");
    inner_ids.push_back(id_of_map(fd));
    int err = bpf_map_update_elem(bpf_map__fd(skel->maps.bst_outer), &slot, &fd, BPF_ANY);
    close(fd);
    if (err) return fail("cannot insert an inner map");
  }
  auto on_sample = [](void*, int, void*, __u32) {};
  std::unique_ptr<perf_buffer, PerfBufferDeleter> perf(
      perf_buffer__new(bpf_map__fd(skel->maps.bst_perf), perf_pages, on_sample, nullptr, nullptr, nullptr));
  if (!perf) return fail("cannot create the perf buffer");

  auto map_id = [&](bpf_map* m) { return std::to_string(id_of_map(bpf_map__fd(m))); };
  std::string inner;
  for (std::uint32_t id : inner_ids) inner += (inner.empty() ? "" : ",") + std::to_string(id);
  std::printf(
      "{\"recurse\":%u,\"trigger\":%u,\"maps\":{\"bst_prealloc\":%s,\"bst_dynamic\":%s,\"bst_perf\":%s,"
      "\"bst_outer\":%s},\"inner\":[%s],\"perf_pages\":%zu,\"perf_cpus\":%d,\"page_size\":%ld}\n",
      id_of_prog(bpf_program__fd(skel->progs.bst_recurse)), id_of_prog(bpf_program__fd(skel->progs.bst_trigger)),
      map_id(skel->maps.bst_prealloc).c_str(), map_id(skel->maps.bst_dynamic).c_str(),
      map_id(skel->maps.bst_perf).c_str(), map_id(skel->maps.bst_outer).c_str(), inner.c_str(), perf_pages,
      static_cast<int>(perf_buffer__buffer_cnt(perf.get())), sysconf(_SC_PAGESIZE));
  std::fflush(stdout);

  for (std::string line; std::getline(std::cin, line);) {
    if (line == "quit") break;
    std::string error = run(*skel, line);
    std::printf("%s\n", error.empty() ? "ok" : ("error " + error).c_str());
    std::fflush(stdout);
  }
  return 0;
}
