// A failure in any step of the supervisor's side of a run (Options::inject_fault_at) is an
// internal error that names the step: never a verdict on the program, never a leftover
// process, mount or cgroup, and never a slot that is not given back.
#include <ostream>
#include <string>

#include <gtest/gtest.h>

#include "support.h"

namespace codejudge::sandbox {

inline void PrintTo(RunStep step, std::ostream* out) {
  *out << run_step_name(step);
}

namespace test {
namespace {

class RunStepFault : public SandboxTest, public ::testing::WithParamInterface<RunStep> {
 protected:
  void SetUp() override {
    SandboxTest::SetUp();
    if (HasFatalFailure()) return;
    // The sandbox of SandboxTest gives way to one that fails every run at the step, with a
    // single slot: a slot kept by a failed run would block the second run below.
    Options options = test_options();
    options.uid_count = 1;
    options.inject_fault_at = GetParam();
    replace_sandbox(options);
  }
};

TEST_P(RunStepFault, IsAnInternalErrorNamingTheStep) {
  const RunStep step = GetParam();
  RunSpec spec;
  // A program that would be accepted: whatever the result says comes from the fault. Up to
  // supervision it would also outlive the run, unless the failed step's cleanup kills it.
  spec.argv = {"/bin/sh", "-c",
               step == RunStep::kClassify ? "echo out" : "echo out; exec sleep 60"};
  spec.limits.cpu_ms = 1000;
  const std::string prefix = std::string("sandbox ") + run_step_name(step) + ": ";
  for (int attempt = 0; attempt < 2; ++attempt) {
    Result result = sandbox_->run(spec);
    EXPECT_EQ(result.status, Status::kInternalError) << describe(result);
    EXPECT_EQ(result.message.rfind(prefix, 0), 0u) << result.message;
    EXPECT_NE(result.message.find("fault injected"), std::string::npos) << result.message;
    EXPECT_EQ(result.exit_code, -1);
    EXPECT_EQ(result.signal, 0);
    EXPECT_TRUE(result.stdout_data.empty()) << result.stdout_data;
  }
}

INSTANTIATE_TEST_SUITE_P(EveryStep, RunStepFault,
                         ::testing::Values(RunStep::kPlan, RunStep::kSpawn, RunStep::kHandshake,
                                           RunStep::kSupervise, RunStep::kClassify),
                         [](const ::testing::TestParamInfo<RunStep>& step) {
                           return std::string(run_step_name(step.param));
                         });

}  // namespace
}  // namespace test
}  // namespace codejudge::sandbox
