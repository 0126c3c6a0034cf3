#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"
#include "store/database.h"

namespace hm::store {

// The box's key/value settings (school name, setup state, retention …).
class SettingsRepository {
 public:
  explicit SettingsRepository(Database& db) : db_(db) {}

  std::optional<std::string> get(std::string_view key);
  Status set(std::string_view key, std::string_view value);
  Status erase(std::string_view key);

 private:
  Database& db_;
};

}  // namespace hm::store
