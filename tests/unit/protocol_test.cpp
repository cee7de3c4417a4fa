// The daemon's wire protocol: framing, key/value payloads, and what a bad frame does.
#include <doctest/doctest.h>

#include <cstring>
#include <string>

#include "protocol/message.h"

using ig::host::protocol::append_event_frame;
using ig::host::protocol::append_frame;
using ig::host::protocol::FrameReader;
using ig::host::protocol::kHeaderSize;
using ig::host::protocol::Message;
using ig::host::protocol::Type;

namespace {

std::string frame_of(const Message& m) {
  std::string out;
  append_frame(m, out);
  return out;
}

std::string header(std::uint32_t length, std::uint8_t version, std::uint8_t type) {
  std::string h(reinterpret_cast<const char*>(&length), 4);
  h += static_cast<char>(version);
  h += static_cast<char>(type);
  return h;
}

}  // namespace

TEST_CASE("a message round-trips with repeated keys and binary values in order") {
  Message m(Type::Run);
  m.add("gadget", "trace_open").add("param.pid", "42").add("target", "a").add("target", std::string("b\0c", 3));
  FrameReader reader(1 << 20);
  std::string bytes = frame_of(m);
  reader.feed(bytes.data(), bytes.size());
  auto next = reader.next();
  REQUIRE(next.ok());
  REQUIRE(next.value().has_value());
  const Message& got = *next.value();
  CHECK(got.type() == Type::Run);
  CHECK(got.get("gadget") == "trace_open");
  CHECK(got.get("param.pid") == "42");
  CHECK(got.get_all("target") == std::vector<std::string>{"a", std::string("b\0c", 3)});
  CHECK(got.get("missing", "fallback") == "fallback");
  CHECK_FALSE(reader.has_partial());
}

TEST_CASE("frames split at every byte boundary reassemble") {
  std::string bytes = frame_of(Message(Type::List));
  std::string record = "\x01\x02\x03\x04";
  append_event_frame(record.data(), record.size(), bytes);
  FrameReader reader(1 << 20);
  std::vector<Message> got;
  for (char c : bytes) {
    reader.feed(&c, 1);
    auto next = reader.next();
    REQUIRE(next.ok());
    if (next.value()) got.push_back(*next.value());
  }
  REQUIRE(got.size() == 2);
  CHECK(got[0].type() == Type::List);
  CHECK(got[1].type() == Type::Event);
  CHECK(got[1].raw() == record);
}

TEST_CASE("a truncated frame waits for more bytes instead of failing") {
  std::string bytes = frame_of(Message(Type::Ping));
  FrameReader reader(1 << 20);
  reader.feed(bytes.data(), kHeaderSize - 1);
  auto next = reader.next();
  REQUIRE(next.ok());
  CHECK_FALSE(next.value().has_value());
  CHECK(reader.has_partial());
}

TEST_CASE("an oversized frame is an error naming the limit") {
  FrameReader reader(1024);
  std::string bytes = header(4096, 1, static_cast<std::uint8_t>(Type::Run));
  reader.feed(bytes.data(), bytes.size());
  auto next = reader.next();
  REQUIRE_FALSE(next.ok());
  CHECK(next.error().message.find("4096") != std::string::npos);
  CHECK(next.error().message.find("1024") != std::string::npos);
}

TEST_CASE("a frame of another protocol version or an unknown type is refused") {
  FrameReader other_version(1 << 20);
  std::string v2 = header(0, 2, static_cast<std::uint8_t>(Type::List));
  other_version.feed(v2.data(), v2.size());
  auto a = other_version.next();
  REQUIRE_FALSE(a.ok());
  CHECK(a.error().message.find("version 2") != std::string::npos);

  FrameReader unknown(1 << 20);
  std::string bad = header(0, 1, 200);
  unknown.feed(bad.data(), bad.size());
  auto b = unknown.next();
  REQUIRE_FALSE(b.ok());
  CHECK(b.error().message.find("unknown message type 200") != std::string::npos);
}

TEST_CASE("a key/value payload cut inside a field is malformed") {
  Message m(Type::Remove);
  m.add("target", "abc");
  std::string payload = m.encode_fields();
  payload.pop_back();
  std::string bytes = header(static_cast<std::uint32_t>(payload.size()), 1, static_cast<std::uint8_t>(Type::Remove)) + payload;
  FrameReader reader(1 << 20);
  reader.feed(bytes.data(), bytes.size());
  auto next = reader.next();
  REQUIRE_FALSE(next.ok());
  CHECK(next.error().message.find("malformed 'remove'") != std::string::npos);
}

TEST_CASE("nested messages carry a list of instances in one reply") {
  Message a(Type::ListReply), b(Type::ListReply);
  a.add("id", "1").add("name", "x");
  b.add("id", "2").add("name", "y");
  Message reply(Type::ListReply);
  reply.add("instance", a.encode_fields()).add("instance", b.encode_fields());
  auto nested = reply.get_all("instance");
  REQUIRE(nested.size() == 2);
  auto second = Message::decode_fields(Type::ListReply, nested[1]);
  REQUIRE(second.ok());
  CHECK(second.value().get("name") == "y");
}
