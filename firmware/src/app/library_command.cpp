#include "app/library_command.h"

#include <algorithm>
#include <array>
#include <filesystem>
#include <iostream>
#include <map>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "library/source_format.h"
#include "match/matcher.h"
#include "match/normalise.h"

namespace hm::app {
namespace {

constexpr std::string_view kUsage =
    "usage: hallmonitor library check [DIR]\n"
    "       hallmonitor library match [--library DIR] [--as auto|host|url|text]\n\n"
    "  check   load and compile the library sources in DIR (default: the starter\n"
    "          library) and print how many entries each category has; on a mistake,\n"
    "          print file:line and what to fix, and exit 1\n"
    "  match   read one text per line on standard input and print, per line, a JSON\n"
    "          object: the input, how it was read, the normalised text and every entry\n"
    "          it hits (category, severity, pattern, kind, source)\n\n"
    "options:\n"
    "  --library DIR   library source folder (default: the built-in starter library)\n"
    "  --as FORM       how to read each line: host (a DNS name: domain entries only),\n"
    "                  url (percent and + decoded), text, or auto (the default: \"://\"\n"
    "                  means url, a single dotted name means host, anything else text)\n";

Result<std::shared_ptr<const match::CompiledLibrary>> load_and_compile(
    const std::filesystem::path& dir) {
  auto library = library::load_source_dir(dir);
  if (!library) {
    return Error{library.error()};
  }
  return match::CompiledLibrary::compile(std::move(*library));
}

int run_check(int argc, char** argv) {
  std::filesystem::path dir = library::default_source_dir();
  for (int i = 2; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::cout << kUsage;
      return 0;
    }
    if (i != 2 || arg.starts_with("-")) {
      std::cerr << "hallmonitor library check: unexpected argument \"" << arg << "\"\n" << kUsage;
      return 2;
    }
    dir = arg;
  }
  auto compiled = load_and_compile(dir);
  if (!compiled) {
    std::cerr << "hallmonitor library check: " << dir.string() << ":\n" << compiled.error() << '\n';
    return 1;
  }
  const match::Library& library = (*compiled)->library();
  // Per category: entries by severity (index 1–5).
  std::map<std::string, std::array<int, 6>> counts;
  for (const match::Entry& entry : library.entries) {
    ++counts[entry.category][static_cast<std::size_t>(entry.severity)];
  }
  std::cout << "library " << dir.string() << " (" << library.version
            << "): " << library.entries.size() << " entries in " << library.categories.size()
            << " categories, compiled\n\n"
            << "  category                    entries   sev5  sev4  sev3  sev2  sev1\n";
  for (const match::Category& category : library.categories) {
    const auto& by_severity = counts[category.id];
    int total = 0;
    for (int count : by_severity) {
      total += count;
    }
    std::string line = "  " + category.id;
    line.resize(30, ' ');
    std::string number = std::to_string(total);
    line += std::string(7 - std::min<std::size_t>(7, number.size()), ' ') + number + "  ";
    for (std::size_t severity = 5; severity >= 1; --severity) {
      number = std::to_string(by_severity[severity]);
      line += std::string(6 - std::min<std::size_t>(6, number.size()), ' ') + number;
    }
    std::cout << line << '\n';
  }
  return 0;
}

bool looks_like_host_name(std::string_view text) {
  return !text.empty() && text.find('.') != std::string_view::npos &&
         std::all_of(text.begin(), text.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '.' || c == '-';
         });
}

int run_match(int argc, char** argv) {
  std::filesystem::path dir = library::default_source_dir();
  std::string_view form_name = "auto";
  for (int i = 2; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--library" && i + 1 < argc) {
      dir = argv[++i];
    } else if (arg == "--as" && i + 1 < argc) {
      form_name = argv[++i];
      if (form_name != "auto" && form_name != "host" && form_name != "url" && form_name != "text") {
        std::cerr << "hallmonitor library match: --as takes auto, host, url or text, got \""
                  << form_name << "\"\n";
        return 2;
      }
    } else if (arg == "--help" || arg == "-h") {
      std::cout << kUsage;
      return 0;
    } else {
      std::cerr << "hallmonitor library match: unexpected argument \"" << arg << "\"\n" << kUsage;
      return 2;
    }
  }
  auto compiled = load_and_compile(dir);
  if (!compiled) {
    std::cerr << "hallmonitor library match: " << dir.string() << ":\n" << compiled.error() << '\n';
    return 1;
  }
  const std::vector<match::Entry>& entries = (*compiled)->library().entries;
  match::Scanner scanner(*compiled);

  std::string line;
  while (std::getline(std::cin, line)) {
    if (!line.empty() && line.back() == '\r') {
      line.pop_back();
    }
    match::TextForm form = match::TextForm::plain;
    if (form_name == "host") {
      form = match::TextForm::host_name;
    } else if (form_name == "url") {
      form = match::TextForm::url;
    } else if (form_name == "auto") {
      if (line.find("://") != std::string::npos) {
        form = match::TextForm::url;
      } else if (looks_like_host_name(line)) {
        form = match::TextForm::host_name;
      }
    }
    std::vector<match::Hit> hits = scanner.scan_text(line, form);
    // Most severe first, then in library order: a stable order for tests to compare.
    std::sort(hits.begin(), hits.end(), [&](const match::Hit& a, const match::Hit& b) {
      const int sa = entries[a.entry_index].severity;
      const int sb = entries[b.entry_index].severity;
      return sa != sb ? sa > sb : a.entry_index < b.entry_index;
    });
    nlohmann::ordered_json out = {{"input", line},
                                  {"form", match::to_string(form)},
                                  {"normalised", match::normalise(line, form)},
                                  {"hits", nlohmann::ordered_json::array()}};
    for (const match::Hit& hit : hits) {
      const match::Entry& entry = entries[hit.entry_index];
      out["hits"].push_back({{"category", entry.category},
                             {"severity", entry.severity},
                             {"pattern", entry.pattern},
                             {"kind", match::to_string(entry.kind)},
                             {"source", entry.source}});
    }
    // Input is arbitrary bytes: invalid UTF-8 is replaced rather than thrown over.
    std::cout << out.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << '\n';
  }
  return 0;
}

}  // namespace

int run_library_command(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << kUsage;
    return 2;
  }
  const std::string_view action = argv[1];
  if (action == "--help" || action == "-h" || action == "help") {
    std::cout << kUsage;
    return 0;
  }
  if (action == "check") {
    return run_check(argc, argv);
  }
  if (action == "match") {
    return run_match(argc, argv);
  }
  std::cerr << "hallmonitor library: unknown action \"" << action << "\"\n" << kUsage;
  return 2;
}

}  // namespace hm::app
