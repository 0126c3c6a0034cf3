#pragma once

namespace hm::app {

// `hallmonitor library check|match`: load and compile library sources, and test text
// against them (one JSON object per input line). argv[0] is "library". Returns the
// process exit code. Issue 4 adds keygen, build, verify, import, show and rollback.
int run_library_command(int argc, char** argv);

}  // namespace hm::app
