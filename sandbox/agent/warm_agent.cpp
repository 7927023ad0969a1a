// The agent: a small library that a warm runtime loads from descriptor kWarmAgentFd (see
// sandbox.h, WarmRuntime). It receives each run's request from the supervisor and makes the run
// from the runtime's memory: a leader (pid 1 of the run's new namespaces) that mounts the run's
// fresh filesystems, and the program, which gives up the runtime's capabilities, takes the run's
// limits and seccomp filter, and returns to the runtime's interpreter to run. Everything that can
// fail reports the step to the supervisor (child.cpp's fail) and is the sandbox's failure, never
// the program's.
//
// The leader shares the runtime's memory (CLONE_VM, on a stack of its own) instead of copying
// it: copying a loaded interpreter's page tables, then tearing them down, cost a millisecond or
// more a run. The runtime waits in cj_warm_spawn for as long as the leader lives, so the two never
// run interpreter code at once; the leader uses no heap. The program is the one copy: cloned by
// the leader, it resumes the runtime's own frame in cj_warm_spawn (longjmp into its copy of that
// stack) and returns from there into the interpreter, as a fork of the runtime would.
#include <fcntl.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csetjmp>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "../src/warm.h"
#include "codejudge/sandbox/sandbox.h"

using codejudge::sandbox::ChildPlan;
using codejudge::sandbox::ChildStep;
using codejudge::sandbox::WarmCopy;
using codejudge::sandbox::WarmRequest;
namespace sb = codejudge::sandbox;

namespace {

constexpr int kMostFds = sb::kChildFdCount + sb::kMaxWarmCopies;

// The request being served. The runtime is single-threaded; what is here is the current run's
// own plan, nothing of any other run.
struct Current {
  WarmRequest request;
  std::vector<int> fds;  // kChildFdCount, then one directory per copy
  ChildPlan plan;
  void close_fds() {
    for (int fd : fds) ::close(fd);
    fds.clear();
  }
};
Current current;

// The leader's stack, in the runtime's memory (unused by the runtime itself).
alignas(64) char leader_stack[256 << 10];
// The runtime's frame in cj_warm_spawn, where the program resumes.
jmp_buf program_resume;
// Leader -> runtime: 'P' once the program exists; EOF once the leader is gone. The runtime's
// descriptor of its write end, and where the leader holds it (after the run's descriptors).
int ready_write_fd = -1;
int leader_ready_fd = -1;
// Copies of the read-only binds go through here: the leader must not use the heap.
char copy_buffer[1 << 16];

void write_all(int fd, const char* data, size_t size) {
  while (size > 0) {
    ssize_t n = ::write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) sb::fail(ChildStep::kCopyFiles);
    data += n;
    size -= static_cast<size_t>(n);
  }
}

// A copy of a read-only bind: the files of the directory at fd, on a tmpfs at copy.target that is
// then remounted read-only. Symlinks and anything but regular files are refused (O_NOFOLLOW).
// The copies belong to the program's uid, so their write bits go: writing one fails with EACCES,
// as writing a bound file of root's does, before the read-only mount is even asked.
void copy_directory(const WarmCopy& copy, int dir_fd) {
  const char* target = copy.target.c_str();
  if (mount("tmpfs", target, "tmpfs", MS_NOSUID | MS_NODEV, copy.tmpfs_options.c_str()) != 0) {
    sb::fail(ChildStep::kTmpfs, target);
  }
  for (const std::string& name : copy.names) {
    if (name.empty() || name.find('/') != std::string::npos || name == "." || name == "..") {
      errno = EINVAL;
      sb::fail(ChildStep::kCopyFiles, name.c_str());
    }
    int in = openat(dir_fd, name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    struct stat st {};
    if (in < 0 || fstat(in, &st) != 0 || !S_ISREG(st.st_mode)) {
      sb::fail(ChildStep::kCopyFiles, name.c_str());
    }
    char path[4096];
    if (snprintf(path, sizeof path, "%s/%s", target, name.c_str()) >=
        static_cast<int>(sizeof path)) {
      errno = ENAMETOOLONG;
      sb::fail(ChildStep::kCopyFiles, name.c_str());
    }
    int out = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, st.st_mode & 0755);
    if (out < 0) sb::fail(ChildStep::kCopyFiles, path);
    for (;;) {
      ssize_t n = ::read(in, copy_buffer, sizeof copy_buffer);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) sb::fail(ChildStep::kCopyFiles, name.c_str());
      if (n == 0) break;
      write_all(out, copy_buffer, static_cast<size_t>(n));
    }
    if (fchmod(out, st.st_mode & 0555) != 0) sb::fail(ChildStep::kCopyFiles, path);
    ::close(in);
    ::close(out);
  }
  if (chmod(target, 0555) != 0) sb::fail(ChildStep::kCopyFiles, target);
  // Read-only as a bind is (the mount, not the filesystem), so that permissions are checked
  // first, in the same order as for a cold run's bind.
  if (mount(nullptr, target, nullptr, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV,
            nullptr) != 0) {
    sb::fail(ChildStep::kRemountReadOnly, target);
  }
}

