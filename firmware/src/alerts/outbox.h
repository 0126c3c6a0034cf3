#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "alerts/clock.h"
#include "base/result.h"
#include "store/database.h"

namespace hm::alerts {

enum class OutboxState : std::uint8_t { queued, retrying, sent, failed };
std::string_view to_string(OutboxState state);

// One email the box means to send (issue 7 item 2). Written to the database before any
// attempt, so an outage or a restart delays it and never loses it; marked sent in the
// same breath as the server's "250", so it is not sent twice.
struct OutboxMessage {
  std::int64_t id = 0;
  std::string kind;                     // alert, digest, report
  std::vector<std::string> recipients;  // "dsl" (Settings' address, read when sending) or addresses
  std::string subject;
  std::string body;
  std::string attachment_name;  // e.g. weekly-report-2026-11-16.pdf; empty: none
  std::string attachment;       // its bytes (a PDF)
  std::string message_id;       // the same on every attempt
  TimeUs created_us = 0;
  TimeUs next_attempt_us = 0;
  int attempts = 0;
  OutboxState state = OutboxState::queued;
  std::string last_answer;  // what the last attempt came to, in plain words
  std::optional<TimeUs> sent_us;
};

struct NewMessage {
  std::string kind;
  std::vector<std::string> recipients;
  std::string subject;
  std::string body;
  std::string attachment_name;
  std::string attachment;
  TimeUs not_before_us = 0;  // quiet hours: not sent before this
};

// How long to wait after the n-th failed attempt: 30 s, 1, 2, 5, 10, 30 minutes, then
// hourly. A server that is down for a day is tried 24 times, not thousands.
std::chrono::seconds retry_delay(int attempts);

struct OutboxCounts {
  std::int64_t waiting = 0;   // queued or retrying
  std::int64_t retrying = 0;  // tried and failed at least once, will try again
  std::int64_t failed = 0;    // the server refused for good; needs a person
  std::int64_t sent_last_day = 0;
};

class Outbox {
 public:
  explicit Outbox(store::Database& db) : db_(db) {}

  // Joins the caller's transaction when one is open (an alert and its email commit
  // together).
  Result<std::int64_t> enqueue(const NewMessage& message, TimeUs now);

  // Messages due at `now`, oldest first.
  std::vector<OutboxMessage> due(TimeUs now, int limit = 20);
  Status mark_sent(std::int64_t id, TimeUs now, std::string_view answer);
  // A failed attempt: retried later (retry_delay), or failed for good when `permanent`
  // (the server refused the message itself: a 5xx answer to the recipients or data).
  Status mark_attempt_failed(std::int64_t id, TimeUs now, std::string_view answer, bool permanent);
  // After a restart, or when a person asks: everything waiting is tried at once.
  Status retry_all_now(TimeUs now);
  // A person asks to try a failed message again (the Alerts page).
  Status retry(std::int64_t id, TimeUs now);

  std::vector<OutboxMessage> recent(int limit, std::optional<OutboxState> state = std::nullopt);
  std::optional<OutboxMessage> find(std::int64_t id);
  OutboxCounts counts(TimeUs now);

 private:
  store::Database& db_;
};

}  // namespace hm::alerts
