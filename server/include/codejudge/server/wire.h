// The JSON shape of our own results, one owner for the server's replies (/v1/judge,
// /v1/judge/batch) and the command line's output (codejudge judge, run, sandbox). Units are in
// the field names where docs/API.md gives them: a result's top-level "time_ms" and
// "compile.time_ms" are wall milliseconds, a test's "time_ms" is CPU milliseconds next to its
// "wall_ms". /run_code answers in SandboxFusion's shape instead (api::encode_run_code): its
// clients parse that one.
#pragma once

#include <cstddef>
#include <limits>

#include <nlohmann/json.hpp>

#include "codejudge/judges/judge.h"
#include "codejudge/sandbox/sandbox.h"

namespace codejudge::server::wire {

// What a judge result may show of its tests.
struct ResultView {
  // Tests (in order) whose outputs and checker messages may be shown; the server hides the
  // problem's hidden tests, the command line shows every test.
  size_t revealed_tests = std::numeric_limits<size_t>::max();
  bool outputs = false;  // stdout, stderr and expected of revealed tests; "hidden": true for others
};

// {"ok", "time_ms" (wall), "cached", "stderr"}
nlohmann::json compile_json(const judges::CompileInfo& compile);

// {"verdict", "passed", "total", "time_ms" (wall), "compile", "tests", "message"}; each test
// {"verdict", "time_ms" (CPU), "wall_ms", "memory_kb", "exit_code", "signal"} and, when revealed,
// "message" (when not empty) and the outputs. A failure on a hidden test is named by its number
// and verdict only.
nlohmann::json judge_result_json(const judges::JudgeResult& result, const ResultView& view);

// One sandboxed run: {"status", "exit_code", "signal", "time_ms" (CPU), "wall_ms", "memory_kb",
// "stdout", "stderr", "stdout_truncated", "stderr_truncated", "message"}.
nlohmann::json sandbox_result_json(const sandbox::Result& result);

}  // namespace codejudge::server::wire
