#include "planted.h"

namespace hm::trafficgen {
namespace {

constexpr Micros at(int minutes, int seconds) { return minutes * kMinute + seconds * kSecond; }

// Times are offsets from 08:45 in the sample: 09:12:07, 09:31:44 ... 10:41:53.
// Names and phrases here must appear nowhere else in the generator's tables.
constexpr PlantedConcern kPlanted[] = {
    {at(27, 7), PlantedKind::kDnsQuery, "www.pornhub.com", "", "pornography", 4, "pornhub.com"},
    {at(46, 44), PlantedKind::kTlsSni, "www.bet365.com", "", "gambling", 3, "bet365.com"},
    {at(63, 15), PlantedKind::kDnsQuery, "nordvpn.com", "", "circumvention", 2, "nordvpn.com"},
    {at(80, 30), PlantedKind::kTlsSni, "stormfront.org", "", "extremism", 4, "stormfront.org"},
    {at(89, 2), PlantedKind::kHttpUrl, "www.google.com", "/search?q=how+to+kill+myself", "suicide",
     5, "how to kill myself"},
    {at(97, 41), PlantedKind::kHttpUrl, "www.bing.com", "/search?q=where+to+buy+a+zombie+knife",
     "weapons", 4, "zombie knife"},
    {at(108, 19), PlantedKind::kHttpUrl, "chat.kidsgamesworld.example",
     "/send?msg=send+me+a+picture+of+yourself", "grooming", 4, "send me a picture of yourself"},
    {at(116, 53), PlantedKind::kHttpUrl, "forum.schoolblogs.example", "/post?text=nobody+likes+you",
     "bullying", 3, "nobody likes you"},
};

}  // namespace

std::span<const PlantedConcern> planted_concerns() { return kPlanted; }

std::string_view kind_name(PlantedKind kind) {
  switch (kind) {
    case PlantedKind::kDnsQuery: return "dns_query";
    case PlantedKind::kTlsSni: return "tls_sni";
    case PlantedKind::kHttpUrl: return "http_url";
  }
  return "unknown";
}

std::string observation_text(const PlantedConcern& concern) {
  if (concern.kind != PlantedKind::kHttpUrl) return std::string(concern.host);
  return "http://" + std::string(concern.host) + std::string(concern.target);
}

}  // namespace hm::trafficgen
