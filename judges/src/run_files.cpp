#include "codejudge/judges/run_files.h"

#include <set>

#include "run_areas.h"

namespace codejudge::judges {
namespace {

constexpr std::string_view kWorkArea = "/work";
constexpr std::string_view kMntArea = "/mnt";

}  // namespace

std::optional<RunPath> resolve_run_path(std::string_view path, std::string* error) {
  RunPath out;
  out.area = std::string(kWorkArea);
  const bool absolute = !path.empty() && path.front() == '/';
  std::string inside;
  bool first = absolute;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    const std::string_view part = path.substr(start, end - start);
    start = end + 1;
    if (part.empty() || part == ".") continue;
    if (part == "..") {
      *error = "'" + std::string(path) + "': '..' is not allowed";
      return std::nullopt;
    }
    if (part.find('\0') != std::string_view::npos) {
      *error = "'" + std::string(path) + "': a NUL byte in the path";
      return std::nullopt;
    }
    if (first) {
      // An absolute path names its area by its first component.
      first = false;
      if (part == kWorkArea.substr(1) || part == kMntArea.substr(1)) {
        out.area = "/" + std::string(part);
        continue;
      }
      *error = "'" + std::string(path) + "': absolute paths must be under /work or /mnt";
      return std::nullopt;
    }
    if (!inside.empty()) inside += '/';
    inside += part;
  }
  if (first || inside.empty()) {
    *error = "'" + std::string(path) + "' names no file";
    return std::nullopt;
  }
  out.inside = std::move(inside);
  return out;
}

bool check_run_files(const RunFiles& files, std::string* error) {
  std::set<std::string> placed, directories;
  for (const auto& [path, contents] : files.place) {
    std::optional<RunPath> resolved = resolve_run_path(path, error);
    if (!resolved) return false;
    const std::string full = resolved->area + "/" + resolved->inside;
    for (size_t slash = full.find('/', 1); slash != std::string::npos;
         slash = full.find('/', slash + 1)) {
      directories.insert(full.substr(0, slash));
    }
    if (!placed.insert(full).second) {
      *error = "'" + path + "' is given twice";
      return false;
    }
  }
  for (const std::string& full : placed) {
    if (directories.count(full)) {
      *error = "'" + full + "' is both a file and a directory";
      return false;
    }
  }
  for (const std::string& path : files.fetch) {
    if (!resolve_run_path(path, error)) return false;
  }
  return true;
}

std::unique_ptr<RunAreas> RunAreas::prepare(const RunFiles& files,
                                            const std::string& scratch_parent, uint64_t area_bytes,
                                            sandbox::RunSpec* spec, std::string* error) {
  std::unique_ptr<RunAreas> areas(new RunAreas);
  std::map<std::string, std::vector<std::pair<std::string, const std::string*>>> by_area;
  std::map<std::string, uint64_t> placed_bytes;
  by_area[std::string(kWorkArea)];  // the working directory always, so fetches find it
  for (const auto& [path, contents] : files.place) {
    std::optional<RunPath> resolved = resolve_run_path(path, error);
    if (!resolved) return nullptr;
    by_area[resolved->area].emplace_back(resolved->inside, &contents);
    placed_bytes[resolved->area] += contents.size();
  }
  for (const std::string& path : files.fetch) {
    std::optional<RunPath> resolved = resolve_run_path(path, error);
    if (!resolved) return nullptr;
    by_area[resolved->area];
  }
  for (const auto& [area, entries] : by_area) {
    // The program may write area_bytes of its own on top of what was placed.
    const uint64_t bytes = area_bytes + placed_bytes[area];
    auto scratch = sandbox::ScratchDir::create(scratch_parent, bytes, error);
    if (!scratch) return nullptr;
    for (const auto& [inside, contents] : entries) {
      if (!scratch->write_file(inside, *contents, error)) return nullptr;
    }
    if (area == kWorkArea) {
      spec->work_dir = scratch->path();
    } else {
      spec->binds.push_back({scratch->path(), area, true});
    }
    areas->max_bytes_ = std::max(areas->max_bytes_, bytes);
    areas->areas_.emplace(area, std::move(scratch));
  }
  return areas;
}

std::map<std::string, std::string> RunAreas::fetch(const std::vector<std::string>& paths) const {
  std::map<std::string, std::string> fetched;
  for (const std::string& path : paths) {
    std::string error;
    std::optional<RunPath> resolved = resolve_run_path(path, &error);
    if (!resolved) continue;
    auto area = areas_.find(resolved->area);
    if (area == areas_.end()) continue;
    // A missing file, a directory or anything the program planted in its place (a symlink, a
    // FIFO) is left out, as SandboxFusion leaves out what is not a regular file.
    if (auto data = area->second->read_file(resolved->inside, max_bytes_)) {
      fetched.emplace(path, std::move(*data));
    }
  }
  return fetched;
}

}  // namespace codejudge::judges
