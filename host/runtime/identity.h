// Instance ids and names. Only parse() and generate() make one, so every id and
// name the host holds has been checked once, where it entered: the client's
// request, a state file, or the generator.
#pragma once

#include <compare>
#include <string>
#include <string_view>

#include <ig/result.h>

namespace ig::host {

// 32 lowercase hex characters from the kernel's random source.
class InstanceId {
 public:
  static InstanceId generate();
  static Result<InstanceId> parse(std::string_view text);

  const std::string& str() const { return value_; }
  // The first 12 characters: what `ig list` shows and log lines name.
  std::string short_form() const { return value_.substr(0, 12); }

  auto operator<=>(const InstanceId&) const = default;

 private:
  explicit InstanceId(std::string value) : value_(std::move(value)) {}
  std::string value_;
};

// 1 to 32 characters of a-z, 0-9, _ and -; generated ones read like "brave_falcon_42".
class InstanceName {
 public:
  // Unique enough to need no retry in practice; the caller still checks.
  static InstanceName generate();
  static Result<InstanceName> parse(std::string_view text);

  const std::string& str() const { return value_; }

  bool operator==(const InstanceName&) const = default;

 private:
  explicit InstanceName(std::string value) : value_(std::move(value)) {}
  std::string value_;
};

}  // namespace ig::host
