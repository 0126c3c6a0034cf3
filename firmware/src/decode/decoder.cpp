#include "decode/decoder.h"

#include <pcap/dlt.h>

#include "decode/byte_reader.h"

namespace hm::decode {

std::string_view to_string(DecodeStatus status) {
  switch (status) {
    case DecodeStatus::ok: return "ok";
    case DecodeStatus::truncated: return "truncated";
    case DecodeStatus::malformed: return "malformed";
    case DecodeStatus::unsupported_link_type: return "unsupported_link_type";
    case DecodeStatus::not_ip: return "not_ip";
    case DecodeStatus::ip_fragment: return "ip_fragment";
    case DecodeStatus::other_transport: return "other_transport";
  }
  return "unknown";
}

namespace {

using Bytes = std::span<const std::uint8_t>;

constexpr std::uint16_t kEtherIpv4 = 0x0800;
constexpr std::uint16_t kEtherIpv6 = 0x86dd;
constexpr std::uint16_t kEtherVlan = 0x8100;
constexpr std::uint16_t kEtherQinQ = 0x88a8;
constexpr std::uint16_t kEtherQinQLegacy = 0x9100;
constexpr std::uint16_t kEtherMplsUnicast = 0x8847;
constexpr std::uint16_t kEtherMplsMulticast = 0x8848;
constexpr int kMaxTags = 8;  // VLAN tags or MPLS labels before we call it malformed

// Fixed headers are read at their offsets after one length check each, not through a
// ByteReader: its check per field was ~70 instructions a packet (issue 9's profile).
std::uint16_t load_u16(Bytes bytes, std::size_t at) {
  return static_cast<std::uint16_t>((bytes[at] << 8) | bytes[at + 1]);
}

std::uint32_t load_u32(Bytes bytes, std::size_t at) {
  return (std::uint32_t{load_u16(bytes, at)} << 16) | load_u16(bytes, at + 2);
}

constexpr std::size_t kUdpHeaderBytes = 8;
constexpr std::size_t kTcpFieldsBytes = 14;  // ports, sequence, acknowledgement, offset, flags
constexpr std::size_t kIpv4HeaderBytes = 20;
constexpr std::size_t kEthernetHeaderBytes = 14;

DecodeStatus decode_transport(std::uint8_t protocol, Bytes segment, DecodedPacket& out) {
  if (protocol == static_cast<std::uint8_t>(Transport::udp)) {
    out.transport = Transport::udp;
    if (segment.size() < kUdpHeaderBytes) return DecodeStatus::truncated;
    out.src_port = load_u16(segment, 0);
    out.dst_port = load_u16(segment, 2);
    const std::uint16_t length = load_u16(segment, 4);
    if (length < kUdpHeaderBytes) return DecodeStatus::malformed;
    if (length > segment.size()) return DecodeStatus::truncated;
    out.payload = segment.subspan(kUdpHeaderBytes, length - kUdpHeaderBytes);
    return DecodeStatus::ok;
  }
  if (protocol == static_cast<std::uint8_t>(Transport::tcp)) {
    out.transport = Transport::tcp;
    if (segment.size() < kTcpFieldsBytes) return DecodeStatus::truncated;
    out.src_port = load_u16(segment, 0);
    out.dst_port = load_u16(segment, 2);
    out.tcp_seq = load_u32(segment, 4);
    out.tcp_ack = load_u32(segment, 8);
    const std::size_t header_length = (segment[12] >> 4) * 4u;
    out.tcp_flags = segment[13];
    if (header_length < 20) return DecodeStatus::malformed;
    if (header_length > segment.size()) return DecodeStatus::truncated;
    out.payload = segment.subspan(header_length);
    return DecodeStatus::ok;
  }
  out.other_protocol = protocol;
  return DecodeStatus::other_transport;
}

DecodeStatus decode_ipv4(Bytes packet, DecodedPacket& out) {
  if (packet.size() < kIpv4HeaderBytes) return DecodeStatus::truncated;
  const std::uint8_t version_ihl = packet[0];
  const std::uint16_t total_length = load_u16(packet, 2);
  const std::uint16_t identification = load_u16(packet, 4);
  const std::uint16_t fragment = load_u16(packet, 6);
  const std::uint8_t protocol = packet[9];
  const std::size_t header_length = (version_ihl & 0x0f) * 4u;
  if ((version_ihl >> 4) != 4 || header_length < kIpv4HeaderBytes) return DecodeStatus::malformed;
  // A total length of 0 is what captures taken with TCP segmentation offload show.
  std::size_t length = total_length == 0 ? packet.size() : total_length;
  if (length < header_length) return DecodeStatus::malformed;
  if (length > packet.size()) return DecodeStatus::truncated;
  out.src_ip = IpAddress::from_v4_bytes(packet.data() + 12);
  out.dst_ip = IpAddress::from_v4_bytes(packet.data() + 16);
  const Bytes payload = packet.subspan(header_length, length - header_length);
  // More-fragments flag or a non-zero offset: the Defragmenter puts it together.
  if ((fragment & 0x3fff) != 0) {
    out.fragment = IpFragment{
        false,  identification, protocol, (fragment & 0x1fffu) * 8u, (fragment & 0x2000) != 0,
        payload};
    return DecodeStatus::ip_fragment;
  }
  return decode_transport(protocol, payload, out);
}

// RFC 8200 §4: walk the extension headers to the upper-layer header.
DecodeStatus decode_ipv6_extensions(std::uint8_t next_header, Bytes payload, DecodedPacket& out) {
  for (int i = 0; i < kMaxTags; ++i) {
    ByteReader extension(payload);
    switch (next_header) {
      case 0:    // hop-by-hop options
      case 43:   // routing
      case 60:   // destination options
      case 135:  // mobility
      {
        const std::uint8_t following = extension.u8();
        const std::size_t length = (extension.u8() + 1u) * 8u;
        if (extension.failed()) return DecodeStatus::truncated;
        if (length > payload.size()) return DecodeStatus::truncated;
        next_header = following;
        payload = payload.subspan(length);
        continue;
      }
      case 44: {  // fragment
        const std::uint8_t following = extension.u8();
        extension.skip(1);
        const std::uint16_t offset_flags = extension.u16();
        const std::uint32_t identification = extension.u32();
        if (extension.failed() || payload.size() < 8) return DecodeStatus::truncated;
        // An atomic fragment (offset 0, no more fragments; RFC 6946) is a whole packet.
        if ((offset_flags & 0xfff9) != 0) {
          out.fragment = IpFragment{true,
                                    identification,
                                    following,
                                    static_cast<std::uint32_t>(offset_flags & 0xfff8u),
                                    (offset_flags & 1) != 0,
                                    payload.subspan(8)};
          return DecodeStatus::ip_fragment;
        }
        next_header = following;
        payload = payload.subspan(8);
        continue;
      }
      case 51: {  // authentication header: length in 4-byte units, minus 2
        const std::uint8_t following = extension.u8();
        const std::size_t length = (extension.u8() + 2u) * 4u;
        if (extension.failed() || length > payload.size()) return DecodeStatus::truncated;
        next_header = following;
        payload = payload.subspan(length);
        continue;
      }
      default: return decode_transport(next_header, payload, out);
    }
  }
  return DecodeStatus::malformed;
}

DecodeStatus decode_ipv6(Bytes packet, DecodedPacket& out) {
  ByteReader reader(packet);
  const std::uint8_t version = reader.u8() >> 4;
  reader.skip(3);
  const std::uint16_t payload_length = reader.u16();
  std::uint8_t next_header = reader.u8();
  reader.skip(1);
  const auto addresses = reader.take(32);
  if (reader.failed()) return DecodeStatus::truncated;
  if (version != 6) return DecodeStatus::malformed;
  out.src_ip = IpAddress::from_v6_bytes(addresses.data());
  out.dst_ip = IpAddress::from_v6_bytes(addresses.data() + 16);
  // Payload length 0 is a jumbogram (RFC 2675) or TSO: take what was captured.
  Bytes payload = packet.subspan(40);
  if (payload_length != 0) {
    if (payload_length > payload.size()) return DecodeStatus::truncated;
    payload = payload.subspan(0, payload_length);
  }
  return decode_ipv6_extensions(next_header, payload, out);
}

DecodeStatus decode_ip(Bytes packet, DecodedPacket& out) {
  if (packet.empty()) return DecodeStatus::truncated;
  switch (packet[0] >> 4) {
    case 4: return decode_ipv4(packet, out);
    case 6: return decode_ipv6(packet, out);
    default: return DecodeStatus::malformed;
  }
}

DecodeStatus decode_ethertype(std::uint16_t ethertype, ByteReader& reader, DecodedPacket& out) {
  for (int tags = 0; tags <= kMaxTags; ++tags) {
    switch (ethertype) {
      case kEtherIpv4:
      case kEtherIpv6: return decode_ip(reader.rest(), out);
      case kEtherVlan:
      case kEtherQinQ:
      case kEtherQinQLegacy:
        reader.skip(2);  // priority, DEI, VLAN id
        ethertype = reader.u16();
        if (reader.failed()) return DecodeStatus::truncated;
        continue;
      case kEtherMplsUnicast:
      case kEtherMplsMulticast: {
        // RFC 3032: labels until the bottom-of-stack bit; the payload type is not
        // signalled, so guess it from the IP version nibble as Wireshark and Zeek do.
        for (int labels = 0; labels < kMaxTags; ++labels) {
          const std::uint32_t entry = reader.u32();
          if (reader.failed()) return DecodeStatus::truncated;
          if (entry & 0x100) {
            const auto rest = reader.rest();
            if (rest.empty()) return DecodeStatus::truncated;
            const int version = rest[0] >> 4;
            if (version == 4 || version == 6) return decode_ip(rest, out);
            return DecodeStatus::not_ip;  // pseudowire (Ethernet over MPLS): later
          }
        }
        return DecodeStatus::malformed;
      }
      default: return DecodeStatus::not_ip;  // ARP, LLDP, or an 802.3 length (LLC/STP)
    }
  }
  return DecodeStatus::malformed;
}

MacAddress mac_from(Bytes six) {
  MacAddress mac;
  std::copy(six.begin(), six.end(), mac.bytes.begin());
  return mac;
}

DecodeStatus decode_ethernet(Bytes frame, DecodedPacket& out) {
  if (frame.size() < kEthernetHeaderBytes) return DecodeStatus::truncated;
  out.src_mac = mac_from(frame.subspan(6, 6));  // after the destination
  const std::uint16_t ethertype = load_u16(frame, 12);
  const Bytes payload = frame.subspan(kEthernetHeaderBytes);
  // Untagged IP, nearly every frame of a mirror port: straight to the IP header.
  if (ethertype == kEtherIpv4 || ethertype == kEtherIpv6) return decode_ip(payload, out);
  ByteReader reader(payload);
  return decode_ethertype(ethertype, reader, out);
}

// Linux "cooked" captures: the link-layer address field is the sender's.
DecodeStatus decode_linux_sll(Bytes frame, DecodedPacket& out) {
  ByteReader reader(frame);
  reader.skip(2);  // packet type
  const std::uint16_t arphrd = reader.u16();
  const std::uint16_t address_length = reader.u16();
  const auto address = reader.take(8);
  const std::uint16_t protocol = reader.u16();
  if (reader.failed()) return DecodeStatus::truncated;
  if (arphrd == 1 && address_length == 6) out.src_mac = mac_from(address.subspan(0, 6));
  return decode_ethertype(protocol, reader, out);
}

DecodeStatus decode_linux_sll2(Bytes frame, DecodedPacket& out) {
  ByteReader reader(frame);
  const std::uint16_t protocol = reader.u16();
  reader.skip(6);  // reserved, interface index
  const std::uint16_t arphrd = reader.u16();
  reader.skip(1);  // packet type
  const std::uint8_t address_length = reader.u8();
  const auto address = reader.take(8);
  if (reader.failed()) return DecodeStatus::truncated;
  if (arphrd == 1 && address_length == 6) out.src_mac = mac_from(address.subspan(0, 6));
  return decode_ethertype(protocol, reader, out);
}

// BSD loopback: a 4-byte address family, host order for DLT_NULL, network for DLT_LOOP.
DecodeStatus decode_null(Bytes frame, bool network_order, DecodedPacket& out) {
  if (frame.size() < 4) return DecodeStatus::truncated;
  std::uint32_t family = 0;
  for (int i = 0; i < 4; ++i) {
    const int shift = network_order ? 8 * (3 - i) : 8 * i;  // pcap files are little-endian hosts
    family |= std::uint32_t{frame[i]} << shift;
  }
  if (!network_order && family > 0xffff) family = __builtin_bswap32(family);  // big-endian writer
  switch (family) {
    case 2:  // AF_INET
      return decode_ipv4(frame.subspan(4), out);
    case 10:
    case 24:
    case 28:
    case 30:  // AF_INET6 on Linux, BSDs, macOS
      return decode_ipv6(frame.subspan(4), out);
    default: return DecodeStatus::not_ip;
  }
}

}  // namespace

DecodeStatus decode_ip_payload(bool is_v6, std::uint8_t protocol, Bytes payload,
                               DecodedPacket& out) {
  out.payload = {};
  out.fragment = {};
  return is_v6 ? decode_ipv6_extensions(protocol, payload, out)
               : decode_transport(protocol, payload, out);
}

DecodeStatus decode_packet(const capture::PacketView& frame, DecodedPacket& out) {
  out = DecodedPacket{};
  switch (frame.link_type) {
    case DLT_EN10MB: return decode_ethernet(frame.bytes, out);
    case DLT_RAW:
    case 101:  // LINKTYPE_RAW, if a caller passes the file's link type unmapped
    case DLT_IPV4:
    case DLT_IPV6: return decode_ip(frame.bytes, out);
    case DLT_LINUX_SLL: return decode_linux_sll(frame.bytes, out);
    case DLT_LINUX_SLL2: return decode_linux_sll2(frame.bytes, out);
    case DLT_NULL: return decode_null(frame.bytes, false, out);
    case DLT_LOOP: return decode_null(frame.bytes, true, out);
    default: return DecodeStatus::unsupported_link_type;
  }
}

}  // namespace hm::decode
