// codejudge: a thin dispatcher over the subcommands.
#include <cstdio>
#include <cstring>
#include <map>

#include "commands.h"

namespace {

constexpr const char* kUsage =
    "usage: codejudge COMMAND [ARGS...]\n"
    "commands:\n"
    "  sandbox    run one command in the sandbox and print its result as JSON\n"
    "  run        compile (if needed) and run one source file in the sandbox\n"
    "  judge      judge a submission against a problem\n"
    "  problems   list, show, validate, import and generate problems\n"
    "  languages  list the supported languages and their toolchains\n"
    "  serve      start the HTTP judge server\n"
    "  doctor     report what this host offers the sandbox\n"
    "run 'codejudge COMMAND --help' for a command's flags\n";

}  // namespace

int main(int argc, char** argv) {
  using namespace codejudge::cli;
  const std::map<std::string, int (*)(const Args&)> commands = {
      {"sandbox", cmd_sandbox},     {"doctor", cmd_doctor}, {"run", cmd_run},
      {"languages", cmd_languages}, {"judge", cmd_judge},   {"problems", cmd_problems},
      {"serve", cmd_serve},
  };
  if (argc < 2 || std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0) {
    std::fputs(kUsage, argc < 2 ? stderr : stdout);
    return argc < 2 ? 2 : 0;
  }
  auto it = commands.find(argv[1]);
  if (it == commands.end()) return usage_error(std::string("unknown command: ") + argv[1], kUsage);
  return it->second(Args(argv + 2, argv + argc));
}
