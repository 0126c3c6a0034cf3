// libFuzzer target: arbitrary bytes as an Ethernet frame through the Inspector
// (decode → flows → reassembly → dns/tls/http dissectors). Seed it from the frames of
// ../shared/testdata/pcaps (one file per frame). The first byte picks how the frame is
// replayed so TCP state (reassembly, HTTP/TLS streams) is exercised across calls.
#include <pcap/dlt.h>

#include <cstddef>
#include <cstdint>
#include <span>

#include "dissect/inspector.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // One inspector for the whole run, as a worker has: state carries over between
  // inputs, so sequences of segments reach the stream dissectors. Small bounds so the
  // limits (flow table, out-of-order bytes) are reached often.
  static hm::dissect::Inspector inspector([] {
    hm::dissect::InspectorSettings settings;
    settings.max_flows = 64;
    settings.max_out_of_order_bytes_per_direction = 4096;
    settings.max_stream_buffer_bytes = 4096;
    return settings;
  }());
  static hm::capture::TimestampUs now_us = 1'000'000;
  static const hm::dissect::ObservationSink sink = [](const hm::dissect::Observation& observation) {
    // Touch the text so a bad span or string would be noticed by the sanitizers.
    volatile std::size_t length = observation.text.size();
    (void)length;
  };

  if (size == 0) return 0;
  const std::uint8_t mode = data[0];
  const std::span<const std::uint8_t> frame(data + 1, size - 1);
  now_us += (mode & 0x0f) * 100'000;  // time moves on: expiry runs now and then
  const int link_type = (mode & 0x80) ? DLT_RAW : DLT_EN10MB;
  inspector.inspect(hm::capture::PacketView{now_us, link_type, frame}, sink);
  if ((mode & 0x70) == 0x70) inspector.finish(sink);
  return 0;
}
