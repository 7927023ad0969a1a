#include "child.h"

#include <fcntl.h>
#include <linux/capability.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "codejudge/sandbox/sandbox.h"

namespace codejudge::sandbox {

// A warm runtime's request socket and agent sit where a run's listener and status go.
static_assert(kWarmControlFd == kFdListener && kWarmAgentFd == kFdStatus);

namespace {

constexpr const char* kStepNames[] = {
    "rearrange descriptors",
    "wait for parent",
    "cgroup namespace",
    "network namespace",
    "make mounts private",
    "mount root tmpfs",
    "mkdir",
    "create bind target",
    "symlink",
    "bind mount",
    "remount read-only",
    "mount tmpfs",
    "mount proc",
    "pivot_root",
    "detach old root",
    "remount root read-only",
    "sethostname",
    "user namespace",
    "fork",
    "parent death signal",
    "setrlimit",
    "setgroups",
    "setgid",
    "setuid",
    "no_new_privs",
    "chdir",
    "load seccomp filter",
    "send seccomp listener",
    "execve",
    "keep capabilities",
    "warm hello",
    "copy files",
    "drop capabilities",
    "dumpable",
    "oom score",
};

}  // namespace

// Reports a failed step (with errno and an optional path) and exits; the parent turns it
// into an IE naming the step.
[[noreturn]] void fail(ChildStep step, const char* detail) {
  ChildMessage message{};
  message.type = MessageType::kError;
  message.step = step;
  message.err = errno;
  if (detail) {
    size_t i = 0;
    for (; detail[i] && i + 1 < sizeof message.detail; ++i) message.detail[i] = detail[i];
    message.detail[i] = '\0';
  }
  ssize_t ignored = write(kFdMessages, &message, sizeof message);
  (void)ignored;
  _exit(127);
}

void wait_go() {
  char go;
  ssize_t n;
  do {
    n = read(kFdSync, &go, 1);
  } while (n < 0 && errno == EINTR);
  if (n != 1) fail(ChildStep::kWaitGo);
}

// Moves the plan's descriptors to fixed numbers and closes every other one, so nothing the
// parent had open (sockets of the server, other runs' pipes) reaches the program.
void arrange_fds(const int* fds, int count) {
  constexpr int kMost = 64;
  if (count < kChildFdCount || count > kMost) fail(ChildStep::kFds);
  int moved[kMost];
  for (int i = 0; i < count; ++i) {
    moved[i] = fcntl(fds[i], F_DUPFD_CLOEXEC, count);
    if (moved[i] < 0) fail(ChildStep::kFds);
  }
  // dup2 leaves the new descriptor without close-on-exec: the standard streams survive execve;
  // the rest must not (the parent sees EOF on the messages pipe when the program starts).
  for (int i = 0; i < count; ++i) {
    if (dup3(moved[i], i, i < kFdMessages ? 0 : O_CLOEXEC) < 0) fail(ChildStep::kFds);
  }
  if (syscall(SYS_close_range, count, ~0U, 0) != 0) fail(ChildStep::kFds);
}

void do_mount_op(const MountOp& op) {
  const char* target = op.target.c_str();
  switch (op.kind) {
    case MountOp::Kind::kMkdir:
      if (mkdir(target, 0755) != 0 && errno != EEXIST) fail(ChildStep::kMkdir, target);
      return;
    case MountOp::Kind::kTouch: {
      int fd = open(target, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
      if (fd < 0) fail(ChildStep::kTouch, target);
      close(fd);
      return;
    }
    case MountOp::Kind::kSymlink:
      if (symlink(op.source.c_str(), target) != 0) fail(ChildStep::kSymlink, target);
      return;
    case MountOp::Kind::kBindReadOnly:
    case MountOp::Kind::kBindWritable: {
      // Non-recursive: submounts of a bound tree would otherwise stay writable.
      if (mount(op.source.c_str(), target, nullptr, MS_BIND, nullptr) != 0) {
        fail(ChildStep::kBind, target);
      }
      unsigned long flags = MS_BIND | MS_REMOUNT | MS_NOSUID | MS_NODEV | op.flags;
      if (op.kind == MountOp::Kind::kBindReadOnly) flags |= MS_RDONLY;
      if (mount(nullptr, target, nullptr, flags, nullptr) != 0) {
        fail(ChildStep::kRemountReadOnly, target);
      }
      return;
    }
    case MountOp::Kind::kBindDevice:
      if (mount(op.source.c_str(), target, nullptr, MS_BIND, nullptr) != 0) {
        fail(ChildStep::kBind, target);
      }
      return;
    case MountOp::Kind::kTmpfs:
      if (mount("tmpfs", target, "tmpfs", op.flags, op.source.c_str()) != 0) {
        fail(ChildStep::kTmpfs, target);
      }
      return;
    case MountOp::Kind::kProc:
      // hidepid: the program cannot see the stub (pid 1, our fork) and so neither the
      // supervisor's command line nor anything else of its.
      if (mount("proc", target, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, "hidepid=2") != 0) {
        fail(ChildStep::kProc, target);
      }
      return;
  }
}

namespace {

void build_root(const ChildPlan& plan) {
  // Nothing we mount may propagate back to the host's mount namespace.
  if (mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) {
    fail(ChildStep::kMountPrivate);
  }
  if (mount("tmpfs", plan.root.c_str(), "tmpfs", MS_NOSUID | MS_NODEV,
            "size=1m,nr_inodes=4096,mode=0755") != 0) {
    fail(ChildStep::kRootTmpfs, plan.root.c_str());
  }
  for (const MountOp& op : plan.ops) do_mount_op(op);
  if (chdir(plan.root.c_str()) != 0) fail(ChildStep::kPivotRoot, plan.root.c_str());
  // pivot_root(".", ".") stacks the old root under the new one; detaching it leaves no
  // path back to the host's filesystem.
  if (syscall(SYS_pivot_root, ".", ".") != 0) fail(ChildStep::kPivotRoot);
  if (umount2(".", MNT_DETACH) != 0) fail(ChildStep::kDetachOldRoot);
  if (chdir("/") != 0) fail(ChildStep::kPivotRoot);
  if (mount(nullptr, "/", nullptr, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV,
            nullptr) != 0) {
    fail(ChildStep::kRootReadOnly);
  }
}

[[noreturn]] void exec_program(const ChildPlan& plan) {
  const char* name = plan.argv[0];
  if (strchr(name, '/')) {
    execve(name, plan.argv.data(), plan.envp.data());
    fail(ChildStep::kExec, name);
  }
  int saved = ENOENT;
  char path[4096];
  for (const std::string& dir : plan.path_dirs) {
    size_t dir_len = dir.size();
    size_t name_len = strlen(name);
    if (dir_len + 1 + name_len + 1 > sizeof path) continue;
    memcpy(path, dir.data(), dir_len);
    path[dir_len] = '/';
    memcpy(path + dir_len + 1, name, name_len + 1);
    execve(path, plan.argv.data(), plan.envp.data());
    if (errno != ENOENT && errno != ENOTDIR) saved = errno;
  }
  errno = saved;
  fail(ChildStep::kExec, name);
}

// The runtime keeps CAP_SYS_ADMIN (each run's namespaces and mounts) and CAP_SETPCAP (each
// program empties its bounding set) across execve as ambient capabilities of the uid it runs
// as. They are capabilities in its own user namespace, which owns none of the namespaces it
// was given (child_main made those first): they reach only the namespaces it makes per run.
[[noreturn]] void warm_runtime_main(const ChildPlan& plan) {
  if (prctl(PR_SET_KEEPCAPS, 1) != 0) fail(ChildStep::kKeepCapabilities);
  if (syscall(SYS_setgroups, 0, nullptr) != 0) fail(ChildStep::kSetgroups);
  if (syscall(SYS_setresgid, plan.gid, plan.gid, plan.gid) != 0) fail(ChildStep::kSetgid);
  if (syscall(SYS_setresuid, plan.uid, plan.uid, plan.uid) != 0) fail(ChildStep::kSetuid);
  constexpr int kKept[] = {CAP_SYS_ADMIN, CAP_SETPCAP};
  __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data[2] = {};
  for (int cap : kKept) {
    data[cap / 32].permitted |= 1u << (cap % 32);
    data[cap / 32].effective |= 1u << (cap % 32);
    data[cap / 32].inheritable |= 1u << (cap % 32);
  }
  if (syscall(SYS_capset, &header, data) != 0) fail(ChildStep::kKeepCapabilities);
  for (int cap : kKept) {
    if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) != 0) {
      fail(ChildStep::kKeepCapabilities);
    }
  }
  // Its request socket and the agent library stay open across execve.
  for (int fd : {kWarmControlFd, kWarmAgentFd}) {
    if (fcntl(fd, F_SETFD, 0) != 0) fail(ChildStep::kFds);
  }
  if (chdir("/") != 0) fail(ChildStep::kChdir, "/");
  exec_program(plan);
}

// The program: drop to the unprivileged ids, apply limits, load seccomp last, exec.
[[noreturn]] void program_main(const ChildPlan& plan) {
  enter_program(plan, false);
  exec_program(plan);
}

}  // namespace

