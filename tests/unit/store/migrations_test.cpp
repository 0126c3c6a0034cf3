#include "store/migrations.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "store/database.h"

namespace hm::store {
namespace {

// Every earlier schema version migrates to the latest with its data intact. The tests
// loop over migrations(), so a new migration is tested from every version before it
// without touching this file — unless one of its tables needs a hand-written row
// (kRepresentativeRows) because the generic row breaks a CHECK.

// Rows for tables whose constraints a generic row would break, as INSERT statements.
// The generic row (below) fits every table so far.
const std::map<std::string, std::string> kRepresentativeRows = {
    {"alert_rules",
     "INSERT INTO alert_rules (name, min_severity, delivery, recipients, created_us, updated_us) "
     "VALUES ('x', 3, 'digest', 'dsl', 1, 1);"},
    {"outbox",
     "INSERT INTO outbox (kind, recipients, subject, body, message_id, created_us, "
     "next_attempt_us, state) VALUES ('alert', 'dsl', 'x', 'x', 'x@y', 1, 1, 'queued');"},
};

// Sums kept by triggers as other tables' rows are written (migration 9): the generic
// rows of those other tables change them, so their rows are not compared here;
// dashboard_queries_test checks them against counting every row.
const std::set<std::string> kKeptByTriggers = {"capture_hours", "capture_review_counts",
                                               "visibility_hours"};

struct Column {
  std::string name;
  std::string type;
};

// One value per declared type, the same in every table, so that a foreign key to
// another table's generic row (id 1, 'x', …) finds it.
std::string generic_value(const std::string& type) {
  if (type.find("INT") != std::string::npos) return "1";
  if (type.find("TEXT") != std::string::npos || type.find("CHAR") != std::string::npos) {
    return "'x'";
  }
  if (type.find("BLOB") != std::string::npos) return "x'01'";
  if (type.find("REAL") != std::string::npos) return "1.5";
  return "1";
}

std::vector<std::string> tables(const Database& db) {
  std::vector<std::string> names;
  Statement query(db,
                  "SELECT name FROM sqlite_master WHERE type = 'table' "
                  "AND name NOT LIKE 'sqlite_%' ORDER BY name;");
  while (query.step()) names.push_back(query.column_text(0));
  return names;
}

std::vector<Column> columns(const Database& db, const std::string& table) {
  std::vector<Column> found;
  Statement query(db, "SELECT name, upper(type) FROM pragma_table_info(?1);");
  query.bind(1, table);
  while (query.step()) found.push_back({query.column_text(0), query.column_text(1)});
  return found;
}

// Each table's columns at version k and the row put in it.
using Fixture = std::map<std::string, std::vector<Column>>;

Fixture fill_every_table(Database& db) {
  Fixture fixture;
  EXPECT_TRUE(db.exec("PRAGMA foreign_keys = OFF;"));  // rows in any order; checked later
  for (const std::string& table : tables(db)) {
    fixture[table] = columns(db, table);
    std::string sql;
    if (auto custom = kRepresentativeRows.find(table); custom != kRepresentativeRows.end()) {
      sql = custom->second;
    } else {
      std::string names;
      std::string values;
      for (const Column& column : fixture[table]) {
        names += (names.empty() ? "" : ", ") + column.name;
        values += (values.empty() ? "" : ", ") + generic_value(column.type);
      }
      sql = "INSERT INTO " + table + " (" + names + ") VALUES (" + values + ");";
    }
    auto inserted = db.exec(sql);
    EXPECT_TRUE(inserted) << table << ": " << inserted.error()
                          << " (give it a row in kRepresentativeRows)";
  }
  EXPECT_TRUE(db.exec("PRAGMA foreign_keys = ON;"));
  return fixture;
}

std::string schema_of(const Database& db) {
  std::string schema;
  Statement query(db,
                  "SELECT type, name, coalesce(sql, '') FROM sqlite_master "
                  "WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name;");
  while (query.step()) {
    schema +=
        query.column_text(0) + " " + query.column_text(1) + ": " + query.column_text(2) + "\n";
  }
  return schema;
}

class MigrationsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("hm-migrations-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::filesystem::path dir_;
};

TEST_F(MigrationsTest, AreNumberedOneByOne) {
  const auto all = migrations();
  ASSERT_FALSE(all.empty());
  for (std::size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(all[i].version, static_cast<int>(i) + 1) << all[i].purpose;
    EXPECT_FALSE(all[i].purpose.empty());
  }
}

TEST_F(MigrationsTest, EveryEarlierVersionMigratesToTheLatestWithItsDataIntact) {
  const auto all = migrations();
  const auto latest = static_cast<int>(all.size());
  std::string fresh_schema;
  {
    auto fresh = Database::open(dir_ / "fresh");
    ASSERT_TRUE(fresh) << fresh.error();
    fresh_schema = schema_of(**fresh);
  }
  for (int k = 0; k < latest; ++k) {
    SCOPED_TRACE("from version " + std::to_string(k));
    const std::filesystem::path data_dir = dir_ / ("v" + std::to_string(k));
    Fixture fixture;
    {
      auto old = Database::open(data_dir, Database::Mode::read_write,
                                all.first(static_cast<std::size_t>(k)));
      ASSERT_TRUE(old) << old.error();
      ASSERT_EQ((*old)->schema_version(), k);
      fixture = fill_every_table(**old);
    }
    auto db = Database::open(data_dir);
    ASSERT_TRUE(db) << db.error();
    EXPECT_EQ((*db)->schema_version(), latest);
    EXPECT_EQ(schema_of(**db), fresh_schema) << "migrated schema differs from a new database's";

    Statement integrity(**db, "PRAGMA integrity_check;");
    ASSERT_TRUE(integrity.step());
    EXPECT_EQ(integrity.column_text(0), "ok");
    Statement foreign_keys(**db, "PRAGMA foreign_key_check;");
    EXPECT_FALSE(foreign_keys.step())
        << "a row breaks a foreign key in " << foreign_keys.column_text(0);

    // Each row put in at version k is still there, its values unchanged.
    for (const auto& [table, table_columns] : fixture) {
      if (kKeptByTriggers.count(table) != 0) continue;
      if (kRepresentativeRows.count(table) != 0) {
        Statement count(**db, "SELECT count(*) FROM " + table + ";");
        ASSERT_TRUE(count.step());
        EXPECT_EQ(count.column_int(0), 1) << table;
        continue;
      }
      std::string where;
      for (const Column& column : table_columns) {
        where += (where.empty() ? "" : " AND ") + column.name + " IS " + generic_value(column.type);
      }
      Statement same(**db, "SELECT count(*) FROM " + table + " WHERE " + where + ";");
      ASSERT_TRUE(same.ok()) << table << ": " << same.error();
      ASSERT_TRUE(same.step());
      EXPECT_EQ(same.column_int(0), 1)
          << "the row put in " << table << " at version " << k << " did not survive";
    }
  }
}

TEST_F(MigrationsTest, AFailingMigrationRollsBackAndLeavesTheOldVersion) {
  const auto all = migrations();
  const auto latest = static_cast<int>(all.size());
  Fixture fixture;
  {
    auto db = Database::open(dir_);
    ASSERT_TRUE(db) << db.error();
    fixture = fill_every_table(**db);
  }
  // Its first statement works, its second fails: nothing of it may remain.
  std::vector<Migration> broken(all.begin(), all.end());
  broken.push_back(Migration{latest + 1, "breaks half way",
                             "CREATE TABLE half_done (a INTEGER);"
                             "INSERT INTO half_done VALUES (1);"
                             "DELETE FROM settings;"
                             "INSERT INTO no_such_table VALUES (1);"});
  auto failed = Database::open(dir_, Database::Mode::read_write, broken);
  ASSERT_FALSE(failed);
  EXPECT_NE(failed.error().find("migration " + std::to_string(latest + 1)), std::string::npos)
      << failed.error();

  auto db = Database::open(dir_);
  ASSERT_TRUE(db) << db.error();
  EXPECT_EQ((*db)->schema_version(), latest);
  Statement half(**db, "SELECT count(*) FROM sqlite_master WHERE name = 'half_done';");
  ASSERT_TRUE(half.step());
  EXPECT_EQ(half.column_int(0), 0);
  Statement settings(**db, "SELECT count(*) FROM settings;");
  ASSERT_TRUE(settings.step());
  EXPECT_EQ(settings.column_int(0), 1) << "the failed migration's DELETE was not rolled back";
  Statement integrity(**db, "PRAGMA integrity_check;");
  ASSERT_TRUE(integrity.step());
  EXPECT_EQ(integrity.column_text(0), "ok");
}

TEST_F(MigrationsTest, ADatabaseNewerThanTheFirmwareIsRefused) {
  {
    auto db = Database::open(dir_);
    ASSERT_TRUE(db) << db.error();
  }
  auto older_firmware =
      Database::open(dir_, Database::Mode::read_write, migrations().first(migrations().size() - 1));
  ASSERT_FALSE(older_firmware);
  EXPECT_NE(older_firmware.error().find("newer than this firmware"), std::string::npos);
}

}  // namespace
}  // namespace hm::store
