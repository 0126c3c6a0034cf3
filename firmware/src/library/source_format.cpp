#include "library/source_format.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "library/categories.h"
#include "match/pattern.h"

namespace hm::library {
namespace {

constexpr std::string_view kWhitespace = " \t\r\f\v";

std::string_view trim(std::string_view text) {
  const auto begin = text.find_first_not_of(kWhitespace);
  if (begin == std::string_view::npos) {
    return {};
  }
  const auto end = text.find_last_not_of(kWhitespace);
  return text.substr(begin, end - begin + 1);
}

std::string lower_ascii(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return out;
}

// Runs of spaces and tabs inside a pattern become one space: alignment in a text
// editor must not change what an entry means.
std::string collapse_whitespace(std::string_view text) {
  std::string out;
  bool in_space = false;
  for (char c : trim(text)) {
    if (kWhitespace.find(c) != std::string_view::npos) {
      in_space = true;
      continue;
    }
    if (in_space) {
      out.push_back(' ');
      in_space = false;
    }
    out.push_back(c);
  }
  return out;
}

// RFC 3629 well-formed UTF-8 (no overlongs, no surrogates, ≤ U+10FFFF).
bool is_valid_utf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto byte = static_cast<unsigned char>(text[i]);
    std::size_t length = 0;
    std::uint32_t code_point = 0;
    if (byte < 0x80) {
      ++i;
      continue;
    }
    if (byte >= 0xc2 && byte <= 0xdf) {
      length = 2;
      code_point = byte & 0x1fU;
    } else if (byte >= 0xe0 && byte <= 0xef) {
      length = 3;
      code_point = byte & 0x0fU;
    } else if (byte >= 0xf0 && byte <= 0xf4) {
      length = 4;
      code_point = byte & 0x07U;
    } else {
      return false;
    }
    if (i + length > text.size()) {
      return false;
    }
    for (std::size_t k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xc0U) != 0x80U) {
        return false;
      }
      code_point = (code_point << 6U) | (next & 0x3fU);
    }
    if ((length == 3 && (code_point < 0x800 || (code_point >= 0xd800 && code_point <= 0xdfff))) ||
        (length == 4 && (code_point < 0x10000 || code_point > 0x10ffff))) {
      return false;
    }
    i += length;
  }
  return true;
}

bool has_control_byte(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte < 0x20 || byte == 0x7f;
  });
}

bool has_letter_or_digit(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return (byte >= 'a' && byte <= 'z') || (byte >= 'A' && byte <= 'Z') ||
           (byte >= '0' && byte <= '9') || byte >= 0x80;
  });
}

// BCP 47 in the simple form the library needs: "en", "cy", "pl", "ur", "ro", "en-GB".
bool is_language_tag(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size() && text[i] >= 'a' && text[i] <= 'z') {
    ++i;
  }
  if (i < 2 || i > 3) {
    return false;
  }
  while (i < text.size()) {
    if (text[i] != '-') {
      return false;
    }
    const std::size_t start = ++i;
    while (i < text.size() && std::isalnum(static_cast<unsigned char>(text[i])) != 0) {
      ++i;
    }
    if (i - start < 2 || i - start > 8) {
      return false;
    }
  }
  return true;
}

// A domain entry as the matcher expects it, or a message saying what to write.
// RFC 1035 §2.3.1 / RFC 1123 §2.1: labels of letters, digits and inner hyphens,
// at most 63 bytes each, 253 in all.
Result<std::string> check_domain(std::string_view pattern) {
  std::string name = lower_ascii(pattern);
  if (name.find("://") != std::string::npos || name.find('/') != std::string::npos) {
    return error("write only the domain name, e.g. example.com, without http:// or a path");
  }
  if (name.find('*') != std::string::npos) {
    return error(
        "write example.com, not *.example.com: a domain entry already covers "
        "all of its subdomains");
  }
  if (name.find(' ') != std::string::npos) {
    return error("a domain cannot contain spaces");
  }
  if (!name.empty() && name.back() == '.') {
    name.pop_back();
  }
  if (std::any_of(name.begin(), name.end(),
                  [](char c) { return static_cast<unsigned char>(c) >= 0x80; })) {
    return error("write international domain names in their xn-- (punycode) form");
  }
  if (name.size() > 253) {
    return error("a domain name is at most 253 characters");
  }
  std::size_t labels = 0;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = name.find('.', start);
    const std::string_view label =
        std::string_view(name).substr(start, dot == std::string::npos ? dot : dot - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-' ||
        !std::all_of(label.begin(), label.end(), [](char c) {
          return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
        })) {
      return error("\"" + std::string(pattern) +
                   "\" is not a domain name: use letters, digits, hyphens and dots, "
                   "e.g. example.co.uk");
    }
    ++labels;
    if (dot == std::string::npos) {
      break;
    }
    start = dot + 1;
  }
  if (labels < 2) {
    return error("a domain needs at least two parts, e.g. example.com, not \"" + name + "\"");
  }
  return name;
}

