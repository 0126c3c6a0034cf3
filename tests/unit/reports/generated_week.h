#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "crypto/secret.h"
#include "reports/report_data.h"
#include "store/database.h"

// A school's week of safeguarding data, made through the store's own APIs (setup and
// staff accounts, the people import, groups and device assignments, sealed captures,
// reviews, incidents with notes, interventions and statuses, visibility minutes,
// settings, the audit log and two library updates), so the reports and the evidence
// pack can be checked against figures planted on purpose.
//
// The week is Monday 16 November 2026 to Sunday 22 November 2026 (UTC, which is also UK
// time in November), with data in the 4 weeks before it for the trends and one capture
// just after it. Every figure below is what generated_week.cpp plants, worked out by hand.
namespace hm::reports::testing {

inline constexpr store::TimeUs kMinuteUs = 60'000'000;
inline constexpr store::TimeUs kHourUs = 60 * kMinuteUs;
inline constexpr store::TimeUs kDayUs = 24 * kHourUs;
// Monday 16 November 2026 00:00 UTC.
inline constexpr store::TimeUs kWeekStart = 1'794'787'200'000'000;
inline constexpr Period kWeek{kWeekStart, kWeekStart + 7 * kDayUs};
// The report is made on Monday morning, after the week.
inline constexpr store::TimeUs kReportMade = kWeek.until_us + 7 * kHourUs;

inline constexpr const char* kSchoolName = "St Aidan's C of E Primary School";

// Pupils (names are sealed on disk), with their record ids (the import's order).
inline constexpr const char* kAmelia = "Amelia Thornbury";  // P-1, Year 6: suicide, self-harm
inline constexpr const char* kOliver = "Oliver Pike";       // P-2, Year 5: grooming, sextortion
inline constexpr const char* kMaya = "Maya Okafor";         // P-3, Year 5: bullying
inline constexpr const char* kLeo = "Leo Hughes";           // P-4, Year 4: gambling
inline constexpr const char* kIsla = "Isla Grant";          // P-5, Year 6
inline constexpr const char* kNoah = "Noah Patel";          // P-6, Year 3
inline constexpr const char* kAva = "Ava Collins";          // P-7, Year 3: nothing

// This week's concerns.
inline constexpr std::int64_t kConcerns = 21;
inline const std::map<int, std::int64_t> kBySeverity = {{5, 3}, {4, 7}, {3, 8}, {2, 3}};
inline const std::map<std::string, std::int64_t> kByCategory = {
    {"suicide", 2},  {"self-harm", 1},   {"grooming", 2},      {"sextortion", 1},
    {"bullying", 4}, {"gambling", 2},    {"circumvention", 1}, {"mental-health-and-wellbeing", 1},
    {"violence", 2}, {"pornography", 1}, {"drugs", 2},         {"weapons", 1},
    {"extremism", 1}};
// The 4 weeks before: 6, 2, 4 and 0 concerns.
inline constexpr std::int64_t kPreviousWeek = 6;
inline constexpr double kAverageBefore = 3.0;

inline constexpr std::int64_t kPupilsWithConcerns = 6;  // not staff, pools or unknown devices
inline constexpr std::int64_t kPupilsWithSerious = 4;

// Incidents: Amelia's (escalated to social care, open), Oliver's (in review, open),
// Maya's (closed on Friday), and one opened the week before and still open.
inline constexpr std::int64_t kIncidentsOpened = 3;
inline constexpr std::int64_t kIncidentsClosed = 1;
inline constexpr std::int64_t kIncidentsOpenAtEnd = 3;

// Review: 12 of the 21 looked at (marked, or linked to an incident); waits in minutes
// 20 20 20 20 25 26 60 115 120 1020 1470 3000.
inline constexpr std::int64_t kLookedAt = 12;
inline constexpr std::int64_t kWaiting = 9;
inline constexpr std::int64_t kWaitingSerious = 4;
inline constexpr store::TimeUs kMedianFirstLook = 43 * kMinuteUs;
inline constexpr store::TimeUs kLongestFirstLook = 50 * kHourUs;

// Hours of the week the mirror port carried traffic: 11 a weekday (07:00–18:00) but
// Wednesday 14:00, and one hour each weekend day. Of 337 flows an hour, 27 unseen.
inline constexpr std::int64_t kHoursWithTraffic = 56;
inline constexpr std::int64_t kSchoolHoursWithoutTraffic = 1;

inline constexpr std::uint64_t kLibraryVersion = 42;  // installed on Wednesday 09:00

struct GeneratedWeek {
  std::filesystem::path data_dir;
  std::unique_ptr<store::Database> db;
  std::vector<std::uint8_t> public_key;
  crypto::SecretBytes private_key;                 // as a signed-in DSL holds it
  std::map<std::string, std::int64_t> person_ids;  // by name
};

// Makes the week in a fresh `data_dir` (removed first). Throws std::runtime_error
// naming the step that failed.
GeneratedWeek generate_week(const std::filesystem::path& data_dir);

}  // namespace hm::reports::testing
