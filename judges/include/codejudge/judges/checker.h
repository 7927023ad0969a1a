// Built-in output checkers: pure comparisons of expected and actual output, no process runs here.
// Every checker streams over its inputs in linear time (sorting aside), so 100 MB outputs are fine.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "codejudge/judges/harness.h"
#include "codejudge/problems/problem.h"

namespace codejudge::judges {

struct CheckOutcome {
  bool accepted = false;
  std::string message;  // why it was rejected: the first difference, briefly, values truncated
};

// Compares stdio output by spec.type:
//   kExact     byte-equal.
//   kLines     line by line; trailing spaces, tabs and '\r' on each line and trailing blank
//              lines are ignored, leading whitespace matters.
//   kTokens    whitespace-separated tokens, case-sensitive.
//   kFloat     tokens; two tokens that both parse fully as numbers match when
//              |a-b| <= abs_tol or |a-b| <= rel_tol*|expected|, others must be string-equal.
//              As DOMjudge's comparator does, nan, inf and infinity (any case, optional sign)
//              are numbers: NaN matches only NaN ("nan" = "-nan" = "NaN"), an infinity only
//              the infinity of the same sign, and a tolerance never reaches an infinity.
//   kUnordered lines as for kLines, compared as a multiset.
//   kCustom    never accepted here: the judge runs the checker program.
// Extra or missing lines/tokens are always a rejection: a prefix of the answer is not the answer.
CheckOutcome check_text(const problems::CheckerSpec& spec, std::string_view expected,
                        std::string_view actual);

// Function mode: a harness's result (JSON, plus the tokens NaN, Infinity and -Infinity that
// the harnesses write for non-finite floats) against the expected value, by the declared type
// (the return type, or the first parameter's type for a void function):
//   int, long  integer literals, compared exactly at any size. A float literal (3.0, 3e0, 3.5)
//              is rejected even when it is integral: a float where an integer is declared is a
//              wrong answer (JavaScript alone cannot tell 3.0 from 3; see harness.h).
//   float      any number, an integer literal too (C++ and JavaScript may print 3 for 3.0), or a
//              non-finite token; compared with the tolerances as check_text's kFloat does.
//   bool, str  true/false and strings, exactly; a number is never a bool.
//   list[T]    arrays of the same length, element by element by T.
//   ListNode   a list of integers; TreeNode a list of integers and nulls (level order).
// The expected value is read as problem files write it: an integral float (3.0) stands for an
// integer, the strings "NaN", "Infinity" and "-Infinity" for non-finite floats, and null for an
// empty ListNode or TreeNode. Malformed JSON on either side, objects, and JSON nested deeper
// than 2000 levels are rejections with a message.
CheckOutcome check_value(std::string_view expected_json, std::string_view actual_json,
                         const ValueType& type, double abs_tol, double rel_tol);

// Checked before any test of a problem runs, so that a defect of the problem is never blamed on
// a submission. Each returns why the value does not fit, or "" when it does.
// An expected value that check_value cannot compare as `type`.
std::string expected_value_error(std::string_view expected_json, const ValueType& type);
// A test's argument array that some function harness would refuse: not an array of one value
// per parameter, or a value that does not fit its parameter's type (int and long: integers of
// 64 bits, or integral floats below 9.2e18; float: finite numbers; strings: valid UTF-8 without
// lone surrogates).
std::string arguments_error(std::string_view arguments_json, const std::vector<ValueType>& params);

}  // namespace codejudge::judges
