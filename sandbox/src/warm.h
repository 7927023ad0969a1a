// Warm runtimes (sandbox.h, WarmRuntime): the request the supervisor sends a runtime for one run,
// shared by the supervisor (sandbox.cpp) and the agent library loaded in the runtime
// (agent/warm_agent.cpp).
#pragma once

#include <linux/filter.h>
#include <sched.h>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "child.h"

namespace codejudge::sandbox {

inline constexpr int kMaxWarmCopies = 4;                   // read-only binds copied per run
inline constexpr size_t kMaxWarmRequestBytes = 256 << 10;  // far above any real request
inline constexpr unsigned long kWarmRunNamespaces =
    CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWCGROUP;

// A read-only bind of a flat directory: the run gets a copy of its files at `target`, on a
// tmpfs of its own that is then made read-only. The directory arrives as descriptor
// kChildFdCount + the copy's index; names are plain file names.
struct WarmCopy {
  std::string target;
  std::string tmpfs_options;
  std::vector<std::string> names;
};

struct WarmRequest {
  std::vector<MountOp> ops;  // in the run's mount namespace: fresh /tmp, /dev/shm, /work, /proc
  std::vector<WarmCopy> copies;
  std::string cwd;
  std::vector<ChildPlan::Limit> rlimits;
  std::vector<sock_filter> seccomp;
  bool seccomp_notify = false;
  std::vector<std::string> argv;  // what the runtime runs, as a cold run would exec it
  // The run's environment: the runtime's own is the same, less what the C library drops at an
  // execve that keeps capabilities (TMPDIR, LD_*, ...); the program restores it.
  std::vector<std::string> env;
};

std::string encode_warm_request(const WarmRequest& request);
// False when the bytes are not a whole request.
bool decode_warm_request(std::string_view bytes, WarmRequest* request);

}  // namespace codejudge::sandbox
