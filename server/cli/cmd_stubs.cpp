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

int cmd_run(const Args&) {
  return not_yet("run");
}
int cmd_languages(const Args&) {
  return not_yet("languages");
}
int cmd_judge(const Args&) {
  return not_yet("judge");
}
int cmd_problems(const Args&) {
  return not_yet("problems");
}
int cmd_serve(const Args&) {
  return not_yet("serve");
}

}  // namespace codejudge::cli
