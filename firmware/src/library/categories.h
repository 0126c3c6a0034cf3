#pragma once

#include <span>
#include <string_view>

namespace hm::library {

// A category the box knows, with the words the UI shows when a library file does
// not say otherwise (a file's title: and description: lines take precedence).
struct KnownCategory {
  std::string_view id;
  std::string_view title;
  std::string_view description;
};

// The category ids a library may use. Fixed in code because alert rules, retention
// periods and reports key on them: a typo in a library file must be an error, not a
// new category nobody is alerted about.
//
// The UK Safer Internet Centre's "appropriate monitoring" definitions (illegal,
// bullying, child sexual exploitation, discrimination, drugs, extremism,
// pornography, self-harm, suicide, violence), plus the box's own additions
// (gambling, weapons, grooming, circumvention, mental health and wellbeing,
// sextortion, gangs).
std::span<const KnownCategory> known_categories();
std::span<const std::string_view> known_category_ids();
bool is_known_category(std::string_view id);
// The category with this id, or nullptr.
const KnownCategory* find_known_category(std::string_view id);

}  // namespace hm::library
