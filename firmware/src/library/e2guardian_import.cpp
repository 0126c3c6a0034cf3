#include "library/e2guardian_import.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <fstream>
#include <iterator>
#include <optional>
#include <set>
#include <system_error>

#include "library/categories.h"
#include "library/source_writer.h"
#include "match/pattern.h"

namespace hm::library {
namespace {

constexpr std::size_t kMaxListBytes = std::size_t{16} << 20;
constexpr std::size_t kMaxCombinationParts = 8;
constexpr int kYoungChildrenLimit = 50;  // e2guardian's naughtynesslimit for under-11s
constexpr std::size_t kExamplesPerReason = 5;

std::string lower_ascii(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

// Runs of white space as one space.
std::string collapse_spaces(std::string_view text) {
  std::string out;
  for (const char c : trim(text)) {
    const bool space = c == ' ' || c == '\t';
    if (space && (out.empty() || out.back() == ' ')) continue;
    out += space ? ' ' : c;
  }
  return out;
}

struct Part {
  std::string text;
  bool whole_word = true;  // written "< word >": spaces inside both brackets
};

struct ParsedLine {
  std::vector<Part> parts;
  std::optional<int> weight;  // points, after turning N% into points
};

// "-25" or "10%" → points; nullopt when `text` is not a weight.
std::optional<int> weight_of(std::string_view text) {
  text = trim(text);
  const bool percent = !text.empty() && text.back() == '%';
  if (percent) text.remove_suffix(1);
  int value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  if (value < -100000 || value > 100000) return std::nullopt;
  return percent ? value * kYoungChildrenLimit / 100 : value;
}

// "< a >,< b ><25>" → parts and weight; nullopt with `why` when it is not that shape.
std::optional<ParsedLine> parse_phrase_line(std::string_view line, std::string& why) {
  std::vector<std::string_view> groups;
  std::size_t i = 0;
  while (i < line.size()) {
    const char c = line[i];
    if (c == ' ' || c == '\t' || c == ',') {
      ++i;
      continue;
    }
    if (c != '<') {
      why = "not an e2guardian phrase (text outside < >: a regular-expression or site list?)";
      return std::nullopt;
    }
    const std::size_t close = line.find('>', i + 1);
    if (close == std::string_view::npos) {
      why = "a < without its >";
      return std::nullopt;
    }
    groups.push_back(line.substr(i + 1, close - i - 1));
    i = close + 1;
  }
  ParsedLine parsed;
  if (groups.size() >= 2) parsed.weight = weight_of(groups.back());
  if (parsed.weight) groups.pop_back();
  for (const std::string_view group : groups) {
    Part part;
    part.whole_word = group.size() >= 2 && group.front() == ' ' && group.back() == ' ';
    part.text = collapse_spaces(group);
    if (part.text.empty()) {
      why = "an empty < >";
      return std::nullopt;
    }
    parsed.parts.push_back(std::move(part));
  }
  if (parsed.parts.empty()) {
    why = "no phrase";
    return std::nullopt;
  }
  return parsed;
}

int severity_of_weight(int points) {
  if (points >= 2 * kYoungChildrenLimit) return 5;
  if (points >= kYoungChildrenLimit) return 4;
  if (points >= 30) return 3;
  if (points >= 15) return 2;
  return 1;
}

// What the source format cannot hold in a pattern (the field separator, a comment).
std::optional<std::string> unrepresentable(const std::vector<Part>& parts) {
  for (const Part& part : parts) {
    if (part.text.find('|') != std::string::npos) return "a | inside a phrase";
    if (parts.size() > 1 && part.text.find(',') != std::string::npos) {
      return "a comma inside one part of a combination";
    }
    if (part.text.size() > kMaxPatternBytes) return "a phrase longer than 200 bytes";
  }
  if (parts.front().text.front() == '#') return "a phrase starting with #";
  return std::nullopt;
}

// The file name without folders; the list folder ("gambling" in
// ukenglish/gambling/banned) is the fallback category name.
std::string parent_folder_name(std::string_view name) {
  const std::filesystem::path path{std::string(name)};
  return path.parent_path().filename().string();
}

class ListImporter {
 public:
  ListImporter(std::string_view name, const E2guardianImportOptions& options, E2guardianImport& out)
      : name_(name), options_(options), out_(out) {
    const std::string file = std::filesystem::path{std::string(name)}.filename().string();
    exception_list_ = lower_ascii(file).find("exception") != std::string::npos;
    list_category_ = parent_folder_name(name);
  }

  void line(std::size_t number, std::string_view raw) {
    ++out_.lines_read;
    const std::string_view text = trim(raw);
    if (text.empty()) return;
    if (text.front() == '#') {
      read_comment(text);
      return;
    }
    if (text.starts_with(".Include<") || text.starts_with(".include<")) {
      skip(number, text, "an include: import the included list itself");
      return;
    }
    std::string why;
    const auto parsed = parse_phrase_line(text, why);
    if (!parsed) {
      skip(number, text, why);
      return;
    }
    add(number, text, *parsed);
  }

 private:
  void read_comment(std::string_view text) {
    constexpr std::string_view kListCategory = "#listcategory:";
    if (!lower_ascii(text.substr(0, kListCategory.size())).starts_with(kListCategory)) return;
    std::string_view value = trim(text.substr(kListCategory.size()));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    list_category_ = std::string(value);
  }

  void add(std::size_t number, std::string_view text, const ParsedLine& parsed) {
    const std::string category = options_.category.empty()
                                     ? std::string(category_of_e2guardian_list(list_category_))
                                     : options_.category;
    if (category.empty()) {
      skip(number, text,
           "list category \"" + list_category_ +
               "\" is not a safeguarding category (give --category to import it anyway)");
      return;
    }
    if (parsed.weight && *parsed.weight <= 0) {
      skip(number, text,
           "a zero or negative weight (a good phrase that lowers a page's score; "
           "hallmonitor has no scores: write an exception for a real false alarm)");
      return;
    }
    if (parsed.parts.size() > kMaxCombinationParts) {
      skip(number, text, "a combination of more than 8 parts");
      return;
    }
    if (auto problem = unrepresentable(parsed.parts)) {
      skip(number, text, *problem);
      return;
    }
    match::Entry entry;
    entry.category = category;
    entry.language = options_.language;
    entry.source = name_ + ":" + std::to_string(number);
    if (exception_list_) {
      if (parsed.parts.size() > 1) {
        skip(number, text, "a combination in an exception list (exceptions are one phrase)");
        return;
      }
      entry.kind = match::EntryKind::exception;
      entry.severity = 1;
    } else if (parsed.parts.size() > 1) {
      entry.kind = match::EntryKind::combination;
    } else {
      // "hl=en&safe=off" is several words to the matcher, as "crack pipe" is.
      entry.kind = match::words_of(parsed.parts.front().text).size() > 1 ? match::EntryKind::phrase
                                                                         : match::EntryKind::word;
    }
    if (!exception_list_) {
      entry.severity = parsed.weight ? severity_of_weight(*parsed.weight) : 4;
    }
    bool narrowed = false;
    for (const Part& part : parsed.parts) {
      if (!entry.pattern.empty()) entry.pattern += ", ";
      entry.pattern += part.text;
      narrowed = narrowed || !part.whole_word;
    }
    entry.note = "e2guardian " + std::filesystem::path{name_}.filename().string() + ":" +
                 std::to_string(number) +
                 (parsed.weight ? " weight " + std::to_string(*parsed.weight) : " banned") +
                 (narrowed ? ", was part-word" : "");
    const KnownCategory* known = find_known_category(category);
    const match::Category header{category, known ? std::string(known->title) : category,
                                 known ? std::string(known->description) : category};
    // The source parser is the judge of what a library file may hold (UTF-8, control
    // bytes, lengths …): an entry it would refuse is skipped here, with its words.
    if (auto reread = parse_source(format_source_file(SourceFile{header, {entry}}), "probe.hml");
        !reread || reread->entries.size() != 1) {
      std::string why = reread ? "it reads back differently" : reread.error();
      if (const auto colon = why.find(": "); colon != std::string::npos) {
        why = why.substr(colon + 2);  // drop the probe's file:line
      }
      skip(number, text, "not something a library file can hold", " (" + why + ")");
      return;
    }
    if (auto [it, inserted] = out_.first_source_of.emplace(duplicate_key(entry), entry.source);
        !inserted) {
      skip(number, text, "a duplicate of an earlier phrase", " (first at " + it->second + ")");
      return;
    }
    if (narrowed) ++out_.narrowed;
    SourceFile& file = out_.files[category];
    if (file.category.id.empty()) file.category = header;
    file.entries.push_back(std::move(entry));
  }

  void skip(std::size_t number, std::string_view text, const std::string& reason,
            std::string_view detail = {}) {
    std::string shown = std::string(text.substr(0, 120)) + std::string(detail);
    out_.skipped.push_back({name_ + ":" + std::to_string(number), reason, std::move(shown)});
    ++out_.skipped_by_reason[reason];
  }

  std::string name_;
  const E2guardianImportOptions& options_;
  E2guardianImport& out_;
  bool exception_list_ = false;
  std::string list_category_;
};

}  // namespace

std::string_view category_of_e2guardian_list(std::string_view list_name) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 15> kMap = {{
      {"porn", "pornography"},
      {"pornography", "pornography"},
      {"nudism", "pornography"},
      {"illegaldrugs", "drugs"},
      {"drugadvocacy", "drugs"},
      {"drugs", "drugs"},
      {"gambling", "gambling"},
      {"violence", "violence"},
      {"gore", "violence"},
      {"weapons", "weapons"},
      {"intolerance", "discrimination"},
      {"proxy", "circumvention"},
      {"proxies", "circumvention"},
      {"warezhacking", "illegal"},
      {"hacking", "illegal"},
  }};
  std::string key;
  for (const char c : list_name) {
    if (c == ' ' || c == '_' || c == '-') continue;
    key += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  for (const auto& [name, category] : kMap) {
    if (key == name) return category;
  }
  return {};
}

void import_e2guardian_list(std::string_view text, std::string_view name,
                            const E2guardianImportOptions& options, E2guardianImport& out) {
  ListImporter importer(name, options, out);
  std::size_t number = 0;
  while (!text.empty()) {
    const std::size_t end = text.find('\n');
    importer.line(++number, text.substr(0, end));
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
  }
}

Result<E2guardianImport> import_e2guardian_paths(const std::vector<std::filesystem::path>& paths,
                                                 const E2guardianImportOptions& options) {
  if (!options.category.empty() && !is_known_category(options.category)) {
    return error("--category \"" + options.category + "\" is not a category hallmonitor knows");
  }
  std::vector<std::filesystem::path> files;
  for (const auto& path : paths) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
      for (const auto& item : std::filesystem::recursive_directory_iterator(path, ec)) {
        if (item.is_regular_file()) files.push_back(item.path());
      }
      if (ec) return error("cannot read the folder " + path.string() + ": " + ec.message());
    } else if (std::filesystem::is_regular_file(path, ec)) {
      files.push_back(path);
    } else {
      return error(path.string() + " is neither a list file nor a folder of lists");
    }
  }
  std::sort(files.begin(), files.end());
  E2guardianImport out;
  for (const auto& file : files) {
    std::ifstream stream(file, std::ios::binary);
    std::string text;
    text.resize(kMaxListBytes + 1);
    stream.read(text.data(), static_cast<std::streamsize>(text.size()));
    text.resize(static_cast<std::size_t>(stream.gcount()));
    if (stream.bad()) return error("cannot read " + file.string());
    if (text.size() > kMaxListBytes) {
      return error(file.string() + " is larger than 16 MiB; is it really a phrase list?");
    }
    import_e2guardian_list(text, file.string(), options, out);
  }
  return out;
}

