// Verdicts: the program's outcome is data; kIE is our failure and is never the submission's.
#pragma once

#include <optional>
#include <string_view>

namespace codejudge::judges {

enum class Verdict {
  kAC,   // accepted
  kWA,   // wrong answer
  kTLE,  // time limit (CPU or wall)
  kMLE,  // memory limit
  kRE,   // runtime error: non-zero exit or fatal signal
  kOLE,  // output limit
  kSE,   // security error: a forbidden syscall
  kCE,   // compile error (per submission only)
  kIE,   // internal error: the judge failed, not the submission
};

const char* verdict_name(Verdict verdict);  // "AC", "WA", ...
std::optional<Verdict> parse_verdict(std::string_view name);

}  // namespace codejudge::judges
