#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"
#include "store/database.h"

namespace hm::mail {

// How the connection to the mail server is protected.
enum class Security : std::uint8_t {
  starttls,  // port 587: plain connection upgraded with STARTTLS (required, never optional)
  tls,       // port 465: TLS from the first byte ("SMTPS", implicit TLS)
  none,      // a relay on the school's own network that offers no TLS
};

std::string_view to_string(Security security);
std::optional<Security> security_from_string(std::string_view text);

// The school's mail server, as set in setup or on the System page. Kept in the settings
// table under "mail.*"; the password sealed (see save_mail_settings).
struct MailSettings {
  std::string host;  // empty: no mail server set yet
  std::uint16_t port = 587;
  Security security = Security::starttls;
  std::string username;  // empty: the server needs no sign-in (a relay)
  std::string password;
  std::string from_address;  // the sender of the box's emails
  bool verify_certificate = true;

  bool configured() const { return !host.empty() && !from_address.empty(); }
};

// Why the settings cannot be used, in words for the person filling in the form (which
// field, what to do); nullopt when they are fine. A password over an unprotected
// connection is refused unless the server is this box itself.
std::optional<std::string> settings_problem(const MailSettings& settings);

// The stored settings. The password is sealed with AES-GCM under a key kept in a file
// of the data folder (mail.key, readable only by the daemon), not in the database: a
// copy of hallmonitor.db alone does not give the mail password away. (The whole data
// folder does: the box must be able to send mail unattended, so no person's password
// can lock it.) nullopt password when it cannot be unsealed (the key file was lost).
Result<MailSettings> load_mail_settings(store::Database& db, const std::filesystem::path& data_dir);

// Saves every field; `password` nullopt keeps the stored one (the page never gets the
// password back, so "unchanged" is an empty field).
Status save_mail_settings(store::Database& db, const std::filesystem::path& data_dir,
                          const MailSettings& settings, const std::optional<std::string>& password);

// Whether a password is stored (the page shows "a password is saved").
bool has_stored_password(store::Database& db);

}  // namespace hm::mail
