#include "daemon/state_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <sstream>

#include <toml++/toml.h>

#include <ig/unique_fd.h>

#include "common/toml_parse.h"
#include "runtime/identity.h"

namespace fs = std::filesystem;

namespace ig::host {
namespace {

// One line for a failed write: the file, the errno, and what the operator can do.
Error write_error(const char* what, const fs::path& file, int err) {
  const fs::path dir = file.parent_path();
  std::string fix;
  switch (err) {
    case ENOSPC:
    case EDQUOT: fix = "free space in '" + dir.string() + "'"; break;
    case EROFS: fix = "remount '" + dir.string() + "' read-write"; break;
    case EACCES:
    case EPERM: fix = "let root write to '" + dir.string() + "'"; break;
    default: fix = "check '" + dir.string() + "'"; break;
  }
  const char* name = strerrorname_np(err);
  return Error{std::string("cannot ") + what + " instance state '" + file.string() + "': " + std::strerror(err) +
               " (" + (name ? name : std::to_string(err)) + "); " + fix +
               ", or point --state-dir (state_dir in the config) elsewhere"};
}

Result<void> write_all(int fd, const std::string& data, const fs::path& path) {
  std::size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return write_error("write", path, errno);
    done += static_cast<std::size_t>(n);
  }
  return {};
}

void fsync_dir(const fs::path& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

}  // namespace

std::string render_instance(const InstanceSpec& inst) {
  toml::table params;
  for (const auto& [k, v] : inst.params) params.insert(k, v);
  std::time_t t = inst.created;
  std::tm tm{};
  gmtime_r(&t, &tm);
  toml::date_time created{toml::date{tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday},
                          toml::time{tm.tm_hour, tm.tm_min, tm.tm_sec}, toml::time_offset{}};
  toml::table table{{"id", inst.id.str()}, {"name", inst.name.str()}, {"gadget", inst.gadget}, {"created", created},
                    {"params", params}};
  std::ostringstream out;
  // Basic strings only: TOML++ 3.3 writes a value holding a newline as a literal
  // string it cannot read back, one line or three quotes that the value itself
  // ends early (found by fuzz_state_file). A basic string escapes what it must.
  constexpr auto flags = toml::toml_formatter::default_flags &
                         ~(toml::format_flags::allow_literal_strings | toml::format_flags::allow_multi_line_strings);
  out << "# ig instance; written by the daemon, restored at its start\n" << toml::toml_formatter(table, flags) << "\n";
  return out.str();
}

Result<InstanceSpec> parse_instance(const std::string& text, const std::string& source) {
  toml::table table;
  try {
    table = parse_toml(text, source);
  } catch (const toml::parse_error& e) {
    return make_error("line " + std::to_string(e.source().begin.line) + ": " + std::string(e.description()));
  }
  auto id = InstanceId::parse(table["id"].value_or(std::string()));
  auto name = InstanceName::parse(table["name"].value_or(std::string()));
  auto gadget = table["gadget"].value<std::string>();
  if (!id) return make_error("'id' must be 32 lowercase hex characters");
  if (!name) return make_error("'name' is missing or invalid");
  if (!gadget || gadget->empty()) return make_error("'gadget' must be a non-empty string");
  InstanceSpec inst{std::move(id).value(), std::move(name).value(), *gadget, {}, 0};
  if (auto created = table["created"].value<toml::date_time>()) {
    std::tm tm{};
    tm.tm_year = created->date.year - 1900;
    tm.tm_mon = created->date.month - 1;
    tm.tm_mday = created->date.day;
    tm.tm_hour = created->time.hour;
    tm.tm_min = created->time.minute;
    tm.tm_sec = created->time.second;
    inst.created = timegm(&tm);
  } else {
    return make_error("'created' must be a date-time");
  }
  if (table.contains("params")) {
    const toml::table* params = table["params"].as_table();
    if (!params) return make_error("'params' must be a table");
    for (const auto& [k, v] : *params) {
      auto value = v.value<std::string>();
      if (!value) return make_error("parameter '" + std::string(k.str()) + "' must be a string");
      inst.params[std::string(k.str())] = *value;
    }
  }
  return inst;
}

Result<void> StateStore::prepare() {
  std::error_code ec;
  fs::create_directories(dir_, ec);
  if (ec) return make_error("cannot create state dir '" + dir_.string() + "': " + ec.message());
  fs::permissions(dir_, fs::perms::owner_all, fs::perm_options::replace, ec);
  return {};
}

Result<void> StateStore::save(const InstanceSpec& instance) {
  fs::path final_path = file_for(instance.id);
  fs::path tmp = dir_ / ("." + instance.id.str() + ".toml.tmp");
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return write_error("write", tmp, errno);
  Result<void> written = write_all(fd, render_instance(instance), tmp);
  if (written && ::fsync(fd) != 0) written = write_error("fsync", tmp, errno);
  ::close(fd);
  if (written && ::rename(tmp.c_str(), final_path.c_str()) != 0) written = write_error("rename", tmp, errno);
  if (!written) {
    ::unlink(tmp.c_str());
    return written;
  }
  fsync_dir(dir_);
  return {};
}

Result<void> StateStore::remove(const InstanceId& id) {
  fs::path path = file_for(id);
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) return write_error("remove", path, errno);
  fsync_dir(dir_);
  return {};
}

