// The run unit of a judge() call: every test of one submission in the sandbox, on the worker
// pool (stdio tests one process each, harnessed ones in batches), each given its verdict by the
// check unit.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "codejudge/judges/judge.h"
#include "codejudge/problems/problem.h"
#include "codejudge/sandbox/sandbox.h"
#include "test_check.h"
#include "worker_pool.h"

namespace codejudge::judges {

// The compiled program and how each test runs it.
struct ProgramRun {
  std::string box_dir;  // the cache entry, bound read-only at kBoxDir
  std::vector<std::string> argv;
  std::vector<std::string> env;
  sandbox::Limits limits;    // one test's; output_bytes is set per run
  std::string stdin_prefix;  // the Python harnesses' header: the submission as data
  std::string token;         // function mode's result-line token
  // Only python's function harness reports a compile error by exit code and marker.
  bool harness_compiles = false;
  const sandbox::WarmRuntime* warm = nullptr;  // the language's, unless warm runtimes are off
};

struct TestRunOutcome {
  // In test order; after the first failure, cut there when options.stop_on_first_failure.
  std::vector<TestResult> tests;
  std::optional<std::string> compile_error;  // the harness reported the submission's
};

TestRunOutcome run_tests(WorkerPool& pool, sandbox::Sandbox& box, const problems::Problem& problem,
                         const JudgeOptions& options, const TestChecker& checker,
                         const ProgramRun& program);

}  // namespace codejudge::judges
