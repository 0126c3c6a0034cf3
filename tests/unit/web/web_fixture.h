#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <random>
#include <string>

#include "evidence/capture.h"
#include "store/capture_repository.h"
#include "store/database.h"
#include "store/key_store.h"

namespace hm::web::testing {

// A fresh data folder per test, removed afterwards.
class DataDirTest : public ::testing::Test {
 protected:
  void SetUp() override {
    data_dir_ = std::filesystem::temp_directory_path() /
                ("hm-web-" + std::to_string(std::random_device{}()));
    std::filesystem::create_directories(data_dir_);
  }
  void TearDown() override { std::filesystem::remove_all(data_dir_); }

  // The planted concern the browser test also looks for.
  void plant_capture(std::int64_t ts_us = 1'717'400'000'000'000, std::string category = "suicide") {
    auto db = store::Database::open(data_dir_);
    ASSERT_TRUE(db.ok()) << db.error();
    evidence::Capture capture;
    capture.ts_us = ts_us;
    capture.client_ip = "10.20.0.31";
    capture.client_mac = "3c:22:fb:10:00:1f";
    capture.category = std::move(category);
    capture.severity = 5;
    capture.phrase = "how to kill myself";
    capture.entry_kind = "phrase";
    capture.observation_kind = "http_url";
    capture.library_version = "test";
    capture.evidence = {"how to kill myself", "www.google.com",
                        "http://www.google.com/search?q=how+to+kill+myself"};
    // As the store thread does: number it, seal it to the box's public key.
    auto public_key = store::KeyStore(**db).ensure_key_pair();
    ASSERT_TRUE(public_key.ok()) << public_key.error();
    capture.id = store::CaptureRepository(**db).last_id() + 1;
    evidence::seal_evidence(capture, *public_key);
    auto id = store::CaptureRepository(**db).insert(capture);
    ASSERT_TRUE(id.ok()) << id.error();
  }

  std::filesystem::path data_dir_;
};

}  // namespace hm::web::testing
