// Files around one free-form run (`/run_code`, SandboxFusion's `files` and `fetch_files`):
// placed in the run's scratch areas before it starts and read back after it ends.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace codejudge::judges {

struct RunFiles {
  std::vector<std::pair<std::string, std::string>> place;  // path -> contents
  std::vector<std::string> fetch;  // paths read back after the run (regular files only)
  bool empty() const { return place.empty() && fetch.empty(); }
};

// A path a run may place or fetch a file at: relative to the working directory /work, or
// absolute under /work or /mnt (each a writable scratch area of the run; SandboxFusion's own
// tests write to /mnt). `inside` is the normalised path within the area ("a/b.txt").
struct RunPath {
  std::string area;  // "/work" or "/mnt"
  std::string inside;
};
std::optional<RunPath> resolve_run_path(std::string_view path, std::string* error);

// Checks every path, and that no placed file stands where another one needs a directory
// ("a" and "a/b"). *error says which path and why: a request error, not ours.
bool check_run_files(const RunFiles& files, std::string* error);

}  // namespace codejudge::judges
