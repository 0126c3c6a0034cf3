// The route table and web/openapi.json describe the same API: every route is documented
// with the same access rule and permission (`x-permission`), and nothing documented is
// missing from the server.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <tuple>

#include <nlohmann/json.hpp>

#include "web/router.h"

namespace hm::web {
namespace {

// method, path, needs a session, the permission it needs ("" for none)
using Operation = std::tuple<std::string, std::string, bool, std::string>;

std::set<Operation> documented_operations() {
  std::ifstream file(std::string(HM_SOURCE_DIR) + "/web/openapi.json");
  EXPECT_TRUE(file.good());
  const auto spec = nlohmann::json::parse(file);
  const bool secured_by_default = !spec.value("security", nlohmann::json::array()).empty();
  std::set<Operation> operations;
  for (const auto& [path, item] : spec["paths"].items()) {
    for (const auto& [method, operation] : item.items()) {
      std::string upper = method;
      std::transform(upper.begin(), upper.end(), upper.begin(), ::toupper);
      const bool secured =
          operation.contains("security") ? !operation["security"].empty() : secured_by_default;
      operations.emplace(upper, path, secured, operation.value("x-permission", ""));
    }
  }
  return operations;
}

TEST(OpenApi, DescribesExactlyTheRouteTable) {
  std::set<Operation> served;
  for (const Route& route : api_routes()) {
    served.emplace(std::string(route.method), std::string(route.path),
                   route.access == Access::signed_in,
                   route.needs ? std::string(store::to_string(*route.needs)) : std::string());
  }
  const auto documented = documented_operations();
  for (const auto& op : served) {
    EXPECT_TRUE(documented.contains(op))
        << std::get<0>(op) << ' ' << std::get<1>(op) << " is served but not in web/openapi.json "
        << "(or its security or x-permission differs)";
  }
  for (const auto& op : documented) {
    EXPECT_TRUE(served.contains(op))
        << std::get<0>(op) << ' ' << std::get<1>(op) << " is in web/openapi.json but not served";
  }
}

}  // namespace
}  // namespace hm::web
