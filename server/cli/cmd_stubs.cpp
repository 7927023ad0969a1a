// Subcommands whose implementation lands with later issues.
#include <iostream>

#include "commands.h"

namespace codejudge::cli {

namespace {
int not_yet(const char* name) {
  std::cerr << "codejudge: '" << name << "' is not available in this build yet\n";
  return 2;
}
}  // namespace

int cmd_generate(const Args&) {
  return not_yet("problems generate");
}

}  // namespace codejudge::cli
