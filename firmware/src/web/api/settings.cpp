// Settings the headteacher changes from the browser: how long captures of each
// category are kept (issue 5 item 2; the defaults and their reasons are in README.md
// "Retention").
#include <nlohmann/json.hpp>

#include "library/categories.h"
#include "store/retention.h"
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
  return Response::json(200, {{"categories", std::move(categories)},
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

}  // namespace hm::web::api
