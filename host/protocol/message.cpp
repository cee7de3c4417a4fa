#include "protocol/message.h"

#include <cstring>

namespace ig::host::protocol {
namespace {

void append_u32(std::string& out, std::uint32_t v) { out.append(reinterpret_cast<const char*>(&v), sizeof(v)); }

void append_header(std::string& out, std::size_t payload, Type type) {
  append_u32(out, static_cast<std::uint32_t>(payload));
  out += static_cast<char>(kVersion);
  out += static_cast<char>(type);
}

bool known_type(std::uint8_t t) { return t >= 1 && t <= static_cast<std::uint8_t>(Type::Pong); }

}  // namespace

const char* type_name(Type type) {
  switch (type) {
    case Type::Error: return "error";
    case Type::Run: return "run";
    case Type::Started: return "started";
    case Type::Event: return "event";
    case Type::Lost: return "lost";
    case Type::Log: return "log";
    case Type::Finished: return "finished";
    case Type::Stop: return "stop";
    case Type::List: return "list";
    case Type::ListReply: return "list-reply";
    case Type::Remove: return "remove";
    case Type::RemoveReply: return "remove-reply";
    case Type::Attach: return "attach";
    case Type::Ping: return "ping";
    case Type::Pong: return "pong";
  }
  return "unknown";
}

std::string Message::get(std::string_view key, std::string fallback) const {
  for (const auto& [k, v] : fields_)
    if (k == key) return v;
  return fallback;
}

std::vector<std::string> Message::get_all(std::string_view key) const {
  std::vector<std::string> values;
  for (const auto& [k, v] : fields_)
    if (k == key) values.push_back(v);
  return values;
}

bool Message::has(std::string_view key) const {
  for (const auto& [k, v] : fields_)
    if (k == key) return true;
  return false;
}

std::string Message::encode_fields() const {
  std::string out;
  for (const auto& [k, v] : fields_) {
    append_u32(out, static_cast<std::uint32_t>(k.size()));
    out += k;
    append_u32(out, static_cast<std::uint32_t>(v.size()));
    out += v;
  }
  return out;
}

Result<Message> Message::decode_fields(Type type, std::string_view payload) {
  Message m(type);
  std::size_t pos = 0;
  auto read_string = [&](std::string& into) -> bool {
    std::uint32_t len;
    if (payload.size() - pos < sizeof(len)) return false;
    std::memcpy(&len, payload.data() + pos, sizeof(len));
    pos += sizeof(len);
    if (payload.size() - pos < len) return false;
    into.assign(payload.data() + pos, len);
    pos += len;
    return true;
  };
  while (pos < payload.size()) {
    std::string key, value;
    if (!read_string(key) || !read_string(value))
      return make_error(std::string("malformed '") + type_name(type) + "' message: truncated field");
    m.add(std::move(key), std::move(value));
  }
  return m;
}

void append_frame(const Message& message, std::string& out) {
  if (message.type() == Type::Event) return append_event_frame(message.raw().data(), message.raw().size(), out);
  std::string payload = message.encode_fields();
  append_header(out, payload.size(), message.type());
  out += payload;
}

void append_event_frame(const void* record, std::size_t size, std::string& out) {
  append_header(out, size, Type::Event);
  out.append(static_cast<const char*>(record), size);
}

Result<std::optional<Message>> FrameReader::next() {
  std::size_t available = buffer_.size() - consumed_;
  if (available < kHeaderSize) return std::optional<Message>();
  const char* head = buffer_.data() + consumed_;
  std::uint32_t length;
  std::memcpy(&length, head, sizeof(length));
  auto version = static_cast<std::uint8_t>(head[4]);
  auto type = static_cast<std::uint8_t>(head[5]);
  if (version != kVersion)
    return make_error("protocol version " + std::to_string(version) + " frame, this ig speaks version " +
                      std::to_string(kVersion) + "; run the same ig version on both sides");
  if (!known_type(type)) return make_error("unknown message type " + std::to_string(type));
  if (length > max_payload_)
    return make_error("frame of " + std::to_string(length) + " bytes exceeds the limit of " +
                      std::to_string(max_payload_));
  if (available - kHeaderSize < length) return std::optional<Message>();
  std::string_view payload(head + kHeaderSize, length);
  consumed_ += kHeaderSize + length;
  std::optional<Message> out;
  if (static_cast<Type>(type) == Type::Event) {
    out.emplace(Type::Event);
    out->set_raw(std::string(payload));
  } else {
    auto decoded = Message::decode_fields(static_cast<Type>(type), payload);
    if (!decoded) return decoded.error();
    out = std::move(decoded).value();
  }
  // Compact now and then so the buffer does not grow with the stream.
  if (consumed_ > (1 << 16) && consumed_ * 2 > buffer_.size()) {
    buffer_.erase(0, consumed_);
    consumed_ = 0;
  }
  return out;
}

}  // namespace ig::host::protocol
