#include "web/tls_certificate.h"

#include <gtest/gtest.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>

#include <cstdio>
#include <string>

#include "web_fixture.h"

namespace hm::web {
namespace {

class TlsCertificateTest : public testing::DataDirTest {};

std::string subject_alt_names(const std::filesystem::path& path) {
  FILE* file = std::fopen(path.c_str(), "r");
  if (file == nullptr) return {};
  X509* cert = PEM_read_X509(file, nullptr, nullptr, nullptr);
  std::fclose(file);
  if (cert == nullptr) return {};
  std::string names;
  auto* sans =
      static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
  for (int i = 0; sans != nullptr && i < sk_GENERAL_NAME_num(sans); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(sans, i);
    if (name->type == GEN_DNS) {
      names += reinterpret_cast<const char*>(ASN1_STRING_get0_data(name->d.dNSName));
    } else if (name->type == GEN_IPADD && ASN1_STRING_length(name->d.iPAddress) == 4) {
      const unsigned char* ip = ASN1_STRING_get0_data(name->d.iPAddress);
      names += std::to_string(ip[0]) + "." + std::to_string(ip[1]) + "." + std::to_string(ip[2]) +
               "." + std::to_string(ip[3]);
    }
    names += ' ';
  }
  GENERAL_NAMES_free(sans);
  X509_free(cert);
  return names;
}

TEST_F(TlsCertificateTest, MadeOnceWithAPrivateKeyAndTheBoxNames) {
  auto files = ensure_certificate(data_dir_);
  ASSERT_TRUE(files.ok()) << files.error();
  struct stat key_stat {};
  ASSERT_EQ(::stat(files->private_key.c_str(), &key_stat), 0);
  EXPECT_EQ(key_stat.st_mode & 0777, 0600);

  const std::string names = subject_alt_names(files->certificate);
  EXPECT_NE(names.find("hallmonitor.local "), std::string::npos) << names;
  EXPECT_NE(names.find("localhost "), std::string::npos) << names;
  EXPECT_NE(names.find("127.0.0.1 "), std::string::npos) << names;

  const auto before = std::filesystem::last_write_time(files->certificate);
  auto again = ensure_certificate(data_dir_);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(std::filesystem::last_write_time(again->certificate), before);
}

}  // namespace
}  // namespace hm::web
