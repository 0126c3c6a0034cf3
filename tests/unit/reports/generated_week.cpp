#include "generated_week.h"

#include <fstream>
#include <stdexcept>

#include "crypto/signature.h"
#include "evidence/capture.h"
#include "evidence/people_csv.h"
#include "library/bundle.h"
#include "library/bundle_store.h"
#include "store/accounts.h"
#include "store/audit_log.h"
#include "store/capture_repository.h"
#include "store/capture_review.h"
#include "store/capture_writer.h"
#include "store/device_repository.h"
#include "store/group_repository.h"
#include "store/incident_repository.h"
#include "store/key_store.h"
#include "store/people_repository.h"
#include "store/retention.h"
#include "store/settings_repository.h"
#include "store/staff_accounts.h"
#include "store/stats_repository.h"

namespace hm::reports::testing {
namespace {

using store::TimeUs;

// Monday 1 September 2026: the box was set up and the pupils imported.
constexpr TimeUs kTermStart = 1'788'220'800'000'000;
constexpr TimeUs kLibraryUpdate = kWeekStart + 2 * kDayUs + 9 * kHourUs;  // Wed 09:00

// day 0 = Monday of the week (negative: earlier weeks).
constexpr TimeUs at(int day, int hour, int minute = 0) {
  return kWeekStart + day * kDayUs + hour * kHourUs + minute * kMinuteUs;
}

template <typename T>
T must(Result<T> result, const std::string& step) {
  if (!result) throw std::runtime_error(step + ": " + result.error());
  return std::move(*result);
}

void must(const Status& status, const std::string& step) {
  if (!status) throw std::runtime_error(step + ": " + status.error());
}

struct Pupil {
  const char* name;
  const char* class_name;
  const char* year;
  const char* mac;
  bool staff = false;
};

constexpr Pupil kPeople[] = {
    {kAmelia, "6T", "Year 6", "3c:22:fb:10:00:01"},
    {kOliver, "5B", "Year 5", "3c:22:fb:10:00:02"},
    {kMaya, "5B", "Year 5", "3c:22:fb:10:00:03"},
    {kLeo, "4W", "Year 4", "3c:22:fb:10:00:04"},
    {kIsla, "6T", "Year 6", "3c:22:fb:10:00:05"},
    {kNoah, "3R", "Year 3", "3c:22:fb:10:00:06"},
    {kAva, "3R", "Year 3", "3c:22:fb:10:00:07"},
    {"Sam Staffordshire", "", "", "3c:22:fb:10:00:20", true},
};
constexpr const char* kPoolMac = "3c:22:fb:99:00:01";     // Class 4W's iPads
constexpr const char* kUnknownMac = "3c:22:fb:77:00:01";  // nobody's, as far as the box knows

// What each category's planted captures matched, and where.
struct Entry {
  const char* phrase;
  const char* host;
};
Entry entry_of(const std::string& category) {
  if (category == "suicide") return {"how to kill myself", "www.google.com"};
  if (category == "self-harm") return {"cutting myself", "www.tiktok.com"};
  if (category == "grooming") return {"our little secret", "discord.com"};
  if (category == "sextortion") return {"send me a pic or else", "www.snapchat.com"};
  if (category == "bullying") return {"everyone hates you", "www.roblox.com"};
  if (category == "gambling") return {"bet365.com", "bet365.com"};
  if (category == "circumvention") return {"hide.me", "hide.me"};
  if (category == "mental-health-and-wellbeing") return {"i feel so alone", "www.google.com"};
  if (category == "violence") return {"gonna smash his face", "www.youtube.com"};
  if (category == "pornography") return {"pornhub", "pornhub.example"};
  if (category == "weapons") return {"zombie knife", "www.google.com"};
  if (category == "extremism") return {"join the cause", "extremist.example"};
  return {"buy vapes", "www.google.com"};  // drugs
}

class WeekBuilder {
 public:
  explicit WeekBuilder(GeneratedWeek& week) : week_(week), db_(*week.db) {}

