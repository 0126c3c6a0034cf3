#include "store/settings_repository.h"

namespace hm::store {

std::optional<std::string> SettingsRepository::get(std::string_view key) {
  Statement query(db_, "SELECT value FROM settings WHERE key = ?1;");
  query.bind(1, key);
  if (!query.step()) {
    return std::nullopt;
  }
  return query.column_text(0);
}

Status SettingsRepository::set(std::string_view key, std::string_view value) {
  Statement upsert(db_,
                   "INSERT INTO settings (key, value) VALUES (?1, ?2) "
                   "ON CONFLICT (key) DO UPDATE SET value = excluded.value;");
  upsert.bind(1, key).bind(2, value);
  upsert.step();
  if (!upsert.ok()) {
    return error("cannot save setting " + std::string(key) + ": " + upsert.error());
  }
  return Ok{};
}

Status SettingsRepository::erase(std::string_view key) {
  Statement remove(db_, "DELETE FROM settings WHERE key = ?1;");
  remove.bind(1, key);
  remove.step();
  if (!remove.ok()) {
    return error("cannot remove setting " + std::string(key) + ": " + remove.error());
  }
  return Ok{};
}

}  // namespace hm::store
