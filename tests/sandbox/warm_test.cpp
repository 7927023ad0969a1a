// Warm runtimes at the sandbox's level (sandbox.h WarmRuntime): which runs they serve, and that a
// runtime failing or dying costs speed, never a verdict. The judges' tests
// (tests/judges/warm_runtime_test.cpp) check what a program sees in a warm run.
#include <signal.h>

#include <chrono>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

#include "support.h"

namespace codejudge::sandbox::test {
namespace {

class WarmRuntimes : public SandboxTest {
 protected:
  void SetUp() override {
    SandboxTest::SetUp();
    if (HasFatalFailure()) return;
    // One slot, so that consecutive runs meet the same runtime.
    Options options = test_options();
    options.uid_count = 1;
    replace_sandbox(options);
    if (HasFatalFailure()) return;
    if (!sandbox_->report().warm_runtimes) GTEST_SKIP() << "this host has no warm runtimes";
  }
  // Runtimes outlive their runs and go with their sandbox: after that, nothing may remain.
  void TearDown() override {
    sandbox_.reset();
    for (const std::string& problem : leftovers(before_)) ADD_FAILURE() << problem;
    SandboxTest::TearDown();
  }

  static RunSpec python(const std::string& code) {
    RunSpec spec;
    spec.argv = {"/usr/bin/python3", "-c", code};
    spec.env = {"PATH=/usr/bin:/bin", "LANG=C.UTF-8"};
    spec.warm = &warm_python();
    return spec;
  }

  // The host pids of the slot's runtimes: processes of the slot's uid, outside any run.
  static std::vector<pid_t> runtime_pids() {
    std::vector<pid_t> pids;
    for (const std::string& name : list_dir("/proc")) {
      if (name.find_first_not_of("0123456789") != std::string::npos) continue;
      std::istringstream status(read_host_file("/proc/" + name + "/status").value_or(""));
      for (std::string line; std::getline(status, line);) {
        if (line.rfind("Uid:", 0) == 0 &&
            std::stoul(line.substr(4)) == static_cast<unsigned long>(test_area().uid_base)) {
          pids.push_back(static_cast<pid_t>(std::stol(name)));
        }
      }
    }
    return pids;
  }
};

TEST_F(WarmRuntimes, ServeOnlyRunsTheyReproduce) {
  Result warm = sandbox_->run(python("print('warm')"));
  EXPECT_EQ(warm.status, Status::kOk) << describe(warm);
  EXPECT_TRUE(warm.warm);
  EXPECT_EQ(warm.stdout_data, "warm\n");

  // A host directory at /work (its files are read back after the run) and a writable bind
  // (the program writes the host's files) are the host's own: such runs are cold.
  std::string error;
  auto scratch = ScratchDir::create(test_area().scratch_parent, 1 << 20, &error);
  ASSERT_NE(scratch, nullptr) << error;
  RunSpec work = python("open('/work/out', 'w').write('x')");
  work.work_dir = scratch->path();
  Result with_work = sandbox_->run(work);
  EXPECT_EQ(with_work.status, Status::kOk) << describe(with_work);
  EXPECT_FALSE(with_work.warm);
  EXPECT_EQ(scratch->read_file("out", 16).value_or(""), "x");

  RunSpec writable = python("print('w')");
  writable.binds = {{scratch->path(), "/data", true}};
  Result with_writable = sandbox_->run(writable);
  EXPECT_EQ(with_writable.status, Status::kOk) << describe(with_writable);
  EXPECT_FALSE(with_writable.warm);
}

TEST_F(WarmRuntimes, ADeadRuntimeIsReplacedAndItsRunGoesCold) {
  Result first = sandbox_->run(python("print(1)"));
  ASSERT_TRUE(first.warm) << describe(first);
  const std::vector<pid_t> runtimes = runtime_pids();
  ASSERT_EQ(runtimes.size(), 1u);
  ASSERT_EQ(kill(runtimes[0], SIGKILL), 0);
  for (int i = 0; i < 200 && !runtime_pids().empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  Result after = sandbox_->run(python("print(2)"));
  EXPECT_EQ(after.status, Status::kOk) << describe(after);
  EXPECT_EQ(after.stdout_data, "2\n");
  EXPECT_FALSE(after.warm);
  Result again = sandbox_->run(python("print(3)"));
  EXPECT_EQ(again.stdout_data, "3\n") << describe(again);
  EXPECT_TRUE(again.warm);
  EXPECT_NE(runtime_pids(), runtimes);
}

TEST_F(WarmRuntimes, ARuntimeThatCannotStartTurnsThemOffNotTheVerdict) {
  const WarmRuntime broken{"broken", {"/bin/false"}};
  for (int i = 0; i < 2; ++i) {
    RunSpec spec = python("print('cold')");
    spec.warm = &broken;
    Result result = sandbox_->run(spec);
    EXPECT_EQ(result.status, Status::kOk) << describe(result);
    EXPECT_EQ(result.stdout_data, "cold\n");
    EXPECT_FALSE(result.warm);
  }
  // Off for this sandbox from then on, for every runtime: a fault of ours is never retried.
  Result python_run = sandbox_->run(python("print('still cold')"));
  EXPECT_EQ(python_run.stdout_data, "still cold\n") << describe(python_run);
  EXPECT_FALSE(python_run.warm);
}

}  // namespace
}  // namespace codejudge::sandbox::test
