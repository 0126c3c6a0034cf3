#include "store/people_repository.h"

#include <algorithm>
#include <cctype>
#include <map>

#include "crypto/seal.h"
#include "store/audit_log.h"
#include "store/device_repository.h"
#include "store/group_repository.h"

namespace hm::store {
namespace {

std::span<const std::uint8_t> bytes_of(std::string_view text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// Who a row is, for matching an import against the records already there.
std::string identity(const evidence::Person& person) {
  if (!person.upn.empty()) return "upn:" + lower(person.upn);
  return "name:" + lower(person.name) + "\n" + lower(person.group);
}

Status store_sealed(Database& db, std::int64_t id, const evidence::Person& person,
                    std::span<const std::uint8_t> public_key, TimeUs now) {
  std::string plain = evidence::serialize(person);
  const auto sealed = crypto::seal(public_key, bytes_of(plain), person_associated_data(id));
  crypto::wipe_bytes({reinterpret_cast<std::uint8_t*>(plain.data()), plain.size()});
  Statement upsert(db,
                   "INSERT INTO people (id, imported_us, sealed, kind) VALUES (?1, ?2, ?3, ?4) "
                   "ON CONFLICT (id) DO UPDATE SET imported_us = ?2, sealed = ?3, kind = ?4;");
  upsert.bind(1, id).bind(2, now).bind_blob(3, sealed).bind(4, person.staff ? "staff" : "pupil");
  upsert.step();
  if (!upsert.ok()) return error("cannot store a person: " + upsert.error());
  return Ok{};
}

// The year group, class and staff group the person's row names (made as needed).
Status join_groups(Database& db, std::int64_t id, const evidence::Person& person, TimeUs now) {
  GroupRepository groups(db);
  for (const GroupKind kind : {GroupKind::year, GroupKind::class_group, GroupKind::staff}) {
    if (auto left = groups.leave_all(id, kind); !left) return left;
  }
  std::vector<std::pair<std::string, GroupKind>> wanted;
  if (person.staff) wanted.emplace_back("Staff", GroupKind::staff);
  if (!person.year_group.empty()) wanted.emplace_back(person.year_group, GroupKind::year);
  if (!person.group.empty() && person.group != person.year_group) {
    wanted.emplace_back(person.group, GroupKind::class_group);
  }
  for (const auto& [name, kind] : wanted) {
    auto group = groups.ensure(name.substr(0, kMaxGroupName), kind, now);
    if (!group) return Status{Error{group.error()}};
    if (auto joined = groups.add_member(*group, id); !joined) return joined;
  }
  return Ok{};
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
  for (const evidence::Person& person : people) {
    ++id;
    if (auto stored = store_sealed(db_, id, person, public_key, now); !stored) {
      return Error{stored.error()};
    }
    if (auto joined = join_groups(db_, id, person, now); !joined) return Error{joined.error()};
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

Result<PeopleRepository::MergeSummary> PeopleRepository::merge(
    std::span<const evidence::Person> people, std::span<const std::uint8_t> public_key,
    const crypto::SecretBytes& private_key, std::string_view actor, TimeUs now) {
  if (!crypto::valid_public_key(public_key)) return error("the box has no evidence public key");
  MergeSummary summary;
  Transaction transaction(db_);
  const Opened existing = open_all(private_key);
  if (existing.unreadable > 0) {
    // Matching needs every record: a record that does not open could be anyone.
    return error(std::to_string(existing.unreadable) +
                 " records already stored do not open with your key; nothing was imported");
  }
  std::map<std::string, std::int64_t> known;
  for (const Record& record : existing.people) known.emplace(identity(record.person), record.id);
  std::int64_t next_id = 0;
  {
    Statement last(db_, "SELECT coalesce(max(id), 0) FROM people;");
    if (last.step()) next_id = last.column_int(0);
  }
  std::map<std::string, bool> seen;
  DeviceRepository devices(db_);
  for (const evidence::Person& person : people) {
    const std::string who = identity(person);
    if (!seen.emplace(who, true).second) {
      return error("\"" + person.name.substr(0, 64) +
                   "\" is in the file twice; nothing was imported (give each row its own UPN)");
    }
    std::int64_t id = 0;
    if (auto found = known.find(who); found != known.end()) {
      id = found->second;
      ++summary.updated;
    } else {
      id = ++next_id;
      ++summary.added;
    }
    if (auto stored = store_sealed(db_, id, person, public_key, now); !stored) {
      return Error{stored.error()};
    }
    if (auto joined = join_groups(db_, id, person, now); !joined) return Error{joined.error()};
    for (const std::string& device : person.devices) {
      if (!evidence::normalise_mac(device)) continue;  // host names stay in the record
      const auto current = devices.assignment_at(device, now);
      if (current && current->person_id == id) continue;
      if (auto added = devices.seen(device, now); !added) return Error{added.error()};
      if (auto assigned = devices.insert_assignment(device, id, {}, 0, now, actor); !assigned) {
        return error("\"" + person.name.substr(0, 64) + "\": " + assigned.error());
      }
    }
  }
  summary.kept = static_cast<std::int64_t>(existing.people.size()) - summary.updated;
  const std::string detail = std::to_string(summary.added) + " people added, " +
                             std::to_string(summary.updated) + " updated, " +
                             std::to_string(summary.kept) + " kept; names sealed";
  if (auto audited = AuditLog(db_).append(actor, "people_import", detail, now); !audited) {
    return Error{audited.error()};
  }
  if (auto committed = transaction.commit(); !committed) return Error{committed.error()};
  return summary;
}

std::optional<PeopleRepository::Record> PeopleRepository::open_one(
    std::int64_t id, const crypto::SecretBytes& private_key) {
  Statement query(db_, "SELECT imported_us, sealed FROM people WHERE id = ?1;");
  query.bind(1, id);
  if (!query.step()) return std::nullopt;
  const std::string sealed = query.column_blob(1);
  auto plain = crypto::open_sealed(private_key, bytes_of(sealed), person_associated_data(id));
  if (!plain) return std::nullopt;
  auto person = evidence::parse_person(*plain);
  crypto::wipe_bytes({reinterpret_cast<std::uint8_t*>(plain->data()), plain->size()});
  if (!person) return std::nullopt;
  return Record{id, query.column_int(0), std::move(*person)};
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
