// Importers from public code benchmarks into our problem format. Their decisions (splitting,
// chunking, tolerances, type restoration) are documented in docs/PROBLEMS.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "codejudge/problems/problem.h"

namespace codejudge::problems {

struct ImportOptions {
  // humaneval, leetcodedataset: one test per top-level assert of check() when that is safe.
  bool split_asserts = true;
  // With split_asserts: group consecutive asserts into at most this many tests (0: no cap).
  size_t max_split_tests = 0;
  // humanevalplus, mbppplus: inputs per generated test.
  size_t chunk_size = 50;
  // leetcodedataset: build the tests from input_output pairs instead of `test`.
  bool leetcode_input_output = false;
  // codecontests: also import generated_tests (after public and private ones).
  bool codecontests_generated_tests = true;
  // When non-zero, every imported problem gets this per-test CPU limit instead of the
  // importer's choice (the record's own limit, 20000 for evalplus chunks, else the default).
  uint64_t time_ms = 0;
};

struct ImportError {
  size_t record = 0;  // 0-based index of the record in the file
  size_t line = 0;    // 1-based line for JSONL input, 0 for a JSON array
  std::string reason;

  std::string to_string() const;  // "record 12 (line 13): reason"
};

struct ImportResult {
  std::vector<Problem> problems;
  std::vector<ImportError> errors;  // records skipped, the others still imported
  std::string error;                // the whole import failed (unknown format, unreadable file)

  bool ok() const { return error.empty(); }
};

// Formats: humaneval, humanevalplus, mbpp, mbppplus, leetcodedataset, apps, codecontests.
const std::vector<std::string>& import_formats();

// Imports a JSONL file (or a JSON array file, as MBPP's sanitized set); gzip is detected.
ImportResult import_dataset(std::string_view format, const std::string& input_path,
                            const ImportOptions& options = {});

// Writes one problem per line; false with *error set if a problem is invalid or the file cannot
// be written (nothing is left half-written under `path` then).
bool write_jsonl(const std::vector<Problem>& problems, const std::string& path, std::string* error);

}  // namespace codejudge::problems
