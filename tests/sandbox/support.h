// Shared by the sandbox tests: a private corner of the host per test process, compiling test
// programs, and the checks that a run left nothing behind.
//
// ctest runs every test as its own process, possibly several at once, and other suites share
// the host: so each process takes its own index under a lock, and with it its own uid range,
// state directory and scratch parent. Leftover checks look only at what this process owns,
// which keeps them deterministic while other runs come and go.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "codejudge/sandbox/sandbox.h"

namespace codejudge::sandbox {

// gtest prints statuses by name.
inline void PrintTo(Status status, std::ostream* out) {
  *out << status_name(status);
}

namespace test {

struct TestArea {
  int index = -1;              // the lock slot this process holds
  std::string base;            // /run/codejudge-tests/<index>
  std::string state_dir;       // Options::state_dir
  std::string scratch_parent;  // where this process's ScratchDirs go
  std::string bin_dir;         // compiled test programs, bound read-only into runs
  uint32_t uid_base = 0;       // outside uids [uid_base, uid_base + uid_count)
  uint32_t uid_count = 0;
  std::string error;  // why the area could not be set up; empty when it is usable
};

// Set up on first use and held until the process exits.
const TestArea& test_area();
Options test_options();

std::string random_token();  // 16 hex digits from /dev/urandom
// The judges' warm python runtime (judges/harness/warm_python.py), read from the source tree.
const WarmRuntime& warm_python();
std::optional<std::string> read_host_file(const std::string& path);
bool write_host_file(const std::string& path, const std::string& data, mode_t mode);
// Names in a host directory (no "." or ".."); empty when it cannot be read.
std::set<std::string> list_dir(const std::string& path);

// Compiles one C file with the host's gcc; *log gets the compiler output.
bool compile_c(const std::string& source_path, const std::string& output_path, std::string* log);

// What a run may leave behind, measured before it so that the check can tell new from old.
struct HostState {
  std::set<std::string> mounts;        // mountinfo lines that mention the test area
  std::set<std::string> scratch_dirs;  // codejudge-scratch-* under the scratch parent
};
HostState snapshot_host();

// The cgroup directories of a sandbox instance ("codejudge.<id>"), in every hierarchy.
std::vector<std::string> cgroup_dirs_of(const std::string& instance_id);
// The ids of the live sandbox instances this process registered (their lock files).
std::vector<std::string> own_instances();
// Where instances register: Options::lock_dir's default.
std::string lock_dir();

// Everything left behind on the host since `before`: processes in the area's uid range or
// with marker in their command line (pids in `ignore` excepted), new mounts, scratch
// directories, and cgroup leftovers of this process's sandboxes (run-* directories, or
// processes other than ours in a slot cgroup). Waits up to `patience` for leftovers to disappear.
// Empty when clean.
std::vector<std::string> leftovers(const HostState& before, const std::string& marker = "",
                                   const std::set<pid_t>& ignore = {},
                                   std::chrono::milliseconds patience = std::chrono::seconds(2));

// Creates a sandbox on this process's area before each test; after it, destroys the sandbox
// and checks that nothing was left behind, its cgroup directories included.
class SandboxTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;
  // Replaces the sandbox of SetUp with one made with `options` (fatal failure if it cannot be).
  void replace_sandbox(const Options& options);

  std::unique_ptr<Sandbox> sandbox_;
  std::string instance_id_;
  HostState before_;
};

// "OK (exit 0) ..." with the output, for assertion messages.
std::string describe(const Result& result);

}  // namespace test
}  // namespace codejudge::sandbox
