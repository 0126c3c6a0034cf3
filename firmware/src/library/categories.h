#pragma once

#include <span>
#include <string_view>

namespace hm::library {

// The category ids a library may use. Fixed in code because alert rules, retention
// periods and reports key on them: a typo in a library file must be an error, not a
// new category nobody is alerted about. Titles and descriptions live in the library
// files, where people can edit them.
//
// The UK Safer Internet Centre's "appropriate monitoring" definitions (illegal,
// bullying, child sexual exploitation, discrimination, drugs, extremism,
// pornography, self-harm, suicide, violence), plus the box's own additions.
std::span<const std::string_view> known_category_ids();
bool is_known_category(std::string_view id);

}  // namespace hm::library
