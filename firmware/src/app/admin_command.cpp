#include "app/admin_command.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <filesystem>
#include <iostream>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "app/admin_data_protection.h"
#include "evidence/capture.h"
#include "store/accounts.h"
#include "store/audit_log.h"
#include "store/capture_repository.h"
#include "store/capture_writer.h"
#include "store/database.h"
#include "store/key_store.h"
#include "store/settings_repository.h"

namespace hm::app {
namespace {

constexpr std::string_view kUsage =
    "usage: hallmonitor admin <action> --data-dir DIR [options]\n"
    "\n"
    "Administration of a hallmonitor data folder, from the box's console.\n"
    "\n"
    "actions:\n"
    "  status        whether first-run setup is done; if not, the one-time setup code;\n"
    "                and the address of the web UI\n"
    "  export        every capture with its evidence opened, one JSON object a line\n"
    "                (audited). Needs a key: --username NAME and the password, or\n"
    "                --recovery-key, or before setup --setup-code; the secret is read\n"
    "                from the first line of standard input, never from the command line\n"
    "  recover       when every password is lost: standard input gives the recovery key\n"
    "                (line 1) and a new password (line 2) for --username NAME\n"
    "  audit-verify  checks the audit log's hash chain; names the first broken entry\n"
    "  import-people FILE.csv\n"
    "                the school's records of pupils (a header line naming columns such as\n"
    "                name, class, mac, host name, upn), names sealed; --replace drops the\n"
    "                earlier import first\n"
    "  incident open --title TEXT [--capture ID]…   (the title is sealed)\n"
    "  incident add ID --capture ID…  |  incident note ID (note on standard input,\n"
    "                sealed)  |  incident close ID  |  incident list [--json] (titles\n"
    "                shown with --username or --recovery-key, audited)\n"
    "  incident export ID --out FILE.html\n"
    "                a printable record of the incident for the safeguarding file (audited;\n"
    "                needs a key, as for export)\n"
    "  subject-access --person NAME [--group G] | --device MAC --out FILE.html\n"
    "                everything held about one person or device, opened (audited; needs\n"
    "                a key, as for export)\n"
    "  erase --person NAME [--group G] | --device MAC [--force --reason TEXT]\n"
    "                deletes the person's record (--person) and the captures of their\n"
    "                devices; refuses captures of an open incident unless --force (audited;\n"
    "                needs a key, as for export)\n"
    "\n"
    "options:\n"
    "  --data-dir DIR   the data folder (holds hallmonitor.db)\n"
    "  --username NAME  the account (export, recover, and the actions that need a key);\n"
    "                   for import-people and incident changes, who made them\n"
    "  --recovery-key   export, subject-access, erase, incident export and list:\n"
    "                   standard input\n"
    "                   gives the recovery key\n"
    "  --setup-code     export: standard input gives the setup code (before setup only)\n"
    "  --out FILE.html  subject-access, incident export: where the record is written\n"
    "  --json           print one JSON object instead of text (status, audit-verify,\n"
    "                   incident list)\n"
    "  -h, --help       show this help\n";

// Where the web UI listens unless the server has stored the address it announced.
constexpr std::string_view kDefaultUrl = "https://127.0.0.1:8443";

}  // namespace

// The store's health: the running (or last) writer's file, else the row it last
// committed (store/capture_writer.h StoreHealth); null if no writer ever ran.
nlohmann::json store_health(const std::filesystem::path& data_dir, store::Database& db) {
  for (int attempt = 0; attempt < 3; ++attempt) {
    if (auto text = store::read_store_health(data_dir)) {
      auto health = nlohmann::json::parse(*text, nullptr, false);
      if (health.is_object()) {
        return health;
      }
      continue;  // read while the writer rewrote it
    }
    break;
  }
  if (auto row = store::SettingsRepository(db).get("health.store")) {
    auto health = nlohmann::json::parse(*row, nullptr, false);
    if (health.is_object()) {
      return health;
    }
  }
  return nullptr;
}

namespace {

int status(const std::filesystem::path& data_dir, bool json) {
  if (!std::filesystem::exists(store::database_path(data_dir))) {
    std::cerr << "hallmonitor admin status: no hallmonitor database in " << data_dir.string()
              << " (start `hallmonitor run` or `hallmonitor replay --data-dir " << data_dir.string()
              << "` first)\n";
    return 1;
  }
  // Read-write: on a box that has never served the UI, this makes the setup code.
  auto db = store::Database::open(data_dir);
  if (!db) {
    std::cerr << "hallmonitor admin status: " << db.error() << '\n';
    return 1;
  }
  const bool done = store::setup_complete(**db);
  const std::string code = done ? std::string() : store::ensure_setup_code(**db);
  const std::string url =
      store::SettingsRepository(**db).get("web.url").value_or(std::string(kDefaultUrl));
  const std::int64_t captures = store::CaptureRepository(**db).count();
  const nlohmann::json health = store_health(data_dir, **db);

  if (json) {
    nlohmann::json out{{"data_dir", data_dir.string()},
                       {"setup_complete", done},
                       {"setup_code", done ? nlohmann::json() : nlohmann::json(code)},
                       {"url", url},
                       {"captures", captures},
                       {"store_health", health}};
    std::cout << out.dump() << '\n';
    return 0;
  }
  std::cout << "hallmonitor data folder " << data_dir.string() << "\n"
            << "  web UI:      " << url << "/\n"
            << "  captures:    " << captures << "\n";
  if (health.is_object()) {
    std::cout << "  store:       " << health.value("state", "") << ": "
              << health.value("message", "") << " ("
              << health.value("captures_unstored_disk_full", 0)
              << " captures_unstored_disk_full)\n";
  }
  if (done) {
    std::cout << "  setup:       done (sign in on the web UI)\n";
  } else {
    std::cout << "  setup:       not done yet\n"
              << "  setup code:  " << code << "\n\n"
              << "Open the web UI in a browser and type the setup code there to create the\n"
                 "headteacher's account. The code works once.\n";
  }
  return 0;
}

std::string read_line() {
  std::string line;
  std::getline(std::cin, line);
  while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.pop_back();
  return line;
}

}  // namespace

Result<crypto::SecretBytes> unlock(store::Database& db, const AdminOptions& options,
                                   std::string& actor) {
  const std::string secret = read_line();
  store::KeyStore keys(db);
  if (options.recovery_key) {
    actor = "recovery key";
    if (auto key = keys.unwrap_with_recovery_key(secret)) return std::move(*key);
    return error("that recovery key does not open the evidence key; check it and try again");
  }
  if (options.setup_code) {
    actor = "setup code";
    if (store::setup_complete(db)) {
      return error(
          "this box is set up, so the setup code no longer opens anything; use "
          "--username or --recovery-key");
    }
    if (auto key = keys.unwrap_with_setup_code(secret)) return std::move(*key);
    return error("that setup code is not right (see `hallmonitor admin status`)");
  }
  if (options.username.empty()) {
    return error(
        "give --username NAME (password on standard input), --recovery-key or "
        "--setup-code");
  }
  actor = options.username;
  store::Accounts accounts(db);
  auto signed_in = accounts.sign_in(options.username, secret);
  if (!signed_in) {
    (void)store::AuditLog(db).append(
        options.username.substr(0, 64), "login_failed",
        "admin " + std::string(options.action) + ": wrong user name or password");
    return error("that user name and password do not match");
  }
  if (auto key = keys.unwrap_for_user(signed_in->user.id, signed_in->wrapping_key.span())) {
    return std::move(*key);
  }
  return error("the account " + options.username + " holds no copy of the evidence key");
}

namespace {

int export_evidence(store::Database& db, const AdminOptions& options) {
  std::string actor;
  auto key = unlock(db, options, actor);
  if (!key) {
    std::cerr << "hallmonitor admin export: " << key.error() << '\n';
    return 1;
  }
  store::CaptureRepository captures(db);
  // Audited before anything is shown: no record, no evidence.
  if (auto audited = store::AuditLog(db).append(
          actor, "evidence_export",
          "admin export of all " + std::to_string(captures.count()) + " captures");
      !audited) {
    std::cerr << "hallmonitor admin export: " << audited.error() << '\n';
    return 1;
  }
  std::optional<store::CaptureRepository::Cursor> after;
  std::int64_t unreadable = 0;
  while (true) {
    const auto page = captures.list_recent(500, after);
    if (page.empty()) break;
    for (const auto& capture : page) {
      const auto opened = evidence::open_evidence(capture, *key);
      if (!opened) ++unreadable;
      nlohmann::json row{{"id", capture.id},
                         {"ts_us", capture.ts_us},
                         {"ip", capture.client_ip},
                         {"mac", capture.client_mac},
                         {"category", capture.category},
                         {"severity", capture.severity},
                         {"phrase", capture.phrase},
                         {"kind", capture.observation_kind},
                         {"opened", opened.has_value()}};
      if (opened) {
        row["text"] = opened->text;
        row["host"] = opened->host;
        row["url"] = opened->url;
      }
      std::cout << row.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
    }
    after = store::CaptureRepository::Cursor{page.back().ts_us, page.back().id};
  }
  if (unreadable > 0) {
    std::cerr << "hallmonitor admin export: " << unreadable
              << " captures did not open (changed or damaged)\n";
    return 1;
  }
  return 0;
}

int recover(store::Database& db, const AdminOptions& options) {
  if (options.username.empty()) {
    std::cerr << "hallmonitor admin recover: --username NAME is required (the account to "
                 "give a new password)\n";
    return 2;
  }
  const std::string recovery_key = read_line();
  const std::string password = read_line();
  store::Accounts accounts(db);
  const auto user = accounts.find_user(options.username);
  if (!user) {
    std::cerr << "hallmonitor admin recover: there is no account named " << options.username
              << '\n';
    return 1;
  }
  auto key = store::KeyStore(db).unwrap_with_recovery_key(recovery_key);
  if (!key) {
    (void)store::AuditLog(db).append("recovery key", "recover_failed",
                                     "wrong recovery key for " + user->username);
    std::cerr << "hallmonitor admin recover: that recovery key does not open the evidence key; "
                 "check it (letters and digits, dashes optional) and try again\n";
    return 1;
  }
  store::Transaction transaction(db);
  auto reset = accounts.reset_password(user->id, password, *key);
  auto audited = reset ? store::AuditLog(db).append("recovery key", "recover",
                                                    "new password for " + user->username)
                       : reset;
  auto committed = audited ? transaction.commit() : audited;
  if (!committed) {
    std::cerr << "hallmonitor admin recover: " << committed.error() << '\n';
    return 1;
  }
  std::cout << "The password of " << user->username
            << " is changed and the evidence key is wrapped for it again. The recovery key "
               "stays valid.\n";
  return 0;
}

int audit_verify(store::Database& db, bool json) {
  const auto result = store::AuditLog(db).verify();
  if (json) {
    std::cout << nlohmann::json{{"entries", result.entries},
                                {"intact", !result.first_broken.has_value()},
                                {"first_broken", result.first_broken
                                                     ? nlohmann::json(*result.first_broken)
                                                     : nlohmann::json()},
                                {"reason", result.reason}}
                     .dump()
              << '\n';
  } else if (result.first_broken) {
    std::cout << "audit log: entry " << *result.first_broken << " is broken: " << result.reason
              << "\n";
  } else {
    std::cout << "audit log: " << result.entries << " entries, hash chain intact\n";
  }
  return result.first_broken ? 1 : 0;
}

Status set_option(AdminOptions& options, std::string_view name, std::string_view value) {
  if (name == "--data-dir") {
    options.data_dir = value;
  } else if (name == "--username") {
    options.username = value;
  } else if (name == "--person") {
    options.person = value;
  } else if (name == "--group") {
    options.group = value;
  } else if (name == "--device") {
    options.device = value;
  } else if (name == "--reason") {
    options.reason = value;
  } else if (name == "--title") {
    options.title = value;
  } else if (name == "--out") {
    options.out = value;
  } else if (name == "--capture") {
    std::int64_t id = 0;
    const auto [end, failed] = std::from_chars(value.data(), value.data() + value.size(), id);
    if (failed != std::errc() || end != value.data() + value.size() || id <= 0) {
      return error("--capture needs a capture's number (see `hallmonitor captures list`), not \"" +
                   std::string(value) + "\"");
    }
    options.captures.push_back(id);
  }
  return Ok{};
}

}  // namespace

int run_admin_command(int argc, char** argv) {
  AdminOptions options;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "-h" || arg == "--help") {
      std::cout << kUsage;
      return 0;
    }
    if (arg == "--json") {
      options.json = true;
    } else if (arg == "--recovery-key") {
      options.recovery_key = true;
    } else if (arg == "--setup-code") {
      options.setup_code = true;
    } else if (arg == "--replace") {
      options.replace = true;
    } else if (arg == "--force") {
      options.force = true;
    } else if (arg == "--data-dir" || arg == "--username" || arg == "--person" ||
               arg == "--group" || arg == "--device" || arg == "--reason" || arg == "--title" ||
               arg == "--capture" || arg == "--out") {
      if (i + 1 >= argc) {
        std::cerr << "hallmonitor admin: " << arg << " needs a value\n";
        return 2;
      }
      if (auto set = set_option(options, arg, argv[++i]); !set) {
        std::cerr << "hallmonitor admin: " << set.error() << '\n';
        return 2;
      }
    } else if (!arg.starts_with("-") && options.action.empty()) {
      options.action = arg;
    } else if (!arg.starts_with("-")) {
      options.arguments.push_back(arg);
    } else {
      std::cerr << "hallmonitor admin: unknown option \"" << arg << "\"\n\n" << kUsage;
      return 2;
    }
  }
  if (options.action.empty()) {
    std::cerr << kUsage;
    return 2;
  }
  const std::string_view action = options.action;
  constexpr std::array<std::string_view, 8> kActions = {
      "status",        "export",   "recover",        "audit-verify",
      "import-people", "incident", "subject-access", "erase"};
  if (std::find(kActions.begin(), kActions.end(), action) == kActions.end()) {
    std::cerr << "hallmonitor admin: unknown action \"" << action << "\"\n\n" << kUsage;
    return 2;
  }
  if (!options.arguments.empty() && action != "import-people" && action != "incident") {
    std::cerr << "hallmonitor admin " << action << ": unexpected \"" << options.arguments.front()
              << "\"\n";
    return 2;
  }
  if (options.data_dir.empty()) {
    std::cerr << "hallmonitor admin " << action << ": --data-dir DIR is required\n";
    return 2;
  }
  if (action == "status") return status(options.data_dir, options.json);
  if (!std::filesystem::exists(store::database_path(options.data_dir))) {
    std::cerr << "hallmonitor admin " << action << ": no hallmonitor database in "
              << options.data_dir.string() << '\n';
    return 1;
  }
  auto db = store::Database::open(options.data_dir);
  if (!db) {
    std::cerr << "hallmonitor admin " << action << ": " << db.error() << '\n';
    return 1;
  }
  if (action == "export") return export_evidence(**db, options);
  if (action == "recover") return recover(**db, options);
  if (action == "import-people") return import_people(**db, options);
  if (action == "incident") return incident_command(**db, options);
  if (action == "subject-access") return subject_access(**db, options);
  if (action == "erase") return erase(**db, options);
  return audit_verify(**db, options.json);
}

}  // namespace hm::app
