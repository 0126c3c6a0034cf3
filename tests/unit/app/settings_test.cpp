#include "app/settings.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace hm::app {
namespace {

std::filesystem::path write_config(const std::string& text) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("hm-settings-" + std::to_string(::getpid()) + ".conf");
  std::ofstream(path) << text;
  return path;
}

TEST(SettingsTest, FileOverridesDefaultsAndIgnoresComments) {
  const auto path = write_config(
      "# the mirror port\nmirror_interface = enp2s0\n\nworkers=3  # two cores\n"
      "data_dir = /data/hm\n");
  auto settings = load_settings_file(path);
  ASSERT_TRUE(settings) << settings.error();
  EXPECT_EQ(settings->mirror_interface, "enp2s0");
  EXPECT_EQ(settings->workers, 3);
  EXPECT_EQ(settings->data_dir, "/data/hm");
  EXPECT_EQ(settings->web_port, DaemonSettings{}.web_port);
}

TEST(SettingsTest, UnknownSettingNamesFileLineAndTheKnownOnes) {
  const auto path = write_config("workers = 2\nmirror_iface = eth1\n");
  auto settings = load_settings_file(path);
  ASSERT_FALSE(settings);
  EXPECT_NE(settings.error().find(path.string() + ":2:"), std::string::npos) << settings.error();
  EXPECT_NE(settings.error().find("mirror_interface"), std::string::npos) << settings.error();
}

TEST(SettingsTest, OutOfRangeAndNonNumbersAreRefusedWithTheRange) {
  DaemonSettings settings;
  auto too_big = apply_setting(settings, "web_port", "70000");
  ASSERT_FALSE(too_big);
  EXPECT_NE(too_big.error().find("between 1 and 65535"), std::string::npos);
  EXPECT_FALSE(apply_setting(settings, "workers", "two"));
  EXPECT_FALSE(apply_setting(settings, "workers", "2x"));
  EXPECT_EQ(settings.workers, DaemonSettings{}.workers);
}

TEST(SettingsTest, LineWithoutEqualsSaysWhatWasExpected) {
  auto settings = load_settings_file(write_config("workers 2\n"));
  ASSERT_FALSE(settings);
  EXPECT_NE(settings.error().find("expected `name = value`"), std::string::npos);
}

TEST(SettingsTest, EverySettingIsDescribedWithHelpAndDefault) {
  const auto infos = describe_settings();
  EXPECT_GE(infos.size(), 8U);
  for (const auto& info : infos) {
    EXPECT_FALSE(info.help.empty()) << info.name;
    DaemonSettings settings;
    if (!info.default_text.empty()) {
      EXPECT_TRUE(apply_setting(settings, info.name, info.default_text)) << info.name;
    }
  }
}

TEST(SettingsTest, MissingFileIsAClearError) {
  auto settings = load_settings_file("/nonexistent/hallmonitor.conf");
  ASSERT_FALSE(settings);
  EXPECT_NE(settings.error().find("/nonexistent/hallmonitor.conf"), std::string::npos);
}

}  // namespace
}  // namespace hm::app
