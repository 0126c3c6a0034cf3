#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "crypto/secret.h"
#include "evidence/people_csv.h"
#include "store/accounts.h"
#include "store/database.h"

namespace hm::store {

// The school's records of pupils, sealed like evidence (DESIGN.md "Evidence is sealed";
// migration 4 says why the devices are sealed too). Importing needs only the public
// key; reading a name back needs the private key, so only a signed-in user (or the
// recovery key) ever sees one.
class PeopleRepository {
 public:
  explicit PeopleRepository(Database& db) : db_(db) {}

  struct ImportSummary {
    std::int64_t imported = 0;
    std::int64_t replaced = 0;  // records deleted first (replace)
  };
  // Seals and stores every person in one transaction with its audit entry (which
  // counts, never names). `replace` deletes the earlier import first: names are sealed,
  // so a second import cannot be merged with the first without the private key.
  Result<ImportSummary> import(std::span<const evidence::Person> people,
                               std::span<const std::uint8_t> public_key, bool replace,
                               std::string_view actor, TimeUs now = now_us());

  struct MergeSummary {
    std::int64_t added = 0;
    std::int64_t updated = 0;  // already in the records: kept their id, record re-sealed
    std::int64_t kept = 0;     // in the records but not in this file: left as they were
  };
  // The web UI's import, with the signed-in user's private key at hand: a person
  // already in the records (the same UPN; without one, the same name and class) keeps
  // their id, so their device assignments and groups stay. Each person joins their
  // year group, class and (staff) the staff group, made as needed; a MAC address in
  // their row is assigned to them from `now` unless it already is. One transaction,
  // one audit entry (counts, never names).
  Result<MergeSummary> merge(std::span<const evidence::Person> people,
                             std::span<const std::uint8_t> public_key,
                             const crypto::SecretBytes& private_key, std::string_view actor,
                             TimeUs now = now_us());

  std::int64_t count();

  struct Record {
    std::int64_t id = 0;
    TimeUs imported_us = 0;
    evidence::Person person;
  };
  struct Opened {
    std::vector<Record> people;
    std::int64_t unreadable = 0;  // rows that did not open (wrong key, or changed)
  };
  // Every record, opened with the private key.
  Opened open_all(const crypto::SecretBytes& private_key);
  // One record; nullopt if there is none or it does not open.
  std::optional<Record> open_one(std::int64_t id, const crypto::SecretBytes& private_key);

  // Deletes one record (secure_delete overwrites it); the caller audits.
  Status remove(std::int64_t id);

 private:
  Database& db_;
};

// The associated data a person's record is sealed with: a blob moved to another row
// no longer opens.
std::vector<std::uint8_t> person_associated_data(std::int64_t id);

}  // namespace hm::store
