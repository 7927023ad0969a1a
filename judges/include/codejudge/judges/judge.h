// Judges a submission against a problem: compile once (through the cache), run every test in the
// sandbox on a shared worker pool, check each output, and reduce the per-test verdicts.
//
// Verdict rules:
//   - CE when the compile failed (or the source is over kMaxSourceBytes). Harnessed python
//     compiles only its harness (once per interpreter version, cached; a failure there is IE):
//     the harness compiles the submission and reports a failure (function mode:
//     kCompileErrorExitCode; assert mode: a "ce" record), which is a CE too, with no tests
//     reported. Whatever the source makes the compiler do is a CE too: blocking (stopped after
//     5 s without CPU progress, see Limits::idle_ms), a syscall the sandbox forbids, writing a
//     library instead of an executable (Go's package foo), writing no program at all.
//   - Function mode: before anything runs, every test's arguments (and, without a custom
//     checker, its expected value) must fit the signature; a test that does not is the
//     problem's defect, IE. A result is compared by the declared type (check_value).
//   - Per test: the sandbox status maps to RE/TLE/MLE/OLE/SE; an OK run is checked (WA or AC).
//     Any exit code or stderr text of the program is its own outcome (a harness's internal
//     failure marker included: submission code can write it). A sandbox IE, the assert
//     evaluator's "ie" record (written by the evaluator process, which the submission cannot
//     reach), a custom checker that crashes or times out, a compile that hits the wall fuse while
//     still progressing (a host too busy), or any failure of ours (scratch dir, cache I/O) is IE.
//   - Submission: IE if any reported test is IE (never blame the submission); else the first
//     failing test's verdict in test order; else AC.
//   - Assert mode: the evaluator, a process the submission cannot reach, decides each test (see
//     harness.h): a failed assertion is WA; any other exception, or the submission's process
//     dying or exiting, is RE. An assert run that ends without the evaluator's record for a test
//     takes the sandbox's status for it (RE when that is OK), never AC and never IE.
//
// Batching (function and assert mode): the tests of a submission run in chunks of batch_tests,
// the chunks in parallel on the pool; the tests of a chunk run in order, as many per process as
// fit, under the limits of a single test (so a batch that passes proves each of its tests would
// pass alone). The submission's globals persist across the tests of a process, as on LeetCode;
// each test still gets fresh arguments and a fresh Solution. A test with a printed result keeps
// it. The process's ending (crash, exception, limit) belongs to the first test without a result;
// when that ending is a limit and other tests ran before it in the process (or, for memory and
// output, the batch held other tests' data), the test runs again and the rest of the chunk one
// per process. In assert mode the evaluator goes on after a wrong answer (unless
// stop_on_first_failure) and stops after a failure that breaks the submission's process; the
// tests after its last record run in a fresh process. A test's cpu_ms, wall_ms and memory_bytes
// are those of the process it ran in; its stderr (with return_outputs) is given only to the test
// that ended the process (assert mode: a failed test's is the evaluator's account of the failure).
// With stop_on_first_failure, tests after a failure are not started, but every test before it
// still runs, so the verdict and the reported tests (those up to and including the first
// failure) do not depend on parallelism or load. Limits are CPU time, which load does not change.
// A test that the sandbox stopped because the program waited (slept, blocked) rather than
// computed (sandbox::Result::waiting) ends the submission: the tests after it are not started
// and are reported TLE "not run", so that it holds the workers for about one wall-clock limit
// (CPU limit + 1 s for a waiting run), not one per test.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "codejudge/judges/compile_cache.h"
#include "codejudge/judges/run_files.h"
#include "codejudge/judges/verdict.h"
#include "codejudge/problems/problem.h"
#include "codejudge/sandbox/sandbox.h"

