#include "codejudge/server/wire.h"

#include <optional>
#include <string>

namespace codejudge::server::wire {
namespace {

using nlohmann::json;

json nullable_int(bool present, int64_t value) {
  return present ? json(value) : json(nullptr);
}

}  // namespace

json compile_json(const judges::CompileInfo& compile) {
  return {{"ok", compile.ok},
          {"time_ms", compile.time_ms},
          {"cached", compile.cached},
          {"stderr", compile.stderr_data}};
}

json judge_result_json(const judges::JudgeResult& result, const ResultView& view) {
  json out = json::object();
  out["verdict"] = judges::verdict_name(result.verdict);
  out["passed"] = result.passed;
  out["total"] = result.total;
  out["time_ms"] = result.wall_ms;
  out["compile"] = compile_json(result.compile);
  json tests = json::array();
  std::optional<size_t> first_failure;
  for (size_t i = 0; i < result.tests.size(); ++i) {
    const judges::TestResult& test = result.tests[i];
    if (!first_failure && test.verdict != judges::Verdict::kAC) first_failure = i;
    json item = {{"verdict", judges::verdict_name(test.verdict)},
                 {"time_ms", test.cpu_ms},
                 {"wall_ms", test.wall_ms},
                 {"memory_kb", test.memory_bytes / 1024},
                 {"exit_code", nullable_int(test.exit_code >= 0, test.exit_code)},
                 {"signal", nullable_int(test.signal != 0, test.signal)}};
    // Hidden tests never leave the server: no outputs and no checker message for them.
    const bool revealed = i < view.revealed_tests;
    if (revealed && !test.message.empty()) item["message"] = test.message;
    if (view.outputs) {
      if (revealed) {
        item["stdout"] = test.stdout_data;
        item["stderr"] = test.stderr_data;
        item["expected"] = test.expected;
      } else {
        item["hidden"] = true;
      }
    }
    tests.push_back(std::move(item));
  }
  out["tests"] = std::move(tests);
  const bool failure_hidden = first_failure && *first_failure >= view.revealed_tests &&
                              result.verdict != judges::Verdict::kIE &&
                              result.verdict != judges::Verdict::kCE;
  if (failure_hidden) {
    out["message"] = "test " + std::to_string(*first_failure + 1) + ": " +
                     judges::verdict_name(result.tests[*first_failure].verdict) + " (hidden test)";
  } else {
    out["message"] = result.message;
  }
  return out;
}

json sandbox_result_json(const sandbox::Result& result) {
  return {{"status", sandbox::status_name(result.status)},
          {"exit_code", nullable_int(result.exit_code >= 0, result.exit_code)},
          {"signal", nullable_int(result.signal != 0, result.signal)},
          {"time_ms", result.cpu_ms},
          {"wall_ms", result.wall_ms},
          {"memory_kb", result.memory_bytes / 1024},
          {"stdout", result.stdout_data},
          {"stderr", result.stderr_data},
          {"stdout_truncated", result.stdout_truncated},
          {"stderr_truncated", result.stderr_truncated},
          {"message", result.message}};
}

}  // namespace codejudge::server::wire