std::string in_quotes(std::string_view text) { return "\"" + std::string(text) + "\""; }

// The pattern field ends at the first `|` not written as `\|` (regexes use `\|`
// for alternation); returns its end, or npos.
std::size_t end_of_pattern_field(std::string_view line) {
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '\\' && i + 1 < line.size() && line[i + 1] == '|') {
      ++i;
    } else if (line[i] == '|') {
      return i;
    }
  }
  return std::string_view::npos;
}

std::string unescape_bars(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 1 < text.size() && text[i + 1] == '|') {
      continue;
    }
    out.push_back(text[i]);
  }
  return out;
}

bool is_hex_digest(std::string_view text) {
  return text.size() == 64 && std::all_of(text.begin(), text.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
         });
}

// "example.com/path" for a url entry, or a message saying what to write.
Result<std::string> check_url(std::string_view pattern) {
  if (pattern.find("://") != std::string_view::npos) {
    return error("write the address without http:// or https://, e.g. example.com/videos/");
  }
  if (pattern.find(' ') != std::string_view::npos) {
    return error("a web address cannot contain spaces; write them as %20");
  }
  const std::size_t slash = pattern.find('/');
  if (slash == std::string_view::npos || slash + 1 >= pattern.size()) {
    return error(
        "a url entry is a site and the start of a path, e.g. example.com/videos/; "
        "for a whole site write a domain entry");
  }
  auto host = check_domain(pattern.substr(0, slash));
  if (!host) {
    return host;
  }
  return *host + std::string(pattern.substr(slash));
}

// Applies the options after the kind ("phrase no-leet age=ks2") to the entry.
std::optional<std::string> apply_options(std::string_view options, match::Entry& entry) {
  std::size_t start = 0;
  while (start < options.size()) {
    const std::size_t space = options.find(' ', start);
    const std::string option =
        lower_ascii(options.substr(start, space == std::string_view::npos ? space : space - start));
    start = space == std::string_view::npos ? options.size() : space + 1;
    if (option.empty()) {
      continue;
    }
    if (option.rfind("age=", 0) == 0) {
      auto group = match::age_group_from_string(option.substr(4));
      if (!group) {
        return "age= takes eyfs, ks1, ks2, ks3, ks4 or ks5, got " + in_quotes(option);
      }
      entry.min_age_group = *group;
      continue;
    }
    if (option == "exact") {
      entry.rules &=
          static_cast<match::NormaliseRules>(~(match::kLeet | match::kSplit | match::kRepeats));
      continue;
    }
    auto rule = match::rule_from_flag(option);
    if (!rule) {
      return "unknown option " + in_quotes(option) +
             "; after the kind you may write no-decode, no-accents, no-leet, no-split, "
             "no-repeats, exact or age=ks1…ks5";
    }
    entry.rules &= static_cast<match::NormaliseRules>(~*rule);
  }
  return std::nullopt;
}

// Collects a file's mistakes so a person can fix them in one go.
class Problems {
 public:
  explicit Problems(std::string_view file_name) : file_name_(file_name) {}

  void add(std::size_t line, const std::string& message) {
    if (count_++ < kMaxReportedErrors) {
      if (!text_.empty()) {
        text_ += '\n';
      }
      text_ += file_name_;
      if (line > 0) {
        text_ += ':' + std::to_string(line);
      }
      text_ += ": " + message;
    }
  }
  bool any() const { return count_ > 0; }
  std::string text() const {
    if (count_ <= kMaxReportedErrors) {
      return text_;
    }
    return text_ + "\n…and " + std::to_string(count_ - kMaxReportedErrors) + " more";
  }

 private:
  std::string file_name_;
  std::string text_;
  std::size_t count_ = 0;
};

struct HeaderField {
  std::string value;
  std::size_t line = 0;
};

}  // namespace

std::optional<std::string> CrossFileDuplicates::add(const match::Entry& entry) {
  const auto [it, inserted] = source_of_.emplace(duplicate_key(entry), entry.source);
  if (inserted) return std::nullopt;
  return entry.source + ": " + in_quotes(entry.pattern) + " is already an entry at " + it->second +
         "; keep it in one category only";
}

