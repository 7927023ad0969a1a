// The agent: a small library that a warm runtime loads from descriptor kWarmAgentFd (see
// sandbox.h, WarmRuntime). It receives each run's request from the supervisor and makes the run
// from the runtime's memory: a leader (pid 1 of the run's new namespaces) that mounts the run's
// fresh filesystems, and the program, which gives up the runtime's capabilities, takes the run's
// limits and seccomp filter, and returns to the runtime to run. Everything that can fail reports
// the step to the supervisor (child.cpp's fail) and is the sandbox's failure, never the program's.
#include <fcntl.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
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
  std::vector<char> buffer(1 << 16);
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
    const std::string path = copy.target + "/" + name;
    int out =
        open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, st.st_mode & 0755);
    if (out < 0) sb::fail(ChildStep::kCopyFiles, path.c_str());
    for (;;) {
      ssize_t n = ::read(in, buffer.data(), buffer.size());
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) sb::fail(ChildStep::kCopyFiles, name.c_str());
      if (n == 0) break;
      write_all(out, buffer.data(), static_cast<size_t>(n));
    }
    if (fchmod(out, st.st_mode & 0555) != 0) sb::fail(ChildStep::kCopyFiles, path.c_str());
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

// The run's leader, pid 1 of its new namespaces. Returns only in the program.
void lead_run() {
  Current& c = current;
  // The runtime ignores SIGCHLD so that the kernel reaps its runs; a run waits for its children.
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  sigaction(SIGCHLD, &dfl, nullptr);
  if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) sb::fail(ChildStep::kDeathSignal);
  sb::arrange_fds(c.fds.data(), static_cast<int>(c.fds.size()));
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
  if (pid > 0) sb::stub_main(pid);
  sb::enter_program(c.plan, true);
  // Ready: the supervisor sees EOF on the messages pipe, as at a cold run's execve.
  for (int fd : {sb::kFdMessages, sb::kFdSync, sb::kFdStatus}) ::close(fd);
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
  std::string bytes(sb::kMaxWarmRequestBytes, '\0');
  iovec iov{bytes.data(), bytes.size()};
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
  bytes.resize(static_cast<size_t>(n));
  if ((msg.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) || !sb::decode_warm_request(bytes, &c.request) ||
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

// Makes the run: the runtime gets the leader's pid (or -1), the program gets 0. A raw clone:
// the runtime is single-threaded, and its language's own after-fork work is the caller's.
__attribute__((visibility("default"))) int cj_warm_spawn() {
  long pid = syscall(SYS_clone, sb::kWarmRunNamespaces | SIGCHLD, nullptr, nullptr, nullptr, 0);
  if (pid < 0) {
    // Said on the run's messages pipe, which the supervisor reads for the leader's hello.
    sb::ChildMessage message{};
    message.type = sb::MessageType::kError;
    message.step = ChildStep::kFork;
    message.err = errno;
    ssize_t ignored = ::write(current.fds[sb::kFdMessages], &message, sizeof message);
    (void)ignored;
  }
  if (pid != 0) return static_cast<int>(pid);
  lead_run();
  return 0;
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
