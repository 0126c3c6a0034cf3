#include "dns_message.h"

namespace hm::trafficgen {
namespace {

constexpr uint16_t kClassIn = 1;
constexpr uint16_t kFlagsQuery = 0x0100;     // RD
constexpr uint16_t kFlagsResponse = 0x8180;  // QR, RD, RA, NOERROR
constexpr uint16_t kPointerToQuestion = 0xc00c;

void write_name(ByteWriter& w, std::string_view name) {
  while (!name.empty()) {
    const size_t dot = name.find('.');
    const std::string_view label = name.substr(0, dot);
    w.u8(static_cast<uint32_t>(label.size()));
    w.text(label);
    name = dot == std::string_view::npos ? std::string_view{} : name.substr(dot + 1);
  }
  w.u8(0);
}

void write_header_and_question(ByteWriter& w, uint16_t id, uint16_t flags, uint16_t answers,
                               std::string_view name, uint16_t qtype) {
  w.u16(id);
  w.u16(flags);
  w.u16(1);        // QDCOUNT
  w.u16(answers);  // ANCOUNT
  w.u16(0);        // NSCOUNT
  w.u16(0);        // ARCOUNT
  write_name(w, name);
  w.u16(qtype);
  w.u16(kClassIn);
}

}  // namespace

Bytes dns_query(uint16_t id, std::string_view name, uint16_t qtype) {
  Bytes out;
  ByteWriter w(out);
  write_header_and_question(w, id, kFlagsQuery, 0, name, qtype);
  return out;
}

Bytes dns_response(uint16_t id, std::string_view name, uint16_t qtype,
                   std::span<const uint32_t> addresses, uint32_t ttl) {
  Bytes out;
  ByteWriter w(out);
  const bool answer_a = qtype == dns_type::kA;
  write_header_and_question(w, id, kFlagsResponse,
                            answer_a ? static_cast<uint16_t>(addresses.size()) : 0, name, qtype);
  if (!answer_a) return out;  // NODATA for other types: the sample is IPv4-only
  for (const uint32_t address : addresses) {
    w.u16(kPointerToQuestion);
    w.u16(dns_type::kA);
    w.u16(kClassIn);
    w.u32(ttl);
    w.u16(4);
    w.u32(address);
  }
  return out;
}

}  // namespace hm::trafficgen
