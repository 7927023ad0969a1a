#include "test_check.h"

#include <algorithm>

#include "judge_util.h"

namespace codejudge::judges {
namespace {

// A custom checker is the problem's code, not the submission's: generous fixed limits.
constexpr uint64_t kCheckerCpuMs = 10000;
constexpr uint64_t kCheckerMemoryBytes = 1024 * kMiB;

struct CheckerRun {
  std::optional<CheckOutcome> outcome;  // nullopt: the checker failed (IE)
  std::string error;
};

// Runs a custom checker as `checker /check/input /check/output /check/answer`.
CheckerRun run_checker(sandbox::Sandbox& box, const std::string& scratch_parent,
                       const Language& language, std::string_view main_class,
                       const CompileCache::Entry& checker, std::string_view input,
                       std::string_view output, std::string_view answer) {
  CheckerRun run;
  std::string error;
  const uint64_t bytes = input.size() + output.size() + answer.size() + 4 * kMiB;
  auto scratch = sandbox::ScratchDir::create(scratch_parent, bytes, &error);
  if (!scratch) {
    run.error = "checker: scratch dir: " + error;
    return run;
  }
  if (!scratch->write_file("input", std::string(input), &error) ||
      !scratch->write_file("output", std::string(output), &error) ||
      !scratch->write_file("answer", std::string(answer), &error)) {
    run.error = "checker: writing its files: " + error;
    return run;
  }
  sandbox::RunSpec spec;
  spec.argv = concat(language.run_argv(kCheckerMemoryBytes, main_class),
                     {"/check/input", "/check/output", "/check/answer"});
  spec.env = concat(base_environment(), language.run_env);
  spec.limits.cpu_ms = kCheckerCpuMs;
  spec.limits.memory_bytes = kCheckerMemoryBytes;
  spec.limits.processes = std::max<uint32_t>(spec.limits.processes, language.run_processes);
  spec.binds.push_back({checker.box_dir(), std::string(kBoxDir), false});
  spec.binds.push_back({scratch->path(), "/check", false});
  sandbox::Result result = box.run(spec);
  std::string said = trim(result.stderr_data.empty() ? result.stdout_data : result.stderr_data);
  if (result.status == sandbox::Status::kOk) {
    run.outcome = CheckOutcome{true, cut_utf8(said, kMessageBytes)};
  } else if (result.status == sandbox::Status::kRuntimeError && result.signal == 0 &&
             result.exit_code > 0) {
    run.outcome = CheckOutcome{
        false, cut_utf8(said.empty() ? "rejected by the checker" : said, kMessageBytes)};
  } else {
    run.error = std::string("checker failed: ") + sandbox::status_name(result.status) + ": " +
                cut_utf8(result.message.empty() ? said : result.message, kMessageBytes);
  }
  return run;
}

}  // namespace

uint64_t TestChecker::output_limit_bytes(const problems::Test& test) const {
  if (options_.output_kb) return *options_.output_kb * 1024;
  return std::max<uint64_t>(kMiB, 2 * test.expected.size() + 4096);
}

void TestChecker::check_printed(size_t index, const std::string& printed, TestResult& out) const {
  const problems::Test& test = problem_.tests[index];
  if (options_.return_outputs) out.expected = cut_utf8(test.expected, options_.output_return_bytes);
  std::optional<CheckOutcome> outcome;
  std::string checker_error;
  if (custom_.language != nullptr) {
    auto checked = run_checker(box_, scratch_parent_, *custom_.language, custom_.main_class,
                               *custom_.compiled.entry, test.input, printed, test.expected);
    outcome = std::move(checked.outcome);
    checker_error = std::move(checked.error);
  } else if (problem_.mode == problems::Mode::kFunction) {
    outcome = check_value(test.expected, printed, *result_type_, problem_.checker.abs_tol,
                          problem_.checker.rel_tol);
  } else {
    outcome = check_text(problem_.checker, test.expected, printed);
  }
  if (!outcome) {
    out.verdict = Verdict::kIE;
    out.message = checker_error;
  } else {
    out.verdict = outcome->accepted ? Verdict::kAC : Verdict::kWA;
    out.message = outcome->accepted ? "" : outcome->message;
  }
}

void TestChecker::check_result(size_t index, const ResultLine& line, TestResult& out) const {
  if (options_.return_outputs) {
    out.stdout_data = cut_utf8(line.output, options_.output_return_bytes);
  }
  if (line.output.size() + line.value.size() > output_limit_bytes(problem_.tests[index])) {
    out.verdict = Verdict::kOLE;
    out.message = "output limit exceeded";
    return;
  }
  check_printed(index, line.value, out);
}

void TestChecker::check_record(size_t index, const AssertRecord& record, const std::string& output,
                               TestResult& out) const {
  if (options_.return_outputs) {
    out.stdout_data = cut_utf8(output, options_.output_return_bytes);
    if (record.verdict != Verdict::kAC) {
      out.stderr_data = cut_utf8(record.message, options_.output_return_bytes);
    }
  }
  if (output.size() > output_limit_bytes(problem_.tests[index])) {
    out.verdict = Verdict::kOLE;
    out.message = "output limit exceeded";
    return;
  }
  out.verdict = record.verdict;
  if (record.verdict != Verdict::kAC) out.message = tail_utf8(trim(record.message), kMessageBytes);
}

}  // namespace codejudge::judges
