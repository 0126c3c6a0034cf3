#include "library/categories.h"

#include <algorithm>
#include <array>

namespace hm::library {
namespace {

constexpr std::array<std::string_view, 14> kCategoryIds = {
    // UK Safer Internet Centre, "Appropriate filtering and monitoring" definitions.
    "illegal", "bullying", "child-sexual-exploitation", "discrimination", "drugs", "extremism",
    "pornography", "self-harm", "suicide", "violence",
    // hallmonitor's additions (issue 2); issue 4 adds mental-health, sextortion, gangs.
    "gambling", "weapons", "grooming", "circumvention"};

}  // namespace

std::span<const std::string_view> known_category_ids() { return kCategoryIds; }

bool is_known_category(std::string_view id) {
  return std::find(kCategoryIds.begin(), kCategoryIds.end(), id) != kCategoryIds.end();
}

}  // namespace hm::library
