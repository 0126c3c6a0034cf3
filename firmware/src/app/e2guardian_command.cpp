#include "app/e2guardian_command.h"

#include <filesystem>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "library/e2guardian_import.h"
#include "library/source_format.h"
#include "library/source_writer.h"
#include "match/matcher.h"

namespace hm::app {
namespace {

constexpr std::string_view kUsage =
    "usage: hallmonitor library import-e2guardian LIST|FOLDER... --out DIR\n"
    "                                             [--language CODE] [--category ID]\n\n"
    "Turns e2guardian / DansGuardian phrase lists (weighted, banned and exception\n"
    "lists; folders are read recursively) into a hallmonitor library source folder DIR,\n"
    "one <category>.hml file per category, and prints what was imported and what was\n"
    "skipped and why. Review the files, then `library check DIR`, or build a bundle.\n\n"
    "  --out DIR        an empty or new folder for the .hml files\n"
    "  --language CODE  the lists' language (default en)\n"
    "  --category ID    put every phrase in this category instead of the lists' own\n"
    "                   #listcategory (which is mapped: porn → pornography, proxies →\n"
    "                   circumvention, intolerance → discrimination …)\n";

int fail(std::string_view message) {
  std::cerr << "hallmonitor library import-e2guardian: " << message << '\n';
  return 1;
}

}  // namespace

int run_import_e2guardian(int argc, char** argv) {
  std::vector<std::filesystem::path> inputs;
  std::filesystem::path out;
  library::E2guardianImportOptions options;
  for (int i = 2; i < argc; ++i) {
    const std::string_view arg = argv[i];
    const bool has_value = i + 1 < argc;
    if (arg == "--help" || arg == "-h") {
      std::cout << kUsage;
      return 0;
    } else if (arg == "--out" && has_value) {
      out = argv[++i];
    } else if (arg == "--language" && has_value) {
      options.language = argv[++i];
    } else if (arg == "--category" && has_value) {
      options.category = argv[++i];
    } else if (arg.starts_with("--")) {
      std::cerr << "hallmonitor library import-e2guardian: unknown or incomplete option \"" << arg
                << "\"\n"
                << kUsage;
      return 2;
    } else {
      inputs.emplace_back(arg);
    }
  }
  if (inputs.empty() || out.empty()) {
    std::cerr << kUsage;
    return 2;
  }
  std::error_code ec;
  if (std::filesystem::exists(out, ec) && !std::filesystem::is_empty(out, ec)) {
    return fail(out.string() + " is not empty; give a new folder so nothing is overwritten");
  }
  auto import = library::import_e2guardian_paths(inputs, options);
  if (!import) return fail(import.error());
  if (import->files.empty()) {
    std::cout << library::e2guardian_import_report(*import);
    return fail("nothing could be imported (the reasons are above)");
  }
  const std::string preamble =
      "Imported from e2guardian phrase lists by `hallmonitor library import-e2guardian`.\n"
      "Weights became severities; review every entry before using it in a school.";
  for (const auto& [id, file] : import->files) {
    if (auto written = library::write_source_file(out, file, preamble); !written) {
      return fail(written.error());
    }
  }
  std::cout << library::e2guardian_import_report(*import);
  // What was written must load and compile like any library folder.
  auto loaded = library::load_source_dir(out);
  if (!loaded) return fail("the imported folder does not load:\n" + loaded.error());
  auto compiled = match::CompiledLibrary::compile(std::move(*loaded));
  if (!compiled) return fail("the imported folder does not compile: " + compiled.error());
  std::cout << "wrote " << import->files.size() << " category files to " << out.string()
            << "; check them with `hallmonitor library check " << out.string() << "`\n";
  return 0;
}

}  // namespace hm::app
