#include "crypto/secret.h"

#include <mbedtls/platform_util.h>
#include <sys/mman.h>

#include <cstring>
#include <new>
#include <utility>

namespace hm::crypto {

void wipe_bytes(std::span<std::uint8_t> bytes) {
  if (!bytes.empty()) mbedtls_platform_zeroize(bytes.data(), bytes.size());
}

SecretBytes::SecretBytes(std::size_t size) : data_(new std::uint8_t[size]()), size_(size) {
  locked_ = size_ > 0 && ::mlock(data_, size_) == 0;
}

SecretBytes::SecretBytes(std::span<const std::uint8_t> bytes) : SecretBytes(bytes.size()) {
  if (!bytes.empty()) std::memcpy(data_, bytes.data(), bytes.size());
}

SecretBytes::~SecretBytes() { wipe(); }

SecretBytes::SecretBytes(SecretBytes&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)),
      size_(std::exchange(other.size_, 0)),
      locked_(std::exchange(other.locked_, false)) {}

SecretBytes& SecretBytes::operator=(SecretBytes&& other) noexcept {
  if (this != &other) {
    wipe();
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
    locked_ = std::exchange(other.locked_, false);
  }
  return *this;
}

void SecretBytes::wipe() {
  if (data_ == nullptr) return;
  wipe_bytes({data_, size_});
  if (locked_) ::munlock(data_, size_);
  delete[] data_;
  data_ = nullptr;
  size_ = 0;
  locked_ = false;
}

}  // namespace hm::crypto
