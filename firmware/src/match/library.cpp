#include "match/library.h"

#include <array>
#include <utility>

namespace hm::match {
namespace {

constexpr std::array<std::pair<EntryKind, std::string_view>, 8> kKindNames = {{
    {EntryKind::word, "word"},
    {EntryKind::phrase, "phrase"},
    {EntryKind::domain, "domain"},
    {EntryKind::url, "url"},
    {EntryKind::regex, "regex"},
    {EntryKind::combination, "combination"},
    {EntryKind::sha256, "sha256"},
    {EntryKind::exception, "exception"},
}};

constexpr std::array<std::pair<NormaliseRule, std::string_view>, 5> kRuleFlags = {{
    {kDecode, "no-decode"},
    {kAccents, "no-accents"},
    {kLeet, "no-leet"},
    {kSplit, "no-split"},
    {kRepeats, "no-repeats"},
}};

constexpr std::array<std::pair<AgeGroup, std::string_view>, 7> kAgeGroups = {{
    {AgeGroup::all, "all"},
    {AgeGroup::eyfs, "eyfs"},
    {AgeGroup::ks1, "ks1"},
    {AgeGroup::ks2, "ks2"},
    {AgeGroup::ks3, "ks3"},
    {AgeGroup::ks4, "ks4"},
    {AgeGroup::ks5, "ks5"},
}};

}  // namespace

std::string_view to_string(EntryKind kind) {
  for (const auto& [value, name] : kKindNames) {
    if (value == kind) {
      return name;
    }
  }
  return "unknown";
}

std::optional<EntryKind> entry_kind_from_string(std::string_view text) {
  for (const auto& [value, name] : kKindNames) {
    if (name == text) {
      return value;
    }
  }
  return std::nullopt;
}

std::string_view flag_name(NormaliseRule rule) {
  for (const auto& [value, name] : kRuleFlags) {
    if (value == rule) {
      return name;
    }
  }
  return "unknown";
}

std::optional<NormaliseRule> rule_from_flag(std::string_view flag) {
  for (const auto& [value, name] : kRuleFlags) {
    if (name == flag) {
      return value;
    }
  }
  return std::nullopt;
}

std::string_view to_string(AgeGroup group) {
  for (const auto& [value, name] : kAgeGroups) {
    if (value == group) {
      return name;
    }
  }
  return "all";
}

std::optional<AgeGroup> age_group_from_string(std::string_view text) {
  for (const auto& [value, name] : kAgeGroups) {
    if (name == text) {
      return value;
    }
  }
  return std::nullopt;
}

const Category* Library::find_category(std::string_view id) const {
  for (const Category& category : categories) {
    if (category.id == id) {
      return &category;
    }
  }
  return nullptr;
}

}  // namespace hm::match
