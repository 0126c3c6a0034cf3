#include <algorithm>
#include <array>

#include <nlohmann/json.hpp>

#include "store/accounts.h"
#include "store/settings_repository.h"
#include "web/api/handlers.h"
#include "web/api/json_fields.h"

namespace hm::web::api {
namespace {

// Where the setup wizard got to (below), in the settings table.
constexpr std::string_view kWizardKey = "setup.wizard";

std::string text_field(const nlohmann::json& body, const char* name) {
  const auto found = body.find(name);
  return found != body.end() && found->is_string() ? found->get<std::string>() : std::string();
}

}  // namespace

Response setup_status(ApiContext& context) {
  return Response::json(200, {{"setup_needed", !store::setup_complete(context.db)}});
}

Response setup(ApiContext& context) {
  const auto body = context.json_body();
  if (!body) return Response::problem(400, "invalid", "The form could not be read; try again.");
  const store::NewUser headteacher{text_field(*body, "username"), text_field(*body, "display_name"),
                                   store::Role::headteacher, text_field(*body, "password")};
  const auto result =
      store::Accounts(context.db).complete_setup(text_field(*body, "setup_code"), headteacher);
  switch (result.outcome) {
    case store::SetupResult::Outcome::done:
      // The setup page goes on to the wizard's other steps once signed in; a box set up
      // through the API alone (a script, the image test) is not sent there.
      if (const auto wizard = body->find("wizard");
          wizard != body->end() && wizard->is_boolean() && wizard->get<bool>()) {
        (void)store::SettingsRepository(context.db)
            .set(kWizardKey,
                 nlohmann::json{{"started", true}, {"steps", nlohmann::json::object()}}.dump());
      }
      // The recovery key is shown this once and never stored: the page asks the
      // headteacher to write it down and keep it somewhere safe, away from the box.
      return Response::json(
          201, {{"user", user_json(*result.user)}, {"recovery_key", result.recovery_key}});
    case store::SetupResult::Outcome::wrong_code:
      return Response::problem(403, "wrong_setup_code", result.message);
    case store::SetupResult::Outcome::already_done:
      return Response::problem(409, "already_set_up", result.message);
    case store::SetupResult::Outcome::invalid: break;
  }
  return Response::problem(400, "invalid", result.message);
}

// --- The setup wizard's steps after the account ---------------------------------
//
// The headteacher's account and the recovery key come first (above, before anyone is
// signed in); the rest of the wizard runs signed in, each step saving through the
// ordinary settings routes. Which steps are done or skipped is kept in the settings
// table, so the wizard carries on where it was left, on any browser.
namespace {

struct WizardStep {
  std::string_view id;
  std::string_view title;
};

// In the order the wizard shows them.
constexpr std::array kWizardSteps = {
    WizardStep{"school", "The school's name"},
    WizardStep{"retention", "How long captures are kept"},
    WizardStep{"dsl", "The safeguarding lead's email"},
    WizardStep{"mail", "Sending email"},
    WizardStep{"mirror", "Plugging into the network"},
};
nlohmann::json stored_progress(store::Database& db) {
  const auto stored = store::SettingsRepository(db).get(kWizardKey);
  auto progress = nlohmann::json::parse(stored.value_or("{}"), nullptr, false);
  if (!progress.is_object()) progress = nlohmann::json::object();
  if (!progress.contains("steps") || !progress["steps"].is_object()) {
    progress["steps"] = nlohmann::json::object();
  }
  return progress;
}

nlohmann::json wizard_json(store::Database& db) {
  const nlohmann::json progress = stored_progress(db);
  nlohmann::json steps = nlohmann::json::array();
  nlohmann::json next;
  for (const WizardStep& step : kWizardSteps) {
    const std::string state = progress["steps"].value(std::string(step.id), "todo");
    if (next.is_null() && state == "todo") next = step.id;
    steps.push_back({{"id", step.id}, {"title", step.title}, {"state", state}});
  }
  const bool finished = progress.value("finished", false);
  return {{"steps", std::move(steps)},
          {"next", finished ? nlohmann::json() : next},
          {"started", progress.value("started", false)},
          {"finished", finished}};
}

bool known_step(std::string_view id) {
  return std::any_of(kWizardSteps.begin(), kWizardSteps.end(),
                     [&](const WizardStep& step) { return step.id == id; });
}

}  // namespace

Response setup_wizard(ApiContext& context) { return Response::json(200, wizard_json(context.db)); }

// {"step": id, "state": "done" | "skipped" | "todo"} marks one step; {"finished": true}
// ends the wizard (the headteacher is no longer brought back to it after signing in).
Response set_setup_wizard(ApiContext& context) {
  const auto body = context.json_body();
  if (!body) return Response::problem(400, "invalid", "Send the step as a JSON object.");
  nlohmann::json progress = stored_progress(context.db);
  const auto step = string_field(*body, "step");
  const auto state = string_field(*body, "state");
  const auto finished = body->find("finished");
  if (!step && (finished == body->end() || !finished->is_boolean())) {
    return Response::problem(400, "invalid", "Say which step, or that setup is finished.");
  }
  if (step) {
    if (!known_step(*step)) {
      return Response::problem(400, "unknown_step",
                               "There is no setup step called \"" + *step + "\".");
    }
    if (!state || (*state != "done" && *state != "skipped" && *state != "todo")) {
      return Response::problem(400, "invalid_state", "A step is done, skipped or still to do.");
    }
    progress["steps"][*step] = *state;
  }
  if (finished != body->end() && finished->is_boolean())
    progress["finished"] = finished->get<bool>();
  progress["started"] = true;
  if (auto saved = store::SettingsRepository(context.db).set(kWizardKey, progress.dump()); !saved) {
    return Response::problem(503, "not_saved",
                             "Where setup got to was not saved: " + saved.error());
  }
  return Response::json(200, wizard_json(context.db));
}

}  // namespace hm::web::api
