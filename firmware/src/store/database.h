#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "base/result.h"
#include "store/migrations.h"

struct sqlite3;
struct sqlite3_stmt;

namespace hm::store {

// The file inside a data folder that holds everything the box keeps.
std::filesystem::path database_path(const std::filesystem::path& data_dir);

// One SQLite connection. The store thread owns the one that writes captures;
// readers (web, reports, the command line) open their own (DESIGN.md "store").
class Database {
 public:
  enum class Mode { read_write, read_only };

  // Opens (creating if needed) the database in `data_dir`, in WAL mode, and brings
  // its schema up to date with the numbered migrations. Read-only opens never migrate
  // and fail if the schema is newer than this build knows.
  static Result<std::unique_ptr<Database>> open(const std::filesystem::path& data_dir,
                                                Mode mode = Mode::read_write);
  // The same, migrating read-write opens with `schema` instead of migrations(): the
  // migration tests build every earlier version from a prefix of the real list and
  // try a list whose last step fails.
  static Result<std::unique_ptr<Database>> open(const std::filesystem::path& data_dir, Mode mode,
                                                std::span<const Migration> schema);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  sqlite3* handle() const { return db_; }

  // Runs SQL with no results; a failure names the statement's purpose.
  Status exec(std::string_view sql);

  int schema_version() const;

  // SQLite's result code for the last failed call on this connection (SQLITE_FULL
  // when the disk or max_page_count is full), read before anything else runs on it.
  int last_error_code() const;

 private:
  explicit Database(sqlite3* db) : db_(db) {}
  sqlite3* db_;
};

// A prepared statement with typed binds and columns; finalised on destruction.
class Statement {
 public:
  Statement(const Database& db, std::string_view sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Bind parameters are numbered from 1, as in SQLite.
  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, std::string_view text);
  Statement& bind_blob(int index, std::span<const std::uint8_t> bytes);
  Statement& bind_null(int index);

  // true while a row is available; false when done. Errors are kept in error().
  bool step();
  void reset();

  std::int64_t column_int(int column) const;
  std::string column_text(int column) const;
  std::string column_blob(int column) const;
  bool column_is_null(int column) const;

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }

 private:
  sqlite3* db_;
  sqlite3_stmt* statement_ = nullptr;
  std::string error_;
};

// BEGIN IMMEDIATE … COMMIT, rolled back if not committed (RAII).
class Transaction {
 public:
  explicit Transaction(Database& db);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  // Whether BEGIN succeeded: work done outside an active transaction would
  // commit statement by statement.
  bool active() const { return open_; }
  // Commits; if COMMIT fails (a full disk), rolls back so nothing is half-written
  // and the connection is out of the transaction either way.
  Status commit();
  // SQLite's result code of a failed COMMIT (SQLITE_FULL …), 0 otherwise.
  int error_code() const { return error_code_; }

 private:
  Database& db_;
  bool open_ = false;
  int error_code_ = 0;
};

}  // namespace hm::store
