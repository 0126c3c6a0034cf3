#include "library/categories.h"

#include <algorithm>
#include <array>

namespace hm::library {
namespace {

constexpr std::array<KnownCategory, 17> kCategories = {{
    // UK Safer Internet Centre, "Appropriate filtering and monitoring" definitions.
    {"illegal", "Illegal content",
     "Content that is illegal in the UK: child sexual abuse material, terrorist content and "
     "other material the police or the Internet Watch Foundation list. Report to the police."},
    {"bullying", "Bullying",
     "Messages and searches that show a pupil being bullied or bullying others: insults, "
     "threats, exclusion and humiliation, online or in school."},
    {"child-sexual-exploitation", "Child sexual exploitation",
     "Signs that a child is being, or is at risk of being, sexually exploited: being "
     "coerced or manipulated into sexual activity, often in exchange for something."},
    {"discrimination", "Discrimination",
     "Language that treats people unfairly or with hostility because of race, religion, "
     "disability, sex, sexual orientation or gender identity."},
    {"drugs", "Drugs",
     "Buying, selling, taking or talking about illegal drugs and misusing other "
     "substances, including vapes and alcohol for under-age pupils."},
    {"extremism", "Extremism",
     "Content promoting terrorism or extremist ideologies, the kind the Prevent duty asks "
     "schools to notice: extremist groups, propaganda and radicalising sites."},
    {"pornography", "Pornography",
     "Pornographic sites and searches for sexual content that no primary school pupil "
     "should be seeing."},
    {"self-harm", "Self-harm",
     "Searches and messages suggesting a pupil is hurting themselves or thinking about it, "
     "or looking at sites that encourage self-harm."},
    {"suicide", "Suicide",
     "Searches and messages suggesting that a pupil is thinking about ending their life. "
     "The most severe entries are an immediate risk to the child: act now."},
    {"violence", "Violence",
     "Threats of violence, fights, and content that glorifies hurting people."},
    // hallmonitor's additions.
    {"gambling", "Gambling",
     "Betting, casino and gambling sites and talk of gambling, which pupils are too young "
     "for and which can hide debt or exploitation."},
    {"weapons", "Weapons",
     "Knives, guns and other weapons: buying them, carrying them, or bringing them to "
     "school."},
    {"grooming", "Grooming",
     "An adult or older young person building a relationship with a child in order to "
     "abuse them: secrecy, gifts, requests for pictures, moving to private chat."},
    {"circumvention", "Getting round the filter",
     "VPNs, proxies and other ways of hiding what a device does from the school's filter "
     "and monitoring."},
    {"mental-health-and-wellbeing", "Mental health and wellbeing",
     "Signs that a pupil is struggling: low mood, anxiety, loneliness, eating problems or "
     "trouble at home. Usually not urgent on its own; a pattern of them is worth a "
     "conversation."},
    {"sextortion", "Sextortion",
     "A child being blackmailed with a sexual picture or video, often by a stranger "
     "demanding money or more pictures. Urgent: the child may be frightened and alone."},
    {"gangs", "Gangs and county lines",
     "Signs of involvement with gangs or county lines drug running: recruitment, "
     "carrying for others, debts, postcode rivalry."},
}};

constexpr std::array<std::string_view, kCategories.size()> ids_of_categories() {
  std::array<std::string_view, kCategories.size()> ids{};
  for (std::size_t i = 0; i < kCategories.size(); ++i) {
    ids[i] = kCategories[i].id;
  }
  return ids;
}

constexpr std::array<std::string_view, kCategories.size()> kCategoryIds = ids_of_categories();

}  // namespace

std::span<const KnownCategory> known_categories() { return kCategories; }

std::span<const std::string_view> known_category_ids() { return kCategoryIds; }

bool is_known_category(std::string_view id) { return find_known_category(id) != nullptr; }

const KnownCategory* find_known_category(std::string_view id) {
  const auto it = std::find_if(kCategories.begin(), kCategories.end(),
                               [id](const KnownCategory& category) { return category.id == id; });
  return it == kCategories.end() ? nullptr : &*it;
}

}  // namespace hm::library
