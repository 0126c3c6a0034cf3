#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string_view>

#include "flow_factory.h"

namespace hm::trafficgen {

// Which devices visit a site.
namespace platform {
constexpr uint8_t kIpad = 1;
constexpr uint8_t kChromebook = 2;
constexpr uint8_t kWindows = 4;
constexpr uint8_t kPrinter = 8;
constexpr uint8_t kAny = 15;
}  // namespace platform

enum class SiteKind {
  kTls,         // HTTPS; `extras` are hosts the page pulls in (fonts, CDNs, images)
  kHttpPage,    // plain HTTP page; `extras` are paths
  kHttpSearch,  // plain HTTP search; extras[0] is the path before the terms
  kHttpCheck,   // an operating system's connectivity check; extras[0] is the path
  kHttpDownload,
  kPlanted,  // only ever reached by a planted concern (never by chance)
};

// One host of an English primary school's morning. Weights say how often pupils
// (iPads, Chromebooks), staff (Windows laptops) and the printer start a visit
// there; 0 means the host is only reached as another site's extra.
struct Site {
  std::string_view host;
  SiteKind kind;
  uint16_t weight_pupil;
  uint16_t weight_staff;
  uint16_t weight_printer;
  uint8_t platforms;
  uint8_t net_a, net_b;  // first two octets of the server's address
  uint8_t rtt_ms;
  uint32_t min_kb, max_kb;  // response size
  std::array<std::string_view, 3> extras;
};

std::span<const Site> school_sites();
// The first site entry for `host`; nullptr if the table has none.
const Site* find_site(std::string_view host);
// The server behind `host`: a stable address in its owner's network, a TTL and
// round-trip time that look like the path to it.
Server server_for(std::string_view host);
std::span<const std::string_view> benign_searches();

}  // namespace hm::trafficgen
