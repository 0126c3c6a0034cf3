#pragma once

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

// A safeguarding concern being looked into, and the captures it links (issue 5). While
// an incident is open its captures are held back from the retention purge
// (capture_held_by_open_incident, store/retention.h). Every change is audited in the
// same transaction.
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
};

struct IncidentNote {
  std::int64_t id = 0;
  std::int64_t incident_id = 0;
  TimeUs ts_us = 0;
  std::string author;
  std::string sealed;
};

inline constexpr std::size_t kMaxIncidentTitle = 200;

class IncidentRepository {
 public:
  explicit IncidentRepository(Database& db) : db_(db) {}

  // Seals the title to the box's public key: it may name a pupil.
  Result<std::int64_t> open(std::string_view title, std::span<const std::uint8_t> public_key,
                            std::string_view actor, TimeUs now = now_us());
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

}  // namespace hm::store
