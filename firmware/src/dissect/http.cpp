#include "dissect/http.h"

#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/verb.hpp>

#include <limits>
#include <string_view>
#include <vector>

namespace hm::dissect {

namespace http = boost::beast::http;

namespace {

// A Beast body that counts the body's bytes and keeps none: observations want heads.
struct SkippedBody {
  using value_type = std::uint64_t;

  class reader {
   public:
    template <bool isRequest, class Fields>
    reader(http::header<isRequest, Fields>&, value_type& size) : size_(size) {}
    void init(const boost::optional<std::uint64_t>&, boost::beast::error_code& ec) { ec = {}; }
    template <class ConstBufferSequence>
    std::size_t put(const ConstBufferSequence& buffers, boost::beast::error_code& ec) {
      const std::size_t length = boost::asio::buffer_size(buffers);
      size_ += length;
      ec = {};
      return length;
    }
    void finish(boost::beast::error_code& ec) { ec = {}; }

   private:
    value_type& size_;
  };
};

using RequestParser = http::request_parser<SkippedBody>;

constexpr std::size_t kMaxMethodLength = 16;

}  // namespace

std::optional<bool> looks_like_http_request(std::span<const std::uint8_t> start) {
  const std::size_t limit = std::min(start.size(), kMaxMethodLength + 1);
  for (std::size_t i = 0; i < limit; ++i) {
    const auto c = static_cast<char>(start[i]);
    if (c == ' ') {
      if (i == 0) return false;
      const boost::beast::string_view method(reinterpret_cast<const char*>(start.data()), i);
      return http::string_to_verb(method) != http::verb::unknown;
    }
    if (c < 'A' || c > 'Z') {
      if (c != '-' && c != '_') return false;  // M-SEARCH, and extension methods
    }
  }
  return start.size() > kMaxMethodLength ? std::optional<bool>(false) : std::nullopt;
}

std::optional<std::string> absolute_url(const HttpRequestHead& head,
                                        const std::string& fallback_host) {
  const std::string& target = head.target;
  if (head.method == "CONNECT" || target.empty() || target == "*") return std::nullopt;
  if (target.front() != '/') {
    // absolute-form (to a proxy); anything else is not a URL we can state
    if (target.find("://") != std::string::npos) return target;
    return std::nullopt;
  }
  return "http://" + (head.host.empty() ? fallback_host : head.host) + target;
}

struct HttpRequestStream::Parser {
  HttpStreamSettings settings;
  std::optional<RequestParser> parser;
  bool head_reported = false;
  std::vector<std::uint8_t> pending;  // bytes not yet consumed by the parser
  State state = State::parsing;
  std::uint64_t requests = 0;

  void start_request() {
    parser.emplace();
    parser->header_limit(static_cast<std::uint32_t>(settings.max_header_bytes));
    parser->body_limit(std::numeric_limits<std::uint64_t>::max());  // skipped, not kept
    parser->eager(true);
    head_reported = false;
  }
};

HttpRequestStream::HttpRequestStream(HttpStreamSettings settings)
    : parser_(std::make_unique<Parser>()) {
  parser_->settings = settings;
  parser_->start_request();
}

HttpRequestStream::~HttpRequestStream() = default;

HttpRequestStream::State HttpRequestStream::state() const { return parser_->state; }
std::uint64_t HttpRequestStream::requests() const { return parser_->requests; }

void HttpRequestStream::restart() {
  parser_->pending.clear();
  parser_->start_request();
  parser_->state = State::parsing;
}

HttpRequestStream::State HttpRequestStream::feed(std::span<const std::uint8_t> bytes,
                                                 const OnRequest& on_request) {
  Parser& p = *parser_;
  if (p.state == State::failed) return p.state;
  p.pending.insert(p.pending.end(), bytes.begin(), bytes.end());
  std::size_t used = 0;
  while (used < p.pending.size()) {
    if (!p.parser->got_some() && (p.pending[used] == '\r' || p.pending[used] == '\n')) {
      ++used;  // RFC 9112 §2.2: ignore empty lines before a request line
      continue;
    }
    boost::beast::error_code ec;
    const std::size_t consumed = p.parser->put(
        boost::asio::const_buffer(p.pending.data() + used, p.pending.size() - used), ec);
    used += consumed;
    if (ec == http::error::need_more) break;
    if (ec) {
      p.state = State::failed;
      break;
    }
    if (p.parser->is_header_done() && !p.head_reported) {
      p.head_reported = true;
      ++p.requests;
      const auto& request = p.parser->get();
      HttpRequestHead head;
      head.method = std::string(request.method_string());
      head.target = std::string(request.target());
      const auto host = request.find(http::field::host);
      if (host != request.end()) head.host = std::string(host->value());
      on_request(head);
    }
    if (p.parser->is_done()) {
      p.start_request();  // keep-alive or pipelined: the next request starts here
    } else if (consumed == 0) {
      break;
    }
  }
  p.pending.erase(p.pending.begin(), p.pending.begin() + static_cast<std::ptrdiff_t>(used));
  if (p.pending.size() > p.settings.max_header_bytes) p.state = State::failed;
  return p.state;
}

}  // namespace hm::dissect
