#include <array>

#include "web/api/handlers.h"
#include "web/router.h"

namespace hm::web {

// The whole JSON API, by area of the UI. Keep web/openapi.json in step (each secured
// operation's `x-permission` is the route's `needs`): unit_web checks that they agree,
// and calls every route without a session, with each role and without the CSRF token.
std::span<const Route> api_routes() {
  using enum store::Permission;
  static constexpr std::array kRoutes = {
      // First run and signing in
      Route{"GET", "/api/setup/status", Access::anyone, api::setup_status},
      Route{"POST", "/api/setup", Access::anyone, api::setup},
      Route{"POST", "/api/login", Access::anyone, api::login},
      Route{"POST", "/api/logout", Access::signed_in, api::logout},
      Route{"GET", "/api/session", Access::signed_in, api::session},

      // Captures and the dashboard
      Route{"GET", "/api/captures", Access::signed_in, api::list_captures, see_evidence},

      // The library
      Route{"GET", "/api/library", Access::signed_in, api::library_overview, see_dashboard},
      Route{"POST", "/api/library/school", Access::signed_in, api::add_school_entry, edit_library},
      Route{"DELETE", "/api/library/school", Access::signed_in, api::remove_school_entry,
            edit_library},
      Route{"POST", "/api/library/test", Access::signed_in, api::test_library, see_dashboard},
      Route{"POST", "/api/library/bundle", Access::signed_in, api::upload_library_bundle,
            edit_library},

      // Settings
      Route{"GET", "/api/settings/retention", Access::signed_in, api::retention_settings,
            see_dashboard},
      Route{"PUT", "/api/settings/retention", Access::signed_in, api::set_retention,
            edit_retention},
  };
  return kRoutes;
}

}  // namespace hm::web
