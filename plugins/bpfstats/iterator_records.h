// Reading a BPF iterator whose program writes one fixed-size record per object
// (bpf_seq_write of a struct): both of bpfstats' iterators, the holder scan's
// task_file one and the program counters' bpf_prog one.
#pragma once

#include <bpf/bpf.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <type_traits>
#include <vector>

#include <ig/unique_fd.h>

namespace ig::bpfstats {

// One new pass of the iterator behind `link_fd`, its records appended to `out` in
// order. 0, or an errno: from creating or reading the iterator (EAGAIN when its
// program asked for a retry), EPROTO when it ended inside a record.
template <class Record>
int read_iterator_records(int link_fd, std::vector<Record>& out) {
  static_assert(std::is_trivially_copyable_v<Record>);
  UniqueFd iter(bpf_iter_create(link_fd));
  if (!iter) return errno;
  // A read returns at most one seq_file buffer (8 pages); records may straddle reads.
  std::vector<char> buf(64 * 1024);
  std::size_t used = 0;
  for (;;) {
    ssize_t n = ::read(iter.get(), buf.data() + used, buf.size() - used);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return errno;
    if (n == 0) break;
    used += static_cast<std::size_t>(n);
    const std::size_t whole = used - used % sizeof(Record);
    for (std::size_t at = 0; at < whole; at += sizeof(Record)) {
      Record record;
      std::memcpy(&record, buf.data() + at, sizeof(record));
      out.push_back(record);
    }
    std::memmove(buf.data(), buf.data() + whole, used - whole);
    used -= whole;
  }
  return used == 0 ? 0 : EPROTO;
}

}  // namespace ig::bpfstats
