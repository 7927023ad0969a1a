// Built-in output checkers: pure comparisons of expected and actual output, no process runs here.
// Every checker streams over its inputs in linear time (sorting aside), so 100 MB outputs are fine.
#pragma once

#include <string>
#include <string_view>

#include "codejudge/problems/problem.h"

namespace codejudge::judges {

struct CheckOutcome {
  bool accepted = false;
  std::string message;  // why it was rejected: the first difference, briefly, values truncated
};

// Compares stdio output by spec.type:
//   kExact     byte-equal.
//   kLines     line by line; trailing spaces, tabs and '\r' on each line and trailing blank lines
//   are
//              ignored, leading whitespace matters.
//   kTokens    whitespace-separated tokens, case-sensitive.
//   kFloat     tokens; two tokens that both parse fully as finite numbers match when
//              |a-b| <= abs_tol or |a-b| <= rel_tol*|expected|, others must be string-equal
//              (so "nan" matches only "nan").
//   kUnordered lines as for kLines, compared as a multiset.
//   kCustom    never accepted here: the judge runs the checker program.
// Extra or missing lines/tokens are always a rejection: a prefix of the answer is not the answer.
CheckOutcome check_text(const problems::CheckerSpec& spec, std::string_view expected,
                        std::string_view actual);

// Structural comparison of two JSON values (function mode). Type classes must match (null, bool,
// number, string, array, object); bool is never a number. Arrays elementwise with equal length,
// objects by key set. Two integers compare exactly; otherwise numbers compare as doubles with the
// tolerances above, so 2 == 2.0. Integers beyond the 64-bit range (nlohmann would turn them into
// lossy doubles) keep their literal text: two of them match only when the texts are identical,
// and against a non-integer they compare as doubles. Literals beyond the double range (> ~1e308)
// cannot be parsed and are rejected. Malformed JSON on either side is a rejection with a message.
CheckOutcome check_json(std::string_view expected_json, std::string_view actual_json,
                        double abs_tol, double rel_tol);

}  // namespace codejudge::judges
