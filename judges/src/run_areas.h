// The scratch areas of one free-form run that places or fetches files (see run_files.h).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "codejudge/judges/run_files.h"
#include "codejudge/sandbox/sandbox.h"

namespace codejudge::judges {

class RunAreas {
 public:
  // Makes a ScratchDir for /work and for each other area the files name, writes the placed
  // files, and points spec at them (work_dir, writable binds). Each area holds area_bytes of
  // the program's own on top of what was placed. nullptr with *error when that fails (ours).
  static std::unique_ptr<RunAreas> prepare(const RunFiles& files, const std::string& scratch_parent,
                                           uint64_t area_bytes, sandbox::RunSpec* spec,
                                           std::string* error);
  // The regular files at `paths` after the run, by the path as asked; others are left out.
  std::map<std::string, std::string> fetch(const std::vector<std::string>& paths) const;

 private:
  RunAreas() = default;
  std::map<std::string, std::unique_ptr<sandbox::ScratchDir>> areas_;
  uint64_t max_bytes_ = 0;
};

}  // namespace codejudge::judges
