#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "crypto/secret.h"
#include "store/accounts.h"
#include "store/database.h"

namespace hm::store {

// Where an incident is in its follow-up (issue 6 item 5): new → in_review →
// action_taken / escalated / no_further_action → closed. Any status but `new` may
// follow any other (a closed incident is reopened by moving it back to in_review).
enum class IncidentStatus : std::uint8_t {
  new_incident,
  in_review,
  action_taken,
  escalated,
  no_further_action,
  closed,
};
std::string_view to_string(IncidentStatus status);  // "new", "in_review" …
std::optional<IncidentStatus> incident_status_from_string(std::string_view text);

// Who an incident was escalated to (Keeping Children Safe in Education: the DSL, the
// police, Prevent, children's social care).
inline constexpr std::array<std::string_view, 4> kEscalationTargets = {"dsl", "police", "prevent",
                                                                       "social_care"};

// A safeguarding concern being looked into, and the captures it links (issue 5). While
// an incident is open its captures are held back from the retention purge
// (capture_held_by_open_incident, store/retention.h). Every change is audited and
// written to the incident's history (history()) in the same transaction.
//
// For the dashboard (engineer B): open incidents are `incidents WHERE closed_us IS
// NULL`; their status is incidents.status, their age now − opened_us.
struct Incident {
  std::int64_t id = 0;
  std::string title;         // written before titles were sealed (migration 5), else empty
  std::string sealed_title;  // the title sealed to the box's public key (open_title)
  bool open = true;
  TimeUs opened_us = 0;
  std::string opened_by;
  TimeUs closed_us = 0;  // 0 while open
  std::string closed_by;
  std::int64_t captures = 0;  // links, including captures since deleted
  IncidentStatus status = IncidentStatus::new_incident;
  std::string escalated_to;         // one of kEscalationTargets while escalated, else empty
  std::string assignee;             // a username, or empty
  TimeUs first_capture_us = 0;      // the earliest linked capture's time; 0 if none
  TimeUs first_review_us = 0;       // when it first left `new`; 0 until then
  std::string sealed_intervention;  // what was done, sealed (open_intervention); or empty
};

// One change to an incident, in words that name no pupil.
struct IncidentChange {
  TimeUs ts_us = 0;
  std::string actor;
  std::string change;
};

struct IncidentNote {
  std::int64_t id = 0;
  std::int64_t incident_id = 0;
  TimeUs ts_us = 0;
  std::string author;
  std::string sealed;
};

inline constexpr std::size_t kMaxIncidentTitle = 200;
inline constexpr std::size_t kMaxIncidentText = 20'000;  // a note or the intervention

class IncidentRepository {
 public:
  explicit IncidentRepository(Database& db) : db_(db) {}

  // Seals the title to the box's public key: it may name a pupil.
  Result<std::int64_t> open(std::string_view title, std::span<const std::uint8_t> public_key,
                            std::string_view actor, TimeUs now = now_us());
  // Opens an incident linking these captures (at least one, each must exist), in one
  // transaction.
  Result<std::int64_t> open_from_captures(std::string_view title,
                                          std::span<const std::int64_t> capture_ids,
                                          std::span<const std::uint8_t> public_key,
                                          std::string_view actor, TimeUs now = now_us());
  // Moves the incident to `status`; `escalated_to` (one of kEscalationTargets) is
  // required for escalated and ignored otherwise. Closing sets closed_us (the retention
  // hold ends); leaving closed clears it.
  Status set_status(std::int64_t id, IncidentStatus status, std::string_view escalated_to,
                    std::string_view actor, TimeUs now = now_us());
  // Who follows it up: a username (the caller checks they may handle incidents), or
  // empty for nobody.
  Status assign(std::int64_t id, std::string_view assignee, std::string_view actor,
                TimeUs now = now_us());
  // Records (or replaces) what was done, sealed like a note.
  Status record_intervention(std::int64_t id, std::string_view text,
                             std::span<const std::uint8_t> public_key, std::string_view actor,
                             TimeUs now = now_us());
  // Every change, oldest first.
  std::vector<IncidentChange> history(std::int64_t id);

  // Seals titles written in the clear before migration 5 and blanks them; how many.
  Result<int> seal_clear_titles(std::span<const std::uint8_t> public_key);
  // Links captures (each must exist) to an open incident.
  Status add_captures(std::int64_t id, std::span<const std::int64_t> capture_ids,
                      std::string_view actor, TimeUs now = now_us());
  // Seals the note to the box's public key: adding one needs no private key.
  Status add_note(std::int64_t id, std::string_view text, std::span<const std::uint8_t> public_key,
                  std::string_view actor, TimeUs now = now_us());
  Status close(std::int64_t id, std::string_view actor, TimeUs now = now_us());

  std::optional<Incident> find(std::int64_t id);
  std::vector<Incident> list();
  // The ids of the captures linked, oldest link first (some may have been deleted since).
  std::vector<std::int64_t> capture_ids(std::int64_t id);
  std::vector<IncidentNote> notes(std::int64_t id);
  // The incidents that link any of these captures.
  std::vector<Incident> linking(std::span<const std::int64_t> capture_ids);

 private:
  // The steps without their own transaction, for use inside one.
  Result<std::int64_t> insert_incident(std::string_view title,
                                       std::span<const std::uint8_t> public_key,
                                       std::string_view actor, TimeUs now);
  Result<std::string> link_captures(std::int64_t id, std::span<const std::int64_t> capture_ids,
                                    std::string_view actor, TimeUs now);
  Status record(std::int64_t id, std::string_view actor, std::string_view action,
                std::string_view change, TimeUs now);

  Database& db_;
};

// Whether an open incident links this capture (the retention purge's hold).
bool capture_held_by_open_incident(Database& db, std::int64_t capture_id);

std::vector<std::uint8_t> note_associated_data(std::int64_t incident_id, std::int64_t note_id);
std::vector<std::uint8_t> title_associated_data(std::int64_t incident_id);
// The incident's title: opened with the private key (or as written before migration 5);
// nullopt if the sealed title does not open with this key.
std::optional<std::string> open_title(const Incident& incident,
                                      const crypto::SecretBytes& private_key);
std::optional<std::string> open_note(const IncidentNote& note,
                                     const crypto::SecretBytes& private_key);
std::vector<std::uint8_t> intervention_associated_data(std::int64_t incident_id);
// nullopt when none was recorded or it does not open with this key.
std::optional<std::string> open_intervention(const Incident& incident,
                                             const crypto::SecretBytes& private_key);

}  // namespace hm::store
