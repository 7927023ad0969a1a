// The leftover checks of support.h must be able to fail: each one is shown a leftover of
// its kind, made by hand on the host, and must report it.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include <gtest/gtest.h>

#include "support.h"

namespace codejudge::sandbox::test {
namespace {

// The leftovers below are meant to be seen: no waiting for them to go away.
constexpr std::chrono::milliseconds kNoWait{0};

bool mentions(const std::vector<std::string>& problems, const std::string& text) {
  for (const std::string& problem : problems) {
    if (problem.find(text) != std::string::npos) return true;
  }
  return false;
}

// A sleeping process as uid, named marker (argv[0] is in its command line).
pid_t spawn_as(uid_t uid, const std::string& marker) {
  pid_t pid = fork();
  if (pid == 0) {
    if (setresgid(uid, uid, uid) != 0 || setresuid(uid, uid, uid) != 0) _exit(126);
    execl("/bin/sleep", marker.c_str(), "30", static_cast<char*>(nullptr));
    _exit(127);
  }
  // Until it runs as uid and carries the marker.
  for (int i = 0; i < 200; ++i) {
    std::string cmdline = read_host_file("/proc/" + std::to_string(pid) + "/cmdline").value_or("");
    if (cmdline.find(marker) != std::string::npos) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return pid;
}

TEST(LeftoverCheck, SeesAProcessOfTheSandboxUids) {
  const TestArea& area = test_area();
  ASSERT_TRUE(area.error.empty()) << area.error;
  const HostState before = snapshot_host();
  const std::string marker = "cjleftover-" + random_token();
  pid_t pid = spawn_as(area.uid_base + area.uid_count - 1, marker);
  ASSERT_GT(pid, 0);
  std::vector<std::string> problems = leftovers(before, marker, {}, kNoWait);
  EXPECT_TRUE(mentions(problems, "runs as sandbox uid")) << ::testing::PrintToString(problems);
  EXPECT_TRUE(mentions(problems, "carries the run's marker")) << ::testing::PrintToString(problems);
  EXPECT_TRUE(leftovers(before, marker, {pid}).empty()) << "ignored pids must not count";
  kill(pid, SIGKILL);
  waitpid(pid, nullptr, 0);
  EXPECT_TRUE(leftovers(before, marker).empty());
}

TEST(LeftoverCheck, SeesAScratchDirAndItsMount) {
  const TestArea& area = test_area();
  ASSERT_TRUE(area.error.empty()) << area.error;
  const HostState before = snapshot_host();
  std::string error;
  auto scratch = ScratchDir::create(area.scratch_parent, 1 << 20, &error);
  ASSERT_NE(scratch, nullptr) << error;
  std::vector<std::string> problems = leftovers(before, "", {}, kNoWait);
  EXPECT_TRUE(mentions(problems, "mount left behind")) << ::testing::PrintToString(problems);
  EXPECT_TRUE(mentions(problems, "scratch dir left behind")) << ::testing::PrintToString(problems);
  scratch.reset();
  EXPECT_TRUE(leftovers(before).empty());
}

TEST(LeftoverCheck, SeesAStrayCgroup) {
  const TestArea& area = test_area();
  ASSERT_TRUE(area.error.empty()) << area.error;
  std::string error;
  auto sandbox = Sandbox::create(test_options(), &error);
  ASSERT_NE(sandbox, nullptr) << error;
  const std::vector<std::string> dirs = cgroup_dirs_of(sandbox->report().instance_id);
  ASSERT_FALSE(dirs.empty()) << "the sandbox made no cgroup of its own";
  const HostState before = snapshot_host();
  // What a run cgroup that was never removed looks like.
  const std::string stray = dirs.front() + "/run-stray";
  ASSERT_EQ(mkdir(stray.c_str(), 0755), 0) << stray;
  std::vector<std::string> problems = leftovers(before, "", {}, kNoWait);
  EXPECT_TRUE(mentions(problems, "cgroup left behind")) << ::testing::PrintToString(problems);
  rmdir(stray.c_str());
  EXPECT_TRUE(leftovers(before).empty());
}

}  // namespace
}  // namespace codejudge::sandbox::test
