#pragma once

#include <span>
#include <string_view>

namespace hm::store {

// Schema changes are numbered; migration N takes the schema from version N-1 to N
// and runs in one transaction (PRAGMA user_version records the version reached).
struct Migration {
  int version;
  std::string_view purpose;
  std::string_view sql;
};

std::span<const Migration> migrations();

}  // namespace hm::store
