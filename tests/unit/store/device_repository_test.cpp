#include "store/device_repository.h"

#include <gtest/gtest.h>

#include "evidence/people_csv.h"
#include "sealed_store_fixture.h"
#include "store/group_repository.h"
#include "store/people_repository.h"

namespace hm::store {
namespace {

using DeviceRepositoryTest = SealedStoreFixture;
constexpr TimeUs kHour = 3'600'000'000;
constexpr std::string_view kMac = "3c:22:fb:01:02:03";

std::vector<std::int64_t> import_two(Database& db, const std::vector<std::uint8_t>& public_key) {
  std::vector<evidence::Person> people(2);
  people[0].name = "Ada Lovelace";
  people[0].group = "4B";
  people[0].year_group = "Year 4";
  people[1].name = "Alan Turing";
  people[1].group = "5A";
  people[1].year_group = "Year 5";
  EXPECT_TRUE(PeopleRepository(db).import(people, public_key, false, "head"));
  return {1, 2};
}

TEST_F(DeviceRepositoryTest, SeenWidensTheTimesAndTheNameIsSealed) {
  DeviceRepository devices(*db_);
  ASSERT_TRUE(devices.seen(kMac, kNow));
  ASSERT_TRUE(devices.seen(kMac, kNow - kHour));
  ASSERT_TRUE(devices.name(kMac, "ada-ipad", public_key_, kNow + kHour));
  ASSERT_TRUE(devices.seen("", kNow)) << "a capture without a MAC adds no device";
  const auto device = devices.find(kMac);
  ASSERT_TRUE(device);
  EXPECT_EQ(device->first_seen_us, kNow - kHour);
  EXPECT_EQ(device->last_seen_us, kNow + kHour);
  EXPECT_EQ(open_device_name(*device, private_key_), "ada-ipad");
  EXPECT_EQ(devices.list().size(), 1u);
  ASSERT_TRUE(db_->exec("PRAGMA wal_checkpoint(TRUNCATE);"));
  EXPECT_EQ(folder_bytes().find("ada-ipad"), std::string::npos);
}

// "Who had it at the time of the capture": each assignment covers [from, until).
TEST_F(DeviceRepositoryTest, AnswersWhoHadTheDeviceAtAGivenTime) {
  const auto people = import_two(*db_, public_key_);
  DeviceRepository devices(*db_);
  EXPECT_FALSE(devices.assign(kMac, people[0], {}, 0, kNow, "head")) << "no such device yet";
  ASSERT_TRUE(devices.seen(kMac, kNow));
  EXPECT_FALSE(devices.assign(kMac, 0, {}, 0, kNow, "head")) << "to nobody";
  EXPECT_FALSE(devices.assign(kMac, people[0], "Trolley", 0, kNow, "head")) << "to both";
  EXPECT_FALSE(devices.assign(kMac, 99, {}, 0, kNow, "head")) << "no such person";

  ASSERT_TRUE(devices.assign(kMac, people[0], {}, 0, kNow, "head"));
  ASSERT_TRUE(devices.assign(kMac, people[1], {}, 0, kNow + 10 * kHour, "head"));
  const auto group = GroupRepository(*db_).create("Year 4 iPads", GroupKind::custom, "head");
  ASSERT_TRUE(group);
  ASSERT_TRUE(devices.assign(kMac, 0, "Year 4 trolley", *group, kNow + 20 * kHour, "head"));
  EXPECT_FALSE(devices.assign(kMac, people[0], {}, 0, kNow + 5 * kHour, "head"))
      << "an assignment may not start before a later one";
  ASSERT_TRUE(devices.unassign(kMac, kNow + 30 * kHour, "head"));

  EXPECT_FALSE(devices.assignment_at(kMac, kNow - 1));
  EXPECT_EQ(devices.assignment_at(kMac, kNow)->person_id, people[0]);
  EXPECT_EQ(devices.assignment_at(kMac, kNow + 10 * kHour - 1)->person_id, people[0]);
  EXPECT_EQ(devices.assignment_at(kMac, kNow + 10 * kHour)->person_id, people[1]);
  const auto pool = devices.assignment_at(kMac, kNow + 25 * kHour);
  ASSERT_TRUE(pool);
  EXPECT_EQ(pool->person_id, 0);
  EXPECT_EQ(pool->pool, "Year 4 trolley");
  EXPECT_EQ(pool->group_id, *group);
  EXPECT_FALSE(devices.assignment_at(kMac, kNow + 30 * kHour));
  EXPECT_EQ(devices.assignments_of_device(kMac).size(), 3u);
  EXPECT_EQ(devices.assignments_of_person(people[0]).size(), 1u);
  EXPECT_TRUE(devices.current_assignments(kNow + 31 * kHour).empty());
  EXPECT_EQ(devices.current_assignments(kNow + kHour).size(), 1u);
  EXPECT_EQ(audit_count("people_change"), 5);  // the group, three assignments, the end
}

// The conditions the captures list filters with (engineer B) agree with assignment_at.
TEST_F(DeviceRepositoryTest, CaptureFiltersFollowTheAssignmentAtTheCapturesTime) {
  const auto people = import_two(*db_, public_key_);  // Ada in Year 4 and 4B
  const auto before = add_capture(std::string(kMac), "before", kNow - kHour);
  const auto adas = add_capture(std::string(kMac), "ada's", kNow + kHour);
  const auto alans = add_capture(std::string(kMac), "alan's", kNow + 11 * kHour);
  DeviceRepository devices(*db_);
  ASSERT_TRUE(devices.seen(kMac, kNow));
  ASSERT_TRUE(devices.assign(kMac, people[0], {}, 0, kNow, "head"));
  ASSERT_TRUE(devices.assign(kMac, people[1], {}, 0, kNow + 10 * kHour, "head"));
  auto matching = [&](const std::string& condition, std::int64_t id) {
    std::vector<std::int64_t> ids;
    Statement query(*db_, "SELECT c.id FROM captures c WHERE " + condition + " ORDER BY c.id;");
    query.bind(1, id);
    while (query.step()) ids.push_back(query.column_int(0));
    EXPECT_TRUE(query.ok()) << query.error();
    return ids;
  };
  EXPECT_EQ(matching(capture_of_person_sql("c", 1), people[0]), std::vector<std::int64_t>{adas});
  EXPECT_EQ(matching(capture_of_person_sql("c", 1), people[1]), std::vector<std::int64_t>{alans});
  std::int64_t year4 = 0;
  for (const auto& group : GroupRepository(*db_).list()) {
    if (group.name == "Year 4") year4 = group.id;
  }
  ASSERT_NE(year4, 0) << "the import made the year groups";
  EXPECT_EQ(matching(capture_of_group_sql("c", 1), year4), std::vector<std::int64_t>{adas});
  (void)before;
}

}  // namespace
}  // namespace hm::store

