#include "evidence/people_csv.h"

#include <algorithm>
#include <array>
#include <cctype>

#include <nlohmann/json.hpp>

namespace hm::evidence {
namespace {

struct Row {
  std::vector<std::string> fields;
  std::size_t line = 0;  // where the row starts, counting from 1
};

// Splits CSV into rows of fields (RFC 4180 §2, with LF or CRLF line ends). Stops at
// the first malformed row with an error that names its line.
class CsvReader {
 public:
  explicit CsvReader(std::string_view text) : text_(text) {}

  // The next row, an empty optional at the end, or an error.
  Result<std::optional<Row>> next() {
    if (pos_ >= text_.size()) return std::optional<Row>();
    Row row;
    row.line = line_;
    std::string field;
    bool quoted = false;      // inside a quoted field
    bool was_quoted = false;  // the current field was quoted and has closed
    while (pos_ < text_.size()) {
      const char c = text_[pos_++];
      if (quoted) {
        if (c == '"') {
          if (pos_ < text_.size() && text_[pos_] == '"') {
            field += '"';
            ++pos_;
          } else {
            quoted = false;
            was_quoted = true;
          }
        } else {
          if (c == '\n') ++line_;
          field += c;
        }
      } else if (c == ',') {
        if (auto added = add(row, field); !added) return Error{added.error()};
        was_quoted = false;
      } else if (c == '\n' || c == '\r') {
        if (c == '\r' && pos_ < text_.size() && text_[pos_] == '\n') ++pos_;
        ++line_;
        if (auto added = add(row, field); !added) return Error{added.error()};
        return std::optional<Row>(std::move(row));
      } else if (c == '"') {
        if (!field.empty() && !was_quoted) {
          // A quote inside an unquoted field (Excel writes these): keep it as text.
          field += c;
        } else if (was_quoted) {
          return error(where(row.line) +
                       "a quoted field is followed by more text before the "
                       "next comma; put the whole field in quotes and double "
                       "any quote inside it (\"\")");
        } else {
          quoted = true;
        }
      } else {
        if (was_quoted && c != ' ' && c != '\t') {
          return error(where(row.line) +
                       "a quoted field is followed by more text before the "
                       "next comma; put the whole field in quotes and double "
                       "any quote inside it (\"\")");
        }
        if (!was_quoted) field += c;
      }
      if (field.size() > kMaxPeopleCsvField) {
        return error(where(row.line) + "a field is longer than " +
                     std::to_string(kMaxPeopleCsvField) + " characters");
      }
    }
    if (quoted) {
      return error(where(row.line) + "a quoted field is never closed (a \" is missing)");
    }
    if (auto added = add(row, field); !added) return Error{added.error()};
    return std::optional<Row>(std::move(row));
  }

 private:
  static std::string where(std::size_t line) { return "line " + std::to_string(line) + ": "; }

