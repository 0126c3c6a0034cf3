// Settings the headteacher changes from the browser: how long captures of each
// category are kept (issue 5 item 2; the defaults and their reasons are in README.md
// "Retention"), and the school's name and the DSL's email address (issue 6 item 1).
#include <nlohmann/json.hpp>

#include "library/categories.h"
#include "mail/message.h"
#include "store/audit_log.h"
#include "store/retention.h"
#include "store/settings_repository.h"
#include "web/api/handlers.h"
#include "web/api/json_fields.h"

namespace hm::web::api {

Response retention_settings(ApiContext& context) {
  nlohmann::json categories = nlohmann::json::array();
  for (const library::KnownCategory& category : library::known_categories()) {
    categories.push_back({{"id", category.id},
                          {"title", category.title},
                          {"days", store::retention_days(context.db, category.id)},
                          {"default_days", store::default_retention_days(category.id)}});
  }
  return Response::json(
      200, {{"categories", std::move(categories)},
            {"min_days", store::kMinimumRetentionDays},
            {"max_days", store::kMaximumRetentionDays},
            {"can_edit", store::allows(context.user->role, store::Permission::edit_retention)}});
}

// The route needs Permission::edit_retention (routes.cpp).
Response set_retention(ApiContext& context) {
  const auto body = context.json_body();
  if (!body) return Response::problem(400, "invalid", "Send the setting as a JSON object.");
  const auto category = string_field(*body, "category");
  const auto days = body->find("days");
  if (!category || days == body->end() || !days->is_number_integer()) {
    return Response::problem(400, "invalid", "Say which category and how many days.");
  }
  const library::KnownCategory* known = library::find_known_category(*category);
  if (known == nullptr) {
    return Response::problem(400, "invalid", "There is no category called \"" + *category + "\".");
  }
  const auto value = days->get<std::int64_t>();
  if (value < store::kMinimumRetentionDays || value > store::kMaximumRetentionDays) {
    return Response::problem(400, "invalid_days",
                             "Keep captures for " + std::to_string(store::kMinimumRetentionDays) +
                                 " to " + std::to_string(store::kMaximumRetentionDays) + " days (" +
                                 std::string(known->title) + ").");
  }
  if (auto set = store::set_retention_days(context.db, known->id, static_cast<int>(value),
                                           context.user->username);
      !set) {
    return Response::problem(503, "not_saved", "The setting was not saved: " + set.error());
  }
  return Response::json(200, {{"id", known->id},
                              {"title", known->title},
                              {"days", value},
                              {"default_days", store::default_retention_days(known->id)}});
}

namespace {

constexpr std::string_view kSchoolNameKey = "school.name";
constexpr std::string_view kDslEmailKey = "school.dsl_email";

// The DSL's address names a member of staff: shown only to roles that see people or
// manage accounts, never to a technician or a staff viewer.
bool may_see_dsl_email(store::Role role) {
  return store::allows(role, store::Permission::see_people) ||
         store::allows(role, store::Permission::manage_accounts);
}

nlohmann::json school_json(store::Database& db, store::Role role) {
  store::SettingsRepository settings(db);
  nlohmann::json json = {{"school_name", settings.get(kSchoolNameKey).value_or("")},
                         {"can_edit", store::allows(role, store::Permission::manage_accounts)}};
  if (may_see_dsl_email(role)) json["dsl_email"] = settings.get(kDslEmailKey).value_or("");
  return json;
}

}  // namespace

Response school_settings(ApiContext& context) {
  return Response::json(200, school_json(context.db, context.user->role));
}

// The route needs Permission::manage_accounts (routes.cpp): who the DSL is, and what
// the school is called on emails, reports and notices, are the headteacher's to say.
// Either field may be left out to keep it.
Response set_school_settings(ApiContext& context) {
  const auto body = context.json_body();
  if (!body) return Response::problem(400, "invalid", "Send the settings as a JSON object.");
  const auto name = string_field(*body, "school_name");
  const auto dsl_email = string_field(*body, "dsl_email");
  if (!name && !dsl_email) {
    return Response::problem(400, "invalid", "Give the school's name or the DSL's email address.");
  }
  std::string trimmed_name;
  if (name) {
    trimmed_name = *name;
    while (!trimmed_name.empty() && trimmed_name.back() == ' ') trimmed_name.pop_back();
    while (!trimmed_name.empty() && trimmed_name.front() == ' ') trimmed_name.erase(0, 1);
    if (trimmed_name.empty()) {
      return Response::problem(400, "invalid_school_name", "Type the school's name.");
    }
    // It goes into email headers and PDF titles: one line, of a sensible length.
    if (auto problem = mail::header_text_problem(trimmed_name, "The school's name")) {
      return Response::problem(400, "invalid_school_name", *problem);
    }
  }
  if (dsl_email && !dsl_email->empty() && !mail::valid_address(*dsl_email)) {
    return Response::problem(
        400, "invalid_dsl_email",
        "\"" + *dsl_email + "\" is not an email address. Type one like dsl@school.example.");
  }
  store::SettingsRepository settings(context.db);
  store::AuditLog audit(context.db);
  if (name) {
    if (auto saved = settings.set(kSchoolNameKey, trimmed_name); !saved) {
      return Response::problem(503, "not_saved",
                               "The school's name was not saved: " + saved.error());
    }
    (void)audit.append(context.user->username, "school_name", "the school's name was set");
  }
  if (dsl_email) {
    if (auto saved = settings.set(kDslEmailKey, *dsl_email); !saved) {
      return Response::problem(503, "not_saved",
                               "The DSL's address was not saved: " + saved.error());
    }
    (void)audit.append(context.user->username, "dsl_email",
                       dsl_email->empty() ? "the DSL's email address was removed"
                                          : "the DSL's email address was set");
  }
  return Response::json(200, school_json(context.db, context.user->role));
}

}  // namespace hm::web::api