void enter_program(const ChildPlan& plan, bool warm) {
  if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) fail(ChildStep::kDeathSignal);
  setsid();
  for (const ChildPlan::Limit& limit : plan.rlimits) {
    if (setrlimit(static_cast<__rlimit_resource>(limit.resource), &limit.value) != 0) {
      fail(ChildStep::kRlimit);
    }
  }
  if (warm) {
    // Already the program's uid: give up the runtime's capabilities, all of them and for good
    // (the bounding set goes too, so no later execve can bring any back).
    if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0) {
      fail(ChildStep::kDropCapabilities);
    }
    for (int cap = 0; cap <= CAP_LAST_CAP; ++cap) {
      if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0 && errno != EINVAL) {
        fail(ChildStep::kDropCapabilities);
      }
    }
    __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
    __user_cap_data_struct none[2] = {};
    if (syscall(SYS_capset, &header, none) != 0) fail(ChildStep::kDropCapabilities);
    // The runtime's execve with capabilities left it undumpable, which would make the
    // program's own /proc/self (and /dev/stdin) root's; a cold program is dumpable.
    if (prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) != 0) fail(ChildStep::kDumpable);
  } else {
    // Raw syscalls: glibc's wrappers would signal the parent's other threads, which exist in
    // its bookkeeping but not in this copy of the process, and wait for them forever.
    if (syscall(SYS_setgroups, 0, nullptr) != 0) fail(ChildStep::kSetgroups);
    if (syscall(SYS_setresgid, plan.gid, plan.gid, plan.gid) != 0) fail(ChildStep::kSetgid);
    // A non-zero uid drops every capability; nothing later can regain one (no_new_privs,
    // nosuid mounts, and the user namespace owns none of the other namespaces).
    if (syscall(SYS_setresuid, plan.uid, plan.uid, plan.uid) != 0) fail(ChildStep::kSetuid);
  }
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) fail(ChildStep::kNoNewPrivs);
  if (chdir(plan.cwd.c_str()) != 0) fail(ChildStep::kChdir, plan.cwd.c_str());

  unsigned int flags = plan.seccomp_notify ? SECCOMP_FILTER_FLAG_NEW_LISTENER : 0;
  long listener = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &plan.seccomp);
  if (listener < 0) fail(ChildStep::kSeccomp);
  if (plan.seccomp_notify) {
    char control[CMSG_SPACE(sizeof(int))] = {};
    char byte = 'L';
    iovec iov{&byte, 1};
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    cmsghdr* cmsg = CMSG_FIRSTHDR(&msg);
    cmsg->cmsg_level = SOL_SOCKET;
    cmsg->cmsg_type = SCM_RIGHTS;
    cmsg->cmsg_len = CMSG_LEN(sizeof(int));
    int fd = static_cast<int>(listener);
    memcpy(CMSG_DATA(cmsg), &fd, sizeof fd);
    if (sendmsg(kFdListener, &msg, 0) != 1) fail(ChildStep::kSendListener);
    close(fd);
  }
  close(kFdListener);
}

