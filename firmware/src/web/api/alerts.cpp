// The Alerts page (issue 7): who is told about which captures and when (the trigger
// rules in alerts/rule_repository.h), the alerts' settings, the emails sent and
// waiting (alerts/outbox.h), and the masthead's count of alerts that need review.
//
// Reading needs Permission::see_reports, the DSL's, deputy's and headteacher's: the
// people who are told about concerns. Changing the rules and their settings needs
// Permission::manage_people, whose holders are the same three roles and whose meaning
// (store/roles.h: "groups and their alert rules") is this: who is told about whom. A
// technician or a staff viewer has neither.
#include <algorithm>
#include <charconv>
#include <cstdio>
#include <string>
#include <tuple>

#include <nlohmann/json.hpp>

#include "alerts/alert_engine.h"
#include "alerts/outbox.h"
#include "alerts/rule_repository.h"
#include "alerts/rules.h"
#include "library/categories.h"
#include "store/audit_log.h"
#include "store/group_repository.h"
#include "store/settings_repository.h"
#include "web/api/handlers.h"
#include "web/api/json_fields.h"

namespace hm::web::api {
namespace {

constexpr int kOutboxRows = 100;
constexpr int kMaxGroupWindowMinutes = 24 * 60;
constexpr std::size_t kMaxLinkBase = 200;
// A school year has three terms (six half terms); room to spare, not a novel.
constexpr std::size_t kMaxTermDates = 4096;
constexpr std::int64_t kMicrosPerMinute = 60'000'000;
constexpr std::int64_t kSummaryDays = 7;

std::optional<std::int64_t> path_id(const ApiContext& context) {
  const auto found = context.path_params.find("id");
  if (found == context.path_params.end()) return std::nullopt;
  std::int64_t value = 0;
  const std::string& text = found->second;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value <= 0) return std::nullopt;
  return value;
}

// "07:30" → 450; exactly two digits, a colon, two digits.
std::optional<int> minute_of_day(std::string_view text) {
  if (text.size() != 5 || text[2] != ':') return std::nullopt;
  for (const std::size_t at : {0U, 1U, 3U, 4U}) {
    if (text[at] < '0' || text[at] > '9') return std::nullopt;
  }
  const int hours = (text[0] - '0') * 10 + (text[1] - '0');
  const int minutes = (text[3] - '0') * 10 + (text[4] - '0');
  if (hours > 23 || minutes > 59) return std::nullopt;
  return hours * 60 + minutes;
}

std::string clock_text(int minute) {
  char text[8];
  std::snprintf(text, sizeof text, "%02d:%02d", minute / 60 % 24, minute % 60);
  return text;
}

nlohmann::json range_json(const std::optional<alerts::MinuteRange>& range) {
  if (!range) return nullptr;
  return {{"from", clock_text(range->from_minute)}, {"to", clock_text(range->to_minute)}};
}

nlohmann::json rule_json(const alerts::AlertRule& rule) {
  return {{"id", rule.id},
          {"name", rule.name},
          {"enabled", rule.enabled},
          {"min_severity", rule.min_severity},
          {"categories", rule.categories},
          {"group_ids", rule.group_ids},
          {"repeat_count", rule.repeat_count},
          {"repeat_window_minutes", rule.repeat_window.count() / 60},
          {"active_hours", range_json(rule.active_hours)},
          {"term_time_only", rule.term_time_only},
          {"quiet_hours", range_json(rule.quiet_hours)},
          {"delivery", alerts::to_string(rule.delivery)},
          {"recipients", rule.recipients},
          {"summary", alerts::describe(rule)}};
}

struct AlertSettings {
  int group_window_minutes = alerts::kDefaultGroupWindowMinutes;
  std::string digest_time = "16:00";
  std::string link_base{alerts::kDefaultLinkBase};
  std::string term_dates;
};

AlertSettings read_settings(store::Database& db) {
  store::SettingsRepository settings(db);
  AlertSettings read;
  if (const auto window = settings.get(alerts::kGroupWindowKey)) {
    int minutes = 0;
    if (std::from_chars(window->data(), window->data() + window->size(), minutes).ec ==
            std::errc() &&
        minutes >= 0 && minutes <= kMaxGroupWindowMinutes) {
      read.group_window_minutes = minutes;
    }
  }
  if (const auto digest = settings.get(alerts::kDigestTimeKey); digest && minute_of_day(*digest)) {
    read.digest_time = *digest;
  }
  if (auto link = settings.get(alerts::kLinkBaseKey); link && !link->empty()) {
    read.link_base = std::move(*link);
  }
  read.term_dates = settings.get(alerts::kTermDatesKey).value_or("");
  return read;
}

nlohmann::json settings_json(const AlertSettings& settings) {
  return {{"group_window_minutes", settings.group_window_minutes},
          {"digest_time", settings.digest_time},
          {"link_base", settings.link_base},
          {"term_dates", settings.term_dates}};
}

// A field of a rule's JSON that has the wrong type: 400 naming it.
Response bad_field(std::string_view what) {
  return Response::problem(400, "invalid", "Send " + std::string(what) + ".");
}

// {"from": "HH:MM", "to": "HH:MM"} or null.
std::optional<std::optional<alerts::MinuteRange>> range_from(const nlohmann::json& value) {
  if (value.is_null()) return std::optional<alerts::MinuteRange>{};
  if (!value.is_object()) return std::nullopt;
  const auto from = string_field(value, "from");
  const auto to = string_field(value, "to");
  const auto from_minute = from ? minute_of_day(*from) : std::nullopt;
  const auto to_minute = to ? minute_of_day(*to) : std::nullopt;
  if (!from_minute || !to_minute) return std::nullopt;
  return alerts::MinuteRange{*from_minute, *to_minute};
}

// Reads the fields the body gives over `rule` (a new rule's defaults, or the rule as
// saved: a body of {"enabled": false} turns a rule off). A field of the wrong type is
// refused here; whether the rule makes sense is rule_problem's to say.
std::optional<Response> read_rule(const nlohmann::json& body, alerts::AlertRule& rule) {
  if (body.contains("name")) {
    const auto name = string_field(body, "name");
    if (!name) return bad_field("the rule's name as text");
    rule.name = *name;
  }
  if (body.contains("enabled")) {
    if (!body["enabled"].is_boolean()) return bad_field("\"enabled\" as true or false");
    rule.enabled = body["enabled"].get<bool>();
  }
  if (body.contains("min_severity")) {
    if (!body["min_severity"].is_number_integer()) {
      return bad_field("the lowest severity as a number from 1 to 5");
    }
    const auto severity = body["min_severity"].get<std::int64_t>();
    rule.min_severity = severity < 0 || severity > 100 ? 0 : static_cast<int>(severity);
  }
  if (body.contains("categories")) {
    const auto& categories = body["categories"];
    if (!categories.is_array()) return bad_field("the categories as a list of their ids");
    rule.categories.clear();
    for (const auto& category : categories) {
      if (!category.is_string()) return bad_field("the categories as a list of their ids");
      rule.categories.push_back(category.get<std::string>());
    }
  }
  if (body.contains("group_ids")) {
    const auto& groups = body["group_ids"];
    if (!groups.is_array()) return bad_field("the groups as a list of their ids");
    rule.group_ids.clear();
    for (const auto& group : groups) {
      if (!group.is_number_integer()) return bad_field("the groups as a list of their ids");
      rule.group_ids.push_back(group.get<std::int64_t>());
    }
  }
  if (body.contains("repeat_count")) {
    if (!body["repeat_count"].is_number_integer()) {
      return bad_field("\"how many times\" as a whole number");
    }
    const auto count = body["repeat_count"].get<std::int64_t>();
    rule.repeat_count = count < 0 || count > 1'000'000 ? 0 : static_cast<int>(count);
  }
  if (body.contains("repeat_window_minutes")) {
    if (!body["repeat_window_minutes"].is_number_integer()) {
      return bad_field("\"within how many minutes\" as a whole number");
    }
    const auto minutes = body["repeat_window_minutes"].get<std::int64_t>();
    // Beyond the longest window allowed, so rule_problem refuses it rather than overflow.
    const std::int64_t longest = alerts::kMaxRepeatWindow.count() * 60 + 1;
    rule.repeat_window = std::chrono::minutes(std::clamp<std::int64_t>(minutes, -1, longest));
  }
  for (const auto& [field, target, words] :
       {std::tuple{"active_hours", &rule.active_hours, "the time of day"},
        std::tuple{"quiet_hours", &rule.quiet_hours, "the quiet hours"}}) {
    if (!body.contains(field)) continue;
    const auto range = range_from(body[field]);
    if (!range) {
      return Response::problem(
          400, "invalid",
          "Give " + std::string(words) + " as two times like 08:30 and 15:30, or leave it empty.");
    }
    *target = *range;
  }
  if (body.contains("term_time_only")) {
    if (!body["term_time_only"].is_boolean())
      return bad_field("\"term time only\" as true or false");
    rule.term_time_only = body["term_time_only"].get<bool>();
  }
  if (body.contains("delivery")) {
    const auto delivery = alerts::delivery_from_string(string_field(body, "delivery").value_or(""));
    if (!delivery) {
      return Response::problem(400, "invalid",
                               "Choose how the email goes: at once, or in the daily digest.");
    }
    rule.delivery = *delivery;
  }
  if (body.contains("recipients")) {
    const auto& recipients = body["recipients"];
    if (!recipients.is_array()) return bad_field("who is told as a list");
    rule.recipients.clear();
    for (const auto& recipient : recipients) {
      if (!recipient.is_string()) return bad_field("who is told as a list of addresses");
      rule.recipients.push_back(recipient.get<std::string>());
    }
  }
  return std::nullopt;
}

// rule_problem's words, and groups that do not exist (removed while the form was open).
std::optional<std::string> problem_with(store::Database& db, const alerts::AlertRule& rule) {
  if (auto problem = alerts::rule_problem(rule)) return problem;
  store::GroupRepository groups(db);
  for (const std::int64_t id : rule.group_ids) {
    if (!groups.find(id)) {
      return "There is no group " + std::to_string(id) + " any more. Reload the page.";
    }
  }
  return std::nullopt;
}

Response no_such_rule() {
  return Response::problem(404, "not_found", "There is no such rule. It may have been removed.");
}

std::optional<alerts::OutboxState> outbox_state_from(std::string_view text) {
  using alerts::OutboxState;
  for (const auto state :
       {OutboxState::queued, OutboxState::retrying, OutboxState::sent, OutboxState::failed}) {
    if (alerts::to_string(state) == text) return state;
  }
  return std::nullopt;
}

// What the page shows of an email: never its body nor an attachment's bytes.
nlohmann::json outbox_json(const alerts::OutboxMessage& message) {
  return {
      {"id", message.id},
      {"kind", message.kind},
      {"subject", message.subject},
      {"recipients", message.recipients},
      {"attachment_name", message.attachment_name},
      {"created", iso_time(message.created_us)},
      {"state", alerts::to_string(message.state)},
      {"attempts", message.attempts},
      {"next_attempt", message.state == alerts::OutboxState::queued ||
                               message.state == alerts::OutboxState::retrying
                           ? nlohmann::json(iso_time(message.next_attempt_us))
                           : nlohmann::json()},
      {"last_answer", message.last_answer},
      {"sent", message.sent_us ? nlohmann::json(iso_time(*message.sent_us)) : nlohmann::json()}};
}

// The box's address as links in emails give it: https://, a host, nothing odd.
std::optional<std::string> link_base_problem(std::string_view link) {
  constexpr std::string_view kScheme = "https://";
  if (link.size() > kMaxLinkBase) {
    return "The box's address is too long: keep it under " + std::to_string(kMaxLinkBase) +
           " characters.";
  }
  if (!link.starts_with(kScheme) || link.size() == kScheme.size() || link[kScheme.size()] == '/' ||
      link[kScheme.size()] == ':') {
    return "The box's address starts with https:// and names the box, like "
           "https://hallmonitor.local:8443.";
  }
  for (const char c : link) {
    if (static_cast<unsigned char>(c) <= ' ' || c == '"' || c == '<' || c == '>' || c == '\\' ||
        static_cast<unsigned char>(c) >= 0x7f) {
      return "The box's address cannot hold spaces or unusual characters.";
    }
  }
  return std::nullopt;
}

}  // namespace

