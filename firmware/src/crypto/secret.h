#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace hm::crypto {

// Bytes of a secret (a private key, a wrapping key) that never reach swap and are
// wiped when they go: the memory is mlock'd while held and zeroed on destruction
// (DESIGN.md "Evidence is sealed": the private key lives only in a session's memory,
// locked, wiped at logout or timeout). Move-only, so a secret is never copied by
// accident. If mlock is refused (RLIMIT_MEMLOCK) the bytes are still wiped.
class SecretBytes {
 public:
  SecretBytes() = default;
  explicit SecretBytes(std::size_t size);
  explicit SecretBytes(std::span<const std::uint8_t> bytes);
  ~SecretBytes();
  SecretBytes(SecretBytes&& other) noexcept;
  SecretBytes& operator=(SecretBytes&& other) noexcept;
  SecretBytes(const SecretBytes&) = delete;
  SecretBytes& operator=(const SecretBytes&) = delete;

  std::uint8_t* data() { return data_; }
  const std::uint8_t* data() const { return data_; }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  std::span<std::uint8_t> span() { return {data_, size_}; }
  std::span<const std::uint8_t> span() const { return {data_, size_}; }
  // Whether the kernel agreed to keep these pages out of swap.
  bool locked() const { return locked_; }

  // Zeroes and releases the bytes now.
  void wipe();

 private:
  std::uint8_t* data_ = nullptr;
  std::size_t size_ = 0;
  bool locked_ = false;
};

// Zeroes memory in a way the compiler may not optimise away.
void wipe_bytes(std::span<std::uint8_t> bytes);

}  // namespace hm::crypto
