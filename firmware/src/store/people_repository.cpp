#include "store/people_repository.h"

#include "crypto/seal.h"
#include "store/audit_log.h"

namespace hm::store {
namespace {

std::span<const std::uint8_t> bytes_of(std::string_view text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

}  // namespace

std::vector<std::uint8_t> person_associated_data(std::int64_t id) {
  const std::string text = "hallmonitor person " + std::to_string(id);
  return {text.begin(), text.end()};
}

Result<PeopleRepository::ImportSummary> PeopleRepository::import(
    std::span<const evidence::Person> people, std::span<const std::uint8_t> public_key,
    bool replace, std::string_view actor, TimeUs now) {
  if (!crypto::valid_public_key(public_key)) {
    return error("the box has no valid evidence public key (run `hallmonitor admin status`)");
  }
  ImportSummary summary;
  Transaction transaction(db_);
  if (replace) {
    summary.replaced = count();
    if (auto removed = db_.exec("DELETE FROM people;"); !removed) return Error{removed.error()};
  }
  std::int64_t id = 0;
  {
    Statement last(db_, "SELECT coalesce(max(id), 0) FROM people;");
    if (last.step()) id = last.column_int(0);
  }
  Statement insert(db_, "INSERT INTO people (id, imported_us, sealed) VALUES (?1, ?2, ?3);");
  for (const evidence::Person& person : people) {
    ++id;
    std::string plain = evidence::serialize(person);
    const auto sealed = crypto::seal(public_key, bytes_of(plain), person_associated_data(id));
    crypto::wipe_bytes({reinterpret_cast<std::uint8_t*>(plain.data()), plain.size()});
    insert.reset();
    insert.bind(1, id).bind(2, now).bind_blob(3, sealed);
    insert.step();
    if (!insert.ok()) return error("cannot store a person: " + insert.error());
    ++summary.imported;
  }
  std::string detail = std::to_string(summary.imported) + " people imported, names sealed";
  if (replace) detail += "; " + std::to_string(summary.replaced) + " earlier records replaced";
  if (auto audited = AuditLog(db_).append(actor, "people_import", detail, now); !audited) {
    return Error{audited.error()};
  }
  if (auto committed = transaction.commit(); !committed) return Error{committed.error()};
  return summary;
}

std::int64_t PeopleRepository::count() {
  Statement query(db_, "SELECT count(*) FROM people;");
  return query.step() ? query.column_int(0) : 0;
}

PeopleRepository::Opened PeopleRepository::open_all(const crypto::SecretBytes& private_key) {
  Opened opened;
  Statement query(db_, "SELECT id, imported_us, sealed FROM people ORDER BY id;");
  while (query.step()) {
    const std::int64_t id = query.column_int(0);
    const std::string sealed = query.column_blob(2);
    auto plain = crypto::open_sealed(private_key, bytes_of(sealed), person_associated_data(id));
    auto person = plain ? evidence::parse_person(*plain) : std::nullopt;
    if (plain) crypto::wipe_bytes({reinterpret_cast<std::uint8_t*>(plain->data()), plain->size()});
    if (!person) {
      ++opened.unreadable;
      continue;
    }
    opened.people.push_back(Record{id, query.column_int(1), std::move(*person)});
  }
  return opened;
}

Status PeopleRepository::remove(std::int64_t id) {
  Statement remove(db_, "DELETE FROM people WHERE id = ?1;");
  remove.bind(1, id);
  remove.step();
  if (!remove.ok()) return error("cannot delete a person's record: " + remove.error());
  return Ok{};
}

}  // namespace hm::store
