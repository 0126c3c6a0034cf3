// The System page (issue 6 item 7; headteacher and technician, Permission::manage_system):
// the box's interfaces and their counters, storage, time, library, uptime, the mail
// server, and a restart. Nothing here names a pupil or shows evidence: the technician
// uses this page.
#include <ifaddrs.h>
#include <net/if.h>
#include <netdb.h>
#include <signal.h>
#include <sys/statvfs.h>
#include <sys/timex.h>
#include <unistd.h>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <thread>

#include <nlohmann/json.hpp>

#include "alerts/outbox.h"
#include "library/bundle_store.h"
#include "mail/mail_settings.h"
#include "mail/smtp_sender.h"
#include "store/audit_log.h"
#include "store/capture_status.h"
#include "store/settings_repository.h"
#include "web/api/handlers.h"
#include "web/api/json_fields.h"

namespace hm::web::api {
namespace {

constexpr std::int64_t kMicros = 1'000'000;
// When this process started: the daemon's uptime.
const std::int64_t kProcessStartUs = store::now_us();

std::string_view mode_name(store::CaptureStatus::Mode mode) {
  switch (mode) {
    case store::CaptureStatus::Mode::live: return "live";
    case store::CaptureStatus::Mode::replay: return "replay";
    case store::CaptureStatus::Mode::none: break;
  }
  return "none";
}

std::optional<std::uint64_t> read_counter(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::uint64_t value = 0;
  if (in >> value) return value;
  return std::nullopt;
}

// Every network interface but loopback: addresses, whether it is up, and the kernel's
// counters (/sys/class/net/IF/statistics). The mirror port has no address by design.
nlohmann::json interfaces_json(const std::string& mirror) {
  std::map<std::string, nlohmann::json> found;
  ifaddrs* list = nullptr;
  if (::getifaddrs(&list) == 0) {
    for (const ifaddrs* entry = list; entry != nullptr; entry = entry->ifa_next) {
      if ((entry->ifa_flags & IFF_LOOPBACK) != 0) continue;
      auto& interface = found[entry->ifa_name];
      if (interface.is_null()) {
        interface = {{"name", entry->ifa_name},
                     {"up", (entry->ifa_flags & IFF_UP) != 0},
                     {"addresses", nlohmann::json::array()}};
      }
      if (entry->ifa_addr != nullptr &&
          (entry->ifa_addr->sa_family == AF_INET || entry->ifa_addr->sa_family == AF_INET6)) {
        char host[NI_MAXHOST] = {};
        const socklen_t length =
            entry->ifa_addr->sa_family == AF_INET ? sizeof(sockaddr_in) : sizeof(sockaddr_in6);
        if (::getnameinfo(entry->ifa_addr, length, host, sizeof host, nullptr, 0, NI_NUMERICHOST) ==
            0) {
          interface["addresses"].push_back(host);
        }
      }
    }
    ::freeifaddrs(list);
  }
  nlohmann::json interfaces = nlohmann::json::array();
  for (auto& [name, interface] : found) {
    const std::filesystem::path stats =
        std::filesystem::path("/sys/class/net") / name / "statistics";
    for (const char* counter :
         {"rx_packets", "rx_bytes", "rx_dropped", "rx_errors", "tx_packets"}) {
      const auto value = read_counter(stats / counter);
      interface[counter] = value ? nlohmann::json(*value) : nlohmann::json();
    }
    interface["role"] =
        name == mirror ? "mirror" : (interface["addresses"].empty() ? "other" : "management");
    interfaces.push_back(std::move(interface));
  }
  return interfaces;
}

nlohmann::json capture_json(std::int64_t now, std::int64_t window_seconds) {
  const auto snap = store::CaptureStatus::instance().snapshot(now, window_seconds);
  return {{"mode", mode_name(snap.mode)},
          {"source", snap.source},
          {"finished", snap.finished},
          {"packets", snap.packets},
          {"bytes", snap.bytes},
          {"packets_recent", snap.packets_recent},
          {"devices", snap.devices_total},
          {"devices_recent", snap.devices_recent},
          {"window_seconds", snap.window_seconds},
          {"last_packet", snap.last_packet_us == 0 ? nlohmann::json()
                                                   : nlohmann::json(iso_time(snap.last_packet_us))},
          {"drops",
           {{"ring", snap.ring_drops},
            {"kernel", snap.kernel_drops},
            {"interface", snap.interface_drops}}}};
}

std::uint64_t folder_size(const std::filesystem::path& folder) {
  std::uint64_t total = 0;
  std::error_code failed;
  for (std::filesystem::recursive_directory_iterator it(folder, failed), end; !failed && it != end;
       it.increment(failed)) {
    std::error_code ignored;
    if (it->is_regular_file(ignored)) total += it->file_size(ignored);
  }
  return total;
}

nlohmann::json storage_json(store::Database& db, const std::filesystem::path& data_dir) {
  nlohmann::json storage = {{"data_folder_bytes", folder_size(data_dir)}};
  struct statvfs fs {};
  if (::statvfs(data_dir.c_str(), &fs) == 0) {
    storage["free_bytes"] = static_cast<std::uint64_t>(fs.f_bavail) * fs.f_frsize;
    storage["total_bytes"] = static_cast<std::uint64_t>(fs.f_blocks) * fs.f_frsize;
  }
  store::Statement captures(db, "SELECT COUNT(*), MIN(ts_us) FROM captures;");
  if (captures.step()) {
    storage["captures"] = captures.column_int(0);
    storage["oldest_capture"] = captures.column_is_null(1)
                                    ? nlohmann::json()
                                    : nlohmann::json(iso_time(captures.column_int(1)));
  }
  return storage;
}

// The kernel's view of the clock (adjtimex with no change, as `timedatectl` reads it):
// systemd-timesyncd clears STA_UNSYNC once it has set the clock. null where the system
// will not say.
nlohmann::json time_json(std::int64_t now) {
  timex clock{};
  const int state = ::adjtimex(&clock);
  nlohmann::json synchronised;
  if (state != -1) synchronised = state != TIME_ERROR && (clock.status & STA_UNSYNC) == 0;
  nlohmann::json time = {{"now", iso_time(now)}, {"synchronised", synchronised}};
  if (state != -1) time["max_error_ms"] = clock.maxerror / 1000;
  return time;
}

nlohmann::json library_json(const std::filesystem::path& data_dir) {
  auto active = library::read_active(data_dir);
  if (!active) return {{"source", "unreadable"}, {"problem", active.error()}};
  if (!*active) return {{"source", "starter"}, {"version", nullptr}, {"installed", nullptr}};
  nlohmann::json library = {
      {"source", "bundle"}, {"version", (*active)->version}, {"installed", nullptr}};
  if (auto events = library::read_history(data_dir)) {
    for (const auto& event : *events) {
      if (event.action != "reject" && event.version == (*active)->version) {
        library["installed"] = iso_time_of_seconds(event.time_unix);
        library["publisher"] = event.publisher;
      }
    }
  }
  return library;
}

std::optional<std::int64_t> box_uptime_seconds() {
  std::ifstream in("/proc/uptime");
  double seconds = 0;
  if (in >> seconds) return static_cast<std::int64_t>(seconds);
  return std::nullopt;
}

nlohmann::json mail_json(store::Database& db, const std::filesystem::path& data_dir) {
  auto settings = mail::load_mail_settings(db, data_dir);
  nlohmann::json json;
  const mail::MailSettings shown = settings ? *settings : mail::MailSettings{};
  json = {{"host", shown.host},
          {"port", shown.port},
          {"security", mail::to_string(shown.security)},
          {"username", shown.username},
          {"from_address", shown.from_address},
          {"verify_certificate", shown.verify_certificate},
          {"password_saved", mail::has_stored_password(db)},
          {"configured", shown.configured()},
          {"problem", settings ? nlohmann::json() : nlohmann::json(settings.error())}};
  return json;
}

}  // namespace

Response system_overview(ApiContext& context) {
  const std::int64_t now = store::now_us();
  const auto snap = store::CaptureStatus::instance().snapshot(now, 10);
  const std::string mirror = snap.mode == store::CaptureStatus::Mode::live ? snap.source : "";
  nlohmann::json uptime = {{"daemon_seconds", (now - kProcessStartUs) / kMicros},
                           {"daemon_started", iso_time(kProcessStartUs)}};
  if (const auto box = box_uptime_seconds()) uptime["box_seconds"] = *box;
  return Response::json(200, {{"capture", capture_json(now, 10)},
                              {"interfaces", interfaces_json(mirror)},
                              {"storage", storage_json(context.db, context.data_dir)},
                              {"time", time_json(now)},
                              {"library", library_json(context.data_dir)},
                              {"uptime", std::move(uptime)},
                              {"version", HM_FIRMWARE_VERSION_TEXT},
                              {"can_restart", snap.mode == store::CaptureStatus::Mode::live}});
}

Response capture_check(ApiContext& context) {
  std::int64_t window = 10;
  if (const auto asked = context.request.query_value("seconds")) {
    if (*asked == "5") window = 5;
    if (*asked == "30") window = 30;
    if (*asked == "60") window = 60;
  }
  return Response::json(200, capture_json(store::now_us(), window));
}

Response mail_settings(ApiContext& context) {
  return Response::json(200, mail_json(context.db, context.data_dir));
}

Response set_mail_settings(ApiContext& context) {
  const auto body = context.json_body();
  if (!body) return Response::problem(400, "invalid", "Send the mail settings as a JSON object.");
  mail::MailSettings settings;
  settings.host = string_field(*body, "host").value_or("");
  const auto port = body->find("port");
  if (port == body->end() || !port->is_number_integer() || port->get<std::int64_t>() < 1 ||
      port->get<std::int64_t>() > 65535) {
    return Response::problem(400, "invalid_port",
                             "The port is a number from 1 to 65535 (usually 587 or 465).");
  }
  settings.port = static_cast<std::uint16_t>(port->get<std::int64_t>());
  const auto security = mail::security_from_string(string_field(*body, "security").value_or(""));
  if (!security) {
    return Response::problem(400, "invalid_security", "Choose STARTTLS, TLS or no encryption.");
  }
  settings.security = *security;
  settings.username = string_field(*body, "username").value_or("");
  settings.from_address = string_field(*body, "from_address").value_or("");
  if (const auto verify = body->find("verify_certificate");
      verify != body->end() && verify->is_boolean()) {
    settings.verify_certificate = verify->get<bool>();
  }
  // An absent password keeps the saved one; "" removes it.
  const std::optional<std::string> password = string_field(*body, "password");
  settings.password = password.value_or(mail::has_stored_password(context.db) ? "(saved)" : "");
  if (auto problem = mail::settings_problem(settings)) {
    return Response::problem(400, "invalid_mail_settings", *problem);
  }
  if (auto saved = mail::save_mail_settings(context.db, context.data_dir, settings, password);
      !saved) {
    return Response::problem(503, "not_saved",
                             "The mail settings were not saved: " + saved.error());
  }
  (void)store::AuditLog(context.db)
      .append(context.user->username, "mail_settings",
              "mail server " + settings.host + ":" + std::to_string(settings.port) + " (" +
                  std::string(mail::to_string(settings.security)) + ")" +
                  (password ? ", password changed" : ""));
  // The emails that waited for a mail server go now, not at their next back-off.
  (void)alerts::Outbox(context.db).retry_all_now(store::now_us());
  return Response::json(200, mail_json(context.db, context.data_dir));
}

Response send_test_mail(ApiContext& context) {
  const auto body = context.json_body();
  if (!body) return Response::problem(400, "invalid", "Send the request as a JSON object.");
  auto settings = mail::load_mail_settings(context.db, context.data_dir);
  if (!settings) return Response::problem(409, "mail_password_lost", settings.error());
  if (!settings->configured()) {
    return Response::problem(409, "mail_not_set",
                             "Save the mail server's settings first, then send a test email.");
  }
  // To the address typed, or to the DSL's (never shown to a technician: the page
  // sends "to" empty and the box fills it in).
  std::string to = string_field(*body, "to").value_or("");
  const bool to_dsl = to.empty();
  if (to_dsl) to = store::SettingsRepository(context.db).get("school.dsl_email").value_or("");
  if (to.empty()) {
    return Response::problem(400, "no_recipient", "Type the address to send the test email to.");
  }
  if (!mail::valid_address(to)) {
    return Response::problem(400, "invalid_recipient",
                             "\"" + to + "\" is not an email address (like dsl@school.example).");
  }
  const std::string school = store::SettingsRepository(context.db).get("school.name").value_or("");
  mail::MailMessage message;
  message.from_address = settings->from_address;
  message.from_name = school.empty() ? "hallmonitor" : school + " – hallmonitor";
  message.to = {to};
  message.subject = "Test email from hallmonitor";
  message.body = "This is a test email from the safeguarding box" +
                 (school.empty() ? std::string() : " at " + school) + ".\n\nIt was sent by " +
                 context.user->display_name +
                 " from the box's setup or System page, to check that the box can send "
                 "alerts and reports by email. Nothing needs doing.\n";
  const mail::SendOutcome outcome = mail::send_mail(*settings, message);
  (void)store::AuditLog(context.db)
      .append(context.user->username, "mail_test",
              (outcome.sent ? "test email sent to " : "test email failed to ") +
                  (to_dsl ? std::string("the DSL's address") : to) +
                  (outcome.sent ? "" : ": " + outcome.message));
  if (!outcome.sent) {
    return Response::json(502, {{"error", "mail_not_sent"},
                                {"message", outcome.message},
                                {"server_answer", outcome.server_answer}});
  }
  return Response::json(200, {{"sent", true},
                              {"to", to_dsl ? "the DSL's address" : to},
                              {"message", "Sent. Check the inbox (and the junk folder)."}});
}

Response restart_daemon(ApiContext& context) {
  const auto mode = store::CaptureStatus::instance().snapshot(store::now_us()).mode;
  if (mode != store::CaptureStatus::Mode::live) {
    return Response::problem(
        409, "restart_unavailable",
        std::string("Restarting is only available on the box itself. ") +
            (mode == store::CaptureStatus::Mode::replay
                 ? "This copy is replaying a recorded capture (test mode): stop it and start "
                   "it again instead."
                 : "This copy is not running as the box's service: stop it and start it "
                   "again instead."));
  }
  (void)store::AuditLog(context.db)
      .append(context.user->username, "restart", "the daemon was restarted from the System page");
  store::request_restart();
  // After this answer has gone: the same clean stop as any SIGTERM, then systemd
  // starts the daemon again (store::kRestartExitCode).
  std::thread([] {
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    ::kill(::getpid(), SIGTERM);
  }).detach();
  return Response::json(202, {{"restarting", true},
                              {"message",
                               "The box is restarting. This page will be back in "
                               "about half a minute."}});
}

}  // namespace hm::web::api
