#include "mail/mail_settings.h"

#include <sys/stat.h>

#include <array>
#include <charconv>
#include <fstream>
#include <iterator>
#include <vector>

#include "crypto/aead.h"
#include "crypto/encoding.h"
#include "crypto/random.h"
#include "mail/message.h"
#include "store/settings_repository.h"

namespace hm::mail {
namespace {

constexpr std::string_view kKeyFile = "mail.key";
constexpr std::string_view kAssociatedData = "hallmonitor mail password v1";
constexpr std::size_t kNonceBytes = 12;

// The key that seals the mail password: made on first use, 0600 in the data folder.
Result<crypto::Aes128Key> password_key(const std::filesystem::path& data_dir, bool create) {
  const auto path = data_dir / kKeyFile;
  crypto::Aes128Key key{};
  std::ifstream in(path, std::ios::binary);
  if (in) {
    const std::vector<char> bytes((std::istreambuf_iterator<char>(in)), {});
    if (bytes.size() != key.size())
      return error("the mail key file " + path.string() + " is damaged");
    std::copy(bytes.begin(), bytes.end(), key.begin());
    return key;
  }
  if (!create) return error("there is no mail key file " + path.string());
  crypto::random_bytes(key);
  const auto temporary = path.string() + ".new";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(key.data()), static_cast<std::streamsize>(key.size()));
    if (!out) return error("cannot write " + temporary);
  }
  ::chmod(temporary.c_str(), 0600);
  std::error_code failed;
  std::filesystem::rename(temporary, path, failed);
  if (failed) return error("cannot save the mail key: " + failed.message());
  return key;
}

Result<std::string> seal_password(const std::filesystem::path& data_dir,
                                  std::string_view password) {
  auto key = password_key(data_dir, /*create=*/true);
  if (!key) return Error{key.error()};
  std::array<std::uint8_t, kNonceBytes> nonce{};
  crypto::random_bytes(nonce);
  std::vector<std::uint8_t> sealed(password.size() + crypto::kGcmTagBytes);
  const auto* plain = reinterpret_cast<const std::uint8_t*>(password.data());
  const auto* aad = reinterpret_cast<const std::uint8_t*>(kAssociatedData.data());
  if (!crypto::aes128_gcm_seal(*key, nonce, {aad, kAssociatedData.size()}, {plain, password.size()},
                               sealed)) {
    return error("cannot seal the mail password");
  }
  return crypto::to_hex(nonce) + ":" + crypto::to_hex(sealed);
}

std::optional<std::string> unseal_password(const std::filesystem::path& data_dir,
                                           std::string_view stored) {
  const auto colon = stored.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  const auto nonce = crypto::from_hex(stored.substr(0, colon));
  const auto sealed = crypto::from_hex(stored.substr(colon + 1));
  if (!nonce || !sealed || nonce->size() != kNonceBytes || sealed->size() < crypto::kGcmTagBytes) {
    return std::nullopt;
  }
  auto key = password_key(data_dir, /*create=*/false);
  if (!key) return std::nullopt;
  std::string password(sealed->size() - crypto::kGcmTagBytes, '\0');
  const auto* aad = reinterpret_cast<const std::uint8_t*>(kAssociatedData.data());
  if (!crypto::aes128_gcm_open(
          *key, *nonce, {aad, kAssociatedData.size()}, *sealed,
          {reinterpret_cast<std::uint8_t*>(password.data()), password.size()})) {
    return std::nullopt;
  }
  return password;
}

bool is_this_box(std::string_view host) {
  return host == "localhost" || host == "127.0.0.1" || host == "::1";
}

bool valid_host(std::string_view host) {
  if (host.empty() || host.size() > 253) return false;
  for (const char c : host) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '-' || c == ':';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

std::string_view to_string(Security security) {
  switch (security) {
    case Security::starttls: return "starttls";
    case Security::tls: return "tls";
    case Security::none: return "none";
  }
  return "starttls";
}

std::optional<Security> security_from_string(std::string_view text) {
  if (text == "starttls") return Security::starttls;
  if (text == "tls") return Security::tls;
  if (text == "none") return Security::none;
  return std::nullopt;
}

std::optional<std::string> settings_problem(const MailSettings& settings) {
  if (!valid_host(settings.host)) {
    return "Type the mail server's name, like smtp.office365.com (letters, numbers, dots "
           "and dashes only).";
  }
  if (settings.port == 0) return "The port is a number from 1 to 65535 (usually 587 or 465).";
  if (!valid_address(settings.from_address)) {
    return "The sender's address must be an email address, like hallmonitor@school.example.";
  }
  if (auto problem = header_text_problem(settings.username, "The user name")) return problem;
  if (settings.username.size() > 200 || settings.password.size() > 200) {
    return "The user name and password can be at most 200 characters.";
  }
  if (settings.security == Security::none && !settings.username.empty() &&
      !is_this_box(settings.host)) {
    return "Without encryption the password would cross the network readable. Choose "
           "STARTTLS or TLS, or leave the user name empty for a relay that needs none.";
  }
  return std::nullopt;
}

Result<MailSettings> load_mail_settings(store::Database& db,
                                        const std::filesystem::path& data_dir) {
  store::SettingsRepository stored(db);
  MailSettings settings;
  settings.host = stored.get("mail.host").value_or("");
  if (const auto port = stored.get("mail.port")) {
    unsigned value = 0;
    const auto [end, failed] = std::from_chars(port->data(), port->data() + port->size(), value);
    if (failed == std::errc() && value > 0 && value <= 65535) {
      settings.port = static_cast<std::uint16_t>(value);
    }
  }
  settings.security =
      security_from_string(stored.get("mail.security").value_or("")).value_or(Security::starttls);
  settings.username = stored.get("mail.username").value_or("");
  settings.from_address = stored.get("mail.from_address").value_or("");
  settings.verify_certificate = stored.get("mail.verify_certificate").value_or("1") != "0";
  if (const auto sealed = stored.get("mail.password"); sealed && !sealed->empty()) {
    auto password = unseal_password(data_dir, *sealed);
    if (!password) {
      return error(
          "The saved mail password cannot be read (the key file mail.key is missing "
          "or damaged). Type the password again on the System page.");
    }
    settings.password = std::move(*password);
  }
  return settings;
}

Status save_mail_settings(store::Database& db, const std::filesystem::path& data_dir,
                          const MailSettings& settings,
                          const std::optional<std::string>& password) {
  std::optional<std::string> sealed;
  if (password) {
    if (password->empty()) {
      sealed = "";
    } else {
      auto made = seal_password(data_dir, *password);
      if (!made) return Error{made.error()};
      sealed = std::move(*made);
    }
  }
  store::Transaction transaction(db);
  store::SettingsRepository stored(db);
  for (const auto& [key, value] : std::array<std::pair<std::string_view, std::string>, 6>{{
           {"mail.host", settings.host},
           {"mail.port", std::to_string(settings.port)},
           {"mail.security", std::string(to_string(settings.security))},
           {"mail.username", settings.username},
           {"mail.from_address", settings.from_address},
           {"mail.verify_certificate", settings.verify_certificate ? "1" : "0"},
       }}) {
    if (auto saved = stored.set(key, value); !saved) return saved;
  }
  if (sealed) {
    if (auto saved = stored.set("mail.password", *sealed); !saved) return saved;
  }
  return transaction.commit();
}

bool has_stored_password(store::Database& db) {
  const auto sealed = store::SettingsRepository(db).get("mail.password");
  return sealed && !sealed->empty();
}

}  // namespace hm::mail
