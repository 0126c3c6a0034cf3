#include "store/incident_repository.h"

#include <gtest/gtest.h>

#include "sealed_store_fixture.h"
#include "store/audit_log.h"
#include "store/retention.h"

namespace hm::store {
namespace {

using IncidentRepositoryTest = SealedStoreFixture;
constexpr TimeUs kDay = 86'400'000'000;

TEST_F(IncidentRepositoryTest, OpensLinksNotesAndClosesWithAnAuditEntryForEach) {
  const auto first = add_capture("aa:bb:cc:dd:ee:01", "one", kNow - 2 * kDay);
  const auto second = add_capture("aa:bb:cc:dd:ee:01", "two", kNow - kDay);
  IncidentRepository incidents(*db_);
  auto id = incidents.open("Jolene Year 5: repeated searches", public_key_, "a.patel", kNow);
  ASSERT_TRUE(id) << id.error();
  const std::vector<std::int64_t> ids{second, first};
  ASSERT_TRUE(incidents.add_captures(*id, ids, "a.patel", kNow));
  ASSERT_TRUE(incidents.add_captures(*id, std::vector<std::int64_t>{first}, "a.patel", kNow));
  EXPECT_FALSE(incidents.add_captures(*id, std::vector<std::int64_t>{999}, "a.patel", kNow));
  ASSERT_TRUE(incidents.add_note(*id, "Spoke to Jolene's mother", public_key_, "a.patel", kNow));

  auto incident = incidents.find(*id);
  ASSERT_TRUE(incident);
  EXPECT_TRUE(incident->open);
  EXPECT_TRUE(incident->title.empty());  // sealed: only the private key reads it
  EXPECT_EQ(open_title(*incident, private_key_), "Jolene Year 5: repeated searches");
  EXPECT_EQ(incident->captures, 2);
  EXPECT_EQ(incident->opened_by, "a.patel");
  const auto notes = incidents.notes(*id);
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_EQ(open_note(notes[0], private_key_), "Spoke to Jolene's mother");
  ASSERT_TRUE(db_->exec("PRAGMA wal_checkpoint(TRUNCATE);"));
  EXPECT_EQ(folder_bytes().find("Jolene"), std::string::npos);

  ASSERT_TRUE(incidents.close(*id, "b.jones", kNow + kDay));
  EXPECT_FALSE(incidents.close(*id, "b.jones", kNow + kDay));
  EXPECT_FALSE(incidents.add_captures(*id, ids, "b.jones", kNow));
  incident = incidents.find(*id);
  EXPECT_FALSE(incident->open);
  EXPECT_EQ(incident->closed_by, "b.jones");
  EXPECT_EQ(incident->closed_us, kNow + kDay);
  EXPECT_EQ(incidents.list().size(), 1u);
  EXPECT_EQ(incidents.linking(std::vector<std::int64_t>{first}).size(), 1u);

  EXPECT_EQ(audit_count("incident_open"), 1);
  EXPECT_EQ(audit_count("incident_change"), 3);
  EXPECT_EQ(audit_count("incident_close"), 1);
  EXPECT_FALSE(AuditLog(*db_).verify().first_broken);
  EXPECT_FALSE(incidents.open("", public_key_, "a.patel"));
}

// Titles written in the clear before migration 5 are sealed by the first command
// that holds the public key, and the clear text is gone from the file.
TEST_F(IncidentRepositoryTest, TitlesWrittenBeforeSealingAreSealedLater) {
  ASSERT_TRUE(db_->exec(
      "INSERT INTO incidents (title, opened_us, opened_by) VALUES ('Kacper in 6B', 1, 'x');"));
  IncidentRepository incidents(*db_);
  EXPECT_EQ(open_title(incidents.list().front(), private_key_), "Kacper in 6B");
  auto sealed = incidents.seal_clear_titles(public_key_);
  ASSERT_TRUE(sealed) << sealed.error();
  EXPECT_EQ(*sealed, 1);
  EXPECT_EQ(*incidents.seal_clear_titles(public_key_), 0);
  const Incident incident = incidents.list().front();
  EXPECT_TRUE(incident.title.empty());
  EXPECT_EQ(open_title(incident, private_key_), "Kacper in 6B");
  ASSERT_TRUE(db_->exec("PRAGMA wal_checkpoint(TRUNCATE);"));
  EXPECT_EQ(folder_bytes().find("Kacper"), std::string::npos);
}

TEST_F(IncidentRepositoryTest, ThePurgeHoldsCapturesOfOpenIncidentsOnly) {
  const auto held = add_capture("aa:bb:cc:dd:ee:01", "held", kNow - 400 * kDay);
  const auto gone = add_capture("aa:bb:cc:dd:ee:01", "gone", kNow - 400 * kDay);
  IncidentRepository incidents(*db_);
  auto id = incidents.open("Held", public_key_, "a.patel", kNow);
  ASSERT_TRUE(id);
  ASSERT_TRUE(incidents.add_captures(*id, std::vector<std::int64_t>{held}, "a.patel", kNow));
  EXPECT_TRUE(capture_held_by_open_incident(*db_, held));
  EXPECT_FALSE(capture_held_by_open_incident(*db_, gone));

  auto purged = purge_expired(*db_, kNow);  // the default settings ask the incidents table
  ASSERT_TRUE(purged) << purged.error();
  EXPECT_EQ(purged->deleted, 1);
  EXPECT_EQ(purged->held, 1);
  EXPECT_TRUE(CaptureRepository(*db_).find(held));

  ASSERT_TRUE(incidents.close(*id, "a.patel", kNow));
  EXPECT_FALSE(capture_held_by_open_incident(*db_, held));
  ASSERT_TRUE(purge_expired(*db_, kNow));
  EXPECT_FALSE(CaptureRepository(*db_).find(held));
  // The closed incident still says a capture was linked.
  EXPECT_EQ(incidents.capture_ids(*id), std::vector<std::int64_t>{held});
}

}  // namespace
}  // namespace hm::store