// The run's leader, pid 1 of its new namespaces, in the runtime's memory. Never returns: it
// becomes the run's stub, and the program it clones resumes the runtime's frame.
[[noreturn]] void lead_run() {
  Current& c = current;
  // The runtime ignores SIGCHLD so that the kernel reaps its runs; a run waits for its children.
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  sigaction(SIGCHLD, &dfl, nullptr);
  if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) sb::fail(ChildStep::kDeathSignal);
  int fds[kMostFds + 1];
  const size_t count = c.fds.size();
  if (count > static_cast<size_t>(kMostFds)) sb::fail(ChildStep::kFds);
  std::copy(c.fds.begin(), c.fds.end(), fds);
  fds[count] = ready_write_fd;
  leader_ready_fd = static_cast<int>(count);
  sb::arrange_fds(fds, static_cast<int>(count) + 1);
  // The supervisor learns our pid from the credentials the kernel attaches to this message
  // (translated into its PID namespace), opens a pidfd on it, moves nothing, and says go.
  if (send(sb::kFdListener, "H", 1, 0) != 1) sb::fail(ChildStep::kWarmHello);
  sb::wait_go();
  for (const auto& op : c.request.ops) sb::do_mount_op(op);
  for (size_t i = 0; i < c.request.copies.size(); ++i) {
    copy_directory(c.request.copies[i], sb::kChildFdCount + static_cast<int>(i));
    ::close(sb::kChildFdCount + static_cast<int>(i));
  }
  if (sethostname("codejudge", 9) != 0) sb::fail(ChildStep::kHostname);
  // The runtime shares the slot's memory cgroup with the run: when the run reaches its limit,
  // the OOM killer must pick the run's processes, never the runtime. Raising one's own score
  // needs no privilege (lowering the runtime's would need CAP_SYS_RESOURCE, which a container
  // may lack), and at 1000 every process of the run outranks it.
  int oom = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
  if (oom < 0 || ::write(oom, "1000", 4) != 4) sb::fail(ChildStep::kOomScore);
  ::close(oom);
  pid_t pid = static_cast<pid_t>(syscall(SYS_clone, SIGCHLD, nullptr, nullptr, nullptr, 0));
  if (pid < 0) sb::fail(ChildStep::kFork);
  if (pid > 0) {
    // The runtime may close its copies of the run's descriptors now; it still waits for our end.
    if (::write(leader_ready_fd, "P", 1) != 1) sb::fail(ChildStep::kFork);
    sb::stub_main(pid);
  }
  sb::enter_program(c.plan, true);
  // Ready: the supervisor sees EOF on the messages pipe, as at a cold run's execve.
  for (int fd : {int{sb::kFdMessages}, int{sb::kFdSync}, int{sb::kFdStatus}, leader_ready_fd}) {
    ::close(fd);
  }
  longjmp(program_resume, 1);
}

int leader_main(void*) {
  lead_run();
}

// What the runtime could not start: said on the run's messages pipe, which the supervisor
// reads for the leader's hello.
void report_spawn_failure(ChildStep step) {
  sb::ChildMessage message{};
  message.type = sb::MessageType::kError;
  message.step = step;
  message.err = errno;
  ssize_t ignored = ::write(current.fds[sb::kFdMessages], &message, sizeof message);
  (void)ignored;
}

}  // namespace

