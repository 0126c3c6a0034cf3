#include "evidence/capture.h"

#include <algorithm>
#include <cctype>

#include <nlohmann/json.hpp>

#include "crypto/seal.h"

namespace hm::evidence {

namespace {

constexpr char kHexDigits[] = "0123456789abcdef";

std::string to_hex(std::string_view bytes) {
  std::string hex;
  hex.reserve(bytes.size() * 2);
  for (const char c : bytes) {
    const auto byte = static_cast<std::uint8_t>(c);
    hex.push_back(kHexDigits[byte >> 4]);
    hex.push_back(kHexDigits[byte & 0x0f]);
  }
  return hex;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

std::optional<std::string> from_hex(std::string_view hex) {
  if (hex.size() % 2 != 0) return std::nullopt;
  std::string bytes;
  bytes.reserve(hex.size() / 2);
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    const int high = hex_value(hex[i]);
    const int low = hex_value(hex[i + 1]);
    if (high < 0 || low < 0) return std::nullopt;
    bytes.push_back(static_cast<char>((high << 4) | low));
  }
  return bytes;
}

// Frames in the blob: hex, because the blob is JSON text (a frame is at most a few
// KiB, so doubling it costs little beside the seal's own overhead).
nlohmann::json packets_json(const std::vector<EvidencePacket>& packets) {
  nlohmann::json list = nlohmann::json::array();
  for (const EvidencePacket& packet : packets) {
    list.push_back({{"ts_us", packet.ts_us},
                    {"link_type", packet.link_type},
                    {"wire_length", packet.wire_length},
                    {"bytes", to_hex(packet.bytes)}});
  }
  return list;
}

// Unreadable entries are left out: the rest of the evidence still shows.
std::vector<EvidencePacket> parse_packets(const nlohmann::json& list) {
  std::vector<EvidencePacket> packets;
  if (!list.is_array()) return packets;
  for (const auto& item : list) {
    if (!item.is_object()) continue;
    const auto ts = item.find("ts_us");
    const auto link = item.find("link_type");
    const auto wire = item.find("wire_length");
    const auto hex = item.find("bytes");
    if (ts == item.end() || !ts->is_number_integer() || link == item.end() ||
        !link->is_number_integer() || wire == item.end() || !wire->is_number_unsigned() ||
        hex == item.end() || !hex->is_string()) {
      continue;
    }
    auto bytes = from_hex(hex->get_ref<const std::string&>());
    if (!bytes) continue;
    packets.push_back(
        {ts->get<std::int64_t>(), link->get<int>(), wire->get<std::uint32_t>(), std::move(*bytes)});
  }
  return packets;
}

}  // namespace

std::string serialize(const Evidence& evidence) {
  nlohmann::json json = {{"text", evidence.text}, {"host", evidence.host}, {"url", evidence.url}};
  if (!evidence.packets.empty()) json["packets"] = packets_json(evidence.packets);
  // Observed text may be any bytes; replace invalid UTF-8 rather than throw.
  return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Evidence parse_evidence(std::string_view blob) {
  const auto json = nlohmann::json::parse(blob, nullptr, /*allow_exceptions=*/false);
  if (!json.is_object()) {
    return Evidence{"(evidence unreadable)", "", ""};
  }
  const auto text = json.find("text");
  const auto host = json.find("host");
  const auto url = json.find("url");
  const auto string_or_empty = [&json](nlohmann::json::const_iterator it) {
    return it != json.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  Evidence evidence{string_or_empty(text), string_or_empty(host), string_or_empty(url), {}};
  if (const auto packets = json.find("packets"); packets != json.end()) {
    evidence.packets = parse_packets(*packets);
  }
  return evidence;
}

namespace {

void put_le32(std::string& out, std::uint32_t value) {
  for (int shift = 0; shift < 32; shift += 8) out.push_back(static_cast<char>(value >> shift));
}

void put_le16(std::string& out, std::uint16_t value) {
  out.push_back(static_cast<char>(value));
  out.push_back(static_cast<char>(value >> 8));
}

bool is_separator(char c) {
  const auto byte = static_cast<unsigned char>(c);
  return byte < 0x80 && std::isalnum(byte) == 0;
}

// Lower-cased ASCII letters, each run of separators as one space; `origin` maps each
// folded byte back to the offset of the byte it came from.
std::string fold(std::string_view text, std::vector<std::size_t>* origin) {
  std::string folded;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (is_separator(c)) {
      if (!folded.empty() && folded.back() == ' ') continue;
      folded.push_back(' ');
    } else {
      folded.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
    if (origin != nullptr) origin->push_back(i);
  }
  return folded;
}

}  // namespace

std::string to_pcap(std::span<const EvidencePacket> packets) {
  if (packets.empty()) return {};
  const int link_type = packets.front().link_type;
  std::string file;
  // Global header: magic, version 2.4, GMT offset 0, accuracy 0, snap length, link type.
  put_le32(file, 0xa1b2c3d4);
  put_le16(file, 2);
  put_le16(file, 4);
  put_le32(file, 0);
  put_le32(file, 0);
  put_le32(file, 262144);
  put_le32(file, static_cast<std::uint32_t>(link_type));
  for (const EvidencePacket& packet : packets) {
    if (packet.link_type != link_type) continue;
    const auto length = static_cast<std::uint32_t>(packet.bytes.size());
    // Record header: seconds, microseconds, bytes in the file, length on the wire.
    put_le32(file, static_cast<std::uint32_t>(packet.ts_us / 1'000'000));
    put_le32(file, static_cast<std::uint32_t>(packet.ts_us % 1'000'000));
    put_le32(file, length);
    put_le32(file, std::max(packet.wire_length, length));
    file += packet.bytes;
  }
  return file;
}

std::optional<PhraseSpan> find_phrase(std::string_view text, std::string_view phrase) {
  std::vector<std::size_t> origin;
  const std::string folded_text = fold(text, &origin);
  std::string folded_phrase = fold(phrase, nullptr);
  // Separators at the phrase's ends say nothing about where it is.
  while (!folded_phrase.empty() && folded_phrase.front() == ' ') folded_phrase.erase(0, 1);
  while (!folded_phrase.empty() && folded_phrase.back() == ' ') folded_phrase.pop_back();
  if (folded_phrase.empty()) return std::nullopt;
  const std::size_t at = folded_text.find(folded_phrase);
  if (at == std::string::npos) return std::nullopt;
  const std::size_t last = at + folded_phrase.size() - 1;
  return PhraseSpan{origin[at], origin[last] + 1};
}

std::vector<std::uint8_t> associated_data(const Capture& capture) {
  const nlohmann::json fields = {"hallmonitor capture v1",
                                 capture.id,
                                 capture.ts_us,
                                 capture.client_ip,
                                 capture.client_mac,
                                 capture.category,
                                 capture.severity,
                                 capture.phrase,
                                 capture.entry_kind,
                                 capture.observation_kind,
                                 capture.library_version};
  const std::string text = fields.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return {text.begin(), text.end()};
}

void seal_evidence(Capture& capture, std::span<const std::uint8_t> public_key) {
  std::string plain = serialize(capture.evidence);
  const auto sealed = crypto::seal(
      public_key, std::span(reinterpret_cast<const std::uint8_t*>(plain.data()), plain.size()),
      associated_data(capture));
  crypto::wipe_bytes(std::span(reinterpret_cast<std::uint8_t*>(plain.data()), plain.size()));
  capture.sealed_evidence.assign(sealed.begin(), sealed.end());
  capture.evidence = Evidence{};
}

std::optional<Evidence> open_evidence(const Capture& capture,
                                      const crypto::SecretBytes& private_key) {
  const auto plain = crypto::open_sealed(
      private_key,
      std::span(reinterpret_cast<const std::uint8_t*>(capture.sealed_evidence.data()),
                capture.sealed_evidence.size()),
      associated_data(capture));
  if (!plain) return std::nullopt;
  return parse_evidence(*plain);
}

Capture make_capture(const dissect::Observation& observation, const match::Entry& entry,
                     const std::string& library_version,
                     std::span<const capture::PacketView> packets) {
  Capture capture;
  capture.ts_us = observation.ts_us;
  capture.client_ip = observation.src_ip.to_string();
  if (observation.client_mac && !observation.client_mac->is_zero()) {
    capture.client_mac = observation.client_mac->to_string();
  }
  capture.client_name = observation.client_name;
  capture.category = entry.category;
  capture.severity = entry.severity;
  capture.phrase = entry.pattern;
  capture.entry_kind = std::string(match::to_string(entry.kind));
  capture.observation_kind = std::string(dissect::to_string(observation.kind));
  capture.library_version = library_version;
  capture.evidence.text = observation.text;
  if (dissect::is_host_name_kind(observation.kind)) {
    capture.evidence.host = observation.text;
  } else {
    capture.evidence.host = observation.host;
  }
  if (observation.kind == dissect::ObservationKind::http_url) {
    capture.evidence.url = observation.text;
  }
  std::size_t kept_bytes = 0;
  for (const capture::PacketView& packet : packets) {
    if (capture.evidence.packets.size() == kMaxEvidencePackets ||
        kept_bytes + packet.bytes.size() > kMaxEvidencePacketBytes) {
      break;
    }
    kept_bytes += packet.bytes.size();
    capture.evidence.packets.push_back(
        {packet.ts_us, packet.link_type, packet.wire_length,
         std::string(reinterpret_cast<const char*>(packet.bytes.data()), packet.bytes.size())});
  }
  return capture;
}

}  // namespace hm::evidence
