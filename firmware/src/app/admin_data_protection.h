#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "crypto/secret.h"
#include "store/database.h"

// `hallmonitor admin import-people | incident | subject-access | erase` (issue 5): the
// school's records of pupils, sealed; incidents; and the data-protection exports.
// admin_command.cpp parses the command line and dispatches here.
namespace hm::app {

struct AdminOptions {
  std::string_view action;
  std::vector<std::string_view> arguments;  // positional, after the action
  std::filesystem::path data_dir;
  std::string username;
  bool json = false;
  bool recovery_key = false;
  bool setup_code = false;
  // import-people
  bool replace = false;
  // subject-access, erase
  std::string person;
  std::string group;
  std::string device;
  bool force = false;
  std::string reason;
  // incident
  std::string title;
  std::vector<std::int64_t> captures;
  // subject-access, incident export
  std::filesystem::path out;
};

// The evidence private key from the credentials given (standard input), or an error
// saying why not; `actor` names who opened it, for the audit log.
Result<crypto::SecretBytes> unlock(store::Database& db, const AdminOptions& options,
                                   std::string& actor);

int import_people(store::Database& db, const AdminOptions& options);
int incident_command(store::Database& db, const AdminOptions& options);
int subject_access(store::Database& db, const AdminOptions& options);
int erase(store::Database& db, const AdminOptions& options);

}  // namespace hm::app
