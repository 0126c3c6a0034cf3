// Answers more than one handler file gives in the same words.
#include <string>

#include "store/audit_log.h"
#include "web/api/handlers.h"

namespace hm::web::api {

std::optional<Response> audit_before_showing(ApiContext& context, std::string_view action,
                                             const std::string& detail, std::string_view what) {
  if (auto audited = store::AuditLog(context.db).append(context.user->username, action, detail);
      !audited) {
    return Response::problem(503, "audit_unavailable",
                             std::string(what) +
                                 " cannot be shown because the audit log cannot be written just "
                                 "now: " +
                                 audited.error());
  }
  return std::nullopt;
}

Response not_saved(const std::string& why) {
  return Response::problem(400, "not_saved", "That was not saved: " + why + ".");
}

}  // namespace hm::web::api