#include "store/capture_writer.h"

namespace hm::store {
namespace {

// The store thread learns each device, and its DHCP name (sealed), from its captures.
TEST_F(DeviceRepositoryTest, TheStoreThreadRecordsDevicesAndTheirNamesFromCaptures) {
  db_.reset();  // the writer opens its own connection
  auto writer = CaptureWriter::start(dir_);
  ASSERT_TRUE(writer) << writer.error();
  for (const auto& [ts, name] :
       {std::pair{kNow, std::string()}, std::pair{kNow + kHour, std::string("sam-ipad")},
        std::pair{kNow + 2 * kHour, std::string("sam-ipad")}}) {
    evidence::Capture capture;
    capture.ts_us = ts;
    capture.client_ip = "10.0.0.7";
    capture.client_mac = std::string(kMac);
    capture.client_name = name;
    capture.category = "bullying";
    capture.severity = 2;
    capture.phrase = "loser";
    capture.entry_kind = "word";
    capture.observation_kind = "dns_query";
    capture.library_version = "test";
    capture.evidence = {"loser.example", "loser.example", ""};
    (*writer)->submit(std::move(capture));
  }
  (*writer)->flush();
  (*writer)->stop();
  auto db = Database::open(dir_);
  ASSERT_TRUE(db);
  const auto device = DeviceRepository(**db).find(kMac);
  ASSERT_TRUE(device);
  EXPECT_EQ(device->first_seen_us, kNow);
  EXPECT_EQ(device->last_seen_us, kNow + 2 * kHour);
  EXPECT_EQ(open_device_name(*device, private_key_), "sam-ipad");
  EXPECT_EQ(folder_bytes().find("sam-ipad"), std::string::npos) << "the name is sealed";
}

}  // namespace
}  // namespace hm::store
