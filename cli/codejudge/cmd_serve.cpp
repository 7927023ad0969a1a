// `codejudge serve`: flags, environment and config file into ServerConfig, then the server.
#include <iostream>

#include "codejudge/server/config.h"
#include "codejudge/server/server.h"
#include "commands.h"

namespace codejudge::cli {

int cmd_serve(const Args& args) {
  std::string error;
  bool help = false;
  auto config = server::parse_server_config(args, server::process_env(), &error, &help);
  if (help) {
    std::cout << server::server_config_help();
    return 0;
  }
  if (!config) {
    std::cerr << "codejudge serve: " << error << "\n(see codejudge serve --help)\n";
    return 2;
  }
  return server::run_server(*config);
}

}  // namespace codejudge::cli
