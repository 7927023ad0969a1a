#include "test_run.h"

#include <algorithm>
#include <atomic>
#include <limits>
#include <mutex>

#include "codejudge/judges/harness.h"
#include "codejudge/judges/language.h"
#include "judge_util.h"

namespace codejudge::judges {
namespace {

// A batch of harnessed tests stops growing at this much input (the program holds all of it)...
constexpr uint64_t kBatchInputBytes = 8 * kMiB;
// ...and may print up to the sum of its tests' output limits, within this (or the largest one):
// the supervisor holds a run's output in memory. A batch that prints more is rerun per test.
constexpr uint64_t kBatchOutputBytes = 16 * kMiB;

bool is_failure(Verdict verdict) {
  return verdict != Verdict::kAC;
}

// The sandbox stopped the run because it waited (slept, blocked, deadlocked) rather than
// computed: the program would wait as long in each later test.
bool waited(const sandbox::Result& run) {
  return run.status == sandbox::Status::kTimeLimit && run.waiting;
}

std::optional<Verdict> verdict_for_status(sandbox::Status status) {
  switch (status) {
    case sandbox::Status::kOk:
      return std::nullopt;
    case sandbox::Status::kRuntimeError:
      return Verdict::kRE;
    case sandbox::Status::kTimeLimit:
      return Verdict::kTLE;
    case sandbox::Status::kMemoryLimit:
      return Verdict::kMLE;
    case sandbox::Status::kOutputLimit:
      return Verdict::kOLE;
    case sandbox::Status::kSecurityError:
      return Verdict::kSE;
    case sandbox::Status::kInternalError:
      return Verdict::kIE;
  }
  return Verdict::kIE;
}

// A test's usage is that of the process it ran in.
void record_usage(const sandbox::Result& run, TestResult& out) {
  out.cpu_ms = run.cpu_ms;
  out.wall_ms = run.wall_ms;
  out.memory_bytes = run.memory_bytes;
  out.exit_code = run.exit_code;
  out.signal = run.signal;
}

void record_first(std::atomic<size_t>& first, size_t index) {
  size_t seen = first.load();
  while (index < seen && !first.compare_exchange_weak(seen, index)) {
  }
}

// The tests of one submission, run from worker threads: each test's result is written by the
// one worker that runs it; what they share is atomic or under a lock.
class TestRun {
 public:
  TestRun(sandbox::Sandbox& box, const problems::Problem& problem, const JudgeOptions& options,
          const TestChecker& checker, const ProgramRun& program)
      : box_(box),
        problem_(problem),
        options_(options),
        checker_(checker),
        program_(program),
        assert_mode_(problem.mode == problems::Mode::kAssert),
        tests_(problem.tests.size()) {}

  TestRunOutcome run(WorkerPool& pool) {
    if (problem_.mode == problems::Mode::kStdio) {
      pool.run_batch(problem_.tests.size(), [this](size_t index) { run_stdio(index); });
    } else {
      // Chunks of tests spread over the workers; each chunk runs its batches in order.
      const size_t chunk = std::max<size_t>(options_.batch_tests, 1);
      const size_t chunks = (problem_.tests.size() + chunk - 1) / chunk;
      pool.run_batch(chunks, [&](size_t c) {
        run_harnessed(c * chunk, std::min(problem_.tests.size(), (c + 1) * chunk));
      });
    }
    TestRunOutcome outcome;
    if (compile_error_) {
      outcome.compile_error = std::move(compile_error_);
      return outcome;
    }
    // Decided by the index alone, so that the report does not depend on which tests happened
    // to start before the waiting one ended.
    const size_t waiting = first_waiting_.load();
    for (size_t i = waiting + 1; waiting < tests_.size() && i < tests_.size(); ++i) {
      tests_[i] = TestResult{};
      tests_[i].verdict = Verdict::kTLE;
      tests_[i].message = "not run: test " + std::to_string(waiting + 1) +
                          " waited out the wall-clock limit without computing";
      record_failure(i);
    }
    size_t reported = tests_.size();
    if (options_.stop_on_first_failure && first_failure_.load() < tests_.size()) {
      reported = first_failure_.load() + 1;
    }
    tests_.resize(reported);
    outcome.tests = std::move(tests_);
    return outcome;
  }

 private:
  void record_failure(size_t index) { record_first(first_failure_, index); }

  bool skipped(size_t index) const {
    return index > first_waiting_.load() ||
           (options_.stop_on_first_failure && index > first_failure_.load());
  }

  // A harness that compiles the submission reports its compile error from every process.
  bool reported_compile_error(const sandbox::Result& run) const {
    return program_.harness_compiles && run.status == sandbox::Status::kRuntimeError &&
           run.signal == 0 && run.exit_code == kCompileErrorExitCode &&
           std::string_view(run.stderr_data).starts_with(kCompileErrorStderrPrefix);
  }

