#include "library/school_entries.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <set>
#include <sstream>
#include <string_view>
#include <utility>

#include "library/bundle_store.h"
#include "library/categories.h"
#include "library/source_format.h"

namespace hm::library {
namespace {

constexpr std::string_view kSchoolSourcePrefix = "school/";

// One web request edits the folder at a time (each edit reads, checks and rewrites a
// file; two interleaved would lose one).
std::mutex& edit_mutex() {
  static std::mutex mutex;
  return mutex;
}

struct SchoolFile {
  std::filesystem::path path;
  std::string text;
};

std::string in_quotes(std::string_view text) { return "\"" + std::string(text) + "\""; }

// The school folder's *.hml files, sorted by name, with their text.
Result<std::vector<SchoolFile>> read_school_files(const std::filesystem::path& data_dir) {
  std::vector<SchoolFile> files;
  const std::filesystem::path dir = school_entries_dir(data_dir);
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) return files;
  for (const auto& item : std::filesystem::directory_iterator(dir, ec)) {
    if (item.path().extension() == kSourceExtension && item.is_regular_file()) {
      files.push_back(SchoolFile{item.path(), {}});
    }
  }
  if (ec) return error(dir.string() + ": cannot list the folder: " + ec.message());
  std::sort(files.begin(), files.end(),
            [](const SchoolFile& a, const SchoolFile& b) { return a.path < b.path; });
  for (SchoolFile& file : files) {
    if (std::filesystem::file_size(file.path, ec) > kMaxSourceFileBytes || ec) {
      return error(file.path.string() + ": too large or unreadable");
    }
    std::ifstream in(file.path, std::ios::binary);
    std::ostringstream contents;
    contents << in.rdbuf();
    if (!in) return error(file.path.string() + ": cannot read the file");
    file.text = contents.str();
  }
  return files;
}

// Parses one school file; entries' sources become "school/<file>:<line>".
Result<SourceFile> parse_school_file(const SchoolFile& file) {
  const std::string name = file.path.filename().string();
  auto parsed = parse_source(file.text, std::string(kSchoolSourcePrefix) + name);
  if (!parsed) return parsed;
  if (parsed->category.id + std::string(kSourceExtension) != name) {
    return error(std::string(kSchoolSourcePrefix) + name + ": holds category " +
                 in_quotes(parsed->category.id) + ", so it must be named " + parsed->category.id +
                 std::string(kSourceExtension));
  }
  return parsed;
}

Result<std::vector<SourceFile>> load_school_files(const std::filesystem::path& data_dir) {
  auto files = read_school_files(data_dir);
  if (!files) return Error{files.error()};
  std::vector<SourceFile> parsed;
  for (const SchoolFile& file : *files) {
    auto one = parse_school_file(file);
    if (!one) return Error{one.error()};
    parsed.push_back(std::move(*one));
  }
  return parsed;
}

// FNV-1a (64-bit), as load_source_dir names an edition.
std::string fingerprint(const std::vector<SchoolFile>& files) {
  if (files.empty()) return {};
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  auto mix = [&hash](std::string_view bytes) {
    for (char c : bytes) hash = (hash ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
    hash = (hash ^ 0xffU) * 0x100000001b3ULL;  // separates one field from the next
  };
  for (const SchoolFile& file : files) {
    mix(file.path.filename().string());
    mix(file.text);
  }
  char text[20];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(hash));
  return text;
}

// "parsed:4: severity must be 1–5, got "7"" → "severity must be 1–5, got "7"".
std::string without_location(std::string message, std::string_view file_name) {
  std::string out;
  std::istringstream lines(message);
  for (std::string line; std::getline(lines, line);) {
    if (line.starts_with(file_name)) {
      const auto colon = line.find(": ", file_name.size());
      if (colon != std::string::npos) line = line.substr(colon + 2);
    }
    out += (out.empty() ? "" : "\n") + line;
  }
  return out;
}

std::string header_of(const KnownCategory& category) {
  std::string description(category.description);
  std::replace(description.begin(), description.end(), '\n', ' ');
  return "# The school's own entries for this category, added on the box's Library page.\n"
         "# The box reads them on top of the active library bundle.\n\ncategory: " +
         std::string(category.id) + "\ntitle: " + std::string(category.title) +
         "\ndescription: " + description +
         "\n\n# pattern | kind [options] | severity | language | note\n";
}

// The entry's line in a file, from its source "….hml:<line>".
std::size_t line_of(const match::Entry& entry) {
  const auto colon = entry.source.rfind(':');
  if (colon == std::string::npos) return 0;
  return static_cast<std::size_t>(std::stoul(entry.source.substr(colon + 1)));
}

Status fsync_folder(const std::filesystem::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return error("cannot open " + dir.string() + " to sync it");
  const int synced = ::fsync(fd);
  ::close(fd);
  if (synced != 0) return error("cannot sync " + dir.string());
  return Ok{};
}

Status write_text(const std::filesystem::path& path, const std::string& text) {
  std::error_code ec;
  std::filesystem::create_directories(path.parent_path(), ec);
  if (ec) return error("cannot create " + path.parent_path().string() + ": " + ec.message());
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(text.data());
  return write_file_atomically(path, std::span<const std::uint8_t>(bytes, text.size()));
}

}  // namespace

