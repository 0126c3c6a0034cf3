#include "dissect/http.h"

#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/verb.hpp>

#include <deque>
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

std::string_view view_of(boost::beast::string_view text) { return {text.data(), text.size()}; }

// A Beast body that hands the (de-chunked) body to a BodyDecoder chosen from the head's
// Content-Type and Content-Encoding. Only the decoder's bounded state is kept.
struct DecodedBody {
  struct value_type {
    const HttpBodySettings* settings = nullptr;
    std::unique_ptr<BodyDecoder> decoder;
  };

  class reader {
   public:
    // Beast makes the reader with the parser, before the head is parsed; init() comes
    // once the head is complete.
    template <bool isRequest, class Fields>
    reader(http::header<isRequest, Fields>& head, value_type& body)
        : head_(&head), field_of_(&field_of<http::header<isRequest, Fields>>), body_(body) {}
    void init(const boost::optional<std::uint64_t>&, boost::beast::error_code& ec) {
      body_.decoder = std::make_unique<BodyDecoder>(
          content_coding_of(field_of_(head_, http::field::content_encoding)),
          body_format_of(field_of_(head_, http::field::content_type)), *body_.settings);
      ec = {};
    }
    template <class ConstBufferSequence>
    std::size_t put(const ConstBufferSequence& buffers, boost::beast::error_code& ec) {
      std::size_t length = 0;
      for (auto it = boost::asio::buffer_sequence_begin(buffers);
           it != boost::asio::buffer_sequence_end(buffers); ++it) {
        const boost::asio::const_buffer buffer = *it;
        body_.decoder->put({static_cast<const std::uint8_t*>(buffer.data()), buffer.size()});
        length += buffer.size();
      }
      ec = {};
      return length;
    }
    void finish(boost::beast::error_code& ec) { ec = {}; }

   private:
    template <class Header>
    static std::string_view field_of(const void* head, http::field name) {
      return view_of((*static_cast<const Header*>(head))[name]);
    }

    const void* head_;
    std::string_view (*field_of_)(const void*, http::field);
    value_type& body_;
  };
};

template <bool isRequest>
struct MessageSide {
  std::optional<http::parser<isRequest, DecodedBody>> parser;
  bool head_reported = false;
  std::vector<std::uint8_t> pending;  // bytes not yet consumed by the parser
  HttpConversation::State state = HttpConversation::State::parsing;
};

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

std::optional<bool> looks_like_http_response(std::span<const std::uint8_t> start) {
  constexpr std::string_view kPrefix = "HTTP/1.";
  const std::size_t length = std::min(start.size(), kPrefix.size());
  if (std::string_view(reinterpret_cast<const char*>(start.data()), length) !=
      kPrefix.substr(0, length)) {
    return false;
  }
  return length == kPrefix.size() ? std::optional<bool>(true) : std::nullopt;
}

struct HttpConversation::Parsers {
  HttpBodySettings bodies;
  std::size_t max_header_bytes = 0;
  MessageSide<true> requests;
  MessageSide<false> responses;
  HttpRequestHead request;                 // the request whose body is being read
  std::deque<HttpRequestHead> unanswered;  // requests whose response has not begun
  HttpRequestHead answered;                // the request the current response answers
  std::uint64_t forgotten = 0;

  template <bool isRequest>
  void start_message(MessageSide<isRequest>& side) {
    side.parser.emplace();
    side.parser->header_limit(static_cast<std::uint32_t>(max_header_bytes));
    side.parser->body_limit(std::numeric_limits<std::uint64_t>::max());  // decoder is bounded
    side.parser->eager(true);
    side.parser->get().body().settings = &bodies;
    side.head_reported = false;
    if constexpr (!isRequest) {
      // RFC 9110 §9.3.2: a response to HEAD has no body whatever its headers say
      if (!unanswered.empty() && unanswered.front().method == "HEAD") side.parser->skip(true);
    }
  }