  std::int64_t capture(const std::string& mac, TimeUs ts, const std::string& category, int severity,
                       const std::string& host_override = "") {
    const Entry entry = entry_of(category);
    evidence::Capture capture;
    capture.ts_us = ts;
    capture.client_ip =
        mac.empty()
            ? "10.20.0.99"
            : "10.20.0." + std::to_string(std::stoi(mac.substr(mac.size() - 2), nullptr, 16));
    capture.client_mac = mac;
    capture.category = category;
    capture.severity = severity;
    capture.phrase = entry.phrase;
    capture.entry_kind = "phrase";
    capture.observation_kind = "http_search";
    capture.library_version = ts < kLibraryUpdate ? "bundle-41" : "bundle-42";
    const std::string host = host_override.empty() ? entry.host : host_override;
    capture.evidence = {std::string(entry.phrase), host,
                        "https://" + host + "/search?q=" + entry.phrase};
    store::CaptureRepository captures(db_);
    capture.id = captures.last_id() + 1;
    evidence::seal_evidence(capture, week_.public_key);
    return must(captures.insert(capture), "capture " + category);
  }

  std::string mac_of(const char* name) {
    for (const Pupil& person : kPeople) {
      if (std::string(person.name) == name) return person.mac;
    }
    throw std::runtime_error(std::string("no such person ") + name);
  }

  void mark(std::int64_t capture_id, const char* status, TimeUs when) {
    must(store::CaptureReviews(db_).mark(capture_id, status, "dsl", when), "mark");
  }

  std::int64_t incident(const char* title, const std::vector<std::int64_t>& captures, TimeUs when) {
    return must(store::IncidentRepository(db_).open_from_captures(title, captures, week_.public_key,
                                                                  "dsl", when),
                "open incident");
  }

  void status(std::int64_t id, store::IncidentStatus status, TimeUs when,
              const char* escalated_to = "") {
    must(store::IncidentRepository(db_).set_status(id, status, escalated_to, "dsl", when),
         "incident status");
  }

  void note(std::int64_t id, const char* text, TimeUs when) {
    must(store::IncidentRepository(db_).add_note(id, text, week_.public_key, "dsl", when), "note");
  }

  void intervention(std::int64_t id, const char* text, TimeUs when) {
    must(
        store::IncidentRepository(db_).record_intervention(id, text, week_.public_key, "dsl", when),
        "intervention");
  }