std::filesystem::path school_entries_dir(const std::filesystem::path& data_dir) {
  return bundles_dir(data_dir) / "school";
}

Result<std::vector<match::Entry>> list_school_entries(const std::filesystem::path& data_dir) {
  auto files = load_school_files(data_dir);
  if (!files) return Error{files.error()};
  std::vector<match::Entry> entries;
  for (SourceFile& file : *files) {
    std::move(file.entries.begin(), file.entries.end(), std::back_inserter(entries));
  }
  return entries;
}

Result<match::Entry> add_school_entry(const std::filesystem::path& data_dir,
                                      const match::Library& base, const NewSchoolEntry& entry) {
  const KnownCategory* category = find_known_category(entry.category);
  if (category == nullptr) return error("Choose a category from the list.");
  for (const std::string* field : {&entry.pattern, &entry.kind, &entry.language, &entry.note}) {
    if (field->find_first_of("\r\n") != std::string::npos) {
      return error("Write the entry on one line.");
    }
  }
  if (entry.pattern.find_first_not_of(" \t") == std::string::npos) {
    return error("Write the word, phrase or web site to look for.");
  }

  // Checked exactly as a line of a library file is.
  std::string line = entry.pattern + " | " + entry.kind + " | " + std::to_string(entry.severity) +
                     " | " + entry.language;
  if (!entry.note.empty()) line += " | " + entry.note;
  constexpr std::string_view kProbe = "entry";
  auto probe = parse_source(header_of(*category) + line + "\n", kProbe);
  if (!probe) return error(without_location(probe.error(), kProbe));
  if (probe->entries.size() != 1) return error("Write one entry at a time.");
  match::Entry parsed = probe->entries.front();

  std::lock_guard lock(edit_mutex());
  const std::string key = duplicate_key(parsed);
  for (const match::Entry& existing : base.entries) {
    if (duplicate_key(existing) == key) {
      return error(in_quotes(parsed.pattern) + " is already in the library (" + existing.category +
                   ", severity " + std::to_string(existing.severity) +
                   "), so there is no need to add it.");
    }
  }
  auto school = list_school_entries(data_dir);
  if (!school) {
    return error("The school's own entries cannot be read, so nothing was added: " +
                 school.error());
  }
  for (const match::Entry& existing : *school) {
    if (duplicate_key(existing) == key) {
      return error(in_quotes(parsed.pattern) + " is already one of the school's own entries (" +
                   existing.category + "), so there is no need to add it again.");
    }
  }

  const std::filesystem::path path =
      school_entries_dir(data_dir) / (std::string(category->id) + std::string(kSourceExtension));
  std::string text;
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) {
    auto files = read_school_files(data_dir);
    if (!files) return Error{files.error()};
    for (const SchoolFile& file : *files) {
      if (file.path.filename() == path.filename()) text = file.text;
    }
    if (!text.empty() && text.back() != '\n') text += '\n';
  } else {
    text = header_of(*category);
  }
  text += line + "\n";
  auto reparsed = parse_school_file(SchoolFile{path, text});
  if (!reparsed) return Error{reparsed.error()};

  // A regex Hyperscan refuses must not reach the daemon. The entry compiles on its own
  // (the whole library takes seconds; its other entries compiled already).
  match::Library alone;
  alone.categories.push_back(probe->category);
  alone.entries.push_back(parsed);
  if (auto compiled = match::CompiledLibrary::compile(std::move(alone)); !compiled) {
    return error("The box cannot use this entry: " + compiled.error());
  }
  if (auto written = write_text(path, text); !written) return Error{written.error()};
  parsed.source = reparsed->entries.back().source;
  return parsed;
}