  template <bool isRequest>
  void on_head(MessageSide<isRequest>& side, const Events& events) {
    const auto& message = side.parser->get();
    if constexpr (isRequest) {
      request = HttpRequestHead{};
      request.method = std::string(message.method_string());
      request.target = std::string(message.target());
      request.host = std::string(view_of(message[http::field::host]));
      if (unanswered.size() >= kMaxPendingRequests) {
        unanswered.pop_front();
        ++forgotten;
      }
      unanswered.push_back(request);
      if (events.on_request) events.on_request(request);
    } else if (message.result_int() >= 200) {  // 1xx are interim: the real answer follows
      answered = HttpRequestHead{};
      if (!unanswered.empty()) {
        answered = std::move(unanswered.front());
        unanswered.pop_front();
      }
    }
  }

  // The message in progress on `side` ends here (complete or not): its body's text.
  template <bool isRequest>
  void end_message(MessageSide<isRequest>& side, const Events& events) {
    if (!side.parser) return;
    auto& decoder = side.parser->get().body().decoder;
    if (side.head_reported && decoder && decoder->wanted() && events.on_body) {
      events.on_body(isRequest ? request : answered, isRequest ? Side::client : Side::server,
                     decoder->finish());
    }
    side.parser.reset();
  }

  template <bool isRequest>
  State feed(MessageSide<isRequest>& side, std::span<const std::uint8_t> bytes,
             const Events& events) {
    if (side.state == State::failed) return side.state;
    side.pending.insert(side.pending.end(), bytes.begin(), bytes.end());
    std::size_t used = 0;
    while (used < side.pending.size()) {
      if (!side.parser) start_message(side);
      auto& parser = *side.parser;
      if (!parser.got_some() && (side.pending[used] == '\r' || side.pending[used] == '\n')) {
        ++used;  // RFC 9112 §2.2: ignore empty lines before a message
        continue;
      }
      boost::beast::error_code ec;
      const std::size_t consumed = parser.put(
          boost::asio::const_buffer(side.pending.data() + used, side.pending.size() - used), ec);
      used += consumed;
      if (ec == http::error::need_more) break;
      if (ec) {
        end_message(side, events);
        side.state = State::failed;
        break;
      }
      if (parser.is_header_done() && !side.head_reported) {
        side.head_reported = true;
        on_head(side, events);
      }
      if (parser.is_done()) {
        end_message(side, events);  // keep-alive or pipelined: the next one starts here
      } else if (consumed == 0) {
        break;
      }
    }
    side.pending.erase(side.pending.begin(),
                       side.pending.begin() + static_cast<std::ptrdiff_t>(used));
    if (side.pending.size() > max_header_bytes) side.state = State::failed;
    return side.state;
  }

  template <bool isRequest>
  void restart(MessageSide<isRequest>& side, const Events& events) {
    end_message(side, events);
    side.pending.clear();
    side.state = State::parsing;
  }
};

HttpConversation::HttpConversation(const HttpBodySettings& bodies, std::size_t max_header_bytes)
    : parsers_(std::make_unique<Parsers>()) {
  parsers_->bodies = bodies;
  parsers_->max_header_bytes = max_header_bytes;
}

HttpConversation::~HttpConversation() = default;

HttpConversation::State HttpConversation::feed(Side sender, std::span<const std::uint8_t> bytes,
                                               const Events& events) {
  Parsers& p = *parsers_;
  return sender == Side::client ? p.feed(p.requests, bytes, events)
                                : p.feed(p.responses, bytes, events);
}

void HttpConversation::restart(Side sender, const Events& events) {
  Parsers& p = *parsers_;
  if (sender == Side::client) {
    p.restart(p.requests, events);
  } else {
    p.restart(p.responses, events);
    p.unanswered.clear();  // how many answers were lost is unknown: name no wrong host
  }
}

void HttpConversation::finish(const Events& events) {
  Parsers& p = *parsers_;
  if (p.responses.parser && p.responses.head_reported && p.responses.state == State::parsing) {
    boost::beast::error_code ec;
    p.responses.parser->put_eof(ec);  // ends a body delimited by the close
  }
  p.end_message(p.requests, events);
  p.end_message(p.responses, events);
}

HttpConversation::State HttpConversation::state(Side sender) const {
  return sender == Side::client ? parsers_->requests.state : parsers_->responses.state;
}

std::uint64_t HttpConversation::requests_forgotten() const { return parsers_->forgotten; }

}  // namespace hm::dissect
