#include "judge_output.h"

#include <fstream>
#include <iostream>
#include <sstream>

namespace codejudge::cli {

std::unique_ptr<judges::Judge> make_judge(size_t workers, bool warm_runtimes) {
  judges::JudgeConfig config;
  config.workers = workers;
  config.warm_runtimes = warm_runtimes;
  config.detect_toolchains_at_start = false;  // one run: only the languages it uses
  std::string error;
  auto judge = judges::Judge::create(config, &error);
  if (!judge) {
    std::cerr << "codejudge: cannot start the judge: " << error << "\n";
    return nullptr;
  }
  for (const std::string& warning : judge->host().warnings) {
    std::cerr << "codejudge: warning: " << warning << "\n";
  }
  return judge;
}

bool read_text_file(const std::string& path, std::string* out, std::string* error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = "cannot read " + path;
    return false;
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  *out = buffer.str();
  return true;
}

}  // namespace codejudge::cli
