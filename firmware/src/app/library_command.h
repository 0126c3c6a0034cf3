#pragma once

namespace hm::app {

// `hallmonitor library check|match|keygen|build|verify|import|show|rollback`: library
// sources, test text against a library (one JSON object per input line), and signed
// bundles (library/bundle.h, library/bundle_store.h). argv[0] is "library". Returns the
// process exit code: for verify and import, 0 accepted and 1 rejected.
int run_library_command(int argc, char** argv);

}  // namespace hm::app