Response alert_rules(ApiContext& context) {
  nlohmann::json rules = nlohmann::json::array();
  for (const auto& rule : alerts::RuleRepository(context.db).list())
    rules.push_back(rule_json(rule));
  nlohmann::json categories = nlohmann::json::array();
  for (const auto& category : library::known_categories()) {
    categories.push_back({{"id", category.id}, {"title", category.title}});
  }
  nlohmann::json groups = nlohmann::json::array();
  for (const auto& group : store::GroupRepository(context.db).list()) {
    groups.push_back({{"id", group.id}, {"name", group.name}});
  }
  return Response::json(
      200, {{"rules", std::move(rules)},
            {"settings", settings_json(read_settings(context.db))},
            {"categories", std::move(categories)},
            {"groups", std::move(groups)},
            {"can_edit", store::allows(context.user->role, store::Permission::manage_people)}});
}

Response add_alert_rule(ApiContext& context) {
  const auto body = context.json_body();
  if (!body) return Response::problem(400, "invalid", "Send the rule as a JSON object.");
  alerts::AlertRule rule;
  if (auto refused = read_rule(*body, rule)) return *refused;
  if (auto problem = problem_with(context.db, rule)) {
    return Response::problem(400, "invalid_rule", *problem);
  }
  auto id =
      alerts::RuleRepository(context.db).create(rule, context.user->username, store::now_us());
  if (!id) return not_saved(id.error());
  rule.id = *id;
  return Response::json(201, rule_json(rule));
}

