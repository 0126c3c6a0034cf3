#pragma once

namespace hm::app {

// `hallmonitor observe FILE…`: every observation in the capture files as one JSON
// object per line on stdout. argv[0] is "observe". Returns the process exit code.
int run_observe_command(int argc, char** argv);

}  // namespace hm::app
