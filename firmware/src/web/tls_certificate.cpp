#include "web/tls_certificate.h"

#include <fcntl.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <string>
#include <system_error>

namespace hm::web {
namespace {

constexpr long kValiditySeconds = 10L * 365 * 24 * 3600;
constexpr const char* kSubjectAltNames = "DNS:hallmonitor.local,DNS:localhost,IP:127.0.0.1";

template <auto Free>
struct Deleter {
  template <typename T>
  void operator()(T* p) const {
    Free(p);
  }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY_free>>;
using X509Ptr = std::unique_ptr<X509, Deleter<X509_free>>;
using BignumPtr = std::unique_ptr<BIGNUM, Deleter<BN_free>>;

std::string openssl_message(std::string what) {
  const unsigned long code = ERR_get_error();
  if (code != 0) {
    char text[256];
    ERR_error_string_n(code, text, sizeof text);
    what += ": ";
    what += text;
  }
  ERR_clear_error();
  return what;
}

bool add_extension(X509* cert, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  if (ext == nullptr) return false;
  const bool added = X509_add_ext(cert, ext, -1) == 1;
  X509_EXTENSION_free(ext);
  return added;
}

Result<X509Ptr> make_certificate(EVP_PKEY* key) {
  X509Ptr cert(X509_new());
  if (!cert) return error(openssl_message("cannot allocate a certificate"));
  // A random positive 127-bit serial (RFC 5280 §4.1.2.2: at most 20 octets).
  unsigned char serial[16];
  if (RAND_bytes(serial, sizeof serial) != 1) return error(openssl_message("no randomness"));
  serial[0] &= 0x7f;
  BignumPtr serial_bn(BN_bin2bn(serial, sizeof serial, nullptr));
  X509_NAME* name = X509_get_subject_name(cert.get());
  const bool ok =
      X509_set_version(cert.get(), 2) == 1 && serial_bn &&
      BN_to_ASN1_INTEGER(serial_bn.get(), X509_get_serialNumber(cert.get())) != nullptr &&
      // Backdated a day so a box whose clock is not yet synchronised still accepts it.
      X509_gmtime_adj(X509_getm_notBefore(cert.get()), -24L * 3600) != nullptr &&
      X509_gmtime_adj(X509_getm_notAfter(cert.get()), kValiditySeconds) != nullptr &&
      X509_set_pubkey(cert.get(), key) == 1 &&
      X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                                 reinterpret_cast<const unsigned char*>("hallmonitor"), -1, -1,
                                 0) == 1 &&
      X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                 reinterpret_cast<const unsigned char*>("hallmonitor.local"), -1,
                                 -1, 0) == 1 &&
      X509_set_issuer_name(cert.get(), name) == 1 &&
      add_extension(cert.get(), NID_basic_constraints, "critical,CA:FALSE") &&
      add_extension(cert.get(), NID_key_usage, "critical,digitalSignature") &&
      add_extension(cert.get(), NID_ext_key_usage, "serverAuth") &&
      add_extension(cert.get(), NID_subject_key_identifier, "hash") &&
      add_extension(cert.get(), NID_subject_alt_name, kSubjectAltNames) &&
      X509_sign(cert.get(), key, EVP_sha256()) > 0;
  if (!ok) return error(openssl_message("cannot build the self-signed certificate"));
  return cert;
}

// Writes through a temporary file and renames, so a power cut never leaves half a key.
template <typename WritePem>
Status write_pem(const std::filesystem::path& path, mode_t mode, WritePem write_pem) {
  const std::filesystem::path temporary = path.string() + ".tmp";
  ::unlink(temporary.c_str());
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0) {
    return error("cannot write " + temporary.string() + ": " +
                 std::error_code(errno, std::generic_category()).message());
  }
  FILE* file = ::fdopen(fd, "w");
  if (file == nullptr) {
    ::close(fd);
    return error("cannot write " + temporary.string());
  }
  const bool written = write_pem(file) == 1;
  const bool flushed = std::fflush(file) == 0 && ::fsync(fd) == 0;
  std::fclose(file);
  if (!written || !flushed) {
    ::unlink(temporary.c_str());
    return error(openssl_message("cannot write " + path.string()));
  }
  std::error_code ec;
  std::filesystem::rename(temporary, path, ec);
  if (ec) return error("cannot write " + path.string() + ": " + ec.message());
  return Ok{};
}

}  // namespace

Result<CertificateFiles> ensure_certificate(const std::filesystem::path& data_dir) {
  const std::filesystem::path dir = data_dir / "tls";
  CertificateFiles files{dir / "server.crt", dir / "server.key"};
  if (std::filesystem::exists(files.certificate) && std::filesystem::exists(files.private_key)) {
    return files;
  }
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return error("cannot create " + dir.string() + ": " + ec.message());
  std::filesystem::permissions(dir, std::filesystem::perms::owner_all,
                               std::filesystem::perm_options::replace, ec);

  PkeyPtr key(EVP_EC_gen("P-256"));
  if (!key) return error(openssl_message("cannot generate the TLS key"));
  auto cert = make_certificate(key.get());
  if (!cert) return error(cert.error());

  if (auto written = write_pem(files.private_key, 0600,
                               [&](FILE* f) {
                                 return PEM_write_PrivateKey(f, key.get(), nullptr, nullptr, 0,
                                                             nullptr, nullptr);
                               });
      !written) {
    return error(written.error());
  }
  if (auto written = write_pem(files.certificate, 0644,
                               [&](FILE* f) { return PEM_write_X509(f, cert->get()); });
      !written) {
    return error(written.error());
  }
  return files;
}

}  // namespace hm::web
