#include "metrics/self_metrics.h"

#include <dirent.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <ctime>
#include <fstream>
#include <sstream>

namespace ig::host {

MetricFamily make_family(std::string name, std::string help, MetricType type) {
  MetricFamily f;
  f.name = std::move(name);
  f.help = std::move(help);
  f.type = type;
  return f;
}

MetricSample make_sample(double value, std::vector<MetricLabel> labels) { return {std::move(labels), value, {}}; }

namespace {

// Seconds since the epoch at which this process started: boot time (/proc/stat
// btime) plus the start time in clock ticks (/proc/self/stat field 22). Read once.
double start_time_seconds() {
  static const double start = [] {
    long ticks = ::sysconf(_SC_CLK_TCK);
    std::ifstream stat_file("/proc/self/stat");
    std::string stat((std::istreambuf_iterator<char>(stat_file)), std::istreambuf_iterator<char>());
    std::size_t paren = stat.rfind(')');
    if (paren == std::string::npos || ticks <= 0) return 0.0;
    std::istringstream fields(stat.substr(paren + 2));  // field 3 (state) onwards
    std::string field;
    for (int i = 3; i <= 22 && fields >> field; ++i) {
    }
    double started_ticks = std::atof(field.c_str());
    std::ifstream proc_stat("/proc/stat");
    double boot = 0;
    for (std::string line; std::getline(proc_stat, line);)
      if (line.rfind("btime ", 0) == 0) boot = std::atof(line.c_str() + 6);
    return boot + started_ticks / static_cast<double>(ticks);
  }();
  return start;
}

double open_fds() {
  // Linux 6.2+ reports the number of open fds as the size of /proc/self/fd: one stat
  // instead of a readdir that costs about a microsecond per fd.
  struct stat st {};
  if (::stat("/proc/self/fd", &st) == 0 && st.st_size > 0) return static_cast<double>(st.st_size);
  DIR* dir = ::opendir("/proc/self/fd");
  if (!dir) return 0;
  double count = 0;
  while (dirent* entry = ::readdir(dir))
    if (entry->d_name[0] != '.') ++count;
  ::closedir(dir);
  return count - 1;  // the directory's own fd
}

}  // namespace

std::vector<MetricFamily> process_families() {
  std::vector<MetricFamily> out;
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  double cpu = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
               static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
  out.push_back(make_family("process_cpu_seconds_total", "User and system CPU time the daemon spent, in seconds.",
                       MetricType::Counter));
  out.back().samples.push_back(make_sample(cpu));

  double page = static_cast<double>(::sysconf(_SC_PAGESIZE));
  double size_pages = 0, resident_pages = 0;
  if (std::FILE* statm = std::fopen("/proc/self/statm", "r")) {
    if (std::fscanf(statm, "%lf %lf", &size_pages, &resident_pages) != 2) size_pages = resident_pages = 0;
    std::fclose(statm);
  }
  out.push_back(make_family("process_resident_memory_bytes", "Resident memory of the daemon, in bytes.", MetricType::Gauge));
  out.back().samples.push_back(make_sample(resident_pages * page));
  out.push_back(make_family("process_virtual_memory_bytes", "Virtual memory of the daemon, in bytes.", MetricType::Gauge));
  out.back().samples.push_back(make_sample(size_pages * page));

  out.push_back(make_family("process_open_fds", "File descriptors the daemon has open.", MetricType::Gauge));
  out.back().samples.push_back(make_sample(open_fds()));
  rlimit limit{};
  ::getrlimit(RLIMIT_NOFILE, &limit);
  out.push_back(make_family("process_max_fds", "The daemon's limit on open file descriptors.", MetricType::Gauge));
  out.back().samples.push_back(make_sample(static_cast<double>(limit.rlim_cur)));
  out.push_back(make_family("process_start_time_seconds", "When the daemon started, in seconds since the epoch.",
                       MetricType::Gauge));
  out.back().samples.push_back(make_sample(start_time_seconds()));
  return out;
}

}  // namespace ig::host