namespace hm::store {
namespace {

using IncidentWorkflowTest = SealedStoreFixture;
constexpr TimeUs kHour = 3'600'000'000;

// Issue 6 item 5: opened from captures, new → in review → action taken → closed, with
// the intervention sealed, an assignee, and every change in the history.
TEST_F(IncidentWorkflowTest, FollowsTheStatusesAndKeepsAHistoryOfEveryChange) {
  const auto first = add_capture("aa:bb:cc:dd:ee:01", "one", kNow - 3 * kHour, "suicide");
  const auto second = add_capture("aa:bb:cc:dd:ee:01", "two", kNow - kHour, "suicide");
  IncidentRepository incidents(*db_);
  EXPECT_FALSE(incidents.open_from_captures("None", {}, public_key_, "head", kNow));
  EXPECT_FALSE(incidents.open_from_captures("Bad", std::vector<std::int64_t>{404}, public_key_,
                                            "head", kNow));
  EXPECT_TRUE(incidents.list().empty()) << "a refused open leaves nothing behind";

  auto id = incidents.open_from_captures("Searches about ending it",
                                         std::vector<std::int64_t>{second, first}, public_key_,
                                         "head", kNow);
  ASSERT_TRUE(id) << id.error();
  auto incident = incidents.find(*id);
  ASSERT_TRUE(incident);
  EXPECT_EQ(incident->status, IncidentStatus::new_incident);
  EXPECT_EQ(incident->captures, 2);
  EXPECT_EQ(incident->first_capture_us, kNow - 3 * kHour);
  EXPECT_EQ(incident->first_review_us, 0);

  ASSERT_TRUE(incidents.assign(*id, "dsl.jones", "head", kNow + kHour));
  ASSERT_TRUE(
      incidents.set_status(*id, IncidentStatus::in_review, {}, "dsl.jones", kNow + 2 * kHour));
  EXPECT_FALSE(incidents.set_status(*id, IncidentStatus::in_review, {}, "dsl.jones", kNow))
      << "no change is refused";
  EXPECT_FALSE(incidents.set_status(*id, IncidentStatus::new_incident, {}, "dsl.jones", kNow));
  EXPECT_FALSE(incidents.set_status(*id, IncidentStatus::escalated, "the moon", "dsl.jones", kNow));
  ASSERT_TRUE(incidents.set_status(*id, IncidentStatus::escalated, "social_care", "dsl.jones",
                                   kNow + 3 * kHour));
  ASSERT_TRUE(
      incidents.set_status(*id, IncidentStatus::action_taken, {}, "dsl.jones", kNow + 4 * kHour));
  ASSERT_TRUE(incidents.record_intervention(*id, "Talked with Sam and his dad", public_key_,
                                            "dsl.jones", kNow + 4 * kHour));
  incident = incidents.find(*id);
  EXPECT_EQ(incident->status, IncidentStatus::action_taken);
  EXPECT_TRUE(incident->escalated_to.empty()) << "escalated_to belongs to the escalated status";
  EXPECT_EQ(incident->assignee, "dsl.jones");
  // The first review is the first move out of new, kept however the status changes.
  EXPECT_EQ(incident->first_review_us, kNow + 2 * kHour);
  EXPECT_TRUE(incident->open);
  EXPECT_EQ(open_intervention(*incident, private_key_), "Talked with Sam and his dad");

  ASSERT_TRUE(incidents.set_status(*id, IncidentStatus::closed, {}, "head", kNow + 5 * kHour));
  incident = incidents.find(*id);
  EXPECT_FALSE(incident->open);
  EXPECT_EQ(incident->closed_us, kNow + 5 * kHour);
  EXPECT_FALSE(capture_held_by_open_incident(*db_, first));
  // Reopening holds the captures again.
  ASSERT_TRUE(incidents.set_status(*id, IncidentStatus::in_review, {}, "head", kNow + 6 * kHour));
  EXPECT_TRUE(incidents.find(*id)->open);
  EXPECT_TRUE(capture_held_by_open_incident(*db_, first));
  EXPECT_EQ(incidents.find(*id)->first_review_us, kNow + 2 * kHour);

  const auto history = incidents.history(*id);
  std::vector<std::string> changes;
  for (const auto& entry : history) changes.push_back(entry.actor + ": " + entry.change);
  EXPECT_EQ(changes, (std::vector<std::string>{
                         "head: opened",
                         "head: captures " + std::to_string(second) + ", " + std::to_string(first) +
                             " added",
                         "head: assigned to dsl.jones",
                         "dsl.jones: status: new → in review",
                         "dsl.jones: status: in review → escalated (to social_care)",
                         "dsl.jones: status: escalated → action taken",
                         "dsl.jones: intervention recorded (sealed)",
                         "head: status: action taken → closed; its 2 captures follow retention "
                         "again",
                         "head: status: closed → in review; reopened: its captures are held again",
                     }));
  ASSERT_TRUE(db_->exec("PRAGMA wal_checkpoint(TRUNCATE);"));
  EXPECT_EQ(folder_bytes().find("his dad"), std::string::npos) << "the intervention is sealed";
  EXPECT_EQ(folder_bytes().find("ending it"), std::string::npos) << "the title is sealed";
  EXPECT_FALSE(AuditLog(*db_).verify().first_broken);
}

}  // namespace
}  // namespace hm::store
