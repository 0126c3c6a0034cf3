#include <sys/statvfs.h>

#include <algorithm>
#include <charconv>
#include <ctime>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "library/bundle_store.h"
#include "store/capture_status.h"
#include "store/dashboard_queries.h"
#include "store/device_repository.h"
#include "store/incident_repository.h"
#include "store/people_repository.h"
#include "store/settings_repository.h"
#include "web/api/handlers.h"
#include "web/session_keys.h"

namespace hm::web::api {
namespace {

constexpr std::int64_t kMinuteUs = 60'000'000;
constexpr std::int64_t kDayUs = 24 * 60 * kMinuteUs;
// "Mirror traffic in the last minutes": enough to tell a quiet lesson from a pulled cable.
constexpr std::int64_t kRecentTrafficMinutes = 10;
constexpr std::size_t kDevicesShown = 5;
// systemd-timesyncd touches this file once the clock has been synchronised.
constexpr std::string_view kTimeSyncedFile = "/run/systemd/timesync/synchronized";

std::optional<std::int64_t> parse_int(std::string_view text) {
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

nlohmann::json counts_json(const store::ConcernCounts& counts) {
  nlohmann::json severities = nlohmann::json::array();
  for (int level = 5; level >= 1; --level) {
    const auto found = counts.by_severity.find(level);
    severities.push_back(
        {{"severity", level}, {"count", found == counts.by_severity.end() ? 0 : found->second}});
  }
  nlohmann::json categories = nlohmann::json::array();
  std::vector<std::pair<std::string, std::int64_t>> sorted(counts.by_category.begin(),
                                                           counts.by_category.end());
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  for (const auto& [category, count] : sorted) {
    categories.push_back({{"category", category}, {"count", count}});
  }
  return {{"total", counts.total},
          {"by_severity", std::move(severities)},
          {"by_category", std::move(categories)}};
}

// The box's health as it stands: read-only, from what the daemon already records.
// `as_of` is the time the figures are about (the recording's, when replaying one);
// `now` is the wall clock, for this process's own counters.
nlohmann::json health_json(store::Database& db, const std::filesystem::path& data_dir,
                           std::int64_t as_of, std::int64_t now) {
  const std::int64_t since = (as_of / kMinuteUs - kRecentTrafficMinutes) * kMinuteUs;
  const store::MirrorTraffic traffic = store::mirror_traffic(db, since);
  nlohmann::json minutes = nlohmann::json::array();
  std::int64_t recent_packets = 0;
  for (std::int64_t minute = since; minute < as_of; minute += kMinuteUs) {
    const auto found = traffic.packets_by_minute.find(minute);
    const std::int64_t packets = found == traffic.packets_by_minute.end() ? 0 : found->second;
    recent_packets += packets;
    minutes.push_back({{"minute", iso_time(minute)}, {"packets", packets}});
  }
  // This process's own capture counters (store/capture_status.h), when it captures:
  // drops are counted there, not in the database.
  nlohmann::json live;
  const auto snapshot = store::CaptureStatus::instance().snapshot(now, kRecentTrafficMinutes * 60);
  if (snapshot.mode != store::CaptureStatus::Mode::none) {
    live = {{"mode", snapshot.mode == store::CaptureStatus::Mode::live ? "live" : "replay"},
            {"packets_recent", snapshot.packets_recent},
            {"ring_drops", snapshot.ring_drops},
            {"kernel_drops", snapshot.kernel_drops + snapshot.interface_drops},
            {"last_packet", snapshot.last_packet_us == 0
                                ? nlohmann::json()
                                : nlohmann::json(iso_time(snapshot.last_packet_us))}};
  }
  nlohmann::json mirror = {
      {"live", std::move(live)},
      {"recent_minutes", kRecentTrafficMinutes},
      {"recent_packets", recent_packets},
      {"per_minute", std::move(minutes)},
      {"last_traffic", traffic.last_minute_us == 0
                           ? nlohmann::json()
                           : nlohmann::json(iso_time(traffic.last_minute_us))}};

  // The store thread's record of captures lost to a full disk (store/capture_writer.h).
  nlohmann::json store_health = {{"state", "ok"}, {"message", ""}, {"captures_unstored", 0}};
  if (const auto row = store::SettingsRepository(db).get("health.store")) {
    const auto parsed = nlohmann::json::parse(*row, nullptr, false);
    if (parsed.is_object()) {
      store_health = {{"state", parsed.value("state", "ok")},
                      {"message", parsed.value("message", "")},
                      {"captures_unstored", parsed.value("captures_unstored_disk_full", 0)}};
    }
  }

  nlohmann::json disk;
  struct statvfs fs {};
  if (::statvfs(data_dir.c_str(), &fs) == 0) {
    const auto block = static_cast<std::int64_t>(fs.f_frsize);
    disk = {{"free_bytes", static_cast<std::int64_t>(fs.f_bavail) * block},
            {"total_bytes", static_cast<std::int64_t>(fs.f_blocks) * block}};
  }

  nlohmann::json library = {{"source", "starter"}, {"version", nullptr}};
  if (auto active = library::read_active(data_dir); active && *active) {
    library = {{"source", "bundle"}, {"version", (*active)->version}};
  } else if (!active) {
    library = {{"source", "unreadable"}, {"version", nullptr}};
  }

  // null: this system does not say (no systemd-timesyncd, as in the tests).
  std::error_code ignored;
  nlohmann::json synchronized;
  if (std::filesystem::exists(std::filesystem::path(kTimeSyncedFile).parent_path(), ignored)) {
    synchronized = std::filesystem::exists(kTimeSyncedFile, ignored);
  }
  return {{"mirror", std::move(mirror)},
          {"store", std::move(store_health)},
          {"disk", std::move(disk)},
          {"library", std::move(library)},
          {"time", {{"now", iso_time(now)}, {"synchronized", std::move(synchronized)}}}};
}

// The time "today" and "this week" end at. Replaying a recording (the demo, a test),
// the captures carry the recording's times, so the figures are as of the end of its
// last minute of traffic: otherwise the demo's dashboard would say nothing was
// captured today beside captures waiting for review.
std::optional<std::int64_t> recording_end(store::Database& db, std::int64_t now) {
  if (store::CaptureStatus::instance().snapshot(now).mode != store::CaptureStatus::Mode::replay) {
    return std::nullopt;
  }
  const std::int64_t last_minute = store::last_traffic_minute(db);
  if (last_minute == 0) return std::nullopt;
  return last_minute + kMinuteUs - 1;
}

}  // namespace

Response dashboard(ApiContext& context) {
  const std::int64_t now = store::now_us();
  const std::optional<std::int64_t> recording = recording_end(context.db, now);
  const std::int64_t as_of = recording.value_or(now);
  // The browser says when the school's day and week began (it knows the local time
  // zone; the box keeps UTC). Without them: UTC midnight, and seven days back.
  std::int64_t day_start = as_of / kDayUs * kDayUs;
  std::int64_t week_start = day_start - 6 * kDayUs;
  for (const auto& [name, field] :
       {std::pair{"day_start_us", &day_start}, std::pair{"week_start_us", &week_start}}) {
    if (const auto text = context.request.query_value(name); text && !text->empty()) {
      const auto value = parse_int(*text);
      if (!value || *value < 0 || *value > std::max(as_of, now)) {
        return Response::problem(
            400, "invalid_time",
            std::string(name) + " must be a past time in microseconds since 1970.");
      }
      *field = *value;
    }
  }

  store::Database& db = context.db;
  const store::ReviewBacklog backlog = store::review_backlog(db);
  const store::ReviewTimes times = store::review_times(db, now - 30 * kDayUs);
  nlohmann::json review = {
      {"waiting", backlog.waiting},
      {"serious", backlog.serious},
      {"oldest_serious", backlog.oldest_serious_us == 0
                             ? nlohmann::json()
                             : nlohmann::json(iso_time(backlog.oldest_serious_us))},
      {"reviewed_last_30_days", times.reviewed},
      {"median_minutes_to_first_review",
       times.reviewed == 0 ? nlohmann::json() : nlohmann::json(times.median_wait_us / kMinuteUs)}};

  nlohmann::json incidents = nlohmann::json::array();
  for (const store::Incident& incident : store::IncidentRepository(db).list()) {
    if (!incident.open) continue;
    // No titles here: they are sealed, and the viewer and technician see this page too.
    incidents.push_back({{"id", incident.id},
                         {"opened", iso_time(incident.opened_us)},
                         {"age_days", (now - incident.opened_us) / kDayUs},
                         {"captures", incident.captures}});
  }

  // Names only for roles that see them, opened with the session's own key (the viewer
  // and the technician see devices by address, and groups other than the vulnerable).
  const bool names = store::allows(context.user->role, store::Permission::see_people);
  const auto key = names ? SessionKeys::instance().find(context.session_token) : nullptr;
  nlohmann::json devices = nlohmann::json::array();
  for (const store::DeviceConcern& device :
       store::most_concerning_devices(db, week_start, kDevicesShown)) {
    nlohmann::json person;
    if (key && !device.mac.empty()) {
      // Who has the device now: the dashboard is about today's pupils.
      if (const auto held = store::DeviceRepository(db).assignment_at(device.mac, now)) {
        if (held->person_id == 0) {
          person = "Shared: " + held->pool;
        } else if (const auto record =
                       store::PeopleRepository(db).open_one(held->person_id, *key)) {
          person = record->person.name;
        }
      }
    }
    devices.push_back({{"mac", device.mac.empty() ? nlohmann::json() : nlohmann::json(device.mac)},
                       {"ip", device.ip},
                       {"captures", device.captures},
                       {"serious", device.serious},
                       {"highest_severity", device.highest_severity},
                       {"person", std::move(person)}});
  }
  nlohmann::json groups = nlohmann::json::array();
  for (const store::GroupConcern& group :
       store::most_concerning_groups(db, week_start, kDevicesShown)) {
    if (group.kind == "vulnerable" && !names) continue;
    groups.push_back({{"id", group.id},
                      {"name", group.name},
                      {"captures", group.captures},
                      {"serious", group.serious}});
  }

  nlohmann::json visibility = nlohmann::json::array();
  // Today's: a week of minutes by class is too many rows for a page opened this often.
  for (const store::VisibilityTotal& total : store::visibility_since(db, day_start)) {
    visibility.push_back({{"visibility", total.visibility},
                          {"flows", total.flows},
                          {"bytes", total.bytes},
                          {"packets", total.packets}});
  }

  return Response::json(
      200,
      {{"now", iso_time(now)},
       {"recording_as_of", recording ? nlohmann::json(iso_time(*recording)) : nlohmann::json()},
       {"day_start", iso_time(day_start)},
       {"week_start", iso_time(week_start)},
       {"today", counts_json(store::concerns_between(db, day_start, as_of + 1))},
       {"week", counts_json(store::concerns_between(db, week_start, as_of + 1))},
       {"review", std::move(review)},
       {"incidents", std::move(incidents)},
       {"devices", std::move(devices)},
       {"groups", std::move(groups)},
       {"visibility", std::move(visibility)},
       {"health", health_json(db, context.data_dir, as_of, now)}});
}

}  // namespace hm::web::api
