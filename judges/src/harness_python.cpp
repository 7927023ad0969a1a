// Python harnesses: function mode (judges/harness/function_harness.py) and assert mode
// (judges/harness/assert_evaluator.py). Both are real source files embedded at build time and the
// same for every submission: the submission, the preamble and the entry point reach them as data,
// at the start of stdin, so nothing is ever pasted into Python source. Each compiles the
// submission before running anything and reports a failure as a compile error, so the judge needs
// no syntax-check process per submission. The harness itself is byte-compiled once per interpreter
// version (the compile cache keys it by the toolchain's version): compiling the assert evaluator
// at every start would cost more than the rest of a HumanEval problem.
#include <map>
#include <string>

#include "embedded_harness.h"
#include "harness_internal.h"

namespace codejudge::judges::harness_detail {
namespace {

// harness.py -> harness.pyc (never checked against a source: none is mounted), and /box/main.py,
// the run's entry, which imports it. The pyc is the interpreter's own format, made by the same
// interpreter inside the sandbox from our source, never from a submission.
constexpr std::string_view kByteCompile =
    "import py_compile, sys\n"
    "py_compile.compile(sys.argv[1], cfile='harness.pyc', dfile='/box/harness.py', doraise=True,\n"
    "                   invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)\n"
    "with open('main.py', 'w') as main:\n"
    "    main.write('import harness\\nharness.main()\\n')\n";

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

// The warm python runtime with the harness `name` imported as `harness`, compiled from the same
// source under the same file name as harness.pyc, so the module is the one main.py would import.
const sandbox::WarmRuntime* warm_runtime_with(std::string_view name) {
  static const auto runtimes = [] {
    std::map<std::string, sandbox::WarmRuntime, std::less<>> made;
    for (std::string_view harness : {"function_harness.py", "assert_evaluator.py"}) {
      made[std::string(harness)] = sandbox::WarmRuntime{
          "python+" + std::string(harness),
          {"/usr/bin/python3", "-c", std::string(embedded_file("warm_python.py")),
           std::string(embedded_file(harness))}};
    }
    return made;
  }();
  auto it = runtimes.find(name);
  return it == runtimes.end() ? nullptr : &it->second;
}

GeneratedSource python_harness(std::string_view name, std::string stdin_prefix) {
  GeneratedSource out;
  out.warm = warm_runtime_with(name);
  out.source = std::string(embedded_file(name));
  out.file_name = "harness.py";
  out.stdin_prefix = std::move(stdin_prefix);
  out.compile.argv = {"/usr/bin/python3", "-S", "-c", std::string(kByteCompile), "harness.py"};
  out.compile.artifacts = {{"main.py", false}, {"harness.pyc", false}};
  return out;
}

}  // namespace

GeneratedSource make_python_function(const FunctionSpec& spec) {
  std::string params;
  for (const std::string& code : spec.param_codes) {
    if (!params.empty()) params += ' ';
    params += code;
  }
  GeneratedSource generated =
      python_harness("function_harness.py",
                     sized_texts({embedded_file("leetcode_prelude.py"), spec.preamble,
                                  spec.user_code, spec.entry_text, params, spec.return_code}));
  generated.reports_compile_errors = true;
  return generated;
}

GeneratedSource make_python_assert(std::string_view preamble, std::string_view user_code,
                                   std::string_view entry_point, bool stop_at_first_failure) {
  return python_harness("assert_evaluator.py", sized_texts({preamble, user_code, entry_point},
                                                           stop_at_first_failure ? "1" : "0"));
}

}  // namespace codejudge::judges::harness_detail
