#include "store/capture_review.h"

#include "store/audit_log.h"

namespace hm::store {
namespace {

constexpr std::string_view kReviewColumns =
    "id, review_status, coalesce(first_reviewed_us, 0), coalesce(reviewed_us, 0), "
    "coalesce(reviewed_by, ''), EXISTS (SELECT 1 FROM incident_captures WHERE capture_id = id)";

CaptureReview read_review(const Statement& row) {
  CaptureReview review;
  review.status = row.column_text(1);
  review.first_reviewed_us = row.column_int(2);
  review.reviewed_us = row.column_int(3);
  review.reviewed_by = row.column_text(4);
  review.in_incident = row.column_int(5) != 0;
  return review;
}

}  // namespace

Result<std::optional<CaptureReview>> CaptureReviews::mark(std::int64_t capture_id,
                                                          std::string_view status,
                                                          std::string_view actor, TimeUs now) {
  if (status != "reviewed" && status != "false_positive") {
    return error("a capture can be marked reviewed or false_positive, not \"" +
                 std::string(status) + "\"");
  }
  Transaction transaction(db_);
  if (!transaction.active()) return error("cannot mark the capture: the database is busy");
  Statement update(db_,
                   "UPDATE captures SET review_status = ?1, reviewed_us = ?2, reviewed_by = ?3, "
                   "first_reviewed_us = coalesce(first_reviewed_us, ?2) WHERE id = ?4;");
  update.bind(1, status).bind(2, now).bind(3, actor).bind(4, capture_id);
  update.step();
  if (!update.ok()) return error("cannot mark the capture: " + update.error());
  if (Statement changed(db_, "SELECT changes();"); !changed.step() || changed.column_int(0) == 0) {
    return std::optional<CaptureReview>();
  }
  const std::string detail = "capture " + std::to_string(capture_id) + " marked " +
                             (status == "reviewed" ? "reviewed" : "false positive");
  if (auto audited = AuditLog(db_).append(actor, "capture_review", detail, now); !audited) {
    return error("the capture was not marked because the audit log cannot be written: " +
                 audited.error());
  }
  if (auto committed = transaction.commit(); !committed) {
    return error("cannot mark the capture: " + committed.error());
  }
  return of(capture_id);
}

std::optional<CaptureReview> CaptureReviews::of(std::int64_t capture_id) {
  Statement query(db_, "SELECT " + std::string(kReviewColumns) + " FROM captures WHERE id = ?1;");
  query.bind(1, capture_id);
  if (!query.step()) return std::nullopt;
  return read_review(query);
}

std::map<std::int64_t, CaptureReview> CaptureReviews::of_each(std::span<const std::int64_t> ids) {
  std::map<std::int64_t, CaptureReview> reviews;
  if (ids.empty()) return reviews;
  std::string sql = "SELECT " + std::string(kReviewColumns) + " FROM captures WHERE id IN (";
  for (std::size_t i = 0; i < ids.size(); ++i) sql += (i == 0 ? "?" : ", ?");
  sql += ");";
  Statement query(db_, sql);
  for (std::size_t i = 0; i < ids.size(); ++i) query.bind(static_cast<int>(i + 1), ids[i]);
  while (query.step()) reviews.emplace(query.column_int(0), read_review(query));
  return reviews;
}

}  // namespace hm::store
