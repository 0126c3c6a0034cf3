#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "flow.h"
#include "flow_factory.h"
#include "planted.h"
#include "rng.h"

namespace hm::trafficgen {

struct ProfileOptions {
  uint64_t seed = 20260302;
  uint32_t devices = 40;
  uint64_t flows = 400;  // benign flows; the planted ones come on top
  Micros start = 0;      // set from --start (default 2026-03-02T08:45:00Z)
  Micros duration = 120 * kMinute;
  // 0: each planted concern once (the sample). Otherwise each is planted again every
  // planted_every, wrapping round the duration, from the next pupil each time: a
  // dense capture with thousands of concerns for the store's crash and full-disk tests.
  Micros planted_every = 0;
};

enum class DeviceKind { kPupilTablet, kPupilLaptop, kStaffLaptop, kPrinter };

struct Device {
  std::string name;  // what DHCP would call it (issue 9 adds the leases)
  DeviceKind kind = DeviceKind::kPupilTablet;
  uint8_t platform = 0;
  Client client;
  uint16_t next_port = 49152;
  std::map<std::string, Micros> dns_cache;  // host -> expiry
};

// A planted concern placed in this capture: when, and from which device.
struct PlantedPlacement {
  const PlantedConcern* concern = nullptr;
  Micros time = 0;
  size_t device = 0;
};

// The "sample" profile: a primary school's morning from `start`, pupils on
// iPads and Chromebooks, staff on Windows laptops, one printer; visits to the
// site mix of school_sites.cpp at a steady rate (slower at break), each visit a
// DNS lookup unless cached, then HTTPS or plain HTTP connections; and the planted
// concerns, each from its own pupil device at its exact time.
class SchoolMorning {
 public:
  static constexpr uint32_t kMinDevices = 10;

  explicit SchoolMorning(const ProfileOptions& options);

  // Next flow in start order; nullptr at the end (a FlowSource).
  std::unique_ptr<Flow> next_flow();

  const std::vector<Device>& devices() const { return devices_; }
  const std::vector<PlantedPlacement>& planted() const { return planted_; }
  const Network& network() const { return network_; }

 private:
  struct Pending {
    Micros start;
    uint64_t order;
    std::unique_ptr<Flow> flow;
  };

  void plan_visit(Micros at);
  void plant(const PlantedPlacement& placement);
  // Adds a lookup of `host` if the device has none cached; returns when the
  // device can connect.
  Micros resolve(size_t device, const std::string& host, Micros at, bool benign);
  void visit_tls(size_t device, const std::string& host, Micros at, int depth);
  void push(std::unique_ptr<Flow> flow);
  bool take_budget();
  uint16_t client_port(size_t device);
  Micros next_gap(Micros now);
  Micros average_gap() const;

  ProfileOptions options_;
  Network network_;
  Rng rng_;
  std::vector<Device> devices_;
  std::vector<PlantedPlacement> planted_;
  std::vector<Pending> pending_;  // min-heap on (start, order)
  uint64_t pushed_ = 0;
  uint64_t benign_flows_ = 0;
  Micros next_visit_ = 0;
  uint64_t visits_ = 0;
};

}  // namespace hm::trafficgen
