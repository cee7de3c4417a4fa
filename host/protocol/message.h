// The control protocol between `ig` clients and the daemon, over a unix stream socket.
//
// A frame is a 6-byte header — u32 payload length, u8 protocol version, u8 type —
// then the payload. Control messages carry an ordered list of key/value strings
// (each u32 length + bytes; a key may repeat); Event frames carry one raw event
// record. Everything is host byte order: both ends are on the same machine.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <ig/result.h>

namespace ig::host::protocol {

inline constexpr std::uint8_t kVersion = 1;
inline constexpr std::size_t kHeaderSize = 6;
inline constexpr std::size_t kMaxRequestPayload = 1 << 20;   // what the daemon accepts
inline constexpr std::size_t kMaxReplyPayload = 64 << 20;    // what a client accepts

enum class Type : std::uint8_t {
  Error = 1,        // message
  Run = 2,          // gadget, name, detach, param.<name>=value ...
  Started = 3,      // id, name, gadget, plugin
  Event = 4,        // raw record
  Lost = 5,         // count, cause ("client_too_slow" when the daemon dropped them, else absent)
  Log = 6,          // level, message
  Finished = 7,     // error (absent when it ended well)
  Stop = 8,         // stop this connection's foreground instance
  List = 9,
  ListReply = 10,   // instance=<nested message> ...
  Remove = 11,      // target ... | all=1
  RemoveReply = 12, // removed=<name> ... error=<message> ...
  Attach = 13,      // target
  Ping = 14,
  Pong = 15,        // pid, version
};

const char* type_name(Type type);

class Message {
 public:
  Message() = default;
  explicit Message(Type type) : type_(type) {}

  Type type() const { return type_; }
  Message& add(std::string key, std::string value) {
    fields_.emplace_back(std::move(key), std::move(value));
    return *this;
  }
  // First value for `key`, or `fallback`.
  std::string get(std::string_view key, std::string fallback = "") const;
  std::vector<std::string> get_all(std::string_view key) const;
  bool has(std::string_view key) const;
  const std::vector<std::pair<std::string, std::string>>& fields() const { return fields_; }

  // Raw payload for Event frames.
  void set_raw(std::string raw) { raw_ = std::move(raw); }
  const std::string& raw() const { return raw_; }

  // The key/value list alone, for nesting one message inside another's value.
  std::string encode_fields() const;
  static Result<Message> decode_fields(Type type, std::string_view payload);

 private:
  Type type_ = Type::Error;
  std::vector<std::pair<std::string, std::string>> fields_;
  std::string raw_;
};

// Append one whole frame to `out`.
void append_frame(const Message& message, std::string& out);
// Append an Event frame without building a Message (the hot path).
void append_event_frame(const void* record, std::size_t size, std::string& out);

// Splits a byte stream into messages. After an error the stream is unusable.
class FrameReader {
 public:
  explicit FrameReader(std::size_t max_payload) : max_payload_(max_payload) {}

  void feed(const char* data, std::size_t size) { buffer_.append(data, size); }
  // The next complete message, nothing if more bytes are needed, or an error for a
  // frame that is oversized, of another protocol version, of an unknown type, or
  // whose payload does not parse.
  Result<std::optional<Message>> next();
  bool has_partial() const { return buffer_.size() > consumed_; }

 private:
  std::size_t max_payload_;
  std::string buffer_;
  std::size_t consumed_ = 0;
};

}  // namespace ig::host::protocol