  static Status add(Row& row, std::string& field) {
    // A row with this many cells is not a list of pupils.
    if (row.fields.size() >= 256) {
      return error(where(row.line) + "more than 256 columns");
    }
    row.fields.push_back(std::move(field));
    field.clear();
    return Ok{};
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  std::size_t line_ = 1;
};

std::string trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t");
  return std::string(text.substr(first, last - first + 1));
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// The header name without case, spaces, dashes, underscores or dots: "Device MAC" → "devicemac".
std::string column_key(std::string_view header) {
  std::string key;
  for (const unsigned char c : header) {
    if (std::isalnum(c)) key += static_cast<char>(std::tolower(c));
  }
  return key;
}

bool one_of(const std::string& key, std::initializer_list<std::string_view> names) {
  return std::find(names.begin(), names.end(), key) != names.end();
}

std::string cell(const std::vector<std::string>& fields, std::optional<std::size_t> column) {
  if (!column || *column >= fields.size()) return {};
  return trim(fields[*column]);
}

bool blank(const Row& row) {
  return std::all_of(row.fields.begin(), row.fields.end(),
                     [](const std::string& field) { return trim(field).empty(); });
}

// Whether a role cell says staff; nullopt when it says neither staff nor pupil.
std::optional<bool> staff_role(std::string_view text) {
  const std::string key = column_key(text);
  if (key.empty() || one_of(key, {"pupil", "student", "child", "learner", "p", "s"})) return false;
  if (one_of(key, {"staff", "teacher", "teachingassistant", "ta", "adult", "employee", "t"})) {
    return true;
  }
  return std::nullopt;
}

// One data row as a person, or the reason it is not one (without the line number).
Result<Person> person_of(const std::vector<std::string>& fields, const PeopleColumns& columns,
                         std::size_t header_fields) {
  Person person;
  person.name = cell(fields, columns.name);
  if (person.name.empty()) {
    const std::string first = cell(fields, columns.first);
    const std::string last = cell(fields, columns.last);
    person.name = first.empty() || last.empty() ? first + last : first + " " + last;
  }
  if (person.name.empty()) {
    return error("no name (this row has " + std::to_string(fields.size()) + " fields, the header " +
                 std::to_string(header_fields) + ")");
  }
  person.year_group = cell(fields, columns.year_group);
  person.group = cell(fields, columns.group);
  if (person.group.empty()) person.group = person.year_group;
  person.upn = cell(fields, columns.upn);
  if (columns.role) {
    const std::string role = cell(fields, columns.role);
    const auto staff = staff_role(role);
    if (!staff) {
      return error("the role \"" + role.substr(0, 64) + "\" is neither pupil nor staff");
    }
    person.staff = *staff;
  }
  for (const std::size_t column : columns.devices) {
    // One cell may list several devices: "aa:bb:…; pupil-ipad-12".
    std::string devices = cell(fields, column);
    std::replace_if(
        devices.begin(), devices.end(), [](char c) { return c == ';' || c == '|' || c == ' '; },
        ',');
    std::size_t start = 0;
    while (start <= devices.size()) {
      const std::size_t end = std::min(devices.find(',', start), devices.size());
      const std::string device = trim(std::string_view(devices).substr(start, end - start));
      start = end + 1;
      if (device.empty()) continue;
      const auto normal = normalise_device(device);
      if (!normal) {
        return error("\"" + device.substr(0, 64) +
                     "\" is neither a MAC address (like 3c:22:fb:01:02:03) nor a host name");
      }
      if (std::find(person.devices.begin(), person.devices.end(), *normal) ==
          person.devices.end()) {
        person.devices.push_back(*normal);
      }
    }
  }
  return person;
}

bool fits(const PeopleColumns& columns, std::size_t count) {
  const auto in = [&](const std::optional<std::size_t>& column) {
    return !column || *column < count;
  };
  return in(columns.name) && in(columns.first) && in(columns.last) && in(columns.group) &&
         in(columns.year_group) && in(columns.upn) && in(columns.role) &&
         std::all_of(columns.devices.begin(), columns.devices.end(),
                     [&](std::size_t column) { return column < count; });
}

}  // namespace

PeopleColumns guess_people_columns(const std::vector<std::string>& header) {
  PeopleColumns columns;
  for (std::size_t i = 0; i < header.size(); ++i) {
    const std::string key = column_key(header[i]);
    auto take = [&](std::optional<std::size_t>& slot) {
      if (!slot) slot = i;
    };
    if (one_of(key, {"name", "fullname", "pupil", "pupilname", "student", "studentname",
                     "legalname", "preferredname", "displayname"})) {
      take(columns.name);
    } else if (one_of(key, {"firstname", "forename", "givenname", "legalforename",
                            "preferredforename"})) {
      take(columns.first);
    } else if (one_of(key,
                      {"surname", "lastname", "familyname", "legalsurname", "preferredsurname"})) {
      take(columns.last);
    } else if (one_of(key, {"group", "class", "form", "tutorgroup", "registrationgroup", "reggroup",
                            "classname"})) {
      take(columns.group);
    } else if (one_of(key, {"year", "yeargroup", "ncyear", "curriculumyear", "yeartaughtin"})) {
      take(columns.year_group);
    } else if (one_of(key, {"upn", "email", "emailaddress", "userprincipalname", "username"})) {
      take(columns.upn);
    } else if (one_of(key, {"role", "type", "persontype", "staffstudent", "staffpupil"})) {
      take(columns.role);
    } else if (one_of(key,
                      {"mac", "macaddress", "devicemac", "device", "devices", "host", "hostname",
                       "devicename", "computer", "computername", "ipad", "chromebook", "laptop"})) {
      columns.devices.push_back(i);
    }
  }
  return columns;
}

std::optional<std::string> normalise_mac(std::string_view text) {
  std::string hex;
  for (const unsigned char c : text) {
    if (std::isxdigit(c)) {
      hex += static_cast<char>(std::tolower(c));
    } else if (c != ':' && c != '-' && c != '.') {
      return std::nullopt;
    }
  }
  if (hex.size() != 12) return std::nullopt;
  // Separators, where given, must fall between bytes or (Cisco) between groups of four.
  std::string out;
  for (std::size_t i = 0; i < 12; i += 2) {
    if (!out.empty()) out += ':';
    out += hex.substr(i, 2);
  }
  return out;
}

std::optional<std::string> normalise_device(std::string_view text) {
  const std::string trimmed = trim(text);
  if (trimmed.empty()) return std::nullopt;
  if (auto mac = normalise_mac(trimmed)) return mac;
  // RFC 1123 §2.1 host names, plus the underscores some school images use.
  for (const unsigned char c : trimmed) {
    if (!std::isalnum(c) && c != '-' && c != '.' && c != '_') return std::nullopt;
  }
  if (trimmed.size() > 253) return std::nullopt;
  return lower(trimmed);
}

std::string serialize(const Person& person) {
  return nlohmann::json{
      {"name", person.name},       {"group", person.group},           {"upn", person.upn},
      {"devices", person.devices}, {"year_group", person.year_group}, {"staff", person.staff}}
      .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::optional<Person> parse_person(std::string_view blob) {
  const auto json = nlohmann::json::parse(blob, nullptr, false);
  if (!json.is_object()) return std::nullopt;
  Person person;
  try {
    person.name = json.at("name").get<std::string>();
    person.group = json.value("group", std::string());
    person.upn = json.value("upn", std::string());
    person.devices = json.value("devices", std::vector<std::string>());
    person.year_group = json.value("year_group", std::string());
    person.staff = json.value("staff", false);
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
  return person;
}

Result<PeopleCsvPreview> preview_people_csv(std::string_view text,
                                            const std::optional<PeopleColumns>& columns) {
  if (text.size() > kMaxPeopleCsvBytes) {
    return error("the file is larger than " + std::to_string(kMaxPeopleCsvBytes >> 20) +
                 " MB; is it the right file?");
  }
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // Excel's UTF-8 mark
  CsvReader reader(text);

  std::optional<Row> header;
  while (!header) {
    auto row = reader.next();
    if (!row) return Error{row.error()};
    if (!*row) return error("the file is empty: it needs a header line and one line per person");
    if (!blank(**row)) header = std::move(**row);
  }
  PeopleCsvPreview preview;
  preview.header_line = header->line;
  preview.columns = columns ? *columns : guess_people_columns(header->fields);
  if (!fits(preview.columns, header->fields.size())) {
    return error("a chosen column is not in the file's header line (it has " +
                 std::to_string(header->fields.size()) + " columns)");
  }
  if (!preview.columns.name && !preview.columns.first && !preview.columns.last) {
    return error("line " + std::to_string(header->line) +
                 ": the header has no name column; name one \"name\" (or \"first name\" "
                 "and \"surname\"), and the others e.g. \"class\", \"mac\", \"upn\"");
  }
  for (std::string& field : header->fields) field = trim(field);
  preview.header = std::move(header->fields);

  while (true) {
    auto next = reader.next();
    if (!next) return Error{next.error()};
    if (!*next) break;
    const Row& row = **next;
    if (blank(row)) continue;
    PeopleCsvRow read;
    read.line = row.line;
    if (auto person = person_of(row.fields, preview.columns, preview.header.size())) {
      read.person = std::move(*person);
    } else {
      read.error = person.error();
    }
    preview.rows.push_back(std::move(read));
  }
  return preview;
}

Result<std::vector<Person>> parse_people_csv(std::string_view text) {
  auto preview = preview_people_csv(text);
  if (!preview) return Error{preview.error()};
  std::vector<Person> people;
  for (PeopleCsvRow& row : preview->rows) {
    if (!row.person) return error("line " + std::to_string(row.line) + ": " + row.error);
    people.push_back(std::move(*row.person));
  }
  return people;
}

}  // namespace hm::evidence
