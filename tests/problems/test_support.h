// Helpers shared by the problems tests: fixture paths, a scratch directory, running Python.
#pragma once

#include <stdlib.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "codejudge/problems/problem.h"

namespace codejudge::problems::support {

inline std::string data_dir() {
  return std::string(CODEJUDGE_SOURCE_DIR) + "/tests/problems/data";
}

// The public datasets live beside the repository (see /work/shared/datasets/README.md).
inline std::string datasets_dir() {
  return std::string(CODEJUDGE_SOURCE_DIR) + "/../shared/datasets";
}

inline bool exists(const std::string& path) {
  return std::filesystem::exists(path);
}

class ScratchDir {
 public:
  ScratchDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "codejudge-problems-XXXXXX").string();
    char* made = mkdtemp(pattern.data());
    if (made != nullptr) path_ = made;
  }
  ~ScratchDir() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }
  std::string write(const std::string& name, const std::string& text) const {
    std::string target = file(name);
    std::filesystem::create_directories(std::filesystem::path(target).parent_path());
    std::ofstream(target, std::ios::binary) << text;
    return target;
  }

 private:
  std::string path_;
};

inline bool have_command(const std::string& name) {
  return std::system(("command -v " + name + " >/dev/null 2>&1").c_str()) == 0;
}

// Runs an assert-mode test the way the judge's harness does: preamble and solution first,
// the candidate taken from entry_point, then the test code, then check(candidate) when the
// test code defined check. True when Python exits 0.
inline bool run_assert_test(const Problem& problem, const std::string& solution,
                            const std::string& test_code, const ScratchDir& dir) {
  std::string preamble;
  if (auto it = problem.preamble.find("python"); it != problem.preamble.end()) {
    preamble = it->second;
  }
  std::string program = preamble + "\n" + solution + "\n" +
                        "_cj_before = globals().get('check')\n"
                        "_cj_candidate = " +
                        (problem.entry_point.empty() ? "None" : problem.entry_point) + "\n" +
                        test_code + "\n" +
                        "if globals().get('check') is not _cj_before:\n"
                        "    check(_cj_candidate)\n";
  std::string path = dir.write("program.py", program);
  std::string command = "python3 " + path + " >/dev/null 2>&1";
  return std::system(command.c_str()) == 0;
}

}  // namespace codejudge::problems::support