Response change_alert_rule(ApiContext& context) {
  const auto id = path_id(context);
  if (!id) return no_such_rule();
  const auto body = context.json_body();
  if (!body) return Response::problem(400, "invalid", "Send the rule as a JSON object.");
  alerts::RuleRepository rules(context.db);
  auto rule = rules.find(*id);
  if (!rule) return no_such_rule();
  if (body->empty()) return Response::problem(400, "invalid", "Send the fields to change.");
  if (auto refused = read_rule(*body, *rule)) return *refused;
  if (auto problem = problem_with(context.db, *rule)) {
    return Response::problem(400, "invalid_rule", *problem);
  }
  if (auto saved = rules.update(*rule, context.user->username, store::now_us()); !saved) {
    return not_saved(saved.error());
  }
  return Response::json(200, rule_json(*rule));
}

Response remove_alert_rule(ApiContext& context) {
  const auto id = path_id(context);
  alerts::RuleRepository rules(context.db);
  if (!id || !rules.find(*id)) return no_such_rule();
  if (auto removed = rules.remove(*id, context.user->username, store::now_us()); !removed) {
    return not_saved(removed.error());
  }
  return Response::json(200, {{"id", *id}, {"removed", true}});
}

// Each field may be left out to keep it. All are checked before any is saved, and
// the change and its audit entry commit together.
Response set_alert_settings(ApiContext& context) {
  const auto body = context.json_body();
  if (!body) return Response::problem(400, "invalid", "Send the settings as a JSON object.");
  const std::optional<std::string> digest_time = string_field(*body, "digest_time");
  const std::optional<std::string> link_base = string_field(*body, "link_base");
  const std::optional<std::string> term_dates = string_field(*body, "term_dates");
  std::optional<int> group_window;
  if (body->contains("group_window_minutes")) {
    const auto& window = (*body)["group_window_minutes"];
    if (!window.is_number_integer() || window.get<std::int64_t>() < 0 ||
        window.get<std::int64_t>() > kMaxGroupWindowMinutes) {
      return Response::problem(400, "invalid_group_window",
                               "The grouping window is from 0 to 1440 minutes (a day).");
    }
    group_window = static_cast<int>(window.get<std::int64_t>());
  }
  if (!group_window && !digest_time && !link_base && !term_dates) {
    return Response::problem(400, "invalid",
                             "Give the grouping window, the digest time, the box's address or "
                             "the term dates.");
  }
  if (digest_time && !minute_of_day(*digest_time)) {
    return Response::problem(400, "invalid_digest_time",
                             "Give the digest time as hours and minutes, like 16:00.");
  }
  std::string link = link_base.value_or("");
  while (link.ends_with('/')) link.pop_back();
  if (link_base && !link.empty()) {
    if (auto problem = link_base_problem(link)) {
      return Response::problem(400, "invalid_link_base", *problem);
    }
  }
  if (term_dates) {
    std::string problem;
    if (term_dates->size() > kMaxTermDates) {
      return Response::problem(400, "invalid_term_dates", "The term dates are too long.");
    }
    if (!alerts::TermCalendar::parse(*term_dates, &problem)) {
      return Response::problem(400, "invalid_term_dates", problem);
    }
  }

  store::SettingsRepository settings(context.db);
  std::vector<std::string> changed;
  store::Transaction transaction(context.db);
  Status saved = Ok{};
  if (group_window && saved) {
    saved = settings.set(alerts::kGroupWindowKey, std::to_string(*group_window));
    changed.push_back("grouping window " + std::to_string(*group_window) + " min");
  }
  if (digest_time && saved) {
    saved = settings.set(alerts::kDigestTimeKey, *digest_time);
    changed.push_back("digest at " + *digest_time);
  }
  if (link_base && saved) {
    saved = link.empty() ? settings.erase(alerts::kLinkBaseKey)
                         : settings.set(alerts::kLinkBaseKey, link);
    changed.push_back("links to " + (link.empty() ? std::string(alerts::kDefaultLinkBase) : link));
  }
  if (term_dates && saved) {
    saved = settings.set(alerts::kTermDatesKey, *term_dates);
    const auto terms = alerts::TermCalendar::parse(*term_dates);
    changed.push_back(terms->empty() ? "no term dates (every weekday is term time)"
                                     : std::to_string(terms->terms().size()) + " term(s)");
  }
  std::string detail;
  for (const auto& part : changed) detail += (detail.empty() ? "" : ", ") + part;
  if (saved)
    saved = store::AuditLog(context.db).append(context.user->username, "alert_settings", detail);
  if (saved) saved = transaction.commit();
  if (!saved) {
    return Response::problem(503, "not_saved",
                             "The alert settings were not saved: " + saved.error());
  }
  return Response::json(200, settings_json(read_settings(context.db)));
}

