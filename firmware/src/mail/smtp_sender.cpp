#include "mail/smtp_sender.h"

#include <curl/curl.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <memory>
#include <mutex>
#include <string_view>

namespace hm::mail {
namespace {

void global_init_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct Upload {
  std::string_view text;
  std::size_t offset = 0;
};

std::size_t read_upload(char* buffer, std::size_t size, std::size_t count, void* user) {
  auto* upload = static_cast<Upload*>(user);
  const std::size_t room = size * count;
  const std::size_t left = upload->text.size() - upload->offset;
  const std::size_t chunk = std::min(room, left);
  std::memcpy(buffer, upload->text.data() + upload->offset, chunk);
  upload->offset += chunk;
  return chunk;
}

// The server's replies arrive as "header" data in libcurl's debug stream: keep the
// last one, which is the answer to whatever failed.
int keep_server_reply(CURL*, curl_infotype type, char* data, std::size_t size, void* user) {
  if (type != CURLINFO_HEADER_IN) return 0;
  auto* last = static_cast<std::string*>(user);
  std::string_view line(data, size);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  if (!line.empty()) *last = std::string(line.substr(0, 300));
  return 0;
}

std::string url_for(const MailSettings& settings) {
  const bool ipv6 = settings.host.find(':') != std::string::npos;
  const std::string host = ipv6 ? "[" + settings.host + "]" : settings.host;
  return std::string(settings.security == Security::tls ? "smtps://" : "smtp://") + host + ":" +
         std::to_string(settings.port);
}

std::string plain_reason(CURLcode code, const std::string& detail) {
  switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
      return "The mail server's name could not be found. Check the spelling of the server.";
    case CURLE_COULDNT_CONNECT:
      return "The mail server could not be reached on that port. Check the server and port, "
             "and that the school's firewall lets the box send mail.";
    case CURLE_OPERATION_TIMEDOUT:
      return "The mail server did not answer in time. Check the server and port.";
    case CURLE_LOGIN_DENIED: return "The mail server refused the user name or password.";
    case CURLE_USE_SSL_FAILED:
      return "The mail server does not offer STARTTLS. Choose TLS (usually port 465) or ask "
             "whoever runs the mail server.";
    case CURLE_PEER_FAILED_VERIFICATION:
      return "The mail server's certificate could not be checked (" + detail + ").";
    case CURLE_SSL_CONNECT_ERROR:
      return "A secure connection to the mail server failed (" + detail +
             "). Check that the port matches the choice of STARTTLS or TLS.";
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING: return "The connection to the mail server broke off (" + detail + ").";
    default: return "The email was not sent (" + detail + ").";
  }
}

}  // namespace

SendOutcome send_mail(const MailSettings& settings, const MailMessage& message,
                      const SmtpTimeouts& timeouts) {
  SendOutcome outcome;
  if (auto problem = settings_problem(settings)) {
    outcome.message = *problem;
    return outcome;
  }
  auto text = format_message(message);
  if (!text) {
    outcome.message = text.error();
    return outcome;
  }
  global_init_once();
  const std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(),
                                                                 &curl_easy_cleanup);
  if (!curl) {
    outcome.message = "The box could not start a mail connection (out of memory?).";
    return outcome;
  }
  CURL* handle = curl.get();
  std::array<char, CURL_ERROR_SIZE> error_buffer{};
  std::string last_reply;
  Upload upload{*text};
  curl_slist* recipients = nullptr;
  for (const std::string& to : message.to) {
    recipients = curl_slist_append(recipients, ("<" + to + ">").c_str());
  }
  const std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> recipient_list(
      recipients, &curl_slist_free_all);

  const std::string url = url_for(settings);
  const std::string from = "<" + message.from_address + ">";
  curl_easy_setopt(handle, CURLOPT_URL, url.c_str());
  curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  curl_easy_setopt(handle, CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(handle, CURLOPT_MAIL_RCPT, recipients);
  curl_easy_setopt(handle, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(handle, CURLOPT_READFUNCTION, &read_upload);
  curl_easy_setopt(handle, CURLOPT_READDATA, &upload);
  curl_easy_setopt(handle, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(text->size()));
  curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, error_buffer.data());
  curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);  // from any thread, no SIGALRM
  curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT, static_cast<long>(timeouts.connect.count()));
  curl_easy_setopt(handle, CURLOPT_TIMEOUT, static_cast<long>(timeouts.total.count()));
  curl_easy_setopt(handle, CURLOPT_VERBOSE, 1L);  // only so the debug callback sees replies
  curl_easy_setopt(handle, CURLOPT_DEBUGFUNCTION, &keep_server_reply);
  curl_easy_setopt(handle, CURLOPT_DEBUGDATA, &last_reply);
  if (settings.security == Security::starttls) {
    // CURLUSESSL_ALL: fail rather than send the password and the email in clear when
    // the server does not offer STARTTLS (or a man in the middle strips it).
    curl_easy_setopt(handle, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
  }
  if (settings.security != Security::none && !settings.verify_certificate) {
    curl_easy_setopt(handle, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(handle, CURLOPT_SSL_VERIFYHOST, 0L);
  }
  if (!settings.username.empty()) {
    curl_easy_setopt(handle, CURLOPT_USERNAME, settings.username.c_str());
    curl_easy_setopt(handle, CURLOPT_PASSWORD, settings.password.c_str());
  }

  const CURLcode result = curl_easy_perform(handle);
  long code = 0;
  curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &code);
  outcome.smtp_code = code;
  outcome.server_answer = last_reply;
  if (result == CURLE_OK) {
    outcome.sent = true;
    outcome.message = "Sent.";
    return outcome;
  }
  const std::string detail =
      error_buffer[0] != '\0' ? error_buffer.data() : curl_easy_strerror(result);
  // A refusal the server put in words (4xx/5xx) says more than libcurl's summary.
  if (code >= 400 && !last_reply.empty()) {
    outcome.message =
        (result == CURLE_LOGIN_DENIED ? "The mail server refused the user name or "
                                        "password. It said: "
                                      : "The mail server refused the email. It said: ") +
        last_reply;
  } else {
    outcome.message = plain_reason(result, detail);
  }
  return outcome;
}

}  // namespace hm::mail
