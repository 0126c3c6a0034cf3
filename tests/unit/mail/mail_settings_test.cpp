#include "mail/mail_settings.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "store/settings_repository.h"

namespace hm::mail {
namespace {

class MailSettingsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("hm-mail-settings-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    auto db = store::Database::open(dir_);
    ASSERT_TRUE(db) << db.error();
    db_ = std::move(*db);
  }
  void TearDown() override {
    db_.reset();
    std::filesystem::remove_all(dir_);
  }

  static MailSettings office365() {
    MailSettings settings;
    settings.host = "smtp.office365.com";
    settings.port = 587;
    settings.security = Security::starttls;
    settings.username = "hallmonitor@stmarys.example";
    settings.from_address = "hallmonitor@stmarys.example";
    return settings;
  }

  std::filesystem::path dir_;
  std::unique_ptr<store::Database> db_;
};

TEST_F(MailSettingsTest, NothingSetIsNotConfigured) {
  const auto loaded = load_mail_settings(*db_, dir_);
  ASSERT_TRUE(loaded) << loaded.error();
  EXPECT_FALSE(loaded->configured());
  EXPECT_FALSE(has_stored_password(*db_));
}

TEST_F(MailSettingsTest, SavesAndLoadsEveryFieldWithThePasswordSealedOutsideTheDatabase) {
  const std::string password = "correct horse battery staple";
  ASSERT_TRUE(save_mail_settings(*db_, dir_, office365(), password));
  const auto loaded = load_mail_settings(*db_, dir_);
  ASSERT_TRUE(loaded) << loaded.error();
  EXPECT_EQ(loaded->host, "smtp.office365.com");
  EXPECT_EQ(loaded->port, 587);
  EXPECT_EQ(loaded->security, Security::starttls);
  EXPECT_EQ(loaded->username, "hallmonitor@stmarys.example");
  EXPECT_EQ(loaded->from_address, "hallmonitor@stmarys.example");
  EXPECT_EQ(loaded->password, password);
  EXPECT_TRUE(has_stored_password(*db_));

  // The database holds no trace of the password in clear …
  const auto stored = store::SettingsRepository(*db_).get("mail.password");
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->find(password), std::string::npos);
  db_.reset();
  std::ifstream file(store::database_path(dir_), std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(file)), {});
  EXPECT_EQ(bytes.find("horse battery"), std::string::npos);
  // … and the key that opens it is a file only the daemon may read.
  struct stat key {};
  ASSERT_EQ(::stat((dir_ / "mail.key").c_str(), &key), 0);
  EXPECT_EQ(key.st_mode & 0777, 0600u);
}

TEST_F(MailSettingsTest, AnUnchangedPasswordIsKeptAndAnEmptyOneRemoved) {
  ASSERT_TRUE(save_mail_settings(*db_, dir_, office365(), std::string("first password")));
  auto changed = office365();
  changed.port = 465;
  changed.security = Security::tls;
  ASSERT_TRUE(save_mail_settings(*db_, dir_, changed, std::nullopt));
  auto loaded = load_mail_settings(*db_, dir_);
  ASSERT_TRUE(loaded);
  EXPECT_EQ(loaded->password, "first password");
  EXPECT_EQ(loaded->security, Security::tls);
  EXPECT_EQ(loaded->port, 465);

  ASSERT_TRUE(save_mail_settings(*db_, dir_, changed, std::string()));
  loaded = load_mail_settings(*db_, dir_);
  ASSERT_TRUE(loaded);
  EXPECT_EQ(loaded->password, "");
  EXPECT_FALSE(has_stored_password(*db_));
}

TEST_F(MailSettingsTest, ALostKeyFileSaysToTypeThePasswordAgain) {
  ASSERT_TRUE(save_mail_settings(*db_, dir_, office365(), std::string("a password")));
  std::filesystem::remove(dir_ / "mail.key");
  const auto loaded = load_mail_settings(*db_, dir_);
  ASSERT_FALSE(loaded);
  EXPECT_NE(loaded.error().find("Type the password again"), std::string::npos);
}

TEST(MailSettingsProblem, NamesTheFieldToFix) {
  MailSettings good;
  good.host = "smtp.school.example";
  good.from_address = "box@school.example";
  EXPECT_FALSE(settings_problem(good));

  auto bad_host = good;
  bad_host.host = "smtp.school.example\r\nRCPT TO:<x@y>";
  EXPECT_NE(settings_problem(bad_host)->find("mail server's name"), std::string::npos);
  auto no_from = good;
  no_from.from_address = "box";
  EXPECT_NE(settings_problem(no_from)->find("sender's address"), std::string::npos);
  auto no_port = good;
  no_port.port = 0;
  EXPECT_NE(settings_problem(no_port)->find("port"), std::string::npos);
  auto injected_user = good;
  injected_user.username = "user\nname";
  EXPECT_TRUE(settings_problem(injected_user));
}

TEST(MailSettingsProblem, RefusesAPasswordOverAnUnprotectedConnectionElsewhere) {
  MailSettings relay;
  relay.host = "mail.school.example";
  relay.port = 25;
  relay.security = Security::none;
  relay.from_address = "box@school.example";
  EXPECT_FALSE(settings_problem(relay)) << "a relay without sign-in is fine";
  relay.username = "box";
  EXPECT_NE(settings_problem(relay)->find("readable"), std::string::npos);
  relay.host = "127.0.0.1";
  EXPECT_FALSE(settings_problem(relay)) << "the box itself: nothing crosses the network";
}

TEST(MailSecurity, NamesRoundTrip) {
  for (const auto security : {Security::starttls, Security::tls, Security::none}) {
    EXPECT_EQ(security_from_string(to_string(security)), security);
  }
  EXPECT_FALSE(security_from_string("ssl"));
}

}  // namespace
}  // namespace hm::mail
