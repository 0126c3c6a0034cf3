#include "app/library_command.h"

#include <algorithm>
#include <array>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "app/arguments.h"
#include "app/e2guardian_command.h"
#include "crypto/signature.h"
#include "library/bundle.h"
#include "library/bundle_store.h"
#include "library/school_entries.h"
#include "library/source_format.h"
#include "match/matcher.h"
#include "match/normalise.h"
#include "store/audit_log.h"
#include "store/database.h"

namespace hm::app {
namespace {

constexpr std::string_view kUsage =
    "usage: hallmonitor library check [DIR]\n"
    "       hallmonitor library match [--library DIR | --data-dir DIR | --bundle FILE]\n"
    "                                 [--trusted-keys DIR] [--as auto|host|url|text]\n"
    "       hallmonitor library keygen --out NAME\n"
    "       hallmonitor library build SRC_DIR --out FILE.hmlib --key NAME.key --version N\n"
    "                                 --publisher NAME [--min-firmware X.Y.Z]\n"
    "       hallmonitor library verify FILE.hmlib [--trusted-keys DIR]\n"
    "       hallmonitor library import FILE.hmlib --data-dir DIR\n"
    "       hallmonitor library show --data-dir DIR\n"
    "       hallmonitor library rollback --data-dir DIR\n"
    "       hallmonitor library import-e2guardian LIST|FOLDER... --out DIR\n\n"
    "  check     load and compile the library sources in DIR (default: the starter\n"
    "            library) and print how many entries each category has; on a mistake,\n"
    "            print file:line and what to fix, and exit 1\n"
    "  match     read one text per line on standard input and print, per line, a JSON\n"
    "            object: the input, how it was read, the normalised text, every entry\n"
    "            it hits (category, severity, pattern, kind, source) and every hit an\n"
    "            exception suppressed\n"
    "  keygen    make a publisher's ECDSA P-256 key pair: NAME.key (private, mode 0600;\n"
    "            keep it off the box) and NAME.pub (copy it into DIR/trusted-keys/)\n"
    "  build     check and compile SRC_DIR as `check` does (refusing any mistake) and\n"
    "            write it as a bundle signed with NAME.key\n"
    "  verify    check a bundle's signature against the trusted keys, its sources and\n"
    "            its compile; exit 0 if the box would accept it, 1 (with why) if not\n"
    "  import    verify a bundle against DIR/trusted-keys/*.pub, check it is newer than\n"
    "            the active library, compile it and make it active (the previous one\n"
    "            is kept for rollback); exit 0 accepted, 1 rejected (with why)\n"
    "  show      the active bundle, the previous one and the history of imports,\n"
    "            rejections and rollbacks\n"
    "  rollback  make the previous bundle active again\n"
    "  import-e2guardian  turn e2guardian / DansGuardian phrase lists into a library\n"
    "            source folder and report what was mapped and skipped (its --help)\n\n"
    "options:\n"
    "  --library DIR       library source folder (default: the built-in starter library)\n"
    "  --data-dir DIR      the box's data folder (match: its active bundle and the\n"
    "                      school's own words)\n"
    "  --bundle FILE       match: a bundle, verified against the trusted keys first\n"
    "  --trusted-keys DIR  publisher keys (*.pub) for verify and match --bundle\n"
    "                      (default: DIR/trusted-keys with --data-dir, else\n"
    "                      /var/lib/hallmonitor/trusted-keys)\n"
    "  --as FORM           how to read each line: host (a DNS name: domain entries only),\n"
    "                      url (percent and + decoded), text, or auto (the default: \"://\"\n"
    "                      means url, a single dotted name means host, anything else text)\n";

constexpr std::string_view kDefaultDataDir = "/var/lib/hallmonitor";

std::span<const std::uint8_t> as_bytes(std::string_view text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

std::string utc_time(std::int64_t unix_seconds) {
  const std::time_t time = static_cast<std::time_t>(unix_seconds);
  std::tm parts{};
  if (gmtime_r(&time, &parts) == nullptr) return std::to_string(unix_seconds);
  std::array<char, 32> text{};
  std::strftime(text.data(), text.size(), "%Y-%m-%dT%H:%M:%SZ", &parts);
  return text.data();
}

// Audits a library change in DIR's database (the audit log is the record inspectors
// see; history.json is what `show` prints). A failure is reported, not fatal: the
// change itself has happened or not already.
void audit(const std::filesystem::path& data_dir, const std::string& detail) {
  auto db = store::Database::open(data_dir);
  if (!db) {
    std::cerr << "hallmonitor library: not recorded in the audit log: " << db.error() << '\n';
    return;
  }
  if (auto appended = store::AuditLog(**db).append("console", "library_change", detail);
      !appended) {
    std::cerr << "hallmonitor library: not recorded in the audit log: " << appended.error() << '\n';
  }
}

Result<std::shared_ptr<const match::CompiledLibrary>> load_and_compile(
    const std::filesystem::path& dir) {
  auto library = library::load_source_dir(dir);
  if (!library) {
    return Error{library.error()};
  }
  return match::CompiledLibrary::compile(std::move(*library));
}

// The arguments after `library ACTION`: words, and --name VALUE options from `known`.
struct Arguments {
  std::vector<std::string> words;
  std::map<std::string, std::string, std::less<>> options;

  std::string option(std::string_view name) const {
    const auto found = options.find(name);
    return found == options.end() ? std::string() : found->second;
  }
};

// Returns an exit code when the arguments end the command (help or a mistake).
std::optional<int> parse_arguments(int argc, char** argv, std::string_view action,
                                   std::initializer_list<std::string_view> known,
                                   std::size_t max_words, Arguments& out) {
  for (int i = 2; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::cout << kUsage;
      return 0;
    }
    if (arg.starts_with("--")) {
      if (std::find(known.begin(), known.end(), arg) == known.end() || i + 1 >= argc) {
        std::cerr << "hallmonitor library " << action << ": unknown or incomplete option \"" << arg
                  << "\"\n"
                  << kUsage;
        return 2;
      }
      out.options[std::string(arg)] = argv[++i];
    } else if (out.words.size() < max_words) {
      out.words.emplace_back(arg);
    } else {
      std::cerr << "hallmonitor library " << action << ": unexpected argument \"" << arg << "\"\n"
                << kUsage;
      return 2;
    }
  }
  return std::nullopt;
}

// Says what is missing and returns the usage exit code.
int missing(std::string_view action, std::string_view what) {
  std::cerr << "hallmonitor library " << action << ": give " << what << '\n' << kUsage;
  return 2;
}

std::optional<std::string> read_text_file(const std::filesystem::path& path,
                                          std::size_t max_bytes) {
  std::vector<std::uint8_t> bytes;
  if (library::read_bundle_file(path, bytes, max_bytes)) return std::nullopt;
  return std::string(bytes.begin(), bytes.end());
}

int run_keygen(int argc, char** argv) {
  Arguments args;
  if (auto done = parse_arguments(argc, argv, "keygen", {"--out"}, 0, args)) return *done;
  const std::string name = args.option("--out");
  if (name.empty()) return missing("keygen", "--out NAME");
  const std::filesystem::path private_path = name + ".key";
  const std::filesystem::path public_path = name + ".pub";
  std::error_code ec;
  if (std::filesystem::exists(private_path, ec) || std::filesystem::exists(public_path, ec)) {
    std::cerr << "hallmonitor library keygen: " << private_path.string() << " or "
              << public_path.string()
              << " already exists; a signing key is never overwritten: choose another NAME\n";
    return 1;
  }
  const crypto::SigningKeyPair pair = crypto::generate_signing_key();
  if (auto written = library::write_file_atomically(private_path, as_bytes(pair.private_pem), 0600);
      !written) {
    std::cerr << "hallmonitor library keygen: " << written.error() << '\n';
    return 1;
  }
  if (auto written = library::write_file_atomically(public_path, as_bytes(pair.public_pem), 0644);
      !written) {
    std::cerr << "hallmonitor library keygen: " << written.error() << '\n';
    return 1;
  }
  const auto id = crypto::key_id_of_public_pem(pair.public_pem);
  std::cout << "wrote " << private_path.string() << " (private: keep it off the box) and "
            << public_path.string() << " (public, key id " << crypto::short_key_id(*id)
            << ": copy it into the box's trusted-keys folder)\n";
  return 0;
}

int run_build(int argc, char** argv) {
  Arguments args;
  if (auto done = parse_arguments(argc, argv, "build",
                                  {"--out", "--key", "--version", "--publisher", "--min-firmware"},
                                  1, args)) {
    return *done;
  }
  if (args.words.empty()) return missing("build", "the library source folder");
  for (std::string_view needed : {"--out", "--key", "--version", "--publisher"}) {
    if (args.option(needed).empty()) return missing("build", std::string(needed) + " …");
  }
  const auto version = parse_number(args.option("--version"));
  if (!version || *version < 1) {
    std::cerr << "hallmonitor library build: --version takes a whole number from 1 (each "
                 "edition larger than the last)\n";
    return 2;
  }
  const auto private_pem = read_text_file(args.option("--key"), crypto::kMaxPemBytes);
  if (!private_pem) {
    std::cerr << "hallmonitor library build: cannot read the key " << args.option("--key") << '\n';
    return 1;
  }
  library::BundleManifest manifest;
  manifest.version = static_cast<std::uint64_t>(*version);
  manifest.created_unix = static_cast<std::int64_t>(std::time(nullptr));
  manifest.publisher = args.option("--publisher");
  manifest.min_firmware = args.option("--min-firmware");
  auto bundle = library::build_bundle(args.words[0], manifest, *private_pem);
  if (!bundle) {
    std::cerr << "hallmonitor library build: " << args.words[0] << ":\n" << bundle.error() << '\n';
    return 1;
  }
  if (auto written = library::write_file_atomically(args.option("--out"), *bundle); !written) {
    std::cerr << "hallmonitor library build: " << written.error() << '\n';
    return 1;
  }
  std::cout << "wrote " << args.option("--out") << ": version " << manifest.version << " from "
            << manifest.publisher << ", " << bundle->size() << " bytes, signed by key "
            << crypto::short_key_id(*crypto::key_id_of_private_pem(*private_pem)) << '\n';
  return 0;
}

// The trusted keys for verify and match --bundle.
std::filesystem::path trusted_keys_of(const Arguments& args) {
  if (!args.option("--trusted-keys").empty()) return args.option("--trusted-keys");
  const std::string data_dir = args.option("--data-dir");
  return library::trusted_keys_dir(data_dir.empty() ? std::string(kDefaultDataDir) : data_dir);
}

// Reads and opens a bundle; prints why not and returns false on any problem.
bool open_bundle_file(std::string_view action, const std::filesystem::path& path,
                      const std::filesystem::path& keys_dir, library::VerifiedBundle& out) {
  auto keys = library::load_trusted_keys(keys_dir);
  if (!keys) {
    std::cerr << "hallmonitor library " << action << ": " << keys.error() << '\n';
    return false;
  }
  std::vector<std::uint8_t> bytes;
  auto failed = library::read_bundle_file(path, bytes);
  if (!failed) failed = library::open_bundle(bytes, *keys, out);
  if (failed) {
    std::cerr << "hallmonitor library " << action << ": " << path.string() << ": rejected ("
              << library::to_string(failed->reason) << "): " << failed->message << '\n';
    return false;
  }
  return true;
}

void print_bundle(const library::VerifiedBundle& bundle) {
  const library::BundleManifest& manifest = bundle.bundle.manifest;
  std::cout << "  version      " << manifest.version << "\n  publisher    " << manifest.publisher
            << "\n  created      " << utc_time(manifest.created_unix) << "\n  signed by    "
            << bundle.signer << " (key " << crypto::short_key_id(bundle.bundle.signer)
            << ")\n  min firmware "
            << (manifest.min_firmware.empty() ? "any" : manifest.min_firmware)
            << "\n  contents     " << bundle.compiled->library().categories.size()
            << " categories, " << bundle.compiled->library().entries.size() << " entries\n";
}

int run_verify(int argc, char** argv) {
  Arguments args;
  if (auto done =
          parse_arguments(argc, argv, "verify", {"--trusted-keys", "--data-dir"}, 1, args)) {
    return *done;
  }
  if (args.words.empty()) return missing("verify", "the bundle file");
  library::VerifiedBundle bundle;
  if (!open_bundle_file("verify", args.words[0], trusted_keys_of(args), bundle)) return 1;
  std::cout << args.words[0] << ": signature good, sources checked, compiled\n";
  print_bundle(bundle);
  return 0;
}

int run_import(int argc, char** argv) {
  Arguments args;
  if (auto done = parse_arguments(argc, argv, "import", {"--data-dir"}, 1, args)) return *done;
  if (args.words.empty()) return missing("import", "the bundle file");
  const std::filesystem::path data_dir = args.option("--data-dir");
  if (data_dir.empty()) return missing("import", "--data-dir DIR");
  const library::ImportOutcome outcome = library::import_bundle(
      data_dir, args.words[0], static_cast<std::int64_t>(std::time(nullptr)));
  const library::LibraryEvent& event = outcome.event;
  if (outcome.problem) {
    audit(data_dir, library::audit_detail(outcome));
    std::cerr << "hallmonitor library import: " << args.words[0] << ": rejected ("
              << library::to_string(outcome.problem->reason) << "): " << outcome.problem->message
              << "\nThe active library is unchanged.\n";
    return 1;
  }
  audit(data_dir, library::audit_detail(outcome));
  std::cout << "imported " << args.words[0] << ": version " << event.version << " from "
            << event.publisher << " (signed by " << event.signer << ") is now active";
  if (event.previous != 0) std::cout << "; version " << event.previous << " kept for rollback";
  std::cout << '\n';
  return 0;
}

int run_show(int argc, char** argv) {
  Arguments args;
  if (auto done = parse_arguments(argc, argv, "show", {"--data-dir"}, 0, args)) return *done;
  const std::filesystem::path data_dir = args.option("--data-dir");
  if (data_dir.empty()) return missing("show", "--data-dir DIR");
  auto active = library::read_active(data_dir);
  if (!active) {
    std::cerr << "hallmonitor library show: " << active.error() << '\n';
    return 1;
  }
  if (!*active) {
    std::cout << "active library: the built-in starter library (no bundle imported)\n";
  } else {
    std::cout << "active library: bundle version " << (*active)->version << '\n';
    library::VerifiedBundle bundle;
    if (auto failed = library::open_stored(data_dir, (*active)->version, bundle)) {
      std::cout << "  (cannot be used: " << failed->message << ")\n";
    } else {
      print_bundle(bundle);
    }
    std::cout << "previous:       "
              << ((*active)->previous ? "bundle version " + std::to_string(*(*active)->previous) +
                                            " (library rollback returns to it)"
                                      : std::string("none"))
              << '\n';
  }
  auto history = library::read_history(data_dir);
  if (!history) {
    std::cerr << "hallmonitor library show: " << history.error() << '\n';
    return 1;
  }
  std::cout << "\nhistory (oldest first):\n";
  if (history->empty()) std::cout << "  none\n";
  for (const library::LibraryEvent& event : *history) {
    std::cout << "  " << utc_time(event.time_unix) << "  " << event.action;
    if (event.version != 0) std::cout << " version " << event.version;
    if (!event.publisher.empty()) std::cout << " from " << event.publisher;
    if (!event.signer.empty()) std::cout << " (signed by " << event.signer << ")";
    if (!event.reason.empty()) std::cout << ": " << event.reason;
    std::cout << " — " << event.detail << '\n';
  }
  return 0;
}

int run_rollback(int argc, char** argv) {
  Arguments args;
  if (auto done = parse_arguments(argc, argv, "rollback", {"--data-dir"}, 0, args)) return *done;
  const std::filesystem::path data_dir = args.option("--data-dir");
  if (data_dir.empty()) return missing("rollback", "--data-dir DIR");
  auto event = library::rollback_bundle(data_dir, static_cast<std::int64_t>(std::time(nullptr)));
  if (!event) {
    std::cerr << "hallmonitor library rollback: " << event.error() << '\n';
    return 1;
  }
  audit(data_dir, "library rolled back " + event->detail);
  std::cout << "rolled back: bundle version " << event->version << " from " << event->publisher
            << " is active again (was version " << event->previous << ")\n";
  return 0;
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
  Arguments args;
  if (auto done = parse_arguments(argc, argv, "match",
                                  {"--library", "--data-dir", "--bundle", "--trusted-keys", "--as"},
                                  0, args)) {
    return *done;
  }
  std::string_view form_name = "auto";
  if (const auto found = args.options.find("--as"); found != args.options.end()) {
    form_name = found->second;
    if (form_name != "auto" && form_name != "host" && form_name != "url" && form_name != "text") {
      std::cerr << "hallmonitor library match: --as takes auto, host, url or text, got \""
                << form_name << "\"\n";
      return 2;
    }
  }
  const std::string library_dir = args.option("--library");
  const std::string data_dir = args.option("--data-dir");
  const std::string bundle_file = args.option("--bundle");
  // With --bundle, --data-dir only says where the trusted keys are.
  if (!library_dir.empty() && (!data_dir.empty() || !bundle_file.empty())) {
    std::cerr << "hallmonitor library match: give either --library or --data-dir/--bundle\n";
    return 2;
  }
  std::shared_ptr<const match::CompiledLibrary> compiled;
  if (!bundle_file.empty()) {
    library::VerifiedBundle bundle;
    if (!open_bundle_file("match", bundle_file, trusted_keys_of(args), bundle)) return 1;
    compiled = bundle.compiled;
  } else if (!data_dir.empty()) {
    // What the box matches with: the active bundle (else the starter library) and
    // the school's own words on top.
    auto active = library::load_school_library(data_dir);
    if (!active) {
      std::cerr << "hallmonitor library match: " << active.error() << '\n';
      return 1;
    }
    compiled = *active;
  }
  if (compiled == nullptr) {
    const std::filesystem::path dir =
        library_dir.empty() ? library::default_source_dir() : std::filesystem::path(library_dir);
    auto loaded = load_and_compile(dir);
    if (!loaded) {
      std::cerr << "hallmonitor library match: " << dir.string() << ":\n" << loaded.error() << '\n';
      return 1;
    }
    compiled = *loaded;
  }
  const std::vector<match::Entry>& entries = compiled->library().entries;
  match::Scanner scanner(compiled);
  match::ScanReport report;

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
    scanner.scan_report(line, form, report);
    std::vector<match::Hit>& hits = report.hits;
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
    // What exceptions held back: why a line a person expected to hit did not.
    out["suppressed"] = nlohmann::ordered_json::array();
    for (const match::Suppressed& held : report.suppressed) {
      const match::Entry& entry = entries[held.entry_index];
      const match::Entry& exception = entries[held.exception_index];
      out["suppressed"].push_back({{"category", entry.category},
                                   {"severity", entry.severity},
                                   {"pattern", entry.pattern},
                                   {"kind", match::to_string(entry.kind)},
                                   {"source", entry.source},
                                   {"exception", exception.pattern},
                                   {"exception_source", exception.source}});
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
  if (action == "keygen") return run_keygen(argc, argv);
  if (action == "build") return run_build(argc, argv);
  if (action == "verify") return run_verify(argc, argv);
  if (action == "import") return run_import(argc, argv);
  if (action == "show") return run_show(argc, argv);
  if (action == "rollback") return run_rollback(argc, argv);
  if (action == "import-e2guardian") return run_import_e2guardian(argc, argv);
  std::cerr << "hallmonitor library: unknown action \"" << action << "\"\n" << kUsage;
  return 2;
}

}  // namespace hm::app