Response alert_outbox(ApiContext& context) {
  std::optional<alerts::OutboxState> state;
  if (const auto asked = context.request.query_value("state"); asked && !asked->empty()) {
    state = outbox_state_from(*asked);
    if (!state) {
      return Response::problem(400, "invalid_state",
                               "Ask for queued, retrying, sent or failed emails, or all of them.");
    }
  }
  alerts::Outbox outbox(context.db);
  nlohmann::json messages = nlohmann::json::array();
  for (const auto& message : outbox.recent(kOutboxRows, state)) {
    messages.push_back(outbox_json(message));
  }
  const alerts::OutboxCounts counts = outbox.counts(store::now_us());
  return Response::json(200, {{"messages", std::move(messages)},
                              {"counts",
                               {{"waiting", counts.waiting},
                                {"retrying", counts.retrying},
                                {"failed", counts.failed},
                                {"sent_last_day", counts.sent_last_day}}}});
}

Response retry_outbox_message(ApiContext& context) {
  const auto id = path_id(context);
  alerts::Outbox outbox(context.db);
  const auto message = id ? outbox.find(*id) : std::nullopt;
  if (!message) return Response::problem(404, "not_found", "There is no such email.");
  if (message->state == alerts::OutboxState::sent) {
    return Response::problem(409, "already_sent", "That email has already been sent.");
  }
  if (message->state == alerts::OutboxState::queued) {
    return Response::json(200, outbox_json(*message));  // about to be tried anyway
  }
  if (auto retried = outbox.retry(*id, store::now_us()); !retried)
    return not_saved(retried.error());
  (void)store::AuditLog(context.db)
      .append(context.user->username, "alert_email_retry",
              "email " + std::to_string(*id) + " (" + message->kind + ") tried again");
  return Response::json(200, outbox_json(*outbox.find(*id)));
}

// Counts only: a staff viewer sees the dashboard, and this names nothing.
Response alerts_summary(ApiContext& context) {
  const std::int64_t now = store::now_us();
  store::Statement waiting(
      context.db,
      "SELECT count(*) FROM alerts JOIN captures ON captures.id = alerts.first_capture_id "
      "WHERE alerts.created_us >= ?1 AND captures.review_status = 'new'");
  waiting.bind(1, now - kSummaryDays * 24 * 60 * kMicrosPerMinute);
  const std::int64_t notifications = waiting.step() ? waiting.column_int(0) : 0;
  const alerts::OutboxCounts counts = alerts::Outbox(context.db).counts(now);
  return Response::json(
      200,
      {{"notifications", notifications}, {"failed", counts.failed}, {"retrying", counts.retrying}});
}

}  // namespace hm::web::api
