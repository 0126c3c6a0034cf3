#pragma once

#include <charconv>
#include <cstdint>
#include <optional>
#include <string_view>

namespace hm::app {

// A whole number from the command line, or nothing if it is not one.
inline std::optional<std::int64_t> parse_number(std::string_view text) {
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) {
    return std::nullopt;
  }
  return value;
}

}  // namespace hm::app
