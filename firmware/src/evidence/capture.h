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

// A frame that carried what was seen, as libpcap delivered it: the capture detail
// offers these as a pcap file for Wireshark (DESIGN.md: the evidence is the text with
// its context, and the packets that carried it).
struct EvidencePacket {
  capture::TimestampUs ts_us = 0;
  int link_type = 0;              // libpcap DLT_*
  std::uint32_t wire_length = 0;  // length on the wire (bytes may be shorter)
  std::string bytes;
};

// At most this many frames, and this many bytes of them, are sealed with a capture: the
// frame that completed the observation is what an investigator needs, and a capture
// must stay small enough that a million of them fit on the box's card.
inline constexpr std::size_t kMaxEvidencePackets = 4;
inline constexpr std::size_t kMaxEvidencePacketBytes = 16 * 1024;

// What was seen: kept together in one blob so it can be sealed as one (DESIGN.md
// "Evidence is sealed"; issue 5).
struct Evidence {
  std::string text;  // the observation's text
  std::string host;  // the site it was on
  std::string url;   // the full URL, where there was one
  // The frames that carried it; empty for captures stored before frames were kept,
  // and when the caller had none to give.
  std::vector<EvidencePacket> packets{};
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
  // The device's DHCP host name when known. Not stored with the capture: the store
  // thread seals it into the device list (store/device_repository.h).
  std::string client_name;
  std::string category;
  int severity = 1;
  std::string phrase;            // the library entry's pattern
  std::string entry_kind;        // word, phrase, domain
  std::string observation_kind;  // dns_query, tls_sni, http_url, …
  std::string library_version;
  Evidence evidence;            // in the clear: only in memory, before sealing or after opening
  std::string sealed_evidence;  // what the store keeps (crypto/seal.h format)
};

// The frames as a pcap file (the classic libpcap format Wireshark and tcpdump read:
// microsecond timestamps, little-endian), of the first frame's link type; frames of
// another link type cannot share the file and are left out. "" when there are none.
std::string to_pcap(std::span<const EvidencePacket> packets);

// Where the library entry's phrase is in the observed text, found as a person reads
// it: any case, and any run of separators (spaces, "+", "-", "_", "." …) in the text
// standing for a space of the phrase ("how+to+kill+myself" in a URL). Byte offsets
// into `text`; nullopt when it is not found so (a leetspeak or accented spelling).
struct PhraseSpan {
  std::size_t begin = 0;
  std::size_t end = 0;
};
std::optional<PhraseSpan> find_phrase(std::string_view text, std::string_view phrase);

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

// `packets`: the frame(s) the observation came from (the packet being inspected when
// the observation was made), kept within kMaxEvidencePackets / kMaxEvidencePacketBytes.
Capture make_capture(const dissect::Observation& observation, const match::Entry& entry,
                     const std::string& library_version,
                     std::span<const capture::PacketView> packets = {});

}  // namespace hm::evidence
