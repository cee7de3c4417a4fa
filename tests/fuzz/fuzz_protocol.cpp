// The wire protocol as the daemon (requests) and the client (replies) read it: any
// byte stream, arriving in reads of any size, gives whole messages until at most one
// error, and every message re-encodes to a frame that decodes to the same message.
// A ListReply's nested instance messages are decoded as `ig list` does, and a Run
// request becomes the daemon's typed RunRequest or one error.
//
// Input: byte 0 picks the side (bit 0) and the read size (bits 1..7, 1 to 128);
// the rest is the stream.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "fuzz_check.h"
#include "daemon/connection_messages.h"
#include "protocol/message.h"

using namespace ig::host;
using namespace ig::host::protocol;

namespace {

bool same(const Message& a, const Message& b) {
  return a.type() == b.type() && a.fields() == b.fields() && a.raw() == b.raw();
}

void check_round_trip(const Message& message, std::size_t limit) {
  std::string frame;
  append_frame(message, frame);
  FrameReader again(limit);
  again.feed(frame.data(), frame.size());
  auto decoded = again.next();
  IG_FUZZ_CHECK(decoded && decoded.value(), "a decoded message re-encodes to a frame that decodes");
  IG_FUZZ_CHECK(same(message, *decoded.value()), "the re-decoded message is the same");
  IG_FUZZ_CHECK(!again.has_partial(), "one frame leaves nothing behind");
  if (message.type() == Type::Event) {
    std::string event;
    append_event_frame(message.raw().data(), message.raw().size(), event);
    IG_FUZZ_CHECK(event == frame, "an event frame is the same however it is built");
  }
}

void check_nested(const Message& message) {
  if (message.type() != Type::ListReply) return;
  for (const std::string& nested : message.get_all("instance")) {
    auto entry = Message::decode_fields(Type::ListReply, nested);
    if (entry) IG_FUZZ_CHECK(entry.value().encode_fields() == nested, "nested fields re-encode byte for byte");
  }
}

void check_run_request(const Message& message) {
  if (message.type() != Type::Run) return;
  auto request = run_request(message);
  if (!request) return;
  IG_FUZZ_CHECK(request->gadget == message.get("gadget"), "the gadget is taken as sent");
  if (request->name) IG_FUZZ_CHECK(InstanceName::parse(request->name->str()).ok(), "a requested name is valid");
  for (const auto& [key, value] : request->params)
    IG_FUZZ_CHECK(message.has("param." + key), "every parameter came as param.<name>");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::size_t limit = (data[0] & 1) ? kMaxReplyPayload : kMaxRequestPayload;
  const std::size_t read_size = (data[0] >> 1) + 1;
  const char* stream = reinterpret_cast<const char*>(data + 1);
  const std::size_t length = size - 1;

  FrameReader reader(limit);
  for (std::size_t at = 0; at < length;) {
    std::size_t n = std::min(read_size, length - at);
    reader.feed(stream + at, n);
    at += n;
    for (;;) {
      auto next = reader.next();
      if (!next) {
        IG_FUZZ_CHECK(!next.error().message.empty(), "an error says what failed");
        return 0;  // after an error the connection is closed
      }
      if (!next.value()) break;
      const Message& message = *next.value();
      check_round_trip(message, limit);
      check_nested(message);
      check_run_request(message);
    }
  }
  return 0;
}
