// hallmonitor: one binary, subcommands in the git style (DESIGN.md "The command line").
#include <cstring>
#include <iostream>
#include <string_view>

#include "app/admin_command.h"
#include "app/commands.h"
#include "app/library_command.h"
#include "app/observe_command.h"

namespace {

struct Subcommand {
  std::string_view name;
  std::string_view summary;
  int (*run)(int argc, char** argv);
};

constexpr Subcommand kSubcommands[] = {
    {"run", "the appliance daemon: live capture on the mirror port + web UI",
     hm::app::run_daemon_command},
    {"replay", "the same pipeline over capture files (optionally serving the web UI)",
     hm::app::run_replay_command},
    {"observe", "print every observation in capture files as JSON lines",
     hm::app::run_observe_command},
    {"captures", "list stored captures (metadata only, never evidence)",
     hm::app::run_captures_command},
    {"library", "check the safeguarding library and test text against it",
     hm::app::run_library_command},
    {"admin", "status and administration of a data folder", hm::app::run_admin_command},
    {"stats", "what was seen and not seen, per minute", hm::app::run_stats_command},
};

void print_usage(std::ostream& out) {
  out << "usage: hallmonitor <command> [options]\n\n"
         "hallmonitor watches a school network's mirror port for safeguarding concerns.\n\n"
         "commands:\n";
  for (const Subcommand& subcommand : kSubcommands) {
    out << "  " << subcommand.name << std::string(10 - subcommand.name.size(), ' ')
        << subcommand.summary << '\n';
  }
  out << "\nRun `hallmonitor <command> --help` for a command's options.\n";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    print_usage(std::cerr);
    return 2;
  }
  const std::string_view name = argv[1];
  if (name == "--help" || name == "-h" || name == "help") {
    print_usage(std::cout);
    return 0;
  }
  for (const Subcommand& subcommand : kSubcommands) {
    if (subcommand.name == name) {
      return subcommand.run(argc - 1, argv + 1);
    }
  }
  std::cerr << "hallmonitor: unknown command \"" << name << "\"\n\n";
  print_usage(std::cerr);
  return 2;
}
