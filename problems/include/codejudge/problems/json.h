// Conversion between the problem model and JSON, the one place where problems meet JSON.
// Every parser returns an error value naming the offending field ("tests[3].output: expected a
// string") and never throws; the schema is described field by field in docs/PROBLEMS.md.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "codejudge/problems/problem.h"

namespace codejudge::problems {

inline constexpr uint64_t kMaxTimeMs = 60000;  // per-test CPU time ceiling
inline constexpr uint64_t kMaxMemoryMb = 8192;
// The sandbox's floor: below it every run would be an internal error.
inline constexpr uint64_t kMinMemoryMb = 4;

// One problem from a parsed JSON object. Unknown fields are rejected so typos cannot pass.
std::optional<Problem> problem_from_json(const nlohmann::json& json, std::string* error);
// The same from the text of one JSONL line.
std::optional<Problem> problem_from_json_text(std::string_view text, std::string* error);

// The checker object: {"type", "abs_tol", "rel_tol", "language", "code"}.
std::optional<CheckerSpec> checker_from_json(const nlohmann::json& json, std::string* error);
// The signature object: {"params": [{"name", "type"}], "returns"}.
std::optional<Signature> signature_from_json(const nlohmann::json& json, std::string* error);
// A tests array for the mode; replaces *tests on success. Function-mode inputs and outputs are
// stored as compact JSON text. Does not check the argument count against a signature.
bool tests_from_json(Mode mode, const nlohmann::json& json, std::vector<Test>* tests,
                     std::string* error);

// The full problem; problem_from_json(to_json(p)) gives p back.
nlohmann::json to_json(const Problem& problem);
nlohmann::json to_json(const CheckerSpec& checker);
nlohmann::json to_json(const Signature& signature);
nlohmann::json to_json(Mode mode, const Test& test);
// What a solver may see: no reference solutions, only the first public_tests tests.
nlohmann::json public_view(const Problem& problem);

// Cross-field validation of a problem built in code (importers run it before emitting);
// returns the first problem found, or an empty string.
std::string validate_problem(const Problem& problem);

// Grammar checks shared with the server and the judges.
bool valid_problem_id(std::string_view id);  // [A-Za-z0-9._/-]+, at most 200 characters
// The canonical language names a problem may key code by: the problem format's vocabulary. It
// lives here because problems cannot see judges (judges link problems); everything else about a
// language (aliases, modes, toolchain, harness) is the judges' language table's
// (judges/language.h), which has one entry per name here.
bool valid_language(std::string_view language);
const std::vector<std::string>& known_languages();
// int, long, float, bool, str, ListNode, TreeNode, list[T] with T any of these.
bool valid_value_type(std::string_view type);
// A value type, or "void": the function modifies its first argument, which is the result.
bool valid_return_type(std::string_view type);
// An entry point expression: "add", "Solution().twoSum" (identifiers, dots, "()").
bool valid_entry_point(std::string_view entry_point);

}  // namespace codejudge::problems
