#include "library/source_writer.h"

#include <fstream>
#include <system_error>

namespace hm::library {
namespace {

bool takes_rule_options(match::EntryKind kind) {
  return kind == match::EntryKind::word || kind == match::EntryKind::phrase ||
         kind == match::EntryKind::combination || kind == match::EntryKind::exception;
}

// "word no-leet age=ks2": the kind and the options that differ from the defaults.
std::string kind_with_options(const match::Entry& entry) {
  std::string out(match::to_string(entry.kind));
  if (takes_rule_options(entry.kind)) {
    for (const auto rule :
         {match::kDecode, match::kAccents, match::kLeet, match::kSplit, match::kRepeats}) {
      if ((entry.rules & rule) == 0) {
        out += ' ';
        out += match::flag_name(rule);
      }
    }
  }
  if (entry.min_age_group != match::AgeGroup::all) {
    out += " age=";
    out += match::to_string(entry.min_age_group);
  }
  return out;
}

// Comment lines, one per line of `text`.
std::string as_comments(std::string_view text) {
  std::string out;
  while (!text.empty()) {
    const std::size_t end = text.find('\n');
    out += "# ";
    out += text.substr(0, end);
    out += '\n';
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
  }
  return out;
}

}  // namespace

std::string format_source_file(const SourceFile& file, std::string_view preamble) {
  std::string out = as_comments(preamble);
  if (!out.empty()) out += '\n';
  out += "category: " + file.category.id + '\n';
  out += "title: " + file.category.title + '\n';
  out += "description: " + file.category.description + "\n\n";
  out += "# pattern | kind [options] | severity | language | note\n";
  for (const match::Entry& entry : file.entries) {
    out += entry.pattern + " | " + kind_with_options(entry) + " | " +
           std::to_string(entry.severity) + " | " + entry.language;
    if (!entry.note.empty()) out += " | " + entry.note;
    out += '\n';
  }
  return out;
}

Status write_source_file(const std::filesystem::path& dir, const SourceFile& file,
                         std::string_view preamble) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return error("cannot create " + dir.string() + ": " + ec.message());
  const std::filesystem::path path = dir / (file.category.id + std::string(kSourceExtension));
  if (std::filesystem::exists(path, ec)) {
    return error(path.string() + " already exists; choose an empty folder for the import");
  }
  std::ofstream stream(path, std::ios::binary);
  stream << format_source_file(file, preamble);
  stream.close();
  if (!stream) return error("cannot write " + path.string() + " (is the disk full?)");
  return Ok{};
}

}  // namespace hm::library
