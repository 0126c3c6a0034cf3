#pragma once

#include <cstdint>

#include "byte_writer.h"

namespace hm::trafficgen {

// A QUIC v1 client Initial packet (RFC 9000 §17.2.2) carrying `client_hello` (a TLS
// handshake message, without a record header) in one CRYPTO frame, padded to 1200
// bytes, AEAD-sealed and header-protected with the Initial keys of `destination_cid`
// (RFC 9001 §5.2, §5.4), exactly as anyone on the path can open it.
Bytes quic_client_initial(const Bytes& destination_cid, const Bytes& source_cid,
                          uint32_t packet_number, const Bytes& client_hello);

}  // namespace hm::trafficgen
