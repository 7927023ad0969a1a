// Python harnesses: function mode (judges/harness/function_harness.py) and assert mode
// (judges/harness/assert_evaluator.py). Both are real source files embedded at build time and the
// same for every submission: the submission, the preamble and the entry point reach them as data,
// at the start of stdin, so nothing is ever pasted into Python source. Each compiles the
// submission before running anything and reports a failure as a compile error, so the judge needs
// no separate syntax-check process.
#include <string>

#include "embedded_harness.h"
#include "harness_internal.h"

namespace codejudge::judges::harness_detail {
namespace {

// "<size> <size> ...\n" followed by the texts themselves.
std::string sized_texts(const std::vector<std::string_view>& texts, std::string_view trailer = {}) {
  std::string out;
  for (std::string_view text : texts) {
    if (!out.empty()) out += ' ';
    out += std::to_string(text.size());
  }
  if (!trailer.empty()) {
    out += ' ';
    out += trailer;
  }
  out += '\n';
  for (std::string_view text : texts) out += text;
  return out;
}

}  // namespace

GeneratedSource make_python_function(const FunctionSpec& spec) {
  std::string params;
  for (const std::string& code : spec.param_codes) {
    if (!params.empty()) params += ' ';
    params += code;
  }
  return GeneratedSource{std::string(embedded_file("function_harness.py")), "main.py",
                         sized_texts({embedded_file("leetcode_prelude.py"), spec.preamble,
                                      spec.user_code, spec.entry_text, params, spec.return_code})};
}

GeneratedSource make_python_assert(std::string_view preamble, std::string_view user_code,
                                   std::string_view entry_point, bool stop_at_first_failure) {
  return GeneratedSource{
      std::string(embedded_file("assert_evaluator.py")), "main.py",
      sized_texts({preamble, user_code, entry_point}, stop_at_first_failure ? "1" : "0")};
}

}  // namespace codejudge::judges::harness_detail
