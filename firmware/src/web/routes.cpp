#include <array>

#include "web/api/handlers.h"
#include "web/router.h"

namespace hm::web {

// The whole JSON API. Keep web/openapi.json in step: unit_web checks that they agree.
std::span<const Route> api_routes() {
  static constexpr std::array kRoutes = {
      Route{"GET", "/api/setup/status", Access::anyone, api::setup_status},
      Route{"POST", "/api/setup", Access::anyone, api::setup},
      Route{"POST", "/api/login", Access::anyone, api::login},
      Route{"POST", "/api/logout", Access::signed_in, api::logout},
      Route{"GET", "/api/session", Access::signed_in, api::session},
      Route{"GET", "/api/captures", Access::signed_in, api::list_captures},
      Route{"GET", "/api/library", Access::signed_in, api::library_overview},
      Route{"POST", "/api/library/school", Access::signed_in, api::add_school_entry},
      Route{"DELETE", "/api/library/school", Access::signed_in, api::remove_school_entry},
      Route{"POST", "/api/library/test", Access::signed_in, api::test_library},
      Route{"POST", "/api/library/bundle", Access::signed_in, api::upload_library_bundle},
      Route{"GET", "/api/settings/retention", Access::signed_in, api::retention_settings},
      Route{"PUT", "/api/settings/retention", Access::signed_in, api::set_retention},
  };
  return kRoutes;
}

}  // namespace hm::web