  void set_compile_error(std::string text) {
    std::lock_guard lock(compile_error_mu_);
    compile_error_ = trim(text);
    compile_failed_ = true;
  }

  // The verdict of the test during which the program ended without printing its result.
  void judge_ending(const sandbox::Result& run, std::string_view own_stdout, TestResult& out) {
    if (reported_compile_error(run)) {
      set_compile_error(run.stderr_data.substr(kCompileErrorStderrPrefix.size()));
      out.verdict = Verdict::kCE;
      return;
    }
    // A harness's own failure marker (kHarnessExitCode) is no IE here: submission code in the
    // same process can write it too, and the tests were checked against the signature before
    // the run, so whatever the process says, its ending is the submission's.
    if (auto verdict = verdict_for_status(run.status)) {
      out.verdict = *verdict;
      out.message = run.message;
      if (*verdict == Verdict::kRE) {
        // The program's own last words say more than "exit code 1".
        std::string said = trim(run.stderr_data);
        if (!said.empty()) {
          said = tail_utf8(said, kMessageBytes);
          out.message += (out.message.empty() ? "" : ": ") + said;
        }
      }
    } else if (assert_mode_) {
      // The evaluator exited cleanly without deciding this test. Only its own "ie" record is an
      // internal error: an ending nobody explained may have been caused by the submission.
      out.verdict = Verdict::kRE;
      out.message = "the run ended without a verdict for this test";
    } else {
      out.verdict = Verdict::kWA;
      out.message = "the function returned no result";
    }
    if (options_.return_outputs) {
      out.stdout_data = cut_utf8(own_stdout, options_.output_return_bytes);
      out.stderr_data = cut_utf8(run.stderr_data, options_.output_return_bytes);
    }
  }

  // The submission's program under one test's limits; callers set output_bytes and stdin.
  sandbox::RunSpec program_spec() const {
    sandbox::RunSpec spec;
    spec.argv = program_.argv;
    spec.env = program_.env;
    spec.limits = program_.limits;
    spec.binds.push_back({program_.box_dir, std::string(kBoxDir), false});
    spec.warm = program_.warm;
    return spec;
  }

  // A stdio test: its own process, its output checked as text.
  void run_stdio(size_t index) {
    if (skipped(index)) return;
    const problems::Test& test = problem_.tests[index];
    TestResult& out = tests_[index];
    sandbox::RunSpec spec = program_spec();
    spec.limits.output_bytes = checker_.output_limit_bytes(test);
    spec.stdin_data = test.input;
    sandbox::Result run = box_.run(spec);
    record_usage(run, out);
    if (waited(run)) record_first(first_waiting_, index);
    if (run.status != sandbox::Status::kOk) {
      judge_ending(run, run.stdout_data, out);
    } else {
      if (options_.return_outputs) {
        out.stdout_data = cut_utf8(run.stdout_data, options_.output_return_bytes);
        out.stderr_data = cut_utf8(run.stderr_data, options_.output_return_bytes);
      }
      checker_.check_printed(index, run.stdout_data, out);
    }
    if (is_failure(out.verdict)) record_failure(index);
  }

