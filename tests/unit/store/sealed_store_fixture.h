#pragma once

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "crypto/secret.h"
#include "store/accounts.h"
#include "store/capture_repository.h"
#include "store/database.h"
#include "store/key_store.h"

namespace hm::store {

// A fresh data folder with its key pair (the private key opened with the setup code,
// as before setup), and sealed captures made to order: for the retention, people,
// incident and data-protection tests.
class SealedStoreFixture : public ::testing::Test {
 protected:
  static constexpr TimeUs kNow = 1'800'000'000'000'000;

  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("hm-store-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    auto db = Database::open(dir_);
    ASSERT_TRUE(db) << db.error();
    db_ = std::move(*db);
    auto key = KeyStore(*db_).ensure_key_pair();
    ASSERT_TRUE(key) << key.error();
    public_key_ = *key;
    auto opened = KeyStore(*db_).unwrap_with_setup_code(ensure_setup_code(*db_));
    ASSERT_TRUE(opened);
    private_key_ = std::move(*opened);
  }
  void TearDown() override {
    db_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::int64_t add_capture(const std::string& mac, const std::string& text, TimeUs ts = kNow,
                           const std::string& category = "bullying") {
    evidence::Capture capture;
    capture.ts_us = ts;
    capture.client_ip = "10.20.0.9";
    capture.client_mac = mac;
    capture.category = category;
    capture.severity = 3;
    capture.phrase = "loser";
    capture.entry_kind = "word";
    capture.observation_kind = "http_search";
    capture.library_version = "test";
    capture.evidence = {text, "search.example", "https://search.example/?q=" + text};
    CaptureRepository captures(*db_);
    capture.id = captures.last_id() + 1;
    evidence::seal_evidence(capture, public_key_);
    auto id = captures.insert(capture);
    EXPECT_TRUE(id) << id.error();
    return capture.id;
  }

  // Every byte of every file in the data folder, for "the name is nowhere" checks.
  std::string folder_bytes() {
    std::string all;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(dir_)) {
      if (!entry.is_regular_file()) continue;
      std::ifstream file(entry.path(), std::ios::binary);
      all.append(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
    }
    return all;
  }

  std::int64_t audit_count(const std::string& action) {
    Statement query(*db_, "SELECT count(*) FROM audit_log WHERE action = ?1;");
    query.bind(1, action);
    return query.step() ? query.column_int(0) : -1;
  }

  std::filesystem::path dir_;
  std::unique_ptr<Database> db_;
  std::vector<std::uint8_t> public_key_;
  crypto::SecretBytes private_key_;
};

}  // namespace hm::store
