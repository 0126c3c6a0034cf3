#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "base/result.h"
#include "store/accounts.h"
#include "store/database.h"

namespace hm::store {

// Where a capture stands with the school's staff. Kept beside the capture's metadata
// (migration 6), outside its sealed evidence: marking one needs no key.
struct CaptureReview {
  std::string status = "new";    // new, reviewed, false_positive
  TimeUs first_reviewed_us = 0;  // 0 until someone first marks it; never changes after
  TimeUs reviewed_us = 0;        // the latest mark
  std::string reviewed_by;       // who made the latest mark
  bool in_incident = false;      // an incident links it (open or closed)
};

// Marks captures reviewed or false positive. The time from capture to first review is
// kept (first_reviewed_us): KCSiE asks that concerns are followed up, and how quickly
// is what reports and inspectors look at.
class CaptureReviews {
 public:
  explicit CaptureReviews(Database& db) : db_(db) {}

  // Marks the capture `status` (reviewed or false_positive), with its audit entry
  // (capture_review) in the same transaction: both or neither. nullopt: no such capture.
  Result<std::optional<CaptureReview>> mark(std::int64_t capture_id, std::string_view status,
                                            std::string_view actor, TimeUs now = now_us());
  // nullopt: no such capture.
  std::optional<CaptureReview> of(std::int64_t capture_id);
  // The review of each capture that exists among `ids`.
  std::map<std::int64_t, CaptureReview> of_each(std::span<const std::int64_t> ids);

 private:
  Database& db_;
};

}  // namespace hm::store
