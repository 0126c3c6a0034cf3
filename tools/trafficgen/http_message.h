#pragma once

#include <string>
#include <string_view>

#include "byte_writer.h"
#include "time_format.h"

namespace hm::trafficgen {

// An HTTP/1.1 GET as a browser sends it (RFC 9112 §3): request line with an
// origin-form target, Host, then the usual headers. No Referer, on purpose: the
// sample's planted URLs must appear exactly once in the file.
Bytes http_get(std::string_view host, std::string_view target, std::string_view user_agent);

// A response with a Content-Length body (never chunked here; issue 9 may add it).
Bytes http_response(Micros now, int status, std::string_view reason, std::string_view content_type,
                    std::string_view body);

// Form-encodes search terms the way search boxes do: spaces become '+', letters,
// digits and "-._~" stay, everything else is %XX.
std::string form_encode(std::string_view terms);

}  // namespace hm::trafficgen
