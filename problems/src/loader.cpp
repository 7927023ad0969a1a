#include "codejudge/problems/loader.h"

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "codejudge/problems/json.h"
#include "text_file.h"

namespace codejudge::problems {
namespace {

namespace fs = std::filesystem;

bool is_problem_file(const fs::path& path) {
  std::string name = path.filename().string();
  return name.ends_with(".jsonl") || name.ends_with(".jsonl.gz");
}

// Expands `paths` into the files to read, each directory's files in sorted order.
std::vector<std::string> collect_files(const std::vector<std::string>& paths,
                                       std::vector<LoadError>* errors) {
  std::vector<std::string> files;
  for (const std::string& path : paths) {
    std::error_code ec;
    fs::file_status status = fs::status(path, ec);
    if (ec || !fs::exists(status)) {
      errors->push_back({path, 0, "no such file or directory"});
      continue;
    }
    if (!fs::is_directory(status)) {
      files.push_back(path);
      continue;
    }
    std::vector<std::string> found;
    fs::recursive_directory_iterator it(path, fs::directory_options::skip_permission_denied, ec);
    for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      std::error_code file_ec;
      if (it->is_regular_file(file_ec) && is_problem_file(it->path())) {
        found.push_back(it->path().string());
      }
    }
    if (ec) errors->push_back({path, 0, "cannot list directory: " + ec.message()});
    std::sort(found.begin(), found.end());
    files.insert(files.end(), found.begin(), found.end());
  }
  return files;
}

// Appends the problems of one JSONL text; `seen` maps ids already kept to "file:line".
void parse_into(std::string_view text, const std::string& file,
                std::unordered_map<std::string, std::string>* seen, LoadResult* result) {
  size_t line_number = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
    std::string error;
    auto problem = problem_from_json_text(line, &error);
    if (!problem) {
      result->errors.push_back({file, line_number, error});
      continue;
    }
    auto [it, inserted] = seen->emplace(problem->id, file + ":" + std::to_string(line_number));
    if (!inserted) {
      result->errors.push_back({file, line_number,
                                "duplicate id '" + problem->id + "' (first defined at " +
                                    it->second + "; this one is ignored)"});
      continue;
    }
    result->problems.push_back(std::move(*problem));
  }
}

}  // namespace

std::string LoadError::to_string() const {
  if (line == 0) return file + ": " + reason;
  return file + ":" + std::to_string(line) + ": " + reason;
}

LoadResult parse_problems_jsonl(std::string_view text, const std::string& file) {
  LoadResult result;
  std::unordered_map<std::string, std::string> seen;
  parse_into(text, file, &seen, &result);
  return result;
}

LoadResult load_problems(const std::vector<std::string>& paths) {
  LoadResult result;
  std::unordered_map<std::string, std::string> seen;
  for (const std::string& file : collect_files(paths, &result.errors)) {
    std::string text, error;
    if (!detail::read_text_file(file, &text, &error)) {
      result.errors.push_back({file, 0, error});
      continue;
    }
    parse_into(text, file, &seen, &result);
  }
  return result;
}

ProblemSet::ProblemSet(std::vector<Problem> problems, std::vector<std::string>* duplicates) {
  problems_.reserve(problems.size());
  for (Problem& problem : problems) {
    if (index_.contains(problem.id)) {
      if (duplicates != nullptr) duplicates->push_back(problem.id);
      continue;
    }
    index_.emplace(problem.id, problems_.size());
    problems_.push_back(std::move(problem));
  }
}

const Problem* ProblemSet::find(std::string_view id) const {
  auto it = index_.find(std::string(id));
  return it == index_.end() ? nullptr : &problems_[it->second];
}

ProblemPage ProblemSet::list(const ProblemFilter& filter) const {
  ProblemPage page;
  for (const Problem& problem : problems_) {
    if (!filter.tag.empty() &&
        std::find(problem.tags.begin(), problem.tags.end(), filter.tag) == problem.tags.end()) {
      continue;
    }
    if (!filter.difficulty.empty() && problem.difficulty != filter.difficulty) continue;
    if (!filter.id_prefix.empty() && !problem.id.starts_with(filter.id_prefix)) continue;
    size_t position = page.total++;
    if (position < filter.offset) continue;
    if (filter.limit != 0 && page.problems.size() >= filter.limit) continue;
    page.problems.push_back(&problem);
  }
  return page;
}

}  // namespace codejudge::problems
