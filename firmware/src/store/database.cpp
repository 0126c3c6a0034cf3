#include "store/database.h"

#include <sqlite3.h>

#include <string>

#include "store/migrations.h"

namespace hm::store {
namespace {

// Another connection (the web server, the command line) may hold the write lock
// for a moment; wait rather than fail.
constexpr int kBusyTimeoutMs = 5000;

std::string sqlite_message(sqlite3* db) {
  return db != nullptr ? sqlite3_errmsg(db) : "out of memory";
}

Status configure(Database& db, Database::Mode mode) {
  if (sqlite3_busy_timeout(db.handle(), kBusyTimeoutMs) != SQLITE_OK) {
    return error("cannot set the busy timeout: " + sqlite_message(db.handle()));
  }
  if (mode == Database::Mode::read_only) {
    return db.exec("PRAGMA foreign_keys = ON;");
  }
  // WAL: readers never block the store thread. synchronous=FULL: a committed
  // capture survives a power cut. secure_delete: deleted evidence is overwritten.
  return db.exec(
      "PRAGMA journal_mode = WAL;"
      "PRAGMA synchronous = FULL;"
      "PRAGMA foreign_keys = ON;"
      "PRAGMA secure_delete = ON;");
}

// Each migration and its user_version in one transaction: a failing step leaves the
// database at the version before it, untouched.
Status migrate(Database& db, std::span<const Migration> all) {
  const int current = db.schema_version();
  if (current > static_cast<int>(all.size())) {
    return error("the database has schema version " + std::to_string(current) +
                 ", newer than this firmware knows (" + std::to_string(all.size()) +
                 "); install the newer firmware again");
  }
  for (const Migration& migration : all) {
    if (migration.version <= current) {
      continue;
    }
    Transaction transaction(db);
    if (!transaction.active()) {
      return error("migration " + std::to_string(migration.version) +
                   " could not begin its transaction: " + sqlite_message(db.handle()));
    }
    if (auto applied = db.exec(migration.sql); !applied) {
      return error("migration " + std::to_string(migration.version) + " (" +
                   std::string(migration.purpose) + ") failed: " + applied.error());
    }
    if (auto set = db.exec("PRAGMA user_version = " + std::to_string(migration.version) + ";");
        !set) {
      return set;
    }
    if (auto committed = transaction.commit(); !committed) {
      return committed;
    }
  }
  return Ok{};
}

}  // namespace

std::filesystem::path database_path(const std::filesystem::path& data_dir) {
  return data_dir / "hallmonitor.db";
}

Result<std::unique_ptr<Database>> Database::open(const std::filesystem::path& data_dir, Mode mode) {
  return open(data_dir, mode, migrations());
}

Result<std::unique_ptr<Database>> Database::open(const std::filesystem::path& data_dir, Mode mode,
                                                 std::span<const Migration> schema) {
  const std::filesystem::path file = database_path(data_dir);
  if (mode == Mode::read_write) {
    std::error_code ec;
    std::filesystem::create_directories(data_dir, ec);
    if (ec) {
      return error("cannot create the data folder " + data_dir.string() + ": " + ec.message());
    }
  } else if (!std::filesystem::exists(file)) {
    return error("no hallmonitor database in " + data_dir.string() +
                 " (run `hallmonitor replay` or `hallmonitor run` with this --data-dir first)");
  }
  const int flags = mode == Mode::read_write ? (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
                                             : SQLITE_OPEN_READONLY;
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(file.c_str(), &raw, flags | SQLITE_OPEN_NOMUTEX, nullptr);
  std::unique_ptr<Database> db(new Database(raw));
  if (rc != SQLITE_OK) {
    return error("cannot open " + file.string() + ": " + sqlite_message(raw));
  }
  if (auto configured = configure(*db, mode); !configured) {
    return error(file.string() + ": " + configured.error());
  }
  if (mode == Mode::read_write) {
    if (auto migrated = migrate(*db, schema); !migrated) {
      return error(file.string() + ": " + migrated.error());
    }
  } else if (db->schema_version() > static_cast<int>(schema.size())) {
    return error(file.string() + ": schema is newer than this firmware knows");
  }
  return db;
}

Database::~Database() { sqlite3_close_v2(db_); }

Status Database::exec(std::string_view sql) {
  char* message = nullptr;
  const std::string text(sql);
  if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    std::string reason = message != nullptr ? message : sqlite_message(db_);
    sqlite3_free(message);
    return error(reason);
  }
  return Ok{};
}

int Database::last_error_code() const { return sqlite3_errcode(db_); }

int Database::schema_version() const {
  Statement query(*this, "PRAGMA user_version;");
  return query.step() ? static_cast<int>(query.column_int(0)) : 0;
}

Statement::Statement(const Database& db, std::string_view sql) : db_(db.handle()) {
  if (sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &statement_, nullptr) !=
      SQLITE_OK) {
    error_ = sqlite_message(db_);
  }
}

Statement::~Statement() { sqlite3_finalize(statement_); }

Statement& Statement::bind(int index, std::int64_t value) {
  if (statement_ != nullptr) {
    sqlite3_bind_int64(statement_, index, value);
  }
  return *this;
}

Statement& Statement::bind(int index, std::string_view text) {
  if (statement_ != nullptr) {
    sqlite3_bind_text64(statement_, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  }
  return *this;
}

Statement& Statement::bind_blob(int index, std::span<const std::uint8_t> bytes) {
  if (statement_ != nullptr) {
    sqlite3_bind_blob64(statement_, index, bytes.data(), bytes.size(), SQLITE_TRANSIENT);
  }
  return *this;
}

Statement& Statement::bind_null(int index) {
  if (statement_ != nullptr) {
    sqlite3_bind_null(statement_, index);
  }
  return *this;
}

bool Statement::step() {
  if (statement_ == nullptr) {
    return false;
  }
  const int rc = sqlite3_step(statement_);
  if (rc == SQLITE_ROW) {
    return true;
  }
  if (rc != SQLITE_DONE) {
    error_ = sqlite_message(db_);
  }
  return false;
}

void Statement::reset() {
  if (statement_ != nullptr) {
    sqlite3_reset(statement_);
    sqlite3_clear_bindings(statement_);
  }
  error_.clear();
}

std::int64_t Statement::column_int(int column) const {
  return sqlite3_column_int64(statement_, column);
}

std::string Statement::column_text(int column) const {
  const auto* text = sqlite3_column_text(statement_, column);
  const int size = sqlite3_column_bytes(statement_, column);
  return text != nullptr ? std::string(reinterpret_cast<const char*>(text), size) : std::string();
}

std::string Statement::column_blob(int column) const {
  const void* blob = sqlite3_column_blob(statement_, column);
  const int size = sqlite3_column_bytes(statement_, column);
  return blob != nullptr ? std::string(static_cast<const char*>(blob), size) : std::string();
}

bool Statement::column_is_null(int column) const {
  return sqlite3_column_type(statement_, column) == SQLITE_NULL;
}

Transaction::Transaction(Database& db) : db_(db) { open_ = db_.exec("BEGIN IMMEDIATE;").ok(); }

Transaction::~Transaction() {
  if (open_) {
    (void)db_.exec("ROLLBACK;");
  }
}

Status Transaction::commit() {
  if (!open_) {
    return error("the transaction could not begin (database busy or read-only)");
  }
  open_ = false;
  auto committed = db_.exec("COMMIT;");
  if (!committed) {
    error_code_ = db_.last_error_code();
    if (sqlite3_get_autocommit(db_.handle()) == 0) {
      (void)db_.exec("ROLLBACK;");
    }
  }
  return committed;
}

}  // namespace hm::store
