#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "base/result.h"
#include "library/bundle.h"
#include "match/matcher.h"

namespace hm::library {

// The bundles a box has accepted, in its data folder:
//
//   DIR/trusted-keys/<publisher>.pub   the publisher keys bundles must be signed with
//   DIR/library/<version>.hmlib        accepted bundles: the active one and the one
//                                      before it (for rollback); older ones are removed
//   DIR/library/active                 {"version": N, "previous": M}: which is active;
//                                      replaced atomically, polled by the daemon
//   DIR/library/history.json           every import, rejection and rollback
//
// A new bundle is verified and compiled aside and only then made active (written
// under a temporary name, fsynced, renamed). Imports and rollbacks take a lock on
// DIR/library/.lock, so a USB stick and a person at the console cannot interleave.

std::filesystem::path trusted_keys_dir(const std::filesystem::path& data_dir);
std::filesystem::path bundles_dir(const std::filesystem::path& data_dir);
std::filesystem::path active_pointer_path(const std::filesystem::path& data_dir);

struct ActiveBundle {
  std::uint64_t version = 0;
  std::optional<std::uint64_t> previous;
};

// nullopt when no bundle is active; an error when the pointer cannot be read.
Result<std::optional<ActiveBundle>> read_active(const std::filesystem::path& data_dir);

std::filesystem::path bundle_path(const std::filesystem::path& data_dir, std::uint64_t version);

// A stored bundle, read and verified against the data folder's trusted keys again
// (a key may have been withdrawn since the import); nullopt when it can be used.
std::optional<BundleProblem> open_stored(const std::filesystem::path& data_dir,
                                         std::uint64_t version, VerifiedBundle& out);

// One entry of DIR/library/history.json.
struct LibraryEvent {
  std::int64_t time_unix = 0;
  std::string action;          // "import", "reject" or "rollback"
  std::uint64_t version = 0;   // the bundle's version (0: not known)
  std::uint64_t previous = 0;  // the version active before (0: none)
  std::string publisher;
  std::string signer;  // the trusted key's name
  std::string reason;  // a Rejection's to_string() for "reject"
  std::string detail;  // the message, or the file imported
};

// Verifies, compiles and activates the bundle at `path`; the event says what happened
// (action "import" or "reject") and was appended to the history. On rejection
// `problem` says why and the active library is unchanged.
struct ImportOutcome {
  std::optional<BundleProblem> problem;
  LibraryEvent event;
};
ImportOutcome import_bundle(const std::filesystem::path& data_dir,
                            const std::filesystem::path& path, std::int64_t now_unix);
// What the audit log says of an import or a rejection (the command line and the web
// UI word it the same way).
std::string audit_detail(const ImportOutcome& outcome);

// The same for a bundle's bytes (uploaded from the web UI); `name` is what the history
// calls it (the file name the browser gave).
ImportOutcome import_bundle_bytes(const std::filesystem::path& data_dir,
                                  std::span<const std::uint8_t> bytes, const std::string& name,
                                  std::int64_t now_unix);

// Makes the previous bundle active again (after re-verifying it); one step back.
Result<LibraryEvent> rollback_bundle(const std::filesystem::path& data_dir, std::int64_t now_unix);

// The history, oldest first (at most kMaxHistoryEvents, the oldest dropped first).
inline constexpr std::size_t kMaxHistoryEvents = 1000;
Result<std::vector<LibraryEvent>> read_history(const std::filesystem::path& data_dir);

// The active bundle, verified against the trusted keys and compiled; nullptr when
// no bundle is active.
Result<std::shared_ptr<const match::CompiledLibrary>> load_active_library(
    const std::filesystem::path& data_dir);

// Writes `bytes` to `path` as one atomic step: a temporary file in the same folder,
// fsync, rename over `path`, fsync of the folder.
Status write_file_atomically(const std::filesystem::path& path, std::span<const std::uint8_t> bytes,
                             unsigned mode = 0644);

}  // namespace hm::library
