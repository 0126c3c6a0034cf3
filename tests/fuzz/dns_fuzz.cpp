// libFuzzer target: arbitrary bytes as a DNS message (dissect/dns.h: questions, answer
// addresses, compression pointers) and as a DNS-over-TCP byte stream; answers go into
// a small address → name map so its eviction runs. Links: dissect.
#include <cstddef>
#include <cstdint>
#include <span>

#include "dissect/dns.h"
#include "dissect/host_table.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static hm::dissect::AddressNames names([] {
    hm::dissect::HostTableSettings settings;
    settings.max_dns_addresses = 32;
    return settings;
  }());
  static hm::capture::TimestampUs now_us = 0;
  now_us += 1'000'000;
  const std::span<const std::uint8_t> bytes(data, size);

  if (const auto message = hm::dissect::parse_dns_message(bytes)) {
    for (const auto& name : message->question_names) {
      volatile bool canary = hm::dissect::is_doh_canary(name);
      (void)canary;
    }
    if (message->is_response && !message->question_names.empty()) {
      for (const auto& address : message->answer_addresses) {
        names.learn(address, message->question_names.front(), now_us);
      }
    }
  }

  hm::dissect::DnsOverTcpStream stream;
  const std::size_t half = size / 2;
  const auto on_message = [](std::span<const std::uint8_t> message) {
    (void)hm::dissect::parse_dns_message(message);
  };
  stream.feed(bytes.first(half), on_message);
  stream.feed(bytes.subspan(half), on_message);
  return 0;
}