const char* child_step_name(ChildStep step) {
  auto index = static_cast<size_t>(step);
  return index < sizeof kStepNames / sizeof kStepNames[0] ? kStepNames[index] : "unknown step";
}

void child_main(const ChildPlan& plan) {
  // If the supervisor dies, so does the run.
  if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) fail(ChildStep::kDeathSignal);
  // Before arrange_fds, which closes the namespace descriptor with every other one.
  const bool netns_ok = plan.netns_fd < 0 || setns(plan.netns_fd, CLONE_NEWNET) == 0;
  arrange_fds(plan.fds, kChildFdCount);
  if (!netns_ok) fail(ChildStep::kNetworkNamespace);
  // Born in the run's cgroup: it becomes the root of the program's cgroup view.
  if (unshare(CLONE_NEWCGROUP) != 0) fail(ChildStep::kCgroupNamespace);
  build_root(plan);
  if (sethostname("codejudge", 9) != 0) fail(ChildStep::kHostname);
  if (plan.user_namespace) {
    // Last, so that the new user namespace owns none of the run's other namespaces: the
    // capabilities it grants are worth nothing.
    if (unshare(CLONE_NEWUSER) != 0) fail(ChildStep::kUserNamespace);
    ChildMessage need{};
    need.type = MessageType::kNeedIdMaps;
    if (write(kFdMessages, &need, sizeof need) != sizeof need) fail(ChildStep::kUserNamespace);
    wait_go();
  }
  if (plan.warm_runtime) warm_runtime_main(plan);

  // We are pid 1 of the run's PID namespace. The program runs as our child, so that it
  // keeps normal signal semantics (pid 1 ignores signals it has no handler for), and when
  // it exits we exit, which makes the kernel kill everything left in the namespace.
  // A raw clone, not fork(): glibc's fork takes its malloc locks, which another thread of the
  // parent may have held at the moment we were cloned.
  pid_t pid = static_cast<pid_t>(syscall(SYS_clone, SIGCHLD, nullptr, nullptr, nullptr, 0));
  if (pid < 0) fail(ChildStep::kFork);
  if (pid == 0) program_main(plan);
  stub_main(pid);
}

void stub_main(pid_t program) {
  close(kFdStdin);
  close(kFdStdout);
  close(kFdStderr);
  close(kFdMessages);
  close(kFdListener);
  close(kFdSync);
  int status = 0;
  for (;;) {
    int st = 0;
    pid_t done = waitpid(-1, &st, __WALL);
    if (done == program) {
      status = st;
      break;
    }
    if (done < 0 && errno != EINTR) break;
  }
  ssize_t ignored = write(kFdStatus, &status, sizeof status);
  (void)ignored;
  _exit(0);
}

}  // namespace codejudge::sandbox
