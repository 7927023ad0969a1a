// The check unit of a judge() call: the verdict of a test from what its run printed, by the
// problem's checker (text, a typed value, or a custom checker program in the sandbox).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "codejudge/judges/checker.h"
#include "codejudge/judges/harness.h"
#include "codejudge/judges/judge.h"
#include "codejudge/judges/language.h"
#include "codejudge/problems/problem.h"
#include "codejudge/sandbox/sandbox.h"
#include "compile_step.h"

namespace codejudge::judges {

// A problem's custom checker, compiled once per judge() call.
struct CustomChecker {
  const Language* language = nullptr;  // nullptr: the problem has none
  std::string main_class;
  Compiled compiled;
};

class TestChecker {
 public:
  // result_type: function mode's type of a test's result (check_function_tests). Everything
  // given must outlive the checker; custom checker runs get scratch dirs under scratch_parent.
  TestChecker(sandbox::Sandbox& box, const std::string& scratch_parent,
              const problems::Problem& problem, const JudgeOptions& options,
              const std::optional<ValueType>& result_type, const CustomChecker& custom)
      : box_(box),
        scratch_parent_(scratch_parent),
        problem_(problem),
        options_(options),
        result_type_(result_type),
        custom_(custom) {}

  // How much a test's run may print: the caller's limit, or room for twice the expected output.
  uint64_t output_limit_bytes(const problems::Test& test) const;
  // The verdict of a test that ran to its end, from what it printed: stdio, its stdout;
  // function mode, its result JSON.
  void check_printed(size_t index, const std::string& printed, TestResult& out) const;
  // The verdict of a batched test whose result line the program printed.
  void check_result(size_t index, const ResultLine& line, TestResult& out) const;
  // The verdict of an assert-mode test that the evaluator decided.
  void check_record(size_t index, const AssertRecord& record, const std::string& output,
                    TestResult& out) const;

 private:
  sandbox::Sandbox& box_;
  const std::string& scratch_parent_;
  const problems::Problem& problem_;
  const JudgeOptions& options_;
  const std::optional<ValueType>& result_type_;
  const CustomChecker& custom_;
};

}  // namespace codejudge::judges
