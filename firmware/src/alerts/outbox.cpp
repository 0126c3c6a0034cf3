#include "alerts/outbox.h"

#include <sqlite3.h>

#include <array>

#include "alerts/rules.h"
#include "crypto/encoding.h"
#include "crypto/random.h"

namespace hm::alerts {
namespace {

constexpr std::string_view kColumns =
    "id, kind, recipients, subject, body, attachment_name, attachment, message_id, created_us, "
    "next_attempt_us, attempts, state, last_answer, sent_us";

OutboxState state_from(std::string_view text) {
  if (text == "retrying") return OutboxState::retrying;
  if (text == "sent") return OutboxState::sent;
  if (text == "failed") return OutboxState::failed;
  return OutboxState::queued;
}

OutboxMessage message_from(const store::Statement& row) {
  OutboxMessage message;
  message.id = row.column_int(0);
  message.kind = row.column_text(1);
  message.recipients = split_list(row.column_text(2));
  message.subject = row.column_text(3);
  message.body = row.column_text(4);
  message.attachment_name = row.column_text(5);
  message.attachment = row.column_blob(6);
  message.message_id = row.column_text(7);
  message.created_us = row.column_int(8);
  message.next_attempt_us = row.column_int(9);
  message.attempts = static_cast<int>(row.column_int(10));
  message.state = state_from(row.column_text(11));
  message.last_answer = row.column_text(12);
  if (!row.column_is_null(13)) message.sent_us = row.column_int(13);
  return message;
}

std::string new_message_id() {
  std::array<std::uint8_t, 16> random{};
  crypto::random_bytes(random);
  return crypto::to_hex(random) + "@hallmonitor.local";
}

Status run(store::Statement& statement, std::string_view what) {
  statement.step();
  if (!statement.ok()) return error(std::string(what) + ": " + statement.error());
  return Ok{};
}

}  // namespace

std::string_view to_string(OutboxState state) {
  switch (state) {
    case OutboxState::queued: return "queued";
    case OutboxState::retrying: return "retrying";
    case OutboxState::sent: return "sent";
    case OutboxState::failed: return "failed";
  }
  return "queued";
}

std::chrono::seconds retry_delay(int attempts) {
  using std::chrono::minutes;
  using std::chrono::seconds;
  constexpr std::array<seconds, 6> kSteps = {seconds(30), minutes(1),  minutes(2),
                                             minutes(5),  minutes(10), minutes(30)};
  if (attempts <= 0) return seconds(0);
  if (static_cast<std::size_t>(attempts) <= kSteps.size()) return kSteps[attempts - 1];
  return std::chrono::hours(1);
}

Result<std::int64_t> Outbox::enqueue(const NewMessage& message, TimeUs now) {
  std::string recipients;
  for (const std::string& recipient : message.recipients) {
    if (!recipients.empty()) recipients += ',';
    recipients += recipient;
  }
  store::Statement insert(
      db_,
      "INSERT INTO outbox (kind, recipients, subject, body, attachment_name, attachment, "
      "message_id, created_us, next_attempt_us, state) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'queued')");
  insert.bind(1, message.kind)
      .bind(2, recipients)
      .bind(3, message.subject)
      .bind(4, message.body)
      .bind(7, new_message_id())
      .bind(8, now)
      .bind(9, std::max(now, message.not_before_us));
  if (message.attachment_name.empty()) {
    insert.bind_null(5).bind_null(6);
  } else {
    insert.bind(5, message.attachment_name)
        .bind_blob(6, {reinterpret_cast<const std::uint8_t*>(message.attachment.data()),
                       message.attachment.size()});
  }
  if (auto done = run(insert, "the email was not queued"); !done) return Error{done.error()};
  return static_cast<std::int64_t>(sqlite3_last_insert_rowid(db_.handle()));
}

std::vector<OutboxMessage> Outbox::due(TimeUs now, int limit) {
  store::Statement select(db_, "SELECT " + std::string(kColumns) +
                                   " FROM outbox WHERE state IN ('queued', 'retrying') AND "
                                   "next_attempt_us <= ?1 ORDER BY next_attempt_us, id LIMIT ?2");
  select.bind(1, now).bind(2, std::int64_t{limit});
  std::vector<OutboxMessage> messages;
  while (select.step()) messages.push_back(message_from(select));
  return messages;
}

Status Outbox::mark_sent(std::int64_t id, TimeUs now, std::string_view answer) {
  store::Statement update(
      db_,
      "UPDATE outbox SET state = 'sent', sent_us = ?2, attempts = attempts + 1, "
      "last_answer = ?3 WHERE id = ?1");
  update.bind(1, id).bind(2, now).bind(3, answer);
  return run(update, "the email's sending was not recorded");
}

Status Outbox::mark_attempt_failed(std::int64_t id, TimeUs now, std::string_view answer,
                                   bool permanent) {
  store::Statement attempts(db_, "SELECT attempts FROM outbox WHERE id = ?1");
  attempts.bind(1, id);
  const int tried = attempts.step() ? static_cast<int>(attempts.column_int(0)) + 1 : 1;
  store::Statement update(db_,
                          "UPDATE outbox SET state = ?2, attempts = ?3, next_attempt_us = ?4, "
                          "last_answer = ?5 WHERE id = ?1");
  const TimeUs next =
      now + std::chrono::duration_cast<std::chrono::microseconds>(retry_delay(tried)).count();
  update.bind(1, id)
      .bind(2, permanent ? "failed" : "retrying")
      .bind(3, std::int64_t{tried})
      .bind(4, next)
      .bind(5, answer);
  return run(update, "the failed attempt was not recorded");
}

Status Outbox::retry_all_now(TimeUs now) {
  store::Statement update(
      db_,
      "UPDATE outbox SET next_attempt_us = ?1 WHERE state = 'retrying' AND next_attempt_us > ?1");
  update.bind(1, now);
  return run(update, "the waiting emails were not rescheduled");
}

Status Outbox::retry(std::int64_t id, TimeUs now) {
  store::Statement update(db_,
                          "UPDATE outbox SET state = 'retrying', next_attempt_us = ?2 "
                          "WHERE id = ?1 AND state IN ('failed', 'retrying')");
  update.bind(1, id).bind(2, now);
  if (auto done = run(update, "the email was not rescheduled"); !done) return done;
  if (sqlite3_changes(db_.handle()) == 0) {
    return error("email " + std::to_string(id) + " is not waiting to be sent");
  }
  return Ok{};
}

std::vector<OutboxMessage> Outbox::recent(int limit, std::optional<OutboxState> state) {
  store::Statement select(db_, "SELECT " + std::string(kColumns) +
                                   " FROM outbox WHERE ?1 IS NULL OR state = ?1 "
                                   "ORDER BY created_us DESC, id DESC LIMIT ?2");
  if (state) {
    select.bind(1, to_string(*state));
  } else {
    select.bind_null(1);
  }
  select.bind(2, std::int64_t{limit});
  std::vector<OutboxMessage> messages;
  while (select.step()) messages.push_back(message_from(select));
  return messages;
}

std::optional<OutboxMessage> Outbox::find(std::int64_t id) {
  store::Statement select(db_, "SELECT " + std::string(kColumns) + " FROM outbox WHERE id = ?1");
  select.bind(1, id);
  if (!select.step()) return std::nullopt;
  return message_from(select);
}

OutboxCounts Outbox::counts(TimeUs now) {
  store::Statement select(
      db_,
      "SELECT coalesce(sum(state IN ('queued', 'retrying')), 0), "
      "coalesce(sum(state = 'retrying'), 0), coalesce(sum(state = 'failed'), 0), "
      "coalesce(sum(state = 'sent' AND sent_us >= ?1), 0) FROM outbox");
  select.bind(1, now - std::int64_t{24} * 3600 * 1'000'000);
  OutboxCounts counts;
  if (select.step()) {
    counts.waiting = select.column_int(0);
    counts.retrying = select.column_int(1);
    counts.failed = select.column_int(2);
    counts.sent_last_day = select.column_int(3);
  }
  return counts;
}

}  // namespace hm::alerts
