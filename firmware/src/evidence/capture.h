#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "capture/packet.h"
#include "crypto/secret.h"
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
  // Assigned by the store thread before sealing (it is the only writer of captures,
  // so it can number them itself), because the id is part of the sealed evidence's
  // associated data: a sealed blob moved to another row no longer opens.
  std::int64_t id = 0;
  capture::TimestampUs ts_us = 0;
  std::string client_ip;
  std::string client_mac;  // empty when unknown
  std::string category;
  int severity = 1;
  std::string phrase;            // the library entry's pattern
  std::string entry_kind;        // word, phrase, domain
  std::string observation_kind;  // dns_query, tls_sni, http_url, …
  std::string library_version;
  Evidence evidence;            // in the clear: only in memory, before sealing or after opening
  std::string sealed_evidence;  // what the store keeps (crypto/seal.h format)
};

// The capture's id and its metadata (everything but the evidence), canonically
// encoded: the associated data its evidence is sealed with, so the metadata shown on
// dashboards cannot be changed without the evidence failing to open.
std::vector<std::uint8_t> associated_data(const Capture& capture);

// Seals capture.evidence to the box's public key into capture.sealed_evidence and
// clears the plaintext. capture.id must be set.
void seal_evidence(Capture& capture, std::span<const std::uint8_t> public_key);

// Opens capture.sealed_evidence; nullopt if the key is wrong or anything was changed.
std::optional<Evidence> open_evidence(const Capture& capture,
                                      const crypto::SecretBytes& private_key);

Capture make_capture(const dissect::Observation& observation, const match::Entry& entry,
                     const std::string& library_version);

}  // namespace hm::evidence
