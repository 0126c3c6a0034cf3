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
  std::string group;                 // class or form; the year group when there is no class
  std::string upn;                   // unique pupil number or user principal name, if given
  std::vector<std::string> devices;  // MAC addresses (aa:bb:cc:dd:ee:ff) and host names
  std::string year_group{};          // "Year 4", "Reception" …, if given
  bool staff = false;                // a member of staff rather than a pupil
};

inline constexpr std::size_t kMaxPeopleCsvBytes = 16 * 1024 * 1024;
inline constexpr std::size_t kMaxPeopleCsvField = 1024;  // characters in one cell

// Which column holds what (0-based), as guessed from the header or chosen by the
// person importing (the web UI's column mapping).
struct PeopleColumns {
  std::optional<std::size_t> name, first, last, group, year_group, upn, role;
  std::vector<std::size_t> devices;
};

// Guesses the columns from the header's names (see parse_people_csv).
PeopleColumns guess_people_columns(const std::vector<std::string>& header);

// One data row of a people CSV: the person it gives, or why not, in words a school
// office can act on.
struct PeopleCsvRow {
  std::size_t line = 0;
  std::optional<Person> person;
  std::string error;  // empty when `person` is set
};

struct PeopleCsvPreview {
  std::vector<std::string> header;
  std::size_t header_line = 0;
  PeopleColumns columns;
  std::vector<PeopleCsvRow> rows;  // every non-blank row after the header
};

// Reads the whole file row by row: a row with a missing name or an unreadable device
// gets its own error and the others are still read. `columns` overrides the guess
// (each index must be a column of the header). An error only for what stops the whole
// file: too large, empty, malformed CSV (unclosed quote …, naming the line), no name
// column, a mapped column the header does not have.
Result<PeopleCsvPreview> preview_people_csv(std::string_view text,
                                            const std::optional<PeopleColumns>& columns = {});

// Reads the header's columns by name (any case; "name" or "first name" + "surname",
// "group"/"class"/"form"/"year", "mac"/"device"/"host name" (several allowed),
// "upn"/"email", "year group", "role"/"staff"), then one Person per non-blank row. An
// error names the line (the first bad row refuses the whole file, for the CLI).
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
