#include "app/wiring.h"

#include <fstream>
#include <iostream>
#include <sstream>

#include "library/bundle_store.h"
#include "library/school_entries.h"
#include "library/source_format.h"
#include "store/accounts.h"
#include "store/database.h"

namespace hm::app {

Result<std::shared_ptr<const match::CompiledLibrary>> load_library(
    const std::filesystem::path& library_dir) {
  const std::filesystem::path dir =
      library_dir.empty() ? library::default_source_dir() : library_dir;
  auto source = library::load_source_dir(dir);
  if (!source) {
    return Error{source.error()};
  }
  return match::CompiledLibrary::compile(std::move(*source));
}

namespace {

// The school's own words on top of `base` (library/school_entries.h). Files that no
// longer read are reported and left out, so the box keeps watching with the rest.
std::shared_ptr<const match::CompiledLibrary> with_school_entries(
    std::shared_ptr<const match::CompiledLibrary> base, const std::filesystem::path& data_dir) {
  auto combined = library::compile_with_school_entries(base, data_dir);
  if (!combined) {
    std::cerr << "hallmonitor: " << combined.error()
              << "\nhallmonitor: the school's own entries are not used until this is put right\n";
    return base;
  }
  return *combined;
}

}  // namespace

Result<std::shared_ptr<const match::CompiledLibrary>> load_library(
    const std::filesystem::path& library_dir, const std::filesystem::path& data_dir) {
  if (library_dir.empty() && !data_dir.empty()) {
    auto starter = [&]() -> Result<std::shared_ptr<const match::CompiledLibrary>> {
      auto loaded = load_library(library_dir);
      if (!loaded) return loaded;
      return with_school_entries(std::move(*loaded), data_dir);
    };
    auto active = library::load_active_library(data_dir);
    if (active && *active != nullptr) {
      std::cerr << "hallmonitor: using the active library bundle (" << (*active)->library().version
                << ", " << (*active)->library().name << ")\n";
      return with_school_entries(std::move(*active), data_dir);
    }
    if (!active) {
      std::cerr << "hallmonitor: " << active.error()
                << "\nhallmonitor: using the built-in starter library instead\n";
    }
    return starter();
  }
  return load_library(library_dir);
}

namespace {

std::string read_pointer(const std::filesystem::path& data_dir) {
  std::ifstream in(library::active_pointer_path(data_dir), std::ios::binary);
  std::ostringstream contents;
  contents << in.rdbuf();
  return contents.str();
}

}  // namespace

ActiveLibraryWatcher::ActiveLibraryWatcher(std::filesystem::path data_dir, OnChange on_change,
                                           std::chrono::milliseconds interval)
    : data_dir_(std::move(data_dir)),
      on_change_(std::move(on_change)),
      interval_(interval),
      pointer_(read_pointer(data_dir_)),
      school_(library::school_entries_state(data_dir_)),
      thread_([this] { run(); }) {}

ActiveLibraryWatcher::~ActiveLibraryWatcher() { stop(); }

void ActiveLibraryWatcher::stop() {
  stop_.raise();
  if (thread_.joinable()) thread_.join();
}

void ActiveLibraryWatcher::run() {
  while (!stop_.wait_for(interval_)) {
    // The pointer is replaced by rename, so a read sees the old or the new one whole.
    std::string pointer = read_pointer(data_dir_);
    std::string school = library::school_entries_state(data_dir_);
    if (pointer != pointer_ && !pointer.empty()) {
      pointer_ = std::move(pointer);
      school_ = std::move(school);
      auto library = library::load_active_library(data_dir_);
      if (!library) {
        std::cerr << "hallmonitor: new library bundle not used: " << library.error() << '\n';
      } else if (*library != nullptr) {
        std::cerr << "hallmonitor: library " << (*library)->library().version << " is now active\n";
        on_change_(with_school_entries(std::move(*library), data_dir_));
      }
    } else if (school != school_) {
      // The school's own words were edited (web UI): the same base, recompiled with them.
      school_ = std::move(school);
      if (auto library = load_library({}, data_dir_)) {
        std::cerr << "hallmonitor: the school's own entries changed; library "
                  << (*library)->library().version << " is now active\n";
        on_change_(std::move(*library));
      } else {
        std::cerr << "hallmonitor: the school's own entries not used: " << library.error() << '\n';
      }
    }
  }
}

std::unique_ptr<alerts::AlertService> start_alerts(const std::filesystem::path& data_dir) {
  auto service = alerts::AlertService::start(data_dir);
  if (!service) {
    std::cerr << "hallmonitor: alerts are not running: " << service.error() << '\n';
    return nullptr;
  }
  return std::move(*service);
}

Result<std::unique_ptr<web::Server>> start_web_ui(const std::filesystem::path& data_dir,
                                                  const WebEndpoint& endpoint) {
  std::string setup_code;
  {
    auto db = store::Database::open(data_dir);
    if (!db) {
      return Error{db.error()};
    }
    if (!store::setup_complete(**db)) {
      setup_code = store::ensure_setup_code(**db);
    }
  }
  web::ServerSettings settings;
  settings.data_dir = data_dir;
  settings.address = endpoint.address;
  settings.port = endpoint.port;
  auto server = std::make_unique<web::Server>(settings);
  if (auto started = server->start(); !started) {
    return Error{"cannot start the web UI on " + endpoint.address + ":" +
                 std::to_string(endpoint.port) + ": " + started.error()};
  }
  const std::string host = endpoint.address == "0.0.0.0" ? "hallmonitor.local" : endpoint.address;
  std::cout << "\nThe hallmonitor web UI is at https://" << host << ":" << endpoint.port << "/\n";
  if (!setup_code.empty()) {
    std::cout << "One-time setup code: " << setup_code << "\n";
  }
  std::cout << "(Its certificate is self-signed: your browser will ask you to accept it.)\n"
            << std::endl;
  return server;
}

}  // namespace hm::app
