#include "codejudge/judges/verdict.h"

#include <array>
#include <utility>

namespace codejudge::judges {
namespace {
constexpr std::array<std::pair<Verdict, const char*>, 9> kNames = {{
    {Verdict::kAC, "AC"},
    {Verdict::kWA, "WA"},
    {Verdict::kTLE, "TLE"},
    {Verdict::kMLE, "MLE"},
    {Verdict::kRE, "RE"},
    {Verdict::kOLE, "OLE"},
    {Verdict::kSE, "SE"},
    {Verdict::kCE, "CE"},
    {Verdict::kIE, "IE"},
}};
}  // namespace

const char* verdict_name(Verdict verdict) {
  for (const auto& [v, name] : kNames) {
    if (v == verdict) return name;
  }
  return "IE";
}

std::optional<Verdict> parse_verdict(std::string_view name) {
  for (const auto& [v, n] : kNames) {
    if (name == n) return v;
  }
  return std::nullopt;
}

}  // namespace codejudge::judges
