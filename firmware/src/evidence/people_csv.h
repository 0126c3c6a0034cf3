#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

// The school's records of pupils (and staff), exported from its management information
// system as CSV, for `hallmonitor admin import-people` (issue 5). Tolerant of what
// real exports look like: a UTF-8 byte-order mark, CRLF or LF line ends, quoted
// fields holding commas, quotes ("") and line breaks (RFC 4180 §2), blank lines and
// columns we do not use. A row we cannot read is refused with its line number.
namespace hm::evidence {

// One person, as imported. Kept only sealed on disk (store/people_repository.h).
struct Person {
  std::string name;
  std::string group;                 // class, form or year group
  std::string upn;                   // unique pupil number or user principal name, if given
  std::vector<std::string> devices;  // MAC addresses (aa:bb:cc:dd:ee:ff) and host names
};

inline constexpr std::size_t kMaxPeopleCsvBytes = 16 * 1024 * 1024;
inline constexpr std::size_t kMaxPeopleCsvField = 1024;  // characters in one cell

// Reads the header's columns by name (any case; "name" or "first name" + "surname",
// "group"/"class"/"form"/"year", "mac"/"device"/"host name" (several allowed),
// "upn"/"email"), then one Person per non-blank row. An error names the line.
Result<std::vector<Person>> parse_people_csv(std::string_view text);

// "AA-BB-CC-DD-EE-FF", "aabb.ccdd.eeff", "AABBCCDDEEFF" → "aa:bb:cc:dd:ee:ff" (as
// captures record it); nullopt if `text` is not a MAC address.
std::optional<std::string> normalise_mac(std::string_view text);

// A person as one blob for sealing (JSON), and back; nullopt if `blob` is not one.
std::string serialize(const Person& person);
std::optional<Person> parse_person(std::string_view blob);

// A device as given in the records: a MAC normalised as above, else a host name in
// lower case; nullopt if empty or it holds characters no host name has.
std::optional<std::string> normalise_device(std::string_view text);

}  // namespace hm::evidence
