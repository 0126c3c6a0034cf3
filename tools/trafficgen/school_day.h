#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "flow.h"
#include "school_profile.h"

namespace hm::trafficgen {

struct SchoolDayOptions {
  ProfileOptions morning;  // the web mix, devices and planted concerns
  // Roughly how many bytes of frames the day should come to; the bulk transfers
  // (video, updates) carry kBulkPercent of them.
  uint64_t target_bytes = 64ULL << 20;
};

// The "school-day" profile: the sample's web mix and planted concerns (SchoolMorning),
// plus what a real school uplink carries besides: every device's DHCP lease as it
// arrives, HTTP/3 (QUIC) visits named in their Initial packets, bulk encrypted
// transfers (video over TLS and QUIC, operating system updates) carrying most of the
// bytes, DNS over HTTPS to public resolvers, ECH connections that only name the
// provider, and WireGuard tunnels. Flows come out in start order (a FlowSource).
class SchoolDay {
 public:
  static constexpr uint64_t kBulkPercent = 85;
  // Web bytes per benign SchoolMorning flow, measured: sizes --flows from the target.
  static constexpr uint64_t kWebBytesPerFlow = 14 * 1024;

  explicit SchoolDay(const SchoolDayOptions& options);

  std::unique_ptr<Flow> next_flow();
  const SchoolMorning& morning() const { return morning_; }

 private:
  struct Planned {
    Micros start;
    uint64_t order;
    std::unique_ptr<Flow> flow;
  };

  void plan_leases();
  void plan_extras();
  void plan_bulk(uint64_t bytes);
  void add(std::unique_ptr<Flow> flow);
  uint16_t port(size_t device);
  size_t pick_device(bool staff_only);
  Micros random_time();

  SchoolDayOptions options_;
  SchoolMorning morning_;
  Rng rng_;
  std::vector<uint16_t> next_port_;  // per device, apart from SchoolMorning's ports
  std::vector<Planned> planned_;     // sorted by (start, order) once planning is done
  size_t next_planned_ = 0;
  std::unique_ptr<Flow> morning_next_;
  bool morning_done_ = false;
};

}  // namespace hm::trafficgen
