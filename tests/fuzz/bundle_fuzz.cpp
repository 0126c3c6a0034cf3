// libFuzzer target: arbitrary bytes as a library bundle (.hmlib).
// Properties checked: parse_bundle never crashes or reads out of bounds; a bundle it
// accepts is verified (against a fixed trusted key, whose signature checks run on the
// hostile signature bytes too), its sources parsed and, when they parse, compiled;
// and writing its manifest and sources again gives a bundle that parses back to the
// same. Links the `library` CMake target (which brings `match` and `crypto`).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "library/bundle.h"

namespace {

const hm::crypto::SigningKeyPair& fuzz_key() {
  static const hm::crypto::SigningKeyPair key = hm::crypto::generate_signing_key();
  return key;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace hm::library;
  const std::span<const std::uint8_t> bytes(data, size);
  Bundle bundle;
  if (parse_bundle(bytes, bundle)) {
    return 0;
  }
  if (bundle.signed_bytes > size) {
    std::abort();  // the signature would cover bytes that are not there
  }
  const auto& key = fuzz_key();
  std::vector<TrustedKey> keys{
      {"fuzz", key.public_pem, *hm::crypto::key_id_of_public_pem(key.public_pem)}};
  (void)verify_signature(bytes, bundle, keys);  // unknown publisher
  bundle.signer = keys.front().id;
  if (!verify_signature(bytes, bundle, keys)) {
    std::abort();  // a hostile signature verified against a key it was not made with
  }
  hm::match::Library library;
  if (!library_of(bundle, library)) {
    (void)hm::match::CompiledLibrary::compile(std::move(library));
  }
  auto rewritten = write_bundle(bundle.manifest, bundle.sources, key.private_pem);
  if (!rewritten) {
    return 0;  // e.g. a source the writer refuses (the parser checks the same limits)
  }
  Bundle again;
  if (parse_bundle(*rewritten, again) || again.manifest.version != bundle.manifest.version ||
      again.manifest.publisher != bundle.manifest.publisher ||
      again.sources.size() != bundle.sources.size()) {
    std::abort();
  }
  return 0;
}
