// Sealed evidence end to end at the store: the key pair made before setup, captures
// sealed by the store thread, setup re-wrapping for the headteacher and the recovery
// key, password change and recovery, and — the point of it all — a data folder without
// a password gives nothing up (DESIGN.md "Evidence is sealed"; issue 5).
#include <gtest/gtest.h>

#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "crypto/hash.h"
#include "crypto/seal.h"
#include "store/accounts.h"
#include "store/audit_log.h"
#include "store/capture_repository.h"
#include "store/capture_writer.h"
#include "store/key_store.h"

namespace hm::store {
namespace {

constexpr std::string_view kPassword = "the blue door at noon";
constexpr std::string_view kSecretText = "where to buy a zombie knife for school";

class SealingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("hm-sealing-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    // First start: the store thread makes the key pair and seals from the first capture.
    auto writer = CaptureWriter::start(dir_);
    ASSERT_TRUE(writer) << writer.error();
    for (int i = 0; i < 3; ++i) {
      evidence::Capture capture;
      capture.ts_us = 1'700'000'000'000'000 + i;
      capture.client_ip = "10.20.16.33";
      capture.category = "weapons";
      capture.severity = 4;
      capture.phrase = "zombie knife";
      capture.entry_kind = "phrase";
      capture.observation_kind = "http_search";
      capture.library_version = "test";
      capture.evidence = {std::string(kSecretText), "www.bing.com",
                          "http://www.bing.com/search?q=where+to+buy+a+zombie+knife+for+school"};
      (*writer)->submit(std::move(capture));
    }
    (*writer)->stop();
    ASSERT_EQ((*writer)->counters().captures_stored, 3U);
    auto db = Database::open(dir_);
    ASSERT_TRUE(db) << db.error();
    db_ = std::move(*db);
  }
  void TearDown() override {
    db_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::string set_up() {
    const auto result = Accounts(*db_).complete_setup(
        ensure_setup_code(*db_),
        NewUser{"a.patel", "Anita Patel", Role::headteacher, std::string(kPassword)});
    EXPECT_EQ(result.outcome, SetupResult::Outcome::done) << result.message;
    return result.recovery_key;
  }

  std::optional<crypto::SecretBytes> key_for(std::string_view username, std::string_view password) {
    auto signed_in = Accounts(*db_).sign_in(username, password);
    if (!signed_in) return std::nullopt;
    return KeyStore(*db_).unwrap_for_user(signed_in->user.id, signed_in->wrapping_key.span());
  }

  bool opens_all(const crypto::SecretBytes& key) {
    const auto captures = CaptureRepository(*db_).list_recent(100);
    return captures.size() == 3 && std::all_of(captures.begin(), captures.end(), [&](auto& c) {
             const auto opened = evidence::open_evidence(c, key);
             return opened && opened->text == kSecretText;
           });
  }

  std::filesystem::path dir_;
  std::unique_ptr<Database> db_;
};

TEST_F(SealingTest, BeforeSetupTheSetupCodeOpensTheEvidence) {
  const auto key = KeyStore(*db_).unwrap_with_setup_code(ensure_setup_code(*db_));
  ASSERT_TRUE(key);
  EXPECT_TRUE(opens_all(*key));
  EXPECT_FALSE(KeyStore(*db_).unwrap_with_setup_code("AAAA-AAAA-AAAA"));
}

TEST_F(SealingTest, SetupRewrapsForTheHeadteacherAndTheRecoveryKeyAndForgetsTheCode) {
  const std::string code = ensure_setup_code(*db_);
  const std::string recovery = set_up();
  EXPECT_EQ(recovery.size(), 47U);  // 40 base32 characters in groups of 5
  EXPECT_FALSE(KeyStore(*db_).unwrap_with_setup_code(code));
  const auto key = key_for("a.patel", kPassword);
  ASSERT_TRUE(key);
  EXPECT_TRUE(opens_all(*key));
  // Typed in lower case with spaces instead of dashes: still the recovery key.
  std::string typed = recovery;
  std::replace(typed.begin(), typed.end(), '-', ' ');
  std::transform(typed.begin(), typed.end(), typed.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  const auto recovered = KeyStore(*db_).unwrap_with_recovery_key(typed);
  ASSERT_TRUE(recovered);
  EXPECT_TRUE(opens_all(*recovered));
  EXPECT_FALSE(KeyStore(*db_).unwrap_with_recovery_key("AAAAA-" + recovery.substr(6)));
  EXPECT_FALSE(key_for("a.patel", "the blue door at one"));
  EXPECT_FALSE(AuditLog(*db_).verify().first_broken);
}

TEST_F(SealingTest, PasswordChangeRewrapsTheKey) {
  set_up();
  Accounts accounts(*db_);
  const auto user = accounts.find_user("a.patel");
  ASSERT_TRUE(user);
  EXPECT_FALSE(accounts.change_password(user->id, "not my password", "a new sentence to use"));
  ASSERT_TRUE(accounts.change_password(user->id, kPassword, "a new sentence to use"));
  EXPECT_FALSE(key_for("a.patel", kPassword));
  const auto key = key_for("a.patel", "a new sentence to use");
  ASSERT_TRUE(key);
  EXPECT_TRUE(opens_all(*key));
}

TEST_F(SealingTest, RecoveryKeyResetsALostPassword) {
  const std::string recovery = set_up();
  const auto private_key = KeyStore(*db_).unwrap_with_recovery_key(recovery);
  ASSERT_TRUE(private_key);
  Accounts accounts(*db_);
  ASSERT_TRUE(accounts.reset_password(accounts.find_user("a.patel")->id, "found it again at last",
                                      *private_key));
  const auto key = key_for("a.patel", "found it again at last");
  ASSERT_TRUE(key);
  EXPECT_TRUE(opens_all(*key));
}

TEST_F(SealingTest, CapturesMovedBetweenRowsOrWithChangedMetadataDoNotOpen) {
  const auto key = KeyStore(*db_).unwrap_with_setup_code(ensure_setup_code(*db_));
  ASSERT_TRUE(key);
  ASSERT_TRUE(db_->exec("UPDATE captures SET severity = 1 WHERE id = 1;"));
  ASSERT_TRUE(
      db_->exec("UPDATE captures SET evidence = (SELECT evidence FROM captures WHERE id = "
                "3) WHERE id = 2;"));
  CaptureRepository captures(*db_);
  EXPECT_FALSE(evidence::open_evidence(*captures.find(1), *key));
  EXPECT_FALSE(evidence::open_evidence(*captures.find(2), *key));
  EXPECT_TRUE(evidence::open_evidence(*captures.find(3), *key));
}

// A thief with the whole data folder (database, WAL, every key file) and no password.
TEST_F(SealingTest, WithoutAPasswordTheDataFolderGivesNothingUp) {
  const std::string code = ensure_setup_code(*db_);
  set_up();
  const auto real_key = key_for("a.patel", kPassword);  // only to know what to look for
  ASSERT_TRUE(real_key);

  // Every file in the folder: neither the private key nor any evidence text appears.
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir_)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    files.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  ASSERT_FALSE(files.empty());
  const std::string private_bytes(reinterpret_cast<const char*>(real_key->data()),
                                  real_key->size());
  for (const auto& file : files) {
    EXPECT_EQ(file.find(private_bytes), std::string::npos);
    EXPECT_EQ(file.find(kSecretText), std::string::npos);
    EXPECT_EQ(file.find("www.bing.com"), std::string::npos);
  }

  // Every value stored anywhere in the database, tried as the private key and as a
  // wrapping key for every wrap, raw and hashed; and the old setup code.
  std::vector<std::string> values;
  Statement tables(*db_, "SELECT name FROM sqlite_master WHERE type = 'table';");
  while (tables.step()) {
    const std::string sql = "SELECT * FROM \"" + tables.column_text(0) + "\";";
    sqlite3_stmt* rows = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(db_->handle(), sql.c_str(), -1, &rows, nullptr), SQLITE_OK);
    while (sqlite3_step(rows) == SQLITE_ROW) {
      for (int column = 0; column < sqlite3_column_count(rows); ++column) {
        const void* blob = sqlite3_column_blob(rows, column);
        const int size = sqlite3_column_bytes(rows, column);
        if (blob != nullptr) values.emplace_back(static_cast<const char*>(blob), size);
      }
    }
    sqlite3_finalize(rows);
  }
  ASSERT_GT(values.size(), 20U);
  KeyStore keys(*db_);
  EXPECT_FALSE(keys.unwrap_with_setup_code(code));
  const auto capture = *CaptureRepository(*db_).find(1);
  Statement wraps(*db_, "SELECT holder FROM evidence_key_wraps;");
  std::vector<std::string> holders;
  while (wraps.step()) holders.push_back(wraps.column_text(0));
  ASSERT_EQ(holders.size(), 2U);  // the headteacher's and the recovery key's
  for (const auto& value : values) {
    std::vector<std::string> candidates{value};
    const auto digest = crypto::sha256(value);
    candidates.emplace_back(digest.begin(), digest.end());
    if (value.size() > 32) candidates.push_back(value.substr(value.size() - 32));
    for (const auto& candidate : candidates) {
      if (candidate.size() < 32) continue;
      const crypto::SecretBytes guess(
          std::span(reinterpret_cast<const std::uint8_t*>(candidate.data()), std::size_t{32}));
      EXPECT_FALSE(evidence::open_evidence(capture, guess));
      for (const auto& holder : holders) {
        Statement wrapped(*db_, "SELECT wrapped FROM evidence_key_wraps WHERE holder = ?1;");
        wrapped.bind(1, holder);
        ASSERT_TRUE(wrapped.step());
        const std::string blob = wrapped.column_blob(0);
        EXPECT_FALSE(crypto::unwrap_secret(
            guess.span(),
            std::span(reinterpret_cast<const std::uint8_t*>(blob.data()), blob.size()), holder));
      }
    }
    EXPECT_FALSE(keys.unwrap_with_recovery_key(value));
  }
}

}  // namespace
}  // namespace hm::store