std::string StateStore::quarantine(const InstanceId& id, const std::string& reason) {
  return move_aside(file_for(id), reason);
}

std::string StateStore::move_aside(const fs::path& path, const std::string& reason) {
  fs::path broken = path;
  broken += ".broken";
  std::error_code ec;
  fs::rename(path, broken, ec);  // a symbolic link moves itself, never its target
  return "state file '" + path.string() + "' " + reason +
         (ec ? "; could not move it aside (" + ec.message() + "), ignoring"
             : "; moved aside to '" + broken.string() + "'");
}

namespace {

// A state file is a small regular file the daemon wrote: never follow a link, nor
// trust a file another user could have placed or changed.
constexpr std::size_t kMaxStateFileBytes = 64 * 1024;

Result<std::string> read_state_file(const fs::path& path) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
  if (!fd && errno == ELOOP) return make_error("is a symbolic link, which is never followed");
  if (!fd) return make_error(std::string("cannot be opened: ") + std::strerror(errno));
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return make_error(std::string("cannot be read: ") + std::strerror(errno));
  if (!S_ISREG(st.st_mode)) return make_error("is not a regular file");
  if (st.st_uid != ::geteuid())
    return make_error("is owned by uid " + std::to_string(st.st_uid) + ", not by the daemon's uid " +
                      std::to_string(::geteuid()));
  if (st.st_mode & (S_IWGRP | S_IWOTH)) {
    char mode[8];
    std::snprintf(mode, sizeof(mode), "%04o", static_cast<unsigned>(st.st_mode & 07777));
    return make_error(std::string("is writable by group or others (mode ") + mode + ")");
  }
  if (static_cast<std::size_t>(st.st_size) > kMaxStateFileBytes)
    return make_error("is " + std::to_string(st.st_size) + " bytes, more than a state file's " +
                      std::to_string(kMaxStateFileBytes / 1024) + " KiB");
  std::string text(static_cast<std::size_t>(st.st_size), '\0');
  std::size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::read(fd.get(), text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return make_error(std::string("cannot be read: ") + std::strerror(errno));
    if (n == 0) break;
    done += static_cast<std::size_t>(n);
  }
  text.resize(done);
  return text;
}

bool is_temp_file(const std::string& name) { return name.starts_with(".") && name.ends_with(".toml.tmp"); }

}  // namespace

StateStore::Loaded StateStore::load_all() {
  Loaded loaded;
  std::error_code ec;
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir_, ec)) {
    const std::string name = entry.path().filename().string();
    // A save a killed daemon never finished: its instance was never reported started.
    if (is_temp_file(name)) ::unlink(entry.path().c_str());
    else if (entry.path().extension() == ".toml" && !name.starts_with("."))
      files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  for (const fs::path& path : files) {
    auto text = read_state_file(path);
    if (!text) {
      loaded.warnings.push_back(move_aside(path, text.error().message));
      continue;
    }
    auto parsed = parse_instance(text.value(), path.string());
    if (parsed && parsed->id.str() != path.stem().string())
      parsed = make_error("its id '" + parsed->id.str() + "' does not match the file name");
    if (!parsed) {
      loaded.warnings.push_back(move_aside(path, "is invalid (" + parsed.error().message + ")"));
      continue;
    }
    loaded.instances.push_back(std::move(parsed).value());
  }
  return loaded;
}

}  // namespace ig::host