std::string duplicate_key(const match::Entry& entry) {
  switch (entry.kind) {
    case match::EntryKind::word:
    case match::EntryKind::phrase: break;
    case match::EntryKind::combination: {
      std::vector<std::string> parts;
      for (const std::string& part : match::combination_parts(entry.pattern)) {
        std::string words;
        for (const std::string& word : match::words_of(part)) {
          words += (words.empty() ? "" : " ") + word;
        }
        parts.push_back(std::move(words));
      }
      std::sort(parts.begin(), parts.end());
      std::string key = "combination";
      for (const std::string& part : parts) {
        key += "," + part;
      }
      return key;
    }
    case match::EntryKind::exception: {
      std::string key = "exception";
      for (const std::string& word : match::words_of(entry.pattern)) {
        key += ' ' + word;
      }
      return key;
    }
    default: return std::string(match::to_string(entry.kind)) + " " + entry.pattern;
  }
  std::string key = "words";
  for (const std::string& word : match::words_of(entry.pattern)) {
    key += ' ';
    key += word;
  }
  return key;
}

Result<SourceFile> parse_source(std::string_view text, std::string_view file_name) {
  Problems problems(file_name);
  SourceFile file;
  HeaderField category;
  HeaderField title;
  HeaderField description;
  std::map<std::string, std::size_t> first_line_of;  // duplicate key → line
  bool seen_entry = false;

  if (text.substr(0, 3) == "\xef\xbb\xbf") {
    text.remove_prefix(3);  // the byte-order mark Windows Notepad writes
  }
  std::size_t line_number = 0;
  std::size_t position = 0;
  while (position < text.size()) {
    const std::size_t newline = text.find('\n', position);
    const std::string_view raw =
        text.substr(position, newline == std::string_view::npos ? newline : newline - position);
    position = newline == std::string_view::npos ? text.size() : newline + 1;
    ++line_number;

    const std::string_view line = trim(raw);
    if (line.empty() || line.front() == '#') {
      continue;
    }
    if (!is_valid_utf8(line)) {
      problems.add(line_number, "this line is not valid UTF-8 text; save the file as UTF-8");
      continue;
    }

    if (line.find('|') == std::string_view::npos) {
      // A header line: "key: value".
      const std::size_t colon = line.find(':');
      if (colon == std::string_view::npos) {
        problems.add(line_number,
                     "expected an entry (pattern | kind | severity | language | note) or a "
                     "header line (category:, title: or description:), got " +
                         in_quotes(line));
        continue;
      }
      const std::string key = lower_ascii(trim(line.substr(0, colon)));
      const std::string value(trim(line.substr(colon + 1)));
      if (seen_entry) {
        problems.add(line_number,
                     "header lines (" + key + ": …) must come before the first entry; move it up");
        continue;
      }
      if (value.empty()) {
        problems.add(line_number, in_quotes(key + ":") + " needs a value after the colon");
        continue;
      }
      if (key == "description") {
        // Several description lines make one paragraph.
        if (!description.value.empty()) {
          description.value += ' ';
        } else {
          description.line = line_number;
        }
        description.value += value;
      } else if (key == "category" || key == "title") {
        HeaderField& field = key == "category" ? category : title;
        if (field.line != 0) {
          problems.add(line_number, in_quotes(key + ":") + " is already given on line " +
                                        std::to_string(field.line));
          continue;
        }
        field = HeaderField{value, line_number};
      } else {
        problems.add(line_number, "unknown header " + in_quotes(key) +
                                      "; the header lines are category:, title: and "
                                      "description:");
      }
      continue;
    }

    // An entry: pattern | kind [options] | severity | language [| note].
    seen_entry = true;
    std::vector<std::string_view> fields;
    const std::size_t pattern_end = end_of_pattern_field(line);
    fields.push_back(trim(line.substr(0, pattern_end)));
    std::size_t start = pattern_end == std::string_view::npos ? line.size() + 1 : pattern_end + 1;
    while (fields.size() < 4 && start <= line.size()) {
      const std::size_t bar = line.find('|', start);
      if (bar == std::string_view::npos) {
        fields.push_back(trim(line.substr(start)));
        start = line.size() + 1;
        break;
      }
      fields.push_back(trim(line.substr(start, bar - start)));
      start = bar + 1;
    }
    // Whatever follows the fourth bar is the note, bars and all.
    const std::string_view note = start <= line.size() ? trim(line.substr(start)) : "";
    if (fields.size() < 4) {
      problems.add(line_number,
                   "expected pattern | kind | severity | language (and an "
                   "optional | note), found only " +
                       std::to_string(fields.size()) + " fields");
      continue;
    }

    match::Entry entry;
    entry.source = std::string(file_name) + ":" + std::to_string(line_number);
    entry.note = std::string(note);
    bool entry_ok = true;
    auto reject = [&](const std::string& message) {
      problems.add(line_number, message);
      entry_ok = false;
    };

    const std::string kind_field = collapse_whitespace(fields[1]);
    const std::size_t kind_end = kind_field.find(' ');
    const std::string kind_text = lower_ascii(kind_field.substr(0, kind_end));
    if (auto kind = match::entry_kind_from_string(kind_text)) {
      entry.kind = *kind;
      if (kind_end != std::string::npos) {
        if (auto problem =
                apply_options(std::string_view(kind_field).substr(kind_end + 1), entry)) {
          reject(*problem);
        }
      }
    } else {
      reject(
          "kind must be word, phrase, domain, url, regex, combination, sha256 or exception, "
          "got " +
          in_quotes(fields[1]));
    }

    if (fields[2].size() == 1 && fields[2][0] >= '1' && fields[2][0] <= '5') {
      entry.severity = fields[2][0] - '0';
    } else {
      reject("severity must be 1–5, got " + in_quotes(fields[2]));
    }

    entry.language = lower_ascii(fields[3]);
    if (!is_language_tag(entry.language)) {
      reject("language must be a code such as \"en\" or \"cy\", got " + in_quotes(fields[3]));
    }

    // A regex keeps its spaces as written; other patterns are tidied.
    const std::string pattern = entry.kind == match::EntryKind::regex
                                    ? unescape_bars(fields[0])
                                    : collapse_whitespace(unescape_bars(fields[0]));
    if (pattern.empty()) {
      reject("the pattern (before the first |) is empty");
    } else if (pattern.size() > kMaxPatternBytes) {
      reject("the pattern is longer than " + std::to_string(kMaxPatternBytes) + " bytes");
    } else if (has_control_byte(pattern)) {
      reject("the pattern contains a control character");
    } else if (!has_letter_or_digit(pattern)) {
      reject("the pattern " + in_quotes(pattern) + " has no letters or digits");
    } else if (!entry_ok) {
      // The kind is unknown: nothing more to check.
    } else if (entry.kind == match::EntryKind::word && pattern.find(' ') != std::string::npos) {
      reject("a word cannot contain spaces: write " + in_quotes(pattern) +
             " | phrase | … to match it as a phrase");
    } else if (entry.kind == match::EntryKind::domain) {
      auto domain = check_domain(pattern);
      if (domain) {
        entry.pattern = std::move(*domain);
      } else {
        reject(domain.error());
      }
    } else if (entry.kind == match::EntryKind::url) {
      auto url = check_url(pattern);
      if (url) {
        entry.pattern = std::move(*url);
      } else {
        reject(url.error());
      }
    } else if (entry.kind == match::EntryKind::sha256) {
      if (is_hex_digest(pattern)) {
        entry.pattern = lower_ascii(pattern);
      } else {
        reject("a sha256 entry is the file's SHA-256 as 64 hexadecimal digits (0-9, a-f), got " +
               std::to_string(pattern.size()) + " characters");
      }
    } else if (entry.kind == match::EntryKind::combination) {
      const auto parts = match::combination_parts(pattern);
      if (parts.size() < 2 || parts.size() > match::kMaxCombinationParts) {
        reject("a combination is 2 to " + std::to_string(match::kMaxCombinationParts) +
               " words or phrases separated by commas, e.g. \"buy, weed, snapchat\"");
      } else if (std::any_of(parts.begin(), parts.end(),
                             [](const std::string& part) { return !has_letter_or_digit(part); })) {
        reject(
            "each part of a combination needs letters or digits (an empty part between "
            "two commas?)");
      } else {
        entry.pattern = pattern;
      }
    } else {
      entry.pattern = pattern;
    }
    if (entry_ok) {
      // What only the matcher can tell: a regex Hyperscan rejects or that matches
      // empty text, a pattern that normalises to nothing.
      if (entry.kind == match::EntryKind::regex) {
        if (auto problem = match::check_entry(entry)) {
          reject("regex " + in_quotes(entry.pattern) + ": " + *problem);
        }
      } else {
        for (const match::Expression& expression : match::expressions_for(entry)) {
          if (expression.text.empty() && entry.kind != match::EntryKind::sha256) {
            reject(in_quotes(entry.pattern) +
                   " has nothing left to match once normalised; write letters or digits");
            break;
          }
        }
      }
    }
    if (!entry_ok) {
      continue;
    }

    const std::string key = duplicate_key(entry);
    if (auto [it, inserted] = first_line_of.emplace(key, line_number); !inserted) {
      problems.add(line_number, in_quotes(entry.pattern) + " repeats the entry on line " +
                                    std::to_string(it->second) + "; keep one of them");
      continue;
    }
    file.entries.push_back(std::move(entry));
  }

  if (category.line == 0) {
    problems.add(0,
                 "missing the \"category:\" line; start the file with e.g. "
                 "\"category: suicide\"");
  } else if (!is_known_category(category.value)) {
    std::string known;
    for (std::string_view id : known_category_ids()) {
      known += known.empty() ? "" : ", ";
      known += id;
    }
    problems.add(category.line,
                 "unknown category " + in_quotes(category.value) + "; use one of: " + known);
  }
  if (title.line == 0) {
    problems.add(0,
                 "missing the \"title:\" line (the name shown to staff, e.g. "
                 "\"title: Suicide\")");
  }
  if (description.line == 0) {
    problems.add(0,
                 "missing the \"description:\" line (a sentence or two for the "
                 "headteacher)");
  }
  if (problems.any()) {
    return error(problems.text());
  }

  file.category = match::Category{category.value, title.value, description.value};
  for (match::Entry& entry : file.entries) {
    entry.category = file.category.id;
  }
  return file;
}

