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

struct Columns {
  std::optional<std::size_t> name, first, last, group, upn;
  std::vector<std::size_t> devices;
};

Columns find_columns(const std::vector<std::string>& header) {
  Columns columns;
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
    } else if (one_of(key, {"group", "class", "form", "year", "yeargroup", "tutorgroup",
                            "registrationgroup", "reggroup"})) {
      take(columns.group);
    } else if (one_of(key, {"upn", "email", "emailaddress", "userprincipalname", "username"})) {
      take(columns.upn);
    } else if (one_of(key,
                      {"mac", "macaddress", "devicemac", "device", "devices", "host", "hostname",
                       "devicename", "computer", "computername", "ipad", "chromebook", "laptop"})) {
      columns.devices.push_back(i);
    }
  }
  return columns;
}

std::string cell(const Row& row, std::optional<std::size_t> column) {
  if (!column || *column >= row.fields.size()) return {};
  return trim(row.fields[*column]);
}

bool blank(const Row& row) {
  return std::all_of(row.fields.begin(), row.fields.end(),
                     [](const std::string& field) { return trim(field).empty(); });
}

}  // namespace

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
  return nlohmann::json{{"name", person.name},
                        {"group", person.group},
                        {"upn", person.upn},
                        {"devices", person.devices}}
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
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
  return person;
}

Result<std::vector<Person>> parse_people_csv(std::string_view text) {
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
  const Columns columns = find_columns(header->fields);
  if (!columns.name && !columns.first && !columns.last) {
    return error("line " + std::to_string(header->line) +
                 ": the header has no name column; name one \"name\" (or \"first name\" "
                 "and \"surname\"), and the others e.g. \"class\", \"mac\", \"upn\"");
  }

  std::vector<Person> people;
  while (true) {
    auto next = reader.next();
    if (!next) return Error{next.error()};
    if (!*next) break;
    const Row& row = **next;
    if (blank(row)) continue;
    const std::string where = "line " + std::to_string(row.line) + ": ";
    Person person;
    person.name = cell(row, columns.name);
    if (person.name.empty()) {
      const std::string first = cell(row, columns.first);
      const std::string last = cell(row, columns.last);
      person.name = first.empty() || last.empty() ? first + last : first + " " + last;
    }
    if (person.name.empty()) {
      return error(where + "no name (this row has " + std::to_string(row.fields.size()) +
                   " fields, the header " + std::to_string(header->fields.size()) + ")");
    }
    person.group = cell(row, columns.group);
    person.upn = cell(row, columns.upn);
    for (const std::size_t column : columns.devices) {
      // One cell may list several devices: "aa:bb:…; pupil-ipad-12".
      std::string devices = cell(row, column);
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
          return error(where + "\"" + device.substr(0, 64) +
                       "\" is neither a MAC address (like 3c:22:fb:01:02:03) nor a host name");
        }
        if (std::find(person.devices.begin(), person.devices.end(), *normal) ==
            person.devices.end()) {
          person.devices.push_back(*normal);
        }
      }
    }
    people.push_back(std::move(person));
  }
  return people;
}

}  // namespace hm::evidence
