// The child side of a run: everything between clone() and execve(). It runs in a copy of
// the parent's address space, so it reads the plan the parent built and never allocates:
// failures travel to the parent as a fixed-size message on a pipe.
#pragma once

#include <linux/filter.h>
#include <sys/resource.h>
#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

namespace codejudge::sandbox {

// The child's descriptors after it rearranges them.
enum ChildFd : int {
  kFdStdin = 0,
  kFdStdout = 1,
  kFdStderr = 2,
  kFdMessages = 3,  // child -> parent: ChildMessage records; EOF once the program runs
  kFdSync = 4,      // parent -> child: one byte per "go"
  kFdListener = 5,  // unix socket that carries the seccomp listener to the parent
  kFdStatus = 6,    // stub -> parent: the program's wait status
  kChildFdCount = 7,
};

enum class ChildStep : int32_t {
  kFds,
  kWaitGo,
  kCgroupNamespace,
  kNetworkNamespace,
  kMountPrivate,
  kRootTmpfs,
  kMkdir,
  kTouch,
  kSymlink,
  kBind,
  kRemountReadOnly,
  kTmpfs,
  kProc,
  kPivotRoot,
  kDetachOldRoot,
  kRootReadOnly,
  kHostname,
  kUserNamespace,
  kFork,
  kDeathSignal,
  kRlimit,
  kSetgroups,
  kSetgid,
  kSetuid,
  kNoNewPrivs,
  kChdir,
  kSeccomp,
  kSendListener,
  kExec,
  // Warm runtimes only (warm.h).
  kKeepCapabilities,  // the runtime keeps what it needs to make each run's namespaces
  kWarmHello,         // the run's leader tells the supervisor its pid
  kCopyFiles,         // a read-only bind, copied into the run's own tmpfs
  kDropCapabilities,  // the program gives up the runtime's capabilities
  kDumpable,
  kOomScore,
};
const char* child_step_name(ChildStep step);

enum class MessageType : int32_t { kNeedIdMaps = 1, kError = 2 };

struct ChildMessage {
  MessageType type;
  ChildStep step;
  int32_t err;
  char detail[244];
};

struct MountOp {
  enum class Kind {
    kMkdir,
    kTouch,
    kSymlink,
    kBindReadOnly,
    kBindWritable,
    kBindDevice,
    kTmpfs,
    kProc
  };
  Kind kind;
  std::string target;       // absolute, under the new root's staging path
  std::string source;       // bind source, symlink text, or tmpfs options
  unsigned long flags = 0;  // extra mount flags (tmpfs), or flags kept on a read-only remount
};

struct ChildPlan {
  int fds[kChildFdCount];  // parent-side descriptors to place at ChildFd positions
  int netns_fd = -1;       // pre-made empty network namespace
  bool user_namespace = false;
  std::string root;  // staging mount point of the new root
  std::vector<MountOp> ops;
  std::string cwd;
  uid_t uid = 0;  // the program's ids as it sees them
  gid_t gid = 0;
  std::vector<std::string> path_dirs;  // PATH lookup for argv[0]
  std::vector<char*> argv;             // null-terminated, pointing into the spec
  std::vector<char*> envp;
  struct Limit {
    int resource;
    rlimit value;
  };
  std::vector<Limit> rlimits;
  sock_fprog seccomp{};
  bool seccomp_notify = false;
  // A warm runtime's start: instead of a stub and a program, the child becomes the runtime
  // (uid `uid`, keeping only what it needs to make each run's namespaces) by execve of argv.
  bool warm_runtime = false;
};

// Runs in the cloned child and never returns.
[[noreturn]] void child_main(const ChildPlan& plan);

// The steps that a cold child and a warm run share (child.cpp).
[[noreturn]] void fail(ChildStep step, const char* detail = nullptr);
void wait_go();
// Places fds[i] at descriptor i (count >= kChildFdCount) and closes every other descriptor.
// Those from kFdMessages on are close-on-exec.
void arrange_fds(const int* fds, int count);
void do_mount_op(const MountOp& op);
// The program's own setup, last before it runs: limits, ids (a warm run drops the runtime's
// capabilities instead of changing ids), no_new_privs, cwd, and the seccomp filter.
void enter_program(const ChildPlan& plan, bool warm);
// Pid 1 of a run once it has cloned the program: waits for it, reports its wait status on
// kFdStatus and exits, which makes the kernel kill whatever is left in the PID namespace.
[[noreturn]] void stub_main(pid_t program);

}  // namespace codejudge::sandbox
