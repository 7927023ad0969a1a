// Loading problem sets from JSONL files and looking problems up.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "codejudge/problems/problem.h"

namespace codejudge::problems {

struct LoadError {
  std::string file;
  size_t line = 0;  // 1-based; 0 when the error concerns the whole file or path
  std::string reason;

  std::string to_string() const;  // "file:line: reason"
};

struct LoadResult {
  std::vector<Problem> problems;  // in file order, files in sorted path order
  std::vector<LoadError> errors;
};

// Loads every *.jsonl and *.jsonl.gz file under `paths` (files are read whatever their name;
// directories recursively, in sorted order). A malformed line is reported and skipped; a
// duplicate id is reported and the first problem with that id is kept.
LoadResult load_problems(const std::vector<std::string>& paths);

// Problems parsed from JSONL text, with the same rules; `file` only labels the errors.
LoadResult parse_problems_jsonl(std::string_view text, const std::string& file);

struct ProblemFilter {
  std::string tag;         // exact tag; empty matches all
  std::string difficulty;  // easy, medium, hard; empty matches all
  std::string id_prefix;   // e.g. "humaneval/"; empty matches all
  size_t offset = 0;
  size_t limit = 0;  // 0: no limit
};

struct ProblemPage {
  std::vector<const Problem*> problems;  // the requested window
  size_t total = 0;                      // matches before offset and limit
};

// An immutable set of problems indexed by id.
class ProblemSet {
 public:
  ProblemSet() = default;
  // Keeps the first of any duplicate ids; their ids go to *duplicates when given.
  explicit ProblemSet(std::vector<Problem> problems,
                      std::vector<std::string>* duplicates = nullptr);

  const Problem* find(std::string_view id) const;
  ProblemPage list(const ProblemFilter& filter) const;
  size_t size() const { return problems_.size(); }
  const std::vector<Problem>& problems() const { return problems_; }

 private:
  std::vector<Problem> problems_;
  std::unordered_map<std::string, size_t> index_;  // id -> position in problems_
};

}  // namespace codejudge::problems
