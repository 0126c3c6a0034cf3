#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

// Reading fields of a request's JSON body, shared by the API handlers.
namespace hm::web::api {

// The field as a string, or nullopt when it is missing or not a string.
inline std::optional<std::string> string_field(const nlohmann::json& body, std::string_view name) {
  const auto found = body.find(name);
  if (found == body.end() || !found->is_string()) return std::nullopt;
  return found->get<std::string>();
}

}  // namespace hm::web::api