Result<SourceFile> load_source_file(const std::filesystem::path& path) {
  const std::string file_name = path.filename().string();
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) {
    return error(path.string() + ": cannot read: " + ec.message());
  }
  if (size > kMaxSourceFileBytes) {
    return error(file_name + ": larger than " + std::to_string(kMaxSourceFileBytes) +
                 " bytes; split the category or check the file is a library source");
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream contents;
  contents << in.rdbuf();
  if (!in) {
    return error(path.string() + ": cannot read the file");
  }
  auto file = parse_source(contents.str(), file_name);
  if (!file) {
    return file;
  }
  const std::string expected = file->category.id + std::string(kSourceExtension);
  if (file_name != expected) {
    return error(file_name + ": holds category " + in_quotes(file->category.id) +
                 ", so it must be named " + expected + " (one file per category)");
  }
  return file;
}

Result<match::Library> load_source_dir(const std::filesystem::path& dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    return error(dir.string() + ": no such library folder");
  }
  std::vector<std::filesystem::path> paths;
  for (const auto& item : std::filesystem::directory_iterator(dir, ec)) {
    if (item.path().extension() == kSourceExtension && item.is_regular_file()) {
      paths.push_back(item.path());
    }
  }
  if (ec) {
    return error(dir.string() + ": cannot list the folder: " + ec.message());
  }
  if (paths.empty()) {
    return error(dir.string() + ": holds no library files (*" + std::string(kSourceExtension) +
                 ")");
  }
  std::sort(paths.begin(), paths.end());

  match::Library library;
  library.name =
      dir.filename().empty() ? dir.parent_path().filename().string() : dir.filename().string();
  std::string problems;
  CrossFileDuplicates duplicates;
  // FNV-1a (64-bit) over names and contents: a short, stable edition id.
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  auto mix = [&hash](std::string_view bytes) {
    for (char c : bytes) {
      hash = (hash ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
    }
  };
  for (const auto& path : paths) {
    auto file = load_source_file(path);
    if (!file) {
      problems += (problems.empty() ? "" : "\n") + file.error();
      continue;
    }
    mix(path.filename().string());
    for (const match::Entry& entry : file->entries) {
      mix(entry.pattern);
      mix(match::to_string(entry.kind));
      mix(std::to_string(entry.severity));
      mix(entry.language);
      mix(entry.note);
      mix(std::to_string(entry.rules));
      mix(match::to_string(entry.min_age_group));
      if (auto repeated = duplicates.add(entry)) {
        problems += (problems.empty() ? "" : "\n") + *repeated;
      }
    }
    mix(file->category.title);
    mix(file->category.description);
    library.categories.push_back(std::move(file->category));
    std::move(file->entries.begin(), file->entries.end(), std::back_inserter(library.entries));
  }
  if (!problems.empty()) {
    return error(problems);
  }
  char version[32];
  std::snprintf(version, sizeof version, "source-%08llx",
                static_cast<unsigned long long>(hash >> 32U));
  library.version = version;
  return library;
}

std::filesystem::path default_source_dir() { return HM_DEFAULT_LIBRARY_DIR; }

}  // namespace hm::library
