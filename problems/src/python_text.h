// Just enough Python lexing for the importers: logical lines, calls, string literals. Not a
// parser: it knows strings, comments, brackets and continuations, which is what splitting a
// check() function and finding a call's arguments need (private to the problems library).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace codejudge::problems::detail {

struct PyToken {
  enum class Kind { kName, kNumber, kString, kOp, kNewline };
  Kind kind;
  std::string_view text;
  size_t offset = 0;  // into the source
};

// Tokens of `source`; kNewline only ends logical lines (not inside brackets or after a
// backslash). False when a string or bracket is left open or closed unopened.
bool tokenize_python(std::string_view source, std::vector<PyToken>* tokens);

struct LogicalLine {
  std::string_view text;    // from the start of its first physical line, without the newline
  std::string_view indent;  // leading whitespace of its first physical line
  size_t begin_token = 0, end_token = 0;  // its tokens (end excluded, newline not included)
  bool blank() const { return begin_token == end_token; }  // whitespace and comments only
};

bool split_logical_lines(std::string_view source, std::vector<PyToken>* tokens,
                         std::vector<LogicalLine>* lines);

// Splits test code that defines check(candidate) as a flat list of statements into one test
// per assert that uses the candidate, each keeping the code around check() and the setup
// statements before its assert. Empty when splitting is not clearly safe (loops, conditions,
// nested blocks, setup that calls the candidate, fewer than two asserts). With max_tests > 0,
// consecutive asserts are grouped into at most max_tests tests.
std::vector<std::string> split_check_function(std::string_view code, size_t max_tests);

// The source between the parentheses of the first call of `name` (not an attribute).
std::optional<std::string_view> first_call_arguments(std::string_view code, std::string_view name);
// Names called in `code`, in order (attributes such as math.isclose excluded).
std::vector<std::string> called_names(std::string_view code);
// Names defined by `def` in `code`, in order.
std::vector<std::string> defined_functions(std::string_view code);

// True when `code` lexes as one balanced expression without Python-invalid integer literals
// such as 0001; a cheap filter, not a parse.
bool plausible_python_expression(std::string_view code);

// A single-quoted Python literal for `text` (UTF-8 passes through).
std::string python_string_literal(std::string_view text);

}  // namespace codejudge::problems::detail
