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
  };
  return kRoutes;
}

}  // namespace hm::web
