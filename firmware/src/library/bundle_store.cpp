#include "library/bundle_store.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string_view>

#include <nlohmann/json.hpp>

namespace hm::library {
namespace {

constexpr std::string_view kActiveName = "active";
constexpr std::string_view kHistoryName = "history.json";
constexpr std::size_t kMaxPointerBytes = 4096;
constexpr std::size_t kMaxHistoryBytes = std::size_t{4} * 1024 * 1024;

std::span<const std::uint8_t> as_bytes(std::string_view text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

std::string errno_text() { return std::strerror(errno); }

// An exclusive flock held for one import or rollback.
class DirectoryLock {
 public:
  explicit DirectoryLock(const std::filesystem::path& dir) {
    fd_ = ::open((dir / ".lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd_ >= 0 && ::flock(fd_, LOCK_EX) != 0) {
      ::close(fd_);
      fd_ = -1;
    }
  }
  ~DirectoryLock() {
    if (fd_ >= 0) ::close(fd_);
  }
  DirectoryLock(const DirectoryLock&) = delete;
  DirectoryLock& operator=(const DirectoryLock&) = delete;
  bool held() const { return fd_ >= 0; }

 private:
  int fd_ = -1;
};

Status write_active(const std::filesystem::path& data_dir, const ActiveBundle& active) {
  nlohmann::json pointer = {{"version", active.version}};
  if (active.previous) pointer["previous"] = *active.previous;
  return write_file_atomically(active_pointer_path(data_dir), as_bytes(pointer.dump() + "\n"));
}

nlohmann::json to_json(const LibraryEvent& event) {
  return {{"time", event.time_unix},    {"action", event.action},       {"version", event.version},
          {"previous", event.previous}, {"publisher", event.publisher}, {"signer", event.signer},
          {"reason", event.reason},     {"detail", event.detail}};
}

LibraryEvent event_of(const nlohmann::json& item) {
  LibraryEvent event;
  event.time_unix = item.value("time", std::int64_t{0});
  event.action = item.value("action", "");
  event.version = item.value("version", std::uint64_t{0});
  event.previous = item.value("previous", std::uint64_t{0});
  event.publisher = item.value("publisher", "");
  event.signer = item.value("signer", "");
  event.reason = item.value("reason", "");
  event.detail = item.value("detail", "");
  return event;
}

Status append_history(const std::filesystem::path& data_dir, const LibraryEvent& event) {
  auto history = read_history(data_dir);
  if (!history) return Error{history.error()};
  history->push_back(event);
  if (history->size() > kMaxHistoryEvents) {
    history->erase(history->begin(), history->begin() + static_cast<std::ptrdiff_t>(
                                                            history->size() - kMaxHistoryEvents));
  }
  nlohmann::json out = nlohmann::json::array();
  for (const LibraryEvent& item : *history) out.push_back(to_json(item));
  return write_file_atomically(
      bundles_dir(data_dir) / kHistoryName,
      as_bytes(out.dump(1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n"));
}

// Leaves only the active and previous bundles (and any foreign files) in the folder.
void remove_superseded(const std::filesystem::path& data_dir, const ActiveBundle& active) {
  std::error_code ec;
  for (const auto& item : std::filesystem::directory_iterator(bundles_dir(data_dir), ec)) {
    if (item.path().extension() != kBundleExtension) continue;
    const std::string stem = item.path().stem().string();
    if (stem == std::to_string(active.version) ||
        (active.previous && stem == std::to_string(*active.previous))) {
      continue;
    }
    std::filesystem::remove(item.path(), ec);
  }
}

}  // namespace

std::filesystem::path trusted_keys_dir(const std::filesystem::path& data_dir) {
  return data_dir / "trusted-keys";
}

std::filesystem::path bundles_dir(const std::filesystem::path& data_dir) {
  return data_dir / "library";
}

std::filesystem::path active_pointer_path(const std::filesystem::path& data_dir) {
  return bundles_dir(data_dir) / kActiveName;
}

std::filesystem::path bundle_path(const std::filesystem::path& data_dir, std::uint64_t version) {
  return bundles_dir(data_dir) / (std::to_string(version) + std::string(kBundleExtension));
}

std::optional<BundleProblem> open_stored(const std::filesystem::path& data_dir,
                                         std::uint64_t version, VerifiedBundle& out) {
  auto keys = load_trusted_keys(trusted_keys_dir(data_dir));
  if (!keys) return BundleProblem{Rejection::unreadable, keys.error()};
  std::vector<std::uint8_t> bytes;
  if (auto failed = read_bundle_file(bundle_path(data_dir, version), bytes)) return failed;
  return open_bundle(bytes, *keys, out);
}

Result<std::optional<ActiveBundle>> read_active(const std::filesystem::path& data_dir) {
  const auto path = active_pointer_path(data_dir);
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return std::optional<ActiveBundle>{};
  std::vector<std::uint8_t> bytes;
  if (auto failed = read_bundle_file(path, bytes, kMaxPointerBytes)) {
    return error(failed->message);
  }
  const auto pointer = nlohmann::json::parse(bytes.begin(), bytes.end(), nullptr, false);
  if (pointer.is_discarded() || !pointer.is_object() || !pointer.contains("version") ||
      !pointer["version"].is_number_unsigned()) {
    return error(path.string() +
                 ": not a valid active-library pointer; run `hallmonitor library import` again");
  }
  ActiveBundle active;
  active.version = pointer["version"].get<std::uint64_t>();
  if (pointer.contains("previous") && pointer["previous"].is_number_unsigned()) {
    active.previous = pointer["previous"].get<std::uint64_t>();
  }
  return std::optional<ActiveBundle>{active};
}

std::string audit_detail(const ImportOutcome& outcome) {
  const LibraryEvent& event = outcome.event;
  if (outcome.problem) {
    return "library bundle rejected (" + event.reason + "): " + event.detail;
  }
  return "library bundle version " + std::to_string(event.version) + " from " + event.publisher +
         " (signed by " + event.signer + ") imported and active" +
         (event.previous != 0 ? ", replacing version " + std::to_string(event.previous)
                              : std::string());
}

ImportOutcome import_bundle(const std::filesystem::path& data_dir,
                            const std::filesystem::path& path, std::int64_t now_unix) {
  std::vector<std::uint8_t> bytes;
  if (auto failed = read_bundle_file(path, bytes)) {
    ImportOutcome outcome;
    LibraryEvent& event = outcome.event;
    event.time_unix = now_unix;
    event.action = "reject";
    event.reason = std::string(to_string(failed->reason));
    event.detail = path.filename().string() + ": " + failed->message;
    outcome.problem = std::move(*failed);
    (void)append_history(data_dir, event);
    return outcome;
  }
  return import_bundle_bytes(data_dir, bytes, path.filename().string(), now_unix);
}

ImportOutcome import_bundle_bytes(const std::filesystem::path& data_dir,
                                  std::span<const std::uint8_t> bytes, const std::string& name,
                                  std::int64_t now_unix) {
  ImportOutcome outcome;
  LibraryEvent& event = outcome.event;
  event.time_unix = now_unix;
  event.action = "import";
  event.detail = name;
  const auto reject = [&](BundleProblem problem) {
    event.action = "reject";
    event.reason = std::string(to_string(problem.reason));
    event.detail = name + ": " + problem.message;
    outcome.problem = std::move(problem);
    (void)append_history(data_dir, event);
    return outcome;
  };
  if (bytes.size() > kMaxBundleBytes) {
    return reject({Rejection::too_large,
                   "the bundle is larger than " + std::to_string(kMaxBundleBytes >> 20) + " MiB"});
  }

  std::error_code ec;
  std::filesystem::create_directories(bundles_dir(data_dir), ec);
  if (ec) {
    return reject({Rejection::unreadable,
                   bundles_dir(data_dir).string() + ": cannot create: " + ec.message()});
  }
  DirectoryLock lock(bundles_dir(data_dir));
  if (!lock.held()) {
    return reject({Rejection::unreadable, "cannot lock " + bundles_dir(data_dir).string()});
  }
  auto active = read_active(data_dir);
  if (!active) return reject({Rejection::unreadable, active.error()});
  if (*active) event.previous = (*active)->version;

  auto keys = load_trusted_keys(trusted_keys_dir(data_dir));
  if (!keys) return reject({Rejection::unreadable, keys.error()});

  // Framing and signature first: nothing unsigned is looked at further.
  Bundle framing;
  if (auto failed = parse_bundle(bytes, framing)) return reject(std::move(*failed));
  event.version = framing.manifest.version;
  event.publisher = framing.manifest.publisher;
  if (auto failed = verify_signature(bytes, framing, *keys, &event.signer)) {
    return reject(std::move(*failed));
  }
  if (*active && framing.manifest.version <= (*active)->version) {
    return reject({Rejection::not_newer,
                   "version " + std::to_string(framing.manifest.version) +
                       " is not newer than the active library (version " +
                       std::to_string((*active)->version) +
                       "); the box only moves forward (use `library rollback` to go back)"});
  }
  // Compiled aside: the running library is untouched until this succeeds.
  VerifiedBundle verified;
  if (auto failed = open_bundle(bytes, *keys, verified)) return reject(std::move(*failed));

  const std::uint64_t version = framing.manifest.version;
  if (auto written = write_file_atomically(bundle_path(data_dir, version), bytes); !written) {
    return reject({Rejection::unreadable, written.error()});
  }
  ActiveBundle next{version, std::nullopt};
  if (*active) next.previous = (*active)->version;
  if (auto written = write_active(data_dir, next); !written) {
    return reject({Rejection::unreadable, written.error()});
  }
  remove_superseded(data_dir, next);
  (void)append_history(data_dir, event);
  return outcome;
}

Result<LibraryEvent> rollback_bundle(const std::filesystem::path& data_dir, std::int64_t now_unix) {
  std::error_code ec;
  if (!std::filesystem::is_directory(bundles_dir(data_dir), ec)) {
    return error("no library bundle has been imported into " + data_dir.string());
  }
  DirectoryLock lock(bundles_dir(data_dir));
  if (!lock.held()) return error("cannot lock " + bundles_dir(data_dir).string());
  auto active = read_active(data_dir);
  if (!active) return Error{active.error()};
  if (!*active) return error("no library bundle is active in " + data_dir.string());
  if (!(*active)->previous) {
    return error("there is no previous bundle to go back to (version " +
                 std::to_string((*active)->version) + " is the only one kept)");
  }
  const std::uint64_t target = *(*active)->previous;
  VerifiedBundle verified;
  if (auto failed = open_stored(data_dir, target, verified)) {
    return error("the previous bundle (version " + std::to_string(target) +
                 ") cannot be used: " + failed->message);
  }
  LibraryEvent event;
  event.time_unix = now_unix;
  event.action = "rollback";
  event.version = target;
  event.previous = (*active)->version;
  event.publisher = verified.bundle.manifest.publisher;
  event.signer = verified.signer;
  event.detail =
      "from version " + std::to_string((*active)->version) + " back to " + std::to_string(target);
  // The bundle rolled back from stays on disk as "previous" is cleared: one step back
  // only, and importing it again needs a newer version than the one now active.
  if (auto written = write_active(data_dir, ActiveBundle{target, std::nullopt}); !written) {
    return Error{written.error()};
  }
  if (auto appended = append_history(data_dir, event); !appended) return Error{appended.error()};
  return event;
}

Result<std::vector<LibraryEvent>> read_history(const std::filesystem::path& data_dir) {
  std::vector<LibraryEvent> events;
  const auto path = bundles_dir(data_dir) / kHistoryName;
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return events;
  std::vector<std::uint8_t> bytes;
  if (auto failed = read_bundle_file(path, bytes, kMaxHistoryBytes)) {
    return error(failed->message);
  }
  const auto history = nlohmann::json::parse(bytes.begin(), bytes.end(), nullptr, false);
  if (history.is_discarded() || !history.is_array()) {
    return error(path.string() + ": not a valid library history");
  }
  for (const auto& item : history) {
    if (item.is_object()) events.push_back(event_of(item));
  }
  return events;
}

Result<std::shared_ptr<const match::CompiledLibrary>> load_active_library(
    const std::filesystem::path& data_dir) {
  auto active = read_active(data_dir);
  if (!active) return Error{active.error()};
  if (!*active) return std::shared_ptr<const match::CompiledLibrary>{};
  VerifiedBundle verified;
  if (auto failed = open_stored(data_dir, (*active)->version, verified)) {
    return error("the active library bundle (version " + std::to_string((*active)->version) +
                 ") cannot be used: " + failed->message);
  }
  return verified.compiled;
}

Status write_file_atomically(const std::filesystem::path& path, std::span<const std::uint8_t> bytes,
                             unsigned mode) {
  const std::filesystem::path temp = path.string() + ".tmp";
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) return error(temp.string() + ": cannot create: " + errno_text());
  // The mode argument is filtered by the umask; a key file must be exactly 0600.
  (void)::fchmod(fd, mode);
  std::size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t rc = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (rc < 0 && errno == EINTR) continue;
    if (rc <= 0) {
      const std::string why = errno_text();
      ::close(fd);
      ::unlink(temp.c_str());
      return error(temp.string() + ": cannot write: " + why);
    }
    written += static_cast<std::size_t>(rc);
  }
  const bool synced = ::fsync(fd) == 0;
  if (::close(fd) != 0 || !synced) {
    ::unlink(temp.c_str());
    return error(temp.string() + ": cannot flush to disk: " + errno_text());
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    const std::string why = errno_text();
    ::unlink(temp.c_str());
    return error(path.string() + ": cannot replace: " + why);
  }
  const std::filesystem::path parent = path.has_parent_path() ? path.parent_path() : ".";
  if (const int dir = ::open(parent.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dir >= 0) {
    (void)::fsync(dir);
    ::close(dir);
  }
  return Ok{};
}

}  // namespace hm::library
