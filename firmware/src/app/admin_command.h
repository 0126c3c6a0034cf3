#pragma once

namespace hm::app {

// `hallmonitor admin status|…`: administration of a data folder from the box's console.
// argv[0] is "admin". Returns the process exit code.
int run_admin_command(int argc, char** argv);

}  // namespace hm::app
