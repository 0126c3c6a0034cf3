#include "http_message.h"

namespace hm::trafficgen {

Bytes http_get(std::string_view host, std::string_view target, std::string_view user_agent) {
  std::string request;
  request.append("GET ").append(target).append(" HTTP/1.1\r\n");
  request.append("Host: ").append(host).append("\r\n");
  request.append("User-Agent: ").append(user_agent).append("\r\n");
  request.append(
      "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n"
      "Accept-Language: en-GB,en;q=0.9\r\n"
      "Accept-Encoding: gzip, deflate\r\n"
      "Connection: keep-alive\r\n"
      "\r\n");
  return {request.begin(), request.end()};
}

Bytes http_response(Micros now, int status, std::string_view reason, std::string_view content_type,
                    std::string_view body) {
  std::string response = "HTTP/1.1 " + std::to_string(status) + " ";
  response.append(reason).append("\r\n");
  response.append("Date: ").append(format_http_date(now)).append("\r\n");
  response.append("Server: nginx\r\n");
  if (!content_type.empty()) response.append("Content-Type: ").append(content_type).append("\r\n");
  if (status != 204) {  // RFC 9110 §8.6: no Content-Length on 204
    response.append("Content-Length: ").append(std::to_string(body.size())).append("\r\n");
  }
  response.append("Cache-Control: private, max-age=0\r\n\r\n");
  response.append(body);
  return {response.begin(), response.end()};
}

std::string form_encode(std::string_view terms) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : terms) {
    const auto u = static_cast<unsigned char>(c);
    if (c == ' ') {
      out += '+';
    } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '-' || c == '.' || c == '_' || c == '~') {
      out += c;
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 15];
    }
  }
  return out;
}

}  // namespace hm::trafficgen
