#pragma once

#include <filesystem>

#include "base/result.h"

namespace hm::web {

struct CertificateFiles {
  std::filesystem::path certificate;  // PEM
  std::filesystem::path private_key;  // PEM, mode 0600
};

// The box's self-signed certificate in data_dir/tls/, made on first use: ECDSA P-256,
// valid for ten years, for the names a browser may use to reach it
// (hallmonitor.local, localhost, 127.0.0.1).
Result<CertificateFiles> ensure_certificate(const std::filesystem::path& data_dir);

}  // namespace hm::web