extern "C" {

// Waits for the next request on kWarmControlFd: 1 when one came, 0 when the supervisor is gone,
// -1 on a malformed request (the runtime then exits, and the supervisor starts a new one).
__attribute__((visibility("default"))) int cj_warm_next() {
  static const bool reaping = [] {
    struct sigaction ignore {};
    ignore.sa_handler = SIG_IGN;
    ignore.sa_flags = SA_NOCLDWAIT;
    return sigaction(SIGCHLD, &ignore, nullptr) == 0;
  }();
  // The first call says the runtime is ready: what it loaded at start is not a run's.
  static const bool ready = send(sb::kWarmControlFd, "R", 1, MSG_NOSIGNAL) == 1;
  if (!reaping || !ready) return -1;
  Current& c = current;
  c.close_fds();
  static char bytes[sb::kMaxWarmRequestBytes];
  iovec iov{bytes, sizeof bytes};
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int) * kMostFds)];
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  ssize_t n;
  do {
    n = recvmsg(sb::kWarmControlFd, &msg, MSG_CMSG_CLOEXEC);
  } while (n < 0 && errno == EINTR);
  if (n == 0) return 0;
  if (n < 0) return -1;
  for (cmsghdr* cmsg = CMSG_FIRSTHDR(&msg); cmsg; cmsg = CMSG_NXTHDR(&msg, cmsg)) {
    if (cmsg->cmsg_level != SOL_SOCKET || cmsg->cmsg_type != SCM_RIGHTS) continue;
    const size_t count = (cmsg->cmsg_len - CMSG_LEN(0)) / sizeof(int);
    for (size_t i = 0; i < count; ++i) {
      int fd;
      memcpy(&fd, CMSG_DATA(cmsg) + i * sizeof(int), sizeof fd);
      c.fds.push_back(fd);
    }
  }
  if ((msg.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) ||
      !sb::decode_warm_request(std::string_view(bytes, static_cast<size_t>(n)), &c.request) ||
      c.fds.size() != sb::kChildFdCount + c.request.copies.size()) {
    c.close_fds();
    return -1;
  }
  ChildPlan& plan = c.plan;
  plan.cwd = c.request.cwd;
  plan.rlimits = c.request.rlimits;
  plan.seccomp.len = static_cast<unsigned short>(c.request.seccomp.size());
  plan.seccomp.filter = c.request.seccomp.data();
  plan.seccomp_notify = c.request.seccomp_notify;
  return 1;
}

// Makes the run and returns once its leader is gone: the leader's pid (-1 when none could be
// made) in the runtime, 0 in the program. The runtime is single-threaded; its language's own
// after-fork work is the caller's.
__attribute__((visibility("default"))) int cj_warm_spawn() {
  Current& c = current;
  int ready[2];
  if (pipe2(ready, O_CLOEXEC) != 0) {
    report_spawn_failure(ChildStep::kFork);
    return -1;
  }
  ready_write_fd = ready[1];
  if (setjmp(program_resume) != 0) return 0;  // the program, in its copy of this frame
  const int pid = clone(leader_main, leader_stack + sizeof leader_stack,
                        CLONE_VM | static_cast<int>(sb::kWarmRunNamespaces) | SIGCHLD, nullptr);
  if (pid < 0) report_spawn_failure(ChildStep::kFork);
  ::close(ready[1]);  // ours: the leader has its own copy of the descriptor table
  if (pid < 0) {
    ::close(ready[0]);
    return -1;
  }
  // Until the leader has cloned the program it uses this memory's request; after, we close our
  // copies of the run's descriptors (the supervisor waits for their EOF) and wait for its end.
  // (errno is shared with the leader, which runs on this thread's TLS: only EINTR is expected.)
  char byte;
  while (::read(ready[0], &byte, 1) < 0 && errno == EINTR) {
  }
  c.close_fds();
  for (;;) {
    const ssize_t n = ::read(ready[0], &byte, 1);
    if (n == 0 || (n < 0 && errno != EINTR)) break;
  }
  ::close(ready[0]);
  return pid;
}

// The runtime's copies of the run's descriptors, closed once the leader holds them.
__attribute__((visibility("default"))) void cj_warm_done() {
  current.close_fds();
}

// The run's argv and environment ("NAME=value"), item by item; nullptr past the end.
__attribute__((visibility("default"))) const char* cj_warm_arg(int index) {
  const auto& argv = current.request.argv;
  return index >= 0 && static_cast<size_t>(index) < argv.size() ? argv[index].c_str() : nullptr;
}

__attribute__((visibility("default"))) const char* cj_warm_env(int index) {
  const auto& env = current.request.env;
  return index >= 0 && static_cast<size_t>(index) < env.size() ? env[index].c_str() : nullptr;
}

}  // extern "C"
