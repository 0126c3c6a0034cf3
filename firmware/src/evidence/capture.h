#pragma once

#include <cstdint>
#include <string>

#include "capture/packet.h"
#include "dissect/observation.h"
#include "match/library.h"

namespace hm::evidence {

// What was seen: kept together in one blob so it can be sealed as one (DESIGN.md
// "Evidence is sealed"; issue 5).
struct Evidence {
  std::string text;  // the observation's text
  std::string host;  // the site it was on
  std::string url;   // the full URL, where there was one
};

std::string serialize(const Evidence& evidence);
// Unreadable blobs give an Evidence whose text says so, never a crash.
Evidence parse_evidence(std::string_view blob);

// A library hit, as the school sees it: who, when, where, what, and the evidence.
struct Capture {
  std::int64_t id = 0;  // assigned by the store
  capture::TimestampUs ts_us = 0;
  std::string client_ip;
  std::string client_mac;  // empty when unknown
  std::string category;
  int severity = 1;
  std::string phrase;            // the library entry's pattern
  std::string entry_kind;        // word, phrase, domain
  std::string observation_kind;  // dns_query, tls_sni, http_url, …
  std::string library_version;
  Evidence evidence;
};

Capture make_capture(const dissect::Observation& observation, const match::Entry& entry,
                     const std::string& library_version);

}  // namespace hm::evidence