namespace codejudge::judges {

struct JudgeConfig {
  std::string cache_dir;  // empty: default_cache_dir()
  uint64_t cache_bytes = 1ull << 30;
  size_t workers = 0;  // concurrent test runs over all judge() calls; 0 = number of CPUs
  std::string scratch_parent = "/tmp";  // where compile scratch dirs are mounted
  sandbox::Options sandbox;
  // Detect every toolchain's version in create() (in parallel), so the first submission in each
  // language does not wait for it (javac alone takes ~0.4 s). A one-shot caller that judges one
  // or two languages starts faster without (each is then detected on first use).
  bool detect_toolchains_at_start = true;
  // Serve runs of languages that have one from a warm runtime per sandbox slot (sandbox.h
  // WarmRuntime; docs/ARCHITECTURE.md): same verdicts, far less start-up. Off: every run cold.
  bool warm_runtimes = true;
};

struct Submission {
  std::string language;  // a name or alias from language.h
  std::string code;
};

struct JudgeOptions {
  bool stop_on_first_failure = false;
  // Function and assert mode: up to this many tests share one sandboxed process (see the
  // header comment); 1 gives every test a fresh process. Stdio tests always run alone.
  size_t batch_tests = 64;
  bool return_outputs = false;        // fill TestResult's stdout/stderr/expected
  size_t output_return_bytes = 4096;  // each returned output is cut to this many bytes
  // Overrides of the problem's limits.
  std::optional<uint64_t> time_ms;  // CPU time per test
  std::optional<uint64_t> memory_mb;
  std::optional<uint64_t> output_kb;  // per stream; default max(1 MiB, 2 * expected + 4 KiB)
};

struct CompileInfo {
  bool ok = false;
  uint64_t time_ms = 0;  // wall time this call spent compiling or waiting (near 0 when cached)
  bool cached = false;   // the result came from the cache (or from an identical compile in flight)
  std::string stderr_data;  // compiler diagnostics, or why the source was rejected
};

struct TestResult {
  Verdict verdict = Verdict::kIE;
  uint64_t cpu_ms = 0;
  uint64_t wall_ms = 0;
  uint64_t memory_bytes = 0;
  int exit_code = -1;
  int signal = 0;
  std::string message;  // the checker's or the sandbox's reason; empty on AC
  // Only with JudgeOptions::return_outputs, cut to output_return_bytes (on a UTF-8 boundary).
  std::string stdout_data;
  std::string stderr_data;
  std::string expected;
};

struct JudgeResult {
  Verdict verdict = Verdict::kIE;
  size_t passed = 0;  // tests with AC among those reported
  size_t total = 0;   // tests in the problem
  CompileInfo compile;
  std::vector<TestResult> tests;  // in test order; cut after the first failure with stop_on_...
  uint64_t wall_ms = 0;
  std::string message;  // the first failure ("test 3: WA: ...") or the IE step
};

class Judge {
 public:
  // Creates the sandbox, opens the compile cache and starts the worker pool. Returns nullptr
  // with *error set when any of them cannot start.
  static std::unique_ptr<Judge> create(const JudgeConfig& config, std::string* error);
  ~Judge();
  Judge(const Judge&) = delete;
  Judge& operator=(const Judge&) = delete;

  // Thread-safe.
  JudgeResult judge(const problems::Problem& problem, const Submission& submission,
                    const JudgeOptions& options);

  // For `codejudge run` and `/run_code`: compile (cached) then run once with stdin_data and
  // limits, with `files` placed before and fetched after (paths checked by check_run_files).
  // When the compile fails, run.status is kInternalError with message "compile failed".
  struct RunOutput {
    CompileInfo compile;
    sandbox::Result run;
    std::map<std::string, std::string> fetched;  // by the path asked for in files.fetch
  };
  RunOutput run(const Submission& submission, const std::string& stdin_data,
                const sandbox::Limits& limits, const RunFiles& files = {});

  const sandbox::HostReport& host() const;
  CacheStats cache_stats() const;

  struct Impl;

 private:
  explicit Judge(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace codejudge::judges
