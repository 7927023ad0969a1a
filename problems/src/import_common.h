// Shared pieces of the dataset importers (private to the problems library).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "codejudge/problems/importers.h"

namespace codejudge::problems::detail {

struct RawRecord {
  size_t index = 0;
  size_t line = 0;  // 0 inside a JSON array file
  std::string_view text;
};

// Each importer turns one record into a problem, or says why it cannot.
using RecordImporter = std::optional<Problem> (*)(const RawRecord& record,
                                                  const ImportOptions& options, std::string* error);

std::optional<Problem> import_humaneval(const RawRecord&, const ImportOptions&, std::string*);
std::optional<Problem> import_humanevalplus(const RawRecord&, const ImportOptions&, std::string*);
std::optional<Problem> import_mbpp(const RawRecord&, const ImportOptions&, std::string*);
std::optional<Problem> import_mbppplus(const RawRecord&, const ImportOptions&, std::string*);
std::optional<Problem> import_leetcode(const RawRecord&, const ImportOptions&, std::string*);
std::optional<Problem> import_apps(const RawRecord&, const ImportOptions&, std::string*);
std::optional<Problem> import_codecontests(const RawRecord&, const ImportOptions&, std::string*);

// The record as JSON; an object, or nullopt with *error set.
std::optional<nlohmann::json> parse_record(std::string_view text, std::string* error);

// A required string field; false with *error naming it.
bool require_string(const nlohmann::json& record, const char* key, std::string* out,
                    std::string* error);
// An optional string field ("" when absent or null).
std::string optional_string(const nlohmann::json& record, const char* key);
// The id part from free text: characters outside [A-Za-z0-9._-] become '_'.
std::string id_part(std::string_view text);
std::string to_lower(std::string_view text);
// The problem if it validates, else nullopt with the validation message.
std::optional<Problem> finish_problem(Problem problem, std::string* error);

// Tests from code defining check(candidate): split per assert when options allow and it is safe.
std::vector<Test> check_tests(const std::string& test_code, const ImportOptions& options);

// The test code of one chunk of evalplus inputs (see docs/PROBLEMS.md, "HumanEval+ and MBPP+").
struct PlusChunk {
  std::string reference_source;  // defines entry_point; executed in its own namespace
  std::string entry_point;
  std::string inputs_json;                       // raw JSON array of argument lists
  std::optional<std::string> example_arguments;  // Python source of one example call's args
  double atol = 0;
  std::string oracle = "default";  // default, set, not_none, poly_root
  size_t first_input = 0;          // index of the chunk's first input, for failure messages
};
std::string plus_test_code(const PlusChunk& chunk);

// The Python helper that accepts only values built from standard types (defines _cj_plain).
std::string_view plain_value_helper();

}  // namespace codejudge::problems::detail
