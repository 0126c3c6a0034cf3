#include "school_sites.h"

namespace hm::trafficgen {
namespace {

using K = SiteKind;
namespace p = platform;

// Addresses sit in each owner's real ranges (Google 142.250/16, Microsoft 20.190
// and 13.107, Fastly 151.101, Cloudflare 104.16-21, Wikimedia 185.15 ...) but the
// last two octets are made up; the planted ".example" hosts use the RFC 5737
// documentation ranges.
// One site per line reads as a table.
// clang-format off
constexpr Site kSites[] = {
    // host, kind, weights (pupil, staff, printer), platforms, network, rtt (ms),
    // response KB (min, max; kept small so the bundled sample stays a few MB),
    // extras
    {"classroom.google.com",              K::kTls,         25, 10, 0, p::kAny,        142, 250,  9,  2, 16,
     {"www.gstatic.com", "fonts.googleapis.com", "lh3.googleusercontent.com"}},
    {"www.google.com",                    K::kTls,         18, 10, 0, p::kAny,        142, 250,  9,  2, 10,
     {"www.gstatic.com", "fonts.gstatic.com", ""}},
    {"docs.google.com",                   K::kTls,          8, 12, 0, p::kAny,        142, 250,  9,  5, 26,
     {"www.gstatic.com", "fonts.googleapis.com", ""}},
    {"accounts.google.com",               K::kTls,          5,  3, 0, p::kAny,        142, 250,  9,  1,  4, {}},
    {"www.youtube.com",                   K::kTls,         10,  4, 0, p::kAny,        142, 250,  9,  8, 33,
     {"i.ytimg.com", "rr4---sn-aigl6nze.googlevideo.com", ""}},
    {"www.bbc.co.uk",                     K::kTls,         12,  8, 0, p::kAny,        151, 101,  7,  5, 21,
     {"static.files.bbci.co.uk", "ichef.bbci.co.uk", ""}},
    {"en.wikipedia.org",                  K::kTls,          8,  3, 0, p::kAny,        185,  15, 14,  4, 16,
     {"upload.wikimedia.org", "", ""}},
    {"login.microsoftonline.com",         K::kTls,          3, 12, 0, p::kAny,         20, 190, 11,  1,  5,
     {"aadcdn.msftauth.net", "", ""}},
    {"outlook.office365.com",             K::kTls,          0, 12, 0, p::kWindows,     52,  97, 11,  4, 20, {}},
    {"teams.microsoft.com",               K::kTls,          0,  8, 0, p::kWindows,     52, 113, 11,  2, 13, {}},
    {"update.microsoft.com",              K::kTls,          1,  3, 0, p::kWindows,     13, 107, 12,  6, 40, {}},
    {"www.purplemash.com",                K::kTls,         15,  2, 0, p::kAny,        104,  18,  8,  4, 20,
     {"cdn.jsdelivr.net", "fonts.googleapis.com", ""}},
    {"www.timestables.co.uk",             K::kTls,          6,  1, 0, p::kAny,        104,  21,  8,  2,  8, {}},
    {"www.topmarks.co.uk",                K::kTls,         10,  2, 0, p::kAny,        104,  26,  8,  2, 12,
     {"cdn.jsdelivr.net", "", ""}},
    {"www.educationcity.com",             K::kTls,          6,  1, 0, p::kAny,         18, 134, 12,  4, 16, {}},
    {"scratch.mit.edu",                   K::kTls,          8,  1, 0, p::kAny,        151, 101,  9,  5, 26,
     {"cdn.jsdelivr.net", "", ""}},
    {"www.nationalgeographic.com",        K::kTls,          4,  1, 0, p::kAny,         23,  55, 10,  5, 21,
     {"fonts.googleapis.com", "", ""}},
    {"play.ttrockstars.com",              K::kTls,         12,  1, 0, p::kAny,         18,  66, 12,  2, 12, {}},
    {"www.spellingshed.com",              K::kTls,          5,  1, 0, p::kAny,        104,  22,  8,  2,  8, {}},
    {"www.twinkl.co.uk",                  K::kTls,          0, 10, 0, p::kAny,        104,  17,  8,  5, 24,
     {"fonts.googleapis.com", "", ""}},
    {"www.gov.uk",                        K::kTls,          0,  3, 0, p::kAny,        151, 101,  7,  2,  8, {}},
    {"h10141.www1.hp.com",                K::kTls,          0,  0, 1, p::kPrinter,     15,  73, 90,  1,  2, {}},
    // Pulled in by the pages above.
    {"www.gstatic.com",                   K::kTls,          0,  0, 0, p::kAny,        142, 250,  9,  2, 12, {}},
    {"fonts.googleapis.com",              K::kTls,          0,  0, 0, p::kAny,        142, 250,  9,  1,  2,
     {"fonts.gstatic.com", "", ""}},
    {"fonts.gstatic.com",                 K::kTls,          0,  0, 0, p::kAny,        142, 250,  9,  2,  8, {}},
    {"lh3.googleusercontent.com",         K::kTls,          0,  0, 0, p::kAny,        142, 250,  9,  1,  6, {}},
    {"i.ytimg.com",                       K::kTls,          0,  0, 0, p::kAny,        142, 250,  9,  2, 10, {}},
    {"rr4---sn-aigl6nze.googlevideo.com", K::kTls,          0,  0, 0, p::kAny,        173, 194,  9, 26, 93, {}},
    {"static.files.bbci.co.uk",           K::kTls,          0,  0, 0, p::kAny,        151, 101,  7,  4, 16, {}},
    {"ichef.bbci.co.uk",                  K::kTls,          0,  0, 0, p::kAny,        151, 101,  7,  2, 13, {}},
    {"upload.wikimedia.org",              K::kTls,          0,  0, 0, p::kAny,        185,  15, 14,  2, 13, {}},
    {"aadcdn.msftauth.net",               K::kTls,          0,  0, 0, p::kAny,         13, 107, 11,  1,  5, {}},
    {"cdn.jsdelivr.net",                  K::kTls,          0,  0, 0, p::kAny,        104,  16,  8,  1,  8, {}},
    // Plain HTTP, still common in 2026 for searches typed into old bookmarks,
    // connectivity checks and update downloads.
    {"www.google.com",                    K::kHttpSearch,  14,  4, 0, p::kAny,        142, 250,  9,  2,  8,
     {"/search?q=", "", ""}},
    {"www.bing.com",                      K::kHttpSearch,   6,  2, 0, p::kAny,         13, 107, 11,  2,  8,
     {"/search?q=", "", ""}},
    {"www.timestables.co.uk",             K::kHttpPage,     5,  0, 0, p::kAny,        104,  21,  8,  1,  4,
     {"/", "/6-times-table.html", "/multiplication-tables-check/"}},
    {"www.topmarks.co.uk",                K::kHttpPage,     5,  0, 0, p::kAny,        104,  26,  8,  1,  4,
     {"/maths-games/hit-the-button", "/english-games/7-11-years/spelling-and-grammar", "/"}},
    {"captive.apple.com",                 K::kHttpCheck,    4,  0, 0, p::kIpad,        17, 253,  9,  0,  0,
     {"/hotspot-detect.html", "", ""}},
    {"connectivitycheck.gstatic.com",     K::kHttpCheck,    3,  0, 0, p::kChromebook, 142, 250,  9,  0,  0,
     {"/generate_204", "", ""}},
    {"www.msftconnecttest.com",           K::kHttpCheck,    0,  4, 0, p::kWindows,     13, 107, 11,  0,  0,
     {"/connecttest.txt", "", ""}},
    {"ctldl.windowsupdate.com",           K::kHttpDownload, 0,  2, 0, p::kWindows,     93, 184, 10,  2, 10,
     {"/msdownload/update/v3/static/trustedr/en/disallowedcertstl.cab", "", ""}},
    // Reached only by the planted concerns (planted.cpp).
    {"www.pornhub.com",                   K::kPlanted,      0,  0, 0, p::kAny,         66, 254, 80,  0,  0, {}},
    {"www.bet365.com",                    K::kPlanted,      0,  0, 0, p::kAny,          5, 226, 10, 30, 90, {}},
    {"nordvpn.com",                       K::kPlanted,      0,  0, 0, p::kAny,        104,  17,  8,  0,  0, {}},
    {"stormfront.org",                    K::kPlanted,      0,  0, 0, p::kAny,        104,  20, 85, 20, 60, {}},
    {"chat.kidsgamesworld.example",       K::kPlanted,      0,  0, 0, p::kAny,        203,   0, 40,  2,  6, {}},
    {"forum.schoolblogs.example",         K::kPlanted,      0,  0, 0, p::kAny,        198,  51, 30,  2,  6, {}},
};
// clang-format on

// Searches a primary school makes on a normal morning. Several are there to
// catch over-eager matching: "scunthorpe", "essex", "cocktail", "analysis".
constexpr std::string_view kSearches[] = {
    "fractions year 4",
    "romans facts for kids",
    "how to draw a cat",
    "weather in scunthorpe",
    "essex county council",
    "cocktail sausages recipe",
    "analysis of poems",
    "times tables games",
    "volcano facts",
    "what do hedgehogs eat",
    "ancient egypt pyramids",
    "solar system planets",
    "how many legs does a spider have",
    "tudors homework help",
    "rainforest animals",
    "long division",
    "world book day costume ideas",
    "the water cycle for kids",
    "how to make a paper aeroplane",
    "capital of australia",
    "anglo saxons",
    "fronted adverbials",
    "how do magnets work",
    "mothers day card ideas",
    "year 6 sats reading practice",
    "phonics phase 3",
};

uint32_t fnv1a(std::string_view text) {
  uint32_t hash = 2166136261U;
  for (const char c : text) {
    hash ^= static_cast<uint8_t>(c);
    hash *= 16777619U;
  }
  return hash;
}

}  // namespace

std::span<const Site> school_sites() { return kSites; }

const Site* find_site(std::string_view host) {
  for (const Site& site : kSites) {
    if (site.host == host) return &site;
  }
  return nullptr;
}

Server server_for(std::string_view host) {
  const Site* site = find_site(host);
  const uint32_t hash = fnv1a(host);
  Server server;
  const uint8_t a = site != nullptr ? site->net_a : 198;
  const uint8_t b = site != nullptr ? site->net_b : 18;
  // RFC 5737's 203.0.113.0/24 and 198.51.100.0/24 keep their third octet.
  const bool documentation = (a == 203 && b == 0) || (a == 198 && b == 51);
  const auto c = static_cast<uint8_t>(documentation ? (a == 203 ? 113 : 100) : hash >> 8);
  server.ip = ipv4(a, b, c, static_cast<uint8_t>(1 + hash % 253));
  server.ttl = static_cast<uint8_t>(50 + (hash >> 16) % 10);
  server.rtt = (site != nullptr ? site->rtt_ms : 20) * kMillisecond + Micros{hash >> 24} * 4;
  return server;
}

std::span<const std::string_view> benign_searches() { return kSearches; }

}  // namespace hm::trafficgen