  // Harnessed tests [begin, end): batches of them share one process (see kBatch* and the
  // header), under the limits of a single test.
  void run_harnessed(size_t begin, size_t end) {
    const problems::Problem& problem = problem_;
    bool one_per_process = options_.batch_tests <= 1;
    size_t pos = begin;
    while (pos < end) {
      if (skipped(pos)) return;
      if (compile_failed_) return;
      size_t stop = pos + 1;
      uint64_t input_bytes = 0;
      if (!one_per_process) {
        stop = pos;
        while (stop < end && stop - pos < options_.batch_tests &&
               (stop == pos || input_bytes < kBatchInputBytes)) {
          const problems::Test& test = problem.tests[stop++];
          input_bytes +=
              problem.mode == problems::Mode::kAssert ? test.code.size() : test.input.size();
        }
      }
      sandbox::RunSpec spec = program_spec();
      uint64_t output_bytes = 0;
      uint64_t largest_output_bytes = 0;
      for (size_t i = pos; i < stop; ++i) {
        output_bytes += checker_.output_limit_bytes(problem.tests[i]);
        largest_output_bytes =
            std::max(largest_output_bytes, checker_.output_limit_bytes(problem.tests[i]));
      }
      spec.limits.output_bytes =
          std::max(largest_output_bytes, std::min(output_bytes, kBatchOutputBytes));
      if (assert_mode_) {
        std::vector<std::string> codes;
        for (size_t i = pos; i < stop; ++i) codes.push_back(problem.tests[i].code);
        spec.stdin_data = program_.stdin_prefix + assert_stdin(codes);
      } else {
        std::vector<std::string> inputs;
        for (size_t i = pos; i < stop; ++i) inputs.push_back(problem.tests[i].input);
        spec.stdin_data = program_.stdin_prefix + function_stdin(program_.token, inputs);
      }
      sandbox::Result run = box_.run(spec);
      ResultLines results;
      AssertRecords records;
      if (assert_mode_) {
        records = parse_assert_records(run.stdout_data);
        if (records.compile_error) {
          set_compile_error(*records.compile_error);
          return;
        }
      } else {
        results = parse_result_lines(run.stdout_data, program_.token);
      }
      auto has_result = [&](size_t k) {
        return assert_mode_ ? records.by_index.contains(k) : results.by_index.contains(k);
      };
      // Results count up to the first test without one; a later line cannot be the program's.
      size_t done = 0;
      while (pos + done < stop && has_result(done)) ++done;
      const bool clean = run.status == sandbox::Status::kOk;
      // With a clean exit every printed result stands. Otherwise the last test that ran (the
      // first without a result, or the last one if all printed theirs) takes the ending.
      size_t ended = clean ? pos + done : std::min(pos + done, stop - 1);
      if (assert_mode_ && records.internal_error) ended = pos + done;  // the failure is ours
      for (size_t i = pos; i < ended; ++i) {
        TestResult& out = tests_[i];
        record_usage(run, out);
        if (assert_mode_) {
          checker_.check_record(i, records.by_index.at(i - pos), records.output[i - pos], out);
        } else {
          checker_.check_result(i, results.by_index.at(i - pos), out);
        }
        if (is_failure(out.verdict)) record_failure(i);
      }
      if (assert_mode_ && records.internal_error && ended < stop) {
        // The evaluator's own report of a failure of ours (the judge's input): IE, and the
        // chunk stops.
        TestResult& out = tests_[ended];
        record_usage(run, out);
        out.verdict = Verdict::kIE;
        out.message = cut_utf8(trim(*records.internal_error), kMessageBytes);
        record_failure(ended);
        return;
      }
      if (clean && ended == stop) {
        pos = stop;
        continue;
      }
      // The evaluator stopped after a failing test (asked to, or the submission's process broke
      // down): the tests after it run in a fresh process.
      if (assert_mode_ && clean && done > 0 &&
          records.by_index.at(done - 1).verdict != Verdict::kAC) {
        pos = ended;
        continue;
      }
      // A limit hit after other tests ran in the same process may be theirs as much as this
      // test's, and a batch's input and output differ from a lone run's: this test runs again,
      // and the rest of the chunk one per process. Only a time limit on the first test of a
      // batch stands (the CPU time was all its own).
      const bool resource = run.status == sandbox::Status::kTimeLimit ||
                            run.status == sandbox::Status::kMemoryLimit ||
                            run.status == sandbox::Status::kOutputLimit;
      const bool shared =
          ended > pos || (run.status != sandbox::Status::kTimeLimit && stop - pos > 1);
      if (resource && shared) {
        one_per_process = true;
        pos = ended;
        continue;
      }
      TestResult& out = tests_[ended];
      record_usage(run, out);
      if (waited(run)) record_first(first_waiting_, ended);
      std::string own_stdout = results.trailing;
      if (assert_mode_) {
        own_stdout = records.output[ended - pos];
      } else if (auto it = results.by_index.find(ended - pos); it != results.by_index.end()) {
        own_stdout = it->second.output + own_stdout;
      }
      judge_ending(run, own_stdout, out);
      if (is_failure(out.verdict)) record_failure(ended);
      pos = ended + 1;
    }
  }

  sandbox::Sandbox& box_;
  const problems::Problem& problem_;
  const JudgeOptions& options_;
  const TestChecker& checker_;
  const ProgramRun& program_;
  const bool assert_mode_;
  std::vector<TestResult> tests_;
  std::atomic<size_t> first_failure_{std::numeric_limits<size_t>::max()};
  // The first test that waited out the wall clock (see waited()). The tests after it are not
  // started: each would hold a worker until the wall clock stopped it too.
  std::atomic<size_t> first_waiting_{std::numeric_limits<size_t>::max()};
  std::mutex compile_error_mu_;
  std::optional<std::string> compile_error_;
  std::atomic<bool> compile_failed_{false};  // no further runs: every one would fail the same way
};

}  // namespace

TestRunOutcome run_tests(WorkerPool& pool, sandbox::Sandbox& box, const problems::Problem& problem,
                         const JudgeOptions& options, const TestChecker& checker,
                         const ProgramRun& program) {
  return TestRun(box, problem, options, checker, program).run(pool);
}

}  // namespace codejudge::judges