 private:
  GeneratedWeek& week_;
  store::Database& db_;
};

void set_up_box(GeneratedWeek& week) {
  store::Database& db = *week.db;
  store::KeyStore keys(db);
  week.public_key = must(keys.ensure_key_pair(), "key pair");
  const std::string code = store::ensure_setup_code(db);
  auto opened = keys.unwrap_with_setup_code(code);
  if (!opened) throw std::runtime_error("the setup code does not open the key");
  week.private_key = std::move(*opened);
  store::Accounts accounts(db);
  const store::SetupResult setup = accounts.complete_setup(
      code, {"head", "Hannah Headley", store::Role::headteacher, "the blue door at noon"});
  if (!setup.user) throw std::runtime_error("setup: " + setup.message);
  store::StaffAccounts staff(db);
  const struct {
    const char* username;
    const char* name;
    store::Role role;
  } kStaff[] = {{"dsl", "David Leadbetter", store::Role::dsl},
                {"deputy", "Deepa Puttnam", store::Role::deputy_dsl},
                {"tech", "Terry Technic", store::Role::technician},
                {"office", "Olive Office", store::Role::viewer}};
  for (const auto& person : kStaff) {
    const store::User user =
        must(staff.add({person.username, person.name, person.role, "a long enough password"},
                       &week.private_key, *setup.user),
             std::string("account ") + person.username);
    accounts.record_sign_in(user.id, kReportMade - 3 * kDayUs);
  }
  store::SettingsRepository settings(db);
  must(settings.set("school.name", kSchoolName), "school name");
  must(settings.set("school.dsl_email", "dsl@st-aidans.example"), "dsl email");
  must(store::set_retention_days(db, "bullying", 180, "head"), "retention");
  store::StoreHealth health;
  health.since_us = at(-20, 3);
  health.captures_unstored_disk_full = 3;
  must(settings.set("health.store", store::to_json(health)), "store health");
  store::AuditLog audit(db);
  must(audit.append("head", "monitoring_review",
                    "annual review of filtering and monitoring with the DSL and the "
                    "safeguarding governor",
                    kTermStart - 48 * kDayUs),
       "review");
  must(audit.append("dsl", "evidence_view", "capture 3", at(1, 10, 50)), "evidence view");
  must(audit.append("dsl", "report_download", "weekly report", at(-7, 8)), "report view");
}

void import_people(GeneratedWeek& week) {
  std::vector<evidence::Person> people;
  for (const Pupil& person : kPeople) {
    people.push_back({.name = person.name,
                      .group = person.class_name,
                      .upn = std::string("UPN-") + person.mac,
                      .devices = {person.mac},
                      .year_group = person.year,
                      .staff = person.staff});
  }
  store::Database& db = *week.db;
  must(store::PeopleRepository(db).merge(people, week.public_key, week.private_key, "dsl",
                                         kTermStart),
       "people");
  for (const auto& record : store::PeopleRepository(db).open_all(week.private_key).people) {
    week.person_ids[record.person.name] = record.id;
  }
  store::GroupRepository groups(db);
  std::int64_t class_4w = 0;
  for (const store::Group& group : groups.list()) {
    if (group.name == "4W") class_4w = group.id;
  }
  must(store::DeviceRepository(db).seen(kPoolMac, kTermStart), "pool device");
  must(store::DeviceRepository(db).assign(kPoolMac, 0, "Class 4W iPads", class_4w, kTermStart,
                                          "dsl", kTermStart),
       "pool");
  const std::int64_t at_risk =
      must(groups.create("Pupils at risk", store::GroupKind::vulnerable, "dsl", kTermStart),
           "vulnerable group");
  must(groups.set_membership(at_risk, week.person_ids.at(kAmelia), true, "dsl", kTermStart),
       "member");
}

void import_library(const GeneratedWeek& week) {
  const auto publisher = crypto::generate_signing_key();
  std::filesystem::create_directories(library::trusted_keys_dir(week.data_dir));
  {
    std::ofstream key(library::trusted_keys_dir(week.data_dir) / "publisher.pub");
    key << publisher.public_pem;
  }
  const std::vector<library::BundleSource> sources = {
      {"weapons.hml",
       "category: weapons\ntitle: Weapons\ndescription: Knives.\n\nzombie knife | phrase | 3 | "
       "en\n"}};
  // Edition 41 at the start of term, 42 on Wednesday of the week, and 41 again on
  // Thursday, refused as older than the one in use: the history has all three.
  const struct {
    std::uint64_t version;
    TimeUs created;
    TimeUs imported;
  } kImports[] = {{41, kTermStart - 30 * kDayUs, kTermStart + 9 * kHourUs},
                  {42, at(-3, 12), kLibraryUpdate},
                  {41, kTermStart - 30 * kDayUs, at(3, 9)}};
  for (std::size_t i = 0; i < std::size(kImports); ++i) {
    library::BundleManifest manifest;
    manifest.version = kImports[i].version;
    manifest.created_unix = kImports[i].created / 1'000'000;
    manifest.publisher = "Safer Schools Library";
    const auto bytes =
        must(library::write_bundle(manifest, sources, publisher.private_pem), "bundle");
    const library::ImportOutcome outcome = library::import_bundle_bytes(
        week.data_dir, bytes, "edition-" + std::to_string(manifest.version) + ".hmlib",
        kImports[i].imported / 1'000'000);
    const bool refused = outcome.problem.has_value();
    if (refused != (i == 2)) {
      throw std::runtime_error("library import " + std::to_string(i) + ": " +
                               (refused ? outcome.problem->message : "accepted"));
    }
  }
}

void plant_traffic(store::Database& db) {
  std::vector<store::VisibilityRow> rows;
  auto hour = [&rows](TimeUs start) {
    const struct {
      const char* visibility;
      std::uint64_t flows, bytes;
    } kMix[] = {{"named_tls", 100, 1'000'000}, {"dns", 200, 50'000}, {"plain_http", 10, 200'000},
                {"ech", 20, 300'000},          {"doh", 5, 20'000},   {"vpn", 2, 500'000}};
    for (const auto& mix : kMix) {
      rows.push_back({start, mix.visibility, mix.flows, mix.bytes, mix.flows * 10});
    }
  };
  for (int day = 0; day < 5; ++day) {
    for (int h = 7; h < 18; ++h) {
      if (day == 2 && h == 14) continue;  // Wednesday 14:00: unplugged for an hour
      hour(at(day, h));
    }
  }
  hour(at(5, 10));
  hour(at(6, 10));
  hour(at(-4, 10));  // the week before and the Monday after: not this week's
  hour(at(7, 10));
  must(store::StatsRepository(db).add(rows), "traffic");
}

}  // namespace

GeneratedWeek generate_week(const std::filesystem::path& data_dir) {
  GeneratedWeek week;
  week.data_dir = data_dir;
  std::filesystem::remove_all(data_dir);
  week.db = must(store::Database::open(data_dir), "database");
  set_up_box(week);
  import_people(week);
  import_library(week);
  plant_traffic(*week.db);

  WeekBuilder b(week);
  const std::string amelia = b.mac_of(kAmelia), oliver = b.mac_of(kOliver), maya = b.mac_of(kMaya),
                    leo = b.mac_of(kLeo), isla = b.mac_of(kIsla), noah = b.mac_of(kNoah),
                    staff = b.mac_of("Sam Staffordshire");

  // The 4 weeks before: 6, 2, 4 and 0 concerns, and two incidents.
  const std::int64_t old_1 = b.capture(maya, at(-20, 9), "bullying", 3);
  const std::int64_t old_2 = b.capture(maya, at(-20, 9, 10), "bullying", 3);
  const std::int64_t old_3 = b.capture(maya, at(-20, 9, 20), "bullying", 3);
  b.capture(amelia, at(-18, 11), "self-harm", 4);
  b.capture(maya, at(-13, 10), "bullying", 3);
  b.capture(leo, at(-12, 10), "gambling", 2);
  b.capture(maya, at(-6, 10), "bullying", 3);
  b.capture(maya, at(-6, 10, 30), "bullying", 3);
  const std::int64_t earlier_suicide = b.capture(amelia, at(-4, 13), "suicide", 5);
  for (int i = 0; i < 3; ++i) b.capture(leo, at(-3, 10, 10 * i), "gambling", 2);
  const std::int64_t old_incident =
      b.incident("Name-calling in 5B", {old_1, old_2, old_3}, at(-19, 9));
  b.status(old_incident, store::IncidentStatus::closed, at(-14, 16));
  const std::int64_t last_week = b.incident("Worrying search", {earlier_suicide}, at(-4, 13, 30));
  b.status(last_week, store::IncidentStatus::in_review, at(-4, 14));

  // This week: 21 concerns.
  const std::int64_t a1 = b.capture(amelia, at(1, 10, 14), "suicide", 5);
  const std::int64_t a2 = b.capture(amelia, at(1, 10, 20), "suicide", 5);
  b.capture(amelia, at(2, 13, 5), "self-harm", 4);
  const std::int64_t o1 = b.capture(oliver, at(0, 15, 30), "grooming", 4);
  b.capture(oliver, at(3, 15, 45), "grooming", 4);
  const std::int64_t o3 = b.capture(oliver, at(4, 14, 10), "sextortion", 5);
  const std::int64_t m1 = b.capture(maya, at(0, 11), "bullying", 3);
  const std::int64_t m2 = b.capture(maya, at(1, 12, 30), "bullying", 3);
  const std::int64_t m3 = b.capture(maya, at(2, 12, 35), "bullying", 3);
  const std::int64_t m4 = b.capture(maya, at(2, 12, 40), "bullying", 4);
  const std::int64_t l1 = b.capture(leo, at(3, 10), "gambling", 2);
  const std::int64_t l2 = b.capture(leo, at(3, 10, 5), "gambling", 2);
  b.capture(leo, at(3, 10, 30), "circumvention", 3);
  const std::int64_t i1 = b.capture(isla, at(0, 9, 20), "mental-health-and-wellbeing", 3);
  b.capture(isla, at(4, 11, 15), "violence", 3);
  const std::int64_t n1 = b.capture(noah, at(1, 14), "pornography", 4);
  b.capture(staff, at(2, 19), "drugs", 2);
  b.capture(kPoolMac, at(3, 11), "violence", 4);
  b.capture(kPoolMac, at(3, 11, 2), "weapons", 3);
  b.capture(kUnknownMac, at(5, 20), "extremism", 4);
  b.capture("", at(6, 18), "drugs", 3, "vape-shop.example");
  // And one just after the week: in next week's report, not this one.
  b.capture(amelia, at(7, 9), "suicide", 5);

  // How staff followed them up.
  b.mark(n1, "reviewed", at(1, 14, 20));
  b.mark(l1, "false_positive", at(3, 12));
  b.mark(l2, "false_positive", at(3, 12));
  b.mark(i1, "reviewed", at(0, 10, 20));
  b.mark(o1, "reviewed", at(1, 8, 30));

  const std::int64_t amelia_incident =
      b.incident("Amelia: searches about suicide", {a1, a2}, at(1, 10, 40));
  b.status(amelia_incident, store::IncidentStatus::in_review, at(1, 10, 45));
  b.note(amelia_incident, "Spoke with Amelia in the quiet room; she is safe today.", at(1, 11));
  b.intervention(amelia_incident,
                 "Spoke with Amelia and her mother; referral made to children's social care; "
                 "safety plan agreed with the school nurse.",
                 at(1, 11, 30));
  b.status(amelia_incident, store::IncidentStatus::escalated, at(1, 12), "social_care");
  b.note(amelia_incident, "Social worker visited school.", at(3, 9, 30));

  const std::int64_t oliver_incident =
      b.incident("Oliver: contact from a stranger", {o3}, at(4, 14, 30));
  b.note(oliver_incident, "Parents called; the account has been reported.", at(4, 15));
  b.status(oliver_incident, store::IncidentStatus::in_review, at(4, 15, 10));

  const std::int64_t maya_incident =
      b.incident("Unkind messages about Maya", {m1, m2, m3, m4}, at(2, 13));
  b.status(maya_incident, store::IncidentStatus::in_review, at(2, 13, 30));
  b.intervention(maya_incident, "Restorative meeting with the pupils involved; parents informed.",
                 at(3, 9));
  b.status(maya_incident, store::IncidentStatus::action_taken, at(3, 9));
  b.status(maya_incident, store::IncidentStatus::closed, at(4, 16));

  // Reports the box made before this one (migration 10's table, when it is there).
  store::Statement report(*week.db,
                          "INSERT INTO reports (kind, from_us, to_us, created_us, created_by, "
                          "title, pdf) VALUES ('weekly', ?1, ?2, ?2, 'system', 'Weekly', x'');");
  report.bind(1, at(-7, 0)).bind(2, at(0, 7));
  report.step();
  return week;
}

}  // namespace hm::reports::testing
