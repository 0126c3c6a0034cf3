#pragma once

// The subcommands of `hallmonitor`, git style. Each takes argv with argv[0] being the
// subcommand's own name, prints its --help, and returns the process exit code.
namespace hm::app {

int run_replay_command(int argc, char** argv);
int run_captures_command(int argc, char** argv);
int run_daemon_command(int argc, char** argv);
int run_stats_command(int argc, char** argv);

}  // namespace hm::app
