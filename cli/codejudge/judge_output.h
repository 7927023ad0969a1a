// What the judging subcommands share: a judge and file reading. Results are printed in the
// server's JSON shape (codejudge/server/wire.h).
#pragma once

#include <memory>
#include <string>

#include "codejudge/judges/judge.h"
#include "codejudge/server/wire.h"

namespace codejudge::cli {

// The command line shows every test of a result, with its outputs when asked.
inline server::wire::ResultView every_test(bool outputs) {
  server::wire::ResultView view;
  view.outputs = outputs;
  return view;
}

// A judge with the default cache and sandbox; start-up warnings go to stderr once.
std::unique_ptr<judges::Judge> make_judge(size_t workers = 0, bool warm_runtimes = true);

// Reads a whole file; false with *error when it cannot.
bool read_text_file(const std::string& path, std::string* out, std::string* error);

}  // namespace codejudge::cli
