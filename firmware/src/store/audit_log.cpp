#include "store/audit_log.h"

#include <sqlite3.h>

#include <array>
#include <vector>

#include "crypto/encoding.h"
#include "crypto/hash.h"

namespace hm::store {
namespace {

constexpr std::array<std::uint8_t, 32> kGenesis{};

void put_u64(std::vector<std::uint8_t>& out, std::uint64_t value) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<std::uint8_t>(value >> (8 * i)));
}

void put_text(std::vector<std::uint8_t>& out, std::string_view text) {
  put_u64(out, text.size());  // length-prefixed: no two field splits hash alike
  out.insert(out.end(), text.begin(), text.end());
}

crypto::Sha256Digest entry_hash(std::string_view prev_hash, std::int64_t id, TimeUs ts_us,
                                std::string_view actor, std::string_view action,
                                std::string_view detail) {
  std::vector<std::uint8_t> message(prev_hash.begin(), prev_hash.end());
  put_u64(message, static_cast<std::uint64_t>(id));
  put_u64(message, static_cast<std::uint64_t>(ts_us));
  put_text(message, actor);
  put_text(message, action);
  put_text(message, detail);
  return crypto::sha256(message);
}

std::span<const std::uint8_t> as_bytes(std::string_view text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

}  // namespace

Status AuditLog::append(std::string_view actor, std::string_view action, std::string_view detail,
                        TimeUs now) {
  std::optional<Transaction> own;
  if (sqlite3_get_autocommit(db_.handle()) != 0) own.emplace(db_);
  Statement last(db_, "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1;");
  std::int64_t id = 1;
  std::string prev(kGenesis.begin(), kGenesis.end());
  if (last.step()) {
    id = last.column_int(0) + 1;
    prev = last.column_blob(1);
  }
  if (!last.ok()) return error("cannot read the audit log: " + last.error());
  const auto hash = entry_hash(prev, id, now, actor, action, detail);
  Statement insert(db_,
                   "INSERT INTO audit_log (id, ts_us, actor, action, detail, prev_hash, hash) "
                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7);");
  insert.bind(1, id)
      .bind(2, now)
      .bind(3, actor)
      .bind(4, action)
      .bind(5, detail)
      .bind_blob(6, as_bytes(prev))
      .bind_blob(7, hash);
  insert.step();
  if (!insert.ok()) return error("cannot write the audit log: " + insert.error());
  return own ? own->commit() : Status(Ok{});
}

AuditLog::Verification AuditLog::verify() {
  Verification result;
  Statement rows(db_,
                 "SELECT id, ts_us, actor, action, detail, prev_hash, hash FROM audit_log "
                 "ORDER BY id;");
  std::string expected_prev(kGenesis.begin(), kGenesis.end());
  std::int64_t expected_id = 1;
  while (rows.step()) {
    ++result.entries;
    const std::int64_t id = rows.column_int(0);
    const std::string prev = rows.column_blob(5);
    const std::string stored = rows.column_blob(6);
    std::string reason;
    if (id != expected_id) {
      reason = "entry " + std::to_string(expected_id) + " is missing (the next is " +
               std::to_string(id) + ")";
    } else if (prev != expected_prev) {
      reason = "its link to the entry before does not match (an entry was changed or removed)";
    } else {
      const auto computed = entry_hash(prev, id, rows.column_int(1), rows.column_text(2),
                                       rows.column_text(3), rows.column_text(4));
      if (!crypto::constant_time_equal(computed, as_bytes(stored))) {
        reason = "its contents do not match its hash (the entry was edited)";
      }
    }
    if (!reason.empty()) {
      result.first_broken = std::min(id, expected_id);
      result.reason = std::move(reason);
      return result;
    }
    expected_prev = stored;
    ++expected_id;
  }
  if (!rows.ok()) {
    result.first_broken = expected_id;
    result.reason = "the audit log cannot be read: " + rows.error();
  }
  return result;
}

}  // namespace hm::store
