// libFuzzer target: arbitrary bytes as the school's people CSV (links the `evidence`
// CMake target), through evidence::parse_people_csv, the web UI's row-by-row preview
// (evidence::preview_people_csv, with the guessed columns and with a column mapping
// taken from the input's first bytes) and the device normalisers.
// Properties checked: no crash, hang or out-of-bounds read (ASan); a parse either
// fails with a message naming a line or gives people who each have a name, fields
// within the cell limit and devices that normalise to themselves; a person survives
// serialising for sealing and reading back; the preview's rows each carry a person or
// an error, never both, and agree with the whole-file parse.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "evidence/people_csv.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto people = hm::evidence::parse_people_csv(text);
  if (!people) {
    if (people.error().empty()) std::abort();
    return 0;
  }
  for (const auto& person : *people) {
    if (person.name.empty() || person.group.size() > hm::evidence::kMaxPeopleCsvField) {
      std::abort();
    }
    for (const auto& device : person.devices) {
      const auto again = hm::evidence::normalise_device(device);
      if (!again || *again != device) std::abort();
    }
    const auto round_trip = hm::evidence::parse_person(hm::evidence::serialize(person));
    if (!round_trip || round_trip->devices != person.devices) std::abort();
    // Invalid UTF-8 is replaced when serialised, so names compare only when valid.
  }
  (void)hm::evidence::normalise_mac(text.substr(0, 64));

  const auto preview = hm::evidence::preview_people_csv(text);
  if (preview) {
    std::size_t good = 0;
    for (const auto& row : preview->rows) {
      if (row.person.has_value() == !row.error.empty()) std::abort();
      if (row.person) ++good;
    }
    // The whole-file parse succeeds exactly when every row does, with the same people.
    if (people && people->size() != good) std::abort();
    if (!people && good == preview->rows.size() && !preview->rows.empty()) std::abort();
  } else if (people) {
    std::abort();
  }
  // A mapping from the first bytes (as a person choosing columns might): any column
  // number, including ones the header does not have, must be refused or read safely.
  if (size >= 4) {
    hm::evidence::PeopleColumns columns;
    columns.name = data[0] % 8;
    if (data[1] & 1) columns.year_group = data[1] % 8;
    if (data[2] & 1) columns.role = data[2] % 8;
    columns.devices.push_back(data[3] % 8);
    const auto mapped = hm::evidence::preview_people_csv(text.substr(4), columns);
    if (mapped) {
      for (const auto& row : mapped->rows) {
        if (row.person.has_value() == !row.error.empty()) std::abort();
        if (row.person && row.person->name.empty()) std::abort();
      }
    }
  }
  return 0;
}
