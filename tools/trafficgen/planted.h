#pragma once

#include <span>
#include <string>
#include <string_view>

#include "time_format.h"

namespace hm::trafficgen {

// How a planted concern travels, named after the observation kind the daemon
// turns it into (DESIGN.md "dissectors").
enum class PlantedKind { kDnsQuery, kTlsSni, kHttpUrl };

// A concern planted in the sample at a known time, from its own device, exactly
// once; the integration test reads these through --list-planted.
struct PlantedConcern {
  Micros offset;  // from the start of the capture to the carrying packet
  PlantedKind kind;
  std::string_view host;
  std::string_view target;  // HTTP only: origin-form request target
  std::string_view category;
  int severity;
  std::string_view phrase;  // what a library entry is expected to match
};

std::span<const PlantedConcern> planted_concerns();
std::string_view kind_name(PlantedKind kind);
// The observation text: the name for DNS and SNI, the absolute URL for HTTP.
std::string observation_text(const PlantedConcern& concern);

}  // namespace hm::trafficgen