std::string e2guardian_import_report(const E2guardianImport& import) {
  std::string out;
  std::size_t imported = 0;
  for (const auto& [id, file] : import.files) imported += file.entries.size();
  out += "read " + std::to_string(import.lines_read) + " lines: imported " +
         std::to_string(imported) + " entries, skipped " + std::to_string(import.skipped.size()) +
         " phrases\n";
  for (const auto& [id, file] : import.files) {
    std::map<std::string, std::size_t> by_kind;
    for (const auto& entry : file.entries) ++by_kind[std::string(match::to_string(entry.kind))];
    out += "  " + id + ": " + std::to_string(file.entries.size());
    std::string kinds;
    for (const auto& [kind, count] : by_kind) {
      kinds += (kinds.empty() ? "" : ", ") + std::to_string(count) + " " + kind;
    }
    out += " (" + kinds + ")\n";
  }
  if (import.narrowed > 0) {
    out += "  " + std::to_string(import.narrowed) +
           " part-word phrases (\"<word>\") were imported as whole words: hallmonitor never "
           "matches inside a word\n";
  }
  if (!import.skipped_by_reason.empty()) out += "skipped, by reason:\n";
  for (const auto& [reason, count] : import.skipped_by_reason) {
    out += "  " + std::to_string(count) + " × " + reason + "\n";
    std::size_t shown = 0;
    for (const auto& skipped : import.skipped) {
      if (skipped.reason != reason) continue;
      if (shown++ == kExamplesPerReason) break;
      out += "      " + skipped.source + ": " + skipped.text + "\n";
    }
  }
  return out;
}

}  // namespace hm::library
