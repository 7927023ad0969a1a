// The problem data model shared by the loaders, the judges and the server.
// Plain structs: JSON is read and written only by problems/json.h at the file/HTTP edges.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace codejudge::problems {

enum class Mode { kStdio, kFunction, kAssert };

// How a test's output is compared with the expected one.
struct CheckerSpec {
  enum class Type { kExact, kLines, kTokens, kFloat, kUnordered, kCustom };
  Type type = Type::kTokens;
  double abs_tol = 1e-6;  // kFloat and function mode
  double rel_tol = 1e-6;
  std::string language;  // kCustom: the checker program's language and source
  std::string code;
};

// A function-mode parameter or return type: int, long, float, bool, str, list[T] (nested),
// ListNode, TreeNode. Kept as the written type string; judges/ parses it for harnesses.
struct Param {
  std::string name;
  std::string type;
};

struct Signature {
  std::vector<Param> params;
  std::string returns;
};

// One test. stdio: input/expected are text. function: input is the JSON array of
// arguments, expected the JSON value. assert: code is Python that checks the submission.
struct Test {
  std::string input;  // stdio text, or function-mode JSON array text
  std::string expected;  // stdio text, or function-mode JSON value text
  std::string code;  // assert mode
};

struct ProblemLimits {
  uint64_t time_ms = 2000;  // CPU time per test
  uint64_t memory_mb = 256;
};

struct Problem {
  std::string id;
  std::string title;
  std::string statement;
  std::string difficulty;  // easy, medium, hard (or empty when unknown)
  std::vector<std::string> tags;
  Mode mode = Mode::kStdio;
  std::string entry_point;  // function and assert modes: "Solution().twoSum" or "add"
  Signature signature;  // function mode
  std::map<std::string, std::string> starter_code;  // language -> code
  std::vector<Test> tests;
  size_t public_tests = 0;  // how many of tests (from the front) may be shown
  CheckerSpec checker;
  ProblemLimits limits;
  std::map<std::string, std::string> reference;  // language -> solution
  std::map<std::string, std::string> preamble;  // language -> code prepended to submissions
  std::string source;
  std::string license;
};

const char* mode_name(Mode mode);  // "stdio", "function", "assert"
std::optional<Mode> parse_mode(const std::string& name);
const char* checker_type_name(CheckerSpec::Type type);
std::optional<CheckerSpec::Type> parse_checker_type(const std::string& name);

}  // namespace codejudge::problems