Result<match::Entry> remove_school_entry(const std::filesystem::path& data_dir,
                                         const std::string& category, const std::string& pattern,
                                         const std::string& kind) {
  if (!is_known_category(category))
    return error("There is no category " + in_quotes(category) + ".");
  std::lock_guard lock(edit_mutex());
  auto files = read_school_files(data_dir);
  if (!files) return Error{files.error()};
  const std::string name = category + std::string(kSourceExtension);
  const auto file = std::find_if(files->begin(), files->end(), [&name](const SchoolFile& item) {
    return item.path.filename() == name;
  });
  const std::string missing =
      "The school has no entry " + in_quotes(pattern) + " in " + category + ".";
  if (file == files->end()) return error(missing);
  auto parsed = parse_school_file(*file);
  if (!parsed) return Error{parsed.error()};

  std::vector<const match::Entry*> found;
  for (const match::Entry& entry : parsed->entries) {
    if (entry.pattern == pattern && (kind.empty() || match::to_string(entry.kind) == kind)) {
      found.push_back(&entry);
    }
  }
  if (found.empty()) return error(missing);
  if (found.size() > 1) {
    return error("More than one entry reads " + in_quotes(pattern) + "; say which kind to remove.");
  }
  const match::Entry removed = *found.front();

  // Drop that one line and keep the rest of the file (comments, layout) as it was.
  const std::size_t target = line_of(removed);
  std::string text;
  std::size_t number = 0;
  std::istringstream lines(file->text);
  for (std::string line; std::getline(lines, line);) {
    if (++number != target) text += line + "\n";
  }
  if (parsed->entries.size() == 1) {
    std::error_code ec;
    std::filesystem::remove(file->path, ec);
    if (ec) return error("cannot remove " + file->path.string() + ": " + ec.message());
    if (auto synced = fsync_folder(file->path.parent_path()); !synced) {
      return Error{synced.error()};
    }
  } else if (auto written = write_text(file->path, text); !written) {
    return Error{written.error()};
  }
  return removed;
}

std::string school_entries_state(const std::filesystem::path& data_dir) {
  auto files = read_school_files(data_dir);
  // An unreadable folder is a state too: reading it again later may succeed.
  if (!files) return "unreadable";
  return fingerprint(*files);
}

Result<match::Library> with_school_entries(match::Library base,
                                           const std::filesystem::path& data_dir) {
  auto raw = read_school_files(data_dir);
  if (!raw) return Error{raw.error()};
  if (raw->empty()) return base;
  auto files = load_school_files(data_dir);
  if (!files) return Error{files.error()};
  std::set<std::string> keys;
  for (const match::Entry& entry : base.entries) keys.insert(duplicate_key(entry));
  for (SourceFile& file : *files) {
    if (!base.find_category(file.category.id)) base.categories.push_back(file.category);
    for (match::Entry& entry : file.entries) {
      if (keys.insert(duplicate_key(entry)).second) base.entries.push_back(std::move(entry));
    }
  }
  base.version += "+school-" + fingerprint(*raw).substr(0, 8);
  return base;
}

Result<std::shared_ptr<const match::CompiledLibrary>> compile_with_school_entries(
    std::shared_ptr<const match::CompiledLibrary> base, const std::filesystem::path& data_dir) {
  auto files = read_school_files(data_dir);
  if (!files) return Error{files.error()};
  if (files->empty()) return base;
  auto combined = with_school_entries(base->library(), data_dir);
  if (!combined) return Error{"the school's own entries: " + combined.error()};
  return match::CompiledLibrary::compile(std::move(*combined));
}

Result<std::shared_ptr<const match::CompiledLibrary>> load_school_library(
    const std::filesystem::path& data_dir) {
  auto active = load_active_library(data_dir);
  if (!active) return Error{active.error()};
  std::shared_ptr<const match::CompiledLibrary> base = *active;
  if (base == nullptr) {
    auto starter = load_source_dir(default_source_dir());
    if (!starter) return Error{starter.error()};
    auto compiled = match::CompiledLibrary::compile(std::move(*starter));
    if (!compiled) return Error{compiled.error()};
    base = *compiled;
  }
  return compile_with_school_entries(std::move(base), data_dir);
}

}  // namespace hm::library
