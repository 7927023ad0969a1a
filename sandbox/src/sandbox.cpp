#include "codejudge/sandbox/sandbox.h"

#include <dirent.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <optional>
#include <thread>

#include "cgroup.h"
#include "child.h"
#include "embedded_agent.h"
#include "fd.h"
#include "instance.h"
#include "seccomp_policy.h"
#include "warm.h"

namespace codejudge::sandbox {
namespace {

using Clock = std::chrono::steady_clock;

constexpr uid_t kInsideUid = 1000;  // the program's uid and gid as it sees them
constexpr size_t kReadChunk = 65536;

// How long the child may take to set up its namespaces and exec the program.
constexpr int64_t kSetupTimeoutMs = 10000;
constexpr ssize_t kSetupTimedOut = -2;  // read_message's return when it passes

// A warm runtime's start: the room it gets in the slot's cgroups before its first run sets the
// run's own limits (which then sit above what the runtime holds, see cgroup.cpp).
constexpr uint64_t kRuntimeStartMemoryBytes = 512ull << 20;
constexpr uint32_t kRuntimeStartProcesses = 16;
// A read-only bind that a warm run copies: a flat directory of at most this much.
constexpr uint64_t kWarmCopyBytes = 16ull << 20;
constexpr size_t kWarmCopyFiles = 64;
// Runtimes kept per slot: python's syntax check, its plain runs and its two harnesses each have
// their own (environment, binds, preloaded harness), and they must not take turns starting.
constexpr size_t kRuntimesPerSlot = 4;

// A run is waiting when in the last kWaitingWindowMs it used under 1/kWaitingShare of a CPU.
constexpr uint64_t kWaitingWindowMs = 1000;
constexpr uint64_t kWaitingShare = 20;

uint64_t ms_since(Clock::time_point start) {
  return static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count());
}

struct Pipe {
  UniqueFd read, write;
  bool open(std::string* error) {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) {
      *error = errno_message("pipe2");
      return false;
    }
    read.reset(fds[0]);
    write.reset(fds[1]);
    return true;
  }
};

// One pre-made empty network namespace shared by every run: creating a fresh one per run
// costs milliseconds (more under load), and an empty one isolates just as well. Made on a
// thread of its own (unshare there leaves the rest of the process alone); the future holds
// its descriptor, or none with *error set.
std::future<UniqueFd> start_empty_netns(std::string* error) {
  return std::async(std::launch::async, [error] {
    UniqueFd result;
    if (unshare(CLONE_NEWNET) != 0) {
      *error = errno_message("unshare(CLONE_NEWNET)");
      return result;
    }
    result.reset(::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC));
    if (!result.valid()) *error = errno_message("open /proc/thread-self/ns/net");
    return result;
  });
}

UniqueFd make_empty_netns(std::string* error) {
  return start_empty_netns(error).get();
}

// Runs probe(arg) in a child process that shares our memory until it exits (CLONE_VM and
// CLONE_VFORK, as posix_spawn does): no page tables are copied, which for a large server is
// most of the cost of a fork. The probe makes system calls only, on a stack of its own, with
// every signal blocked so that none of our handlers runs in it. True when it returns 0.
bool probe_in_child(int (*probe)(void*), void* arg) {
  constexpr size_t kStackBytes = 64 << 10;
  std::vector<char> stack(kStackBytes);
  sigset_t all, old;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &old);
  pid_t pid = clone(probe, stack.data() + stack.size(), CLONE_VM | CLONE_VFORK | SIGCHLD, arg);
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
  if (pid < 0) return false;
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

// The warm runtimes' agent library as a sealed memfd that each runtime loads from its descriptor:
// nothing to install, and nothing a runtime could change.
UniqueFd make_agent_memfd() {
  const std::string_view bytes = agent_detail::embedded_file("libcodejudge_warm_agent.so");
  UniqueFd fd(memfd_create("codejudge-warm-agent", MFD_CLOEXEC | MFD_ALLOW_SEALING));
  if (!fd.valid() || bytes.empty()) return {};
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd.get(), bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return {};
    done += static_cast<size_t>(n);
  }
  if (fcntl(fd.get(), F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) != 0) {
    return {};
  }
  return fd;
}

// Can this host give a child a new user namespace, the way the run's child asks for one?
int user_namespace_probe(void*) {
  return unshare(CLONE_NEWUSER) == 0 ? 0 : 1;
}

// Does the kernel take this filter with a listener for its notifications? Loaded in the
// probe's own process, which exits at once.
int seccomp_notify_probe(void* arg) {
  const auto* program = static_cast<const SeccompProgram*>(arg);
  sock_fprog prog{static_cast<unsigned short>(program->instructions.size()),
                  const_cast<sock_filter*>(program->instructions.data())};
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return 1;
  long fd = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog);
  return fd >= 0 ? 0 : 1;
}

// The filter the runs load: with notifications where the kernel gives this process a listener,
// else the variant that kills (older kernels, or a filter above ours that has a listener
// already), which *warning then says. False with *error when no filter can be built.
bool prepare_seccomp(SeccompProgram* program, std::string* warning, std::string* error) {
  if (!build_seccomp_program(true, program, error)) return false;
  if (probe_in_child(seccomp_notify_probe, program)) return true;
  *warning = "seccomp user notification unavailable: forbidden syscalls kill without a name";
  return build_seccomp_program(false, program, error);
}

}  // namespace

const char* status_name(Status status) {
  switch (status) {
    case Status::kOk:
      return "OK";
    case Status::kRuntimeError:
      return "RE";
    case Status::kTimeLimit:
      return "TLE";
    case Status::kMemoryLimit:
      return "MLE";
    case Status::kOutputLimit:
      return "OLE";
    case Status::kSecurityError:
      return "SE";
    case Status::kInternalError:
      return "IE";
  }
  return "IE";
}

bool HostReport::safe() const {
  return network_namespace && seccomp && cgroup_version != 0;
}

// A thread that runs tasks for one slot. On cgroup v1 it lives in the slot's cgroups, so
// the children it clones are born there (see cgroup.h for why nothing is migrated).
class Launcher {
 public:
  Launcher() : thread_([this] { loop(); }) {}
  ~Launcher() {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }
  // Runs task on the launcher thread and waits for it.
  void execute(const std::function<void()>& task) {
    std::unique_lock lock(mutex_);
    task_ = &task;
    cv_.notify_all();
    cv_.wait(lock, [&] { return task_ == nullptr; });
  }

 private:
  void loop() {
    std::unique_lock lock(mutex_);
    for (;;) {
      cv_.wait(lock, [&] { return stop_ || task_ != nullptr; });
      if (stop_) return;
      (*task_)();
      task_ = nullptr;
      cv_.notify_all();
    }
  }
  std::mutex mutex_;
  std::condition_variable cv_;
  const std::function<void()>* task_ = nullptr;
  bool stop_ = false;
  std::thread thread_;  // last: starts after the members above exist
};

struct Sandbox::Impl {
  Options options;
  HostReport report;
  // One empty network namespace per slot, made on first use: runs of a slot never overlap,
  // and separate namespaces keep concurrent runs from meeting on abstract unix sockets.
  std::vector<UniqueFd> netns;
  SeccompProgram seccomp;
  std::unique_ptr<Instance> instance;  // before cgroups: it outlives them (see instance.h)
  std::unique_ptr<CgroupManager> cgroups;
  std::string root_dir;           // staging mount point for new roots
  std::vector<MountOp> base_ops;  // the default root: system binds, /dev, /proc

  std::mutex slots_mutex;
  std::condition_variable slots_cv;
  std::vector<uint32_t> free_slots;
  // v1 only, one per slot, made on first use; declared after cgroups so they stop first.
  std::vector<std::unique_ptr<Launcher>> launchers;
  // Warm runtimes: the agent library they load (a sealed memfd), and the runtimes of each slot
  // (at most kRuntimesPerSlot, least recently used last), used only by the run holding the
  // slot; declared last so they stop first.
  UniqueFd agent;
  std::atomic<bool> warm_broken{false};  // a warm run failed in our setup: every run goes cold
  struct WarmProcess;
  std::vector<std::vector<std::unique_ptr<WarmProcess>>> runtimes;

  // The slot's empty network namespace; -1 with *error when it cannot be made.
  int slot_netns(uint32_t slot, std::string* error) {
    std::lock_guard lock(slots_mutex);
    if (!netns[slot].valid()) netns[slot] = make_empty_netns(error);
    return netns[slot].get();
  }

  // The slot's launcher, joined to the slot's cgroups; nullptr with *error on failure.
  Launcher* launcher(uint32_t slot, std::string* error) {
    std::lock_guard lock(slots_mutex);
    if (!launchers[slot]) {
      auto made = std::make_unique<Launcher>();
      bool joined = false;
      made->execute([&] { joined = cgroups->join_slot(slot, error); });
      if (!joined) return nullptr;
      launchers[slot] = std::move(made);
    }
    return launchers[slot].get();
  }

  uint32_t acquire_slot() {
    std::unique_lock lock(slots_mutex);
    slots_cv.wait(lock, [&] { return !free_slots.empty(); });
    uint32_t slot = free_slots.back();
    free_slots.pop_back();
    return slot;
  }
  void release_slot(uint32_t slot) {
    {
      std::lock_guard lock(slots_mutex);
      free_slots.push_back(slot);
    }
    slots_cv.notify_one();
  }

  void add_path_ops(const std::string& host_path, const std::string& sandbox_path, bool writable,
                    std::vector<MountOp>* ops) const;
  void build_base_ops();

  // One run in five steps (RunStep), each with its inputs and outputs in the types below. A warm
  // run (warm == true) makes its plan, spawn and handshake through the slot's runtime, and is
  // nullopt when the runtime could not take it before the program started: then it runs cold.
  struct SlotLease;
  struct RunPlan;
  struct Child;
  struct Supervision;
  Result run(const RunSpec& spec);
  std::optional<Result> run_steps(const RunSpec& spec, bool warm);
  bool make_plan(const RunSpec& spec, RunPlan* plan, std::string* error);
  bool plan_warm(const RunSpec& spec, RunPlan* plan, std::string* error);
  static bool spawn(RunPlan& plan, Child* child, std::string* error);
  static bool spawn_warm(RunPlan& plan, std::string* error);
  bool handshake(RunPlan& plan, Child& child, Clock::time_point start, UniqueFd* listener,
                 std::string* cannot_execute, std::string* error);
  bool warm_hello(RunPlan& plan, Child& child, Clock::time_point start, std::string* error);
  bool warm_eligible(const RunSpec& spec) const;
  WarmProcess* runtime_for(const RunSpec& spec, uint32_t slot, Launcher* launcher,
                           std::string* error);
  std::vector<MountOp> run_mounts(const RunSpec& spec, const std::string& root, uid_t owner) const;
  ChildPlan program_plan(const RunSpec& spec, bool cgroup) const;
  static bool supervise(const RunPlan& plan, Child& child, UniqueFd& listener, Supervision* seen,
                        std::string* error);
  static bool classify(const RunPlan& plan, const Child& child, Supervision seen, Result* out,
                       std::string* error);
};

namespace {

// Where a bind appears inside the sandbox.
const std::string& bind_target(const Bind& bind) {
  return bind.sandbox_path.empty() ? bind.host_path : bind.sandbox_path;
}

// A bind target must be an absolute path that cannot climb out of the new root.
bool valid_bind_target(const std::string& inside) {
  return !inside.empty() && inside[0] == '/' && inside.find("/..") == std::string::npos;
}

// mkdir ops for every missing ancestor of path under root ("/a/b/c" -> /a, /a/b).
void add_parent_dirs(const std::string& root, const std::string& path, std::vector<MountOp>* ops) {
  for (size_t pos = path.find('/', 1); pos != std::string::npos; pos = path.find('/', pos + 1)) {
    ops->push_back({MountOp::Kind::kMkdir, root + path.substr(0, pos), "", 0});
  }
}

// Flags of the source mount that a read-only remount must keep (noexec stays noexec).
unsigned long kept_flags(const std::string& path) {
  struct statvfs st {};
  if (statvfs(path.c_str(), &st) != 0) return 0;
  unsigned long flags = 0;
  if (st.f_flag & ST_NOEXEC) flags |= MS_NOEXEC;
  if (st.f_flag & ST_NOATIME) flags |= MS_NOATIME;
  if (st.f_flag & ST_NODIRATIME) flags |= MS_NODIRATIME;
  if (st.f_flag & ST_RELATIME) flags |= MS_RELATIME;
  return flags;
}

}  // namespace

void Sandbox::Impl::add_path_ops(const std::string& host_path, const std::string& sandbox_path,
                                 bool writable, std::vector<MountOp>* ops) const {
  struct stat st {};
  if (lstat(host_path.c_str(), &st) != 0) return;
  const std::string target = root_dir + sandbox_path;
  add_parent_dirs(root_dir, sandbox_path, ops);
  if (S_ISLNK(st.st_mode) && host_path == sandbox_path) {
    // Merged-/usr hosts have /bin -> usr/bin: mirror the link, the target is bound anyway.
    char link[4096];
    ssize_t n = readlink(host_path.c_str(), link, sizeof link - 1);
    if (n <= 0) return;
    ops->push_back({MountOp::Kind::kSymlink, target, std::string(link, static_cast<size_t>(n)), 0});
    return;
  }
  if (stat(host_path.c_str(), &st) != 0) return;
  ops->push_back(
      {S_ISDIR(st.st_mode) ? MountOp::Kind::kMkdir : MountOp::Kind::kTouch, target, "", 0});
  ops->push_back({writable ? MountOp::Kind::kBindWritable : MountOp::Kind::kBindReadOnly, target,
                  host_path, kept_flags(host_path)});
}

void Sandbox::Impl::build_base_ops() {
  for (const std::string& path : options.ro_paths) add_path_ops(path, path, false, &base_ops);
  // /dev: only the harmless character devices, on a tmpfs of its own.
  base_ops.push_back({MountOp::Kind::kMkdir, root_dir + "/dev", "", 0});
  base_ops.push_back({MountOp::Kind::kTmpfs, root_dir + "/dev", "size=64k,nr_inodes=64,mode=0755",
                      MS_NOSUID | MS_NOEXEC});
  for (const char* dev : {"/dev/null", "/dev/zero", "/dev/random", "/dev/urandom"}) {
    base_ops.push_back({MountOp::Kind::kTouch, root_dir + dev, "", 0});
    base_ops.push_back({MountOp::Kind::kBindDevice, root_dir + dev, dev, 0});
  }
  base_ops.push_back({MountOp::Kind::kMkdir, root_dir + "/dev/shm", "", 0});
  base_ops.push_back({MountOp::Kind::kSymlink, root_dir + "/dev/fd", "/proc/self/fd", 0});
  base_ops.push_back({MountOp::Kind::kSymlink, root_dir + "/dev/stdin", "/proc/self/fd/0", 0});
  base_ops.push_back({MountOp::Kind::kSymlink, root_dir + "/dev/stdout", "/proc/self/fd/1", 0});
  base_ops.push_back({MountOp::Kind::kSymlink, root_dir + "/dev/stderr", "/proc/self/fd/2", 0});
  base_ops.push_back({MountOp::Kind::kMkdir, root_dir + "/proc", "", 0});
  base_ops.push_back({MountOp::Kind::kProc, root_dir + "/proc", "", 0});
  base_ops.push_back({MountOp::Kind::kMkdir, root_dir + "/tmp", "", 0});
  base_ops.push_back({MountOp::Kind::kMkdir, root_dir + "/work", "", 0});
}

std::unique_ptr<Sandbox> Sandbox::create(const Options& options, std::string* error) {
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  HostReport& report = impl->report;
  if (geteuid() != 0) {
    *error = "the sandbox must run as root (it creates namespaces, mounts and cgroups)";
    return nullptr;
  }
  if (options.uid_count == 0) {
    *error = "uid_count must be at least 1";
    return nullptr;
  }
  // The staging mount point: an empty directory each run mounts its new root over, inside
  // its own mount namespace (the host never sees those mounts).
  impl->root_dir = options.state_dir + "/root";
  if (mkdir(options.state_dir.c_str(), 0700) != 0 && errno != EEXIST) {
    *error = errno_message("mkdir " + options.state_dir);
    return nullptr;
  }
  if (mkdir(impl->root_dir.c_str(), 0700) != 0 && errno != EEXIST) {
    *error = errno_message("mkdir " + impl->root_dir);
    return nullptr;
  }

  // A CLI command pays for all of this on every run, so what does not depend on the rest is
  // made on threads of its own meanwhile: the first network namespace (the longest, about
  // 0.5 ms) and the seccomp filter with its probe. Every return below waits for both (the
  // futures' destructors).
  std::string netns_error, seccomp_error, seccomp_warning;
  std::future<UniqueFd> first_netns = start_empty_netns(&netns_error);
  std::future<bool> seccomp = std::async(std::launch::async, prepare_seccomp, &impl->seccomp,
                                         &seccomp_warning, &seccomp_error);

  // The uids and the lock that other instances on this host respect.
  std::string instance_error;
  impl->instance =
      Instance::create(options.lock_dir, options.uid_base, options.uid_count, &instance_error);
  if (!impl->instance) {
    *error = "cannot register this instance: " + instance_error;
    return nullptr;
  }
  report.instance_id = impl->instance->id();
  report.uid_base = impl->instance->uid_base();
  report.uid_count = options.uid_count;

  // A run whose child died early must not kill the whole server with SIGPIPE.
  signal(SIGPIPE, SIG_IGN);
  report.user_namespaces = probe_in_child(user_namespace_probe, nullptr);

  std::string cgroup_error = "turned off by Options::cgroups";
  if (options.cgroups) {
    impl->cgroups = CgroupManager::create(options.cgroup_root, impl->instance.get(), &cgroup_error);
  }
  if (impl->cgroups) {
    report.cgroup_version = impl->cgroups->version();
    report.cgroup_root = impl->cgroups->root();
    report.cgroup_controllers = impl->cgroups->controllers();
  }

  if (!seccomp.get()) {
    *error = "cannot build the seccomp filter: " + seccomp_error;
    return nullptr;
  }
  report.seccomp = true;
  report.seccomp_notify = impl->seccomp.notify;
  impl->netns.resize(options.uid_count);
  impl->netns[0] = first_netns.get();
  report.network_namespace = impl->netns[0].valid();
  if (!report.network_namespace) {
    *error = "cannot create a network namespace: " + netns_error;
    return nullptr;
  }

  // The degraded modes, once each.
  if (!seccomp_warning.empty()) report.warnings.push_back(seccomp_warning);
  if (!report.user_namespaces) {
    report.warnings.push_back(
        "user namespaces unavailable: programs run under their own uid without one");
  }
  if (!impl->cgroups) {
    report.warnings.push_back("cgroups unusable (" + cgroup_error +
                              "): falling back to rlimits; CPU time and memory are per "
                              "process, not per process tree");
  }

  impl->build_base_ops();
  for (uint32_t i = options.uid_count; i > 0; --i) impl->free_slots.push_back(i - 1);
  impl->launchers.resize(options.uid_count);
  impl->runtimes.resize(options.uid_count);
  // Warm runtimes live in a slot's persistent cgroups and make each run's namespaces from their
  // own user namespace: cgroup v1 (v2 runs are born in fresh cgroups, which a runtime cannot
  // do without delegation: docs/ARCHITECTURE.md) and user namespaces.
  if (impl->cgroups && impl->cgroups->version() == 1 && report.user_namespaces) {
    impl->agent = make_agent_memfd();
    report.warm_runtimes = impl->agent.valid();
  }
  return std::unique_ptr<Sandbox>(new Sandbox(std::move(impl)));
}

Sandbox::Sandbox(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Sandbox::~Sandbox() = default;
const HostReport& Sandbox::report() const {
  return impl_->report;
}
Result Sandbox::run(const RunSpec& spec) {
  return impl_->run(spec);
}

namespace {

struct Stream {
  int fd = -1;
  std::string* data = nullptr;
  bool* truncated = nullptr;
  bool open = true;
};

// Reads what is there; returns false when the stream went over its limit.
bool drain(Stream& s, uint64_t limit) {
  char buf[kReadChunk];
  for (;;) {
    ssize_t n = ::read(s.fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) return true;
    if (n <= 0) {
      s.open = false;
      return true;
    }
    size_t room = limit > s.data->size() ? limit - s.data->size() : 0;
    s.data->append(buf, std::min(room, static_cast<size_t>(n)));
    if (static_cast<size_t>(n) > room) {
      *s.truncated = true;
      return false;
    }
  }
}

bool receive_fd(int socket, UniqueFd* out) {
  char byte;
  iovec iov{&byte, 1};
  char control[CMSG_SPACE(sizeof(int))] = {};
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  if (recvmsg(socket, &msg, MSG_DONTWAIT | MSG_CMSG_CLOEXEC) != 1) return false;
  cmsghdr* cmsg = CMSG_FIRSTHDR(&msg);
  if (!cmsg || cmsg->cmsg_type != SCM_RIGHTS) return false;
  int fd;
  memcpy(&fd, CMSG_DATA(cmsg), sizeof fd);
  out->reset(fd);
  return true;
}

std::string signal_text(int sig) {
  const char* name = sigabbrev_np(sig);
  return name ? std::string("SIG") + name : "signal " + std::to_string(sig);
}

}  // namespace

// A slot held for one run: given back when the lease goes, after everything else of the run.
struct Sandbox::Impl::SlotLease {
  SlotLease() = default;
  SlotLease(const SlotLease&) = delete;
  SlotLease& operator=(const SlotLease&) = delete;
  ~SlotLease() {
    if (impl) impl->release_slot(slot);
  }
  void hold(Impl* owner) {
    slot = owner->acquire_slot();
    impl = owner;
  }
  Impl* impl = nullptr;
  uint32_t slot = 0;
};

// What the plan step prepares for one run. Members go in reverse order: the slot last, once
// the run's cgroup is gone.
struct Sandbox::Impl::RunPlan {
  SlotLease lease;
  uid_t outside_uid = 0;
  Limits limits;
  uint64_t wall_limit_ms = 0;
  std::unique_ptr<CgroupRun> cgroup;  // nullptr without cgroups: rlimits only
  Launcher* launcher = nullptr;       // v1: the slot's thread, which clones into its cgroups
  UniqueFd stdin_fd;
  Pipe out, err, messages, sync, status;
  UniqueFd listener_parent, listener_child;
  ChildPlan child;
  // A warm run: the slot's runtime, the request for it and the directories it copies.
  bool warm = false;
  bool warm_fault = false;  // the warm machinery itself failed (not the spec, not the host)
  WarmProcess* runtime = nullptr;
  WarmRequest request;
  std::vector<UniqueFd> copy_dirs;
};

// The cloned child, pid 1 of the run (the stub): killed and reaped when this goes, so that a
// step failing halfway leaves no process behind. A warm run's leader is adopted: the runtime
// made it and the kernel reaps it; we hold a pidfd, and it is gone once that is readable.
struct Sandbox::Impl::Child {
  Child() = default;
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;
  ~Child() { kill_and_reap(); }
  void reap() {
    if (adopted) {
      pollfd p{pidfd.get(), POLLIN, 0};
      while (poll(&p, 1, -1) < 0 && errno == EINTR) {
      }
    } else {
      while (wait4(pid, &wait_status, __WALL, &usage) < 0 && errno == EINTR) {
      }
    }
    reaped = true;
  }
  void kill_and_reap() {
    if (pid < 0 || reaped) return;
    if (adopted) {
      syscall(SYS_pidfd_send_signal, pidfd.get(), SIGKILL, nullptr, 0);
    } else {
      kill(pid, SIGKILL);
    }
    reap();
  }
  pid_t pid = -1;
  UniqueFd pidfd;
  bool adopted = false;
  bool reaped = false;
  int wait_status = 0;  // the stub's
  rusage usage{};       // of the stub and the program it waited for
};

// What supervision saw: what the run wrote, and why supervision stopped it, if it did.
struct Sandbox::Impl::Supervision {
  enum class Kill { kNone, kCpu, kWall, kIdle, kOutput, kSeccomp } killed = Kill::kNone;
  std::string denied_syscall;       // kSeccomp
  bool waiting = false;             // kWall before the fuse: the run waited rather than computed
  uint64_t stopped_at_wall_ms = 0;  // kWall
  uint64_t idle_progress_ms = 0;    // kIdle: the least CPU time that counted as progress
  uint64_t wall_ms = 0;             // from execve until the run's last process was gone
  std::string stdout_data, stderr_data;
  bool stdout_truncated = false, stderr_truncated = false;
};

// A warm runtime of one slot: our child, made like a run's stub by the slot's launcher (so it
// lives in the slot's cgroups, and each run it makes is born there), its request socket, and
// what it wrote (only its own failures; it never runs a program).
struct Sandbox::Impl::WarmProcess {
  std::string key;  // name, environment and copy targets it was started for
  Child child;
  UniqueFd control;
  UniqueFd log;
};

const char* run_step_name(RunStep step) {
  switch (step) {
    case RunStep::kPlan:
      return "plan";
    case RunStep::kSpawn:
      return "spawn";
    case RunStep::kHandshake:
      return "handshake";
    case RunStep::kSupervise:
      return "supervise";
    case RunStep::kClassify:
      return "classify";
  }
  return "?";
}

Result Sandbox::Impl::run(const RunSpec& spec) {
  if (warm_eligible(spec)) {
    if (std::optional<Result> result = run_steps(spec, true)) return std::move(*result);
  }
  return std::move(*run_steps(spec, false));
}

std::optional<Result> Sandbox::Impl::run_steps(const RunSpec& spec, bool warm) {
  const Clock::time_point start = Clock::now();
  // A step that fails is ours, never the program's: IE naming the step.
  auto failed = [&](RunStep step, const std::string& message) {
    Result result;
    result.status = Status::kInternalError;
    result.message = std::string("sandbox ") + run_step_name(step) + ": " + message;
    result.wall_ms = ms_since(start);
    return result;
  };
  // Options::inject_fault_at fails a step where a real failure leaves the most to clean up: at
  // the end of plan, spawn and handshake, at the start of supervise and classify.
  auto injected = [&](RunStep step, std::string* error) {
    if (options.inject_fault_at != step) return false;
    *error = "fault injected by a test";
    return true;
  };
  std::string error;
  RunPlan plan;
  plan.warm = warm;
  // A warm run that fails before its program starts is run cold instead, and warm runtimes go
  // off for this sandbox: a failure of ours must cost speed, never a verdict.
  auto go_cold = [&](RunStep step) -> std::optional<Result> {
    if (plan.lease.impl) runtimes[plan.lease.slot].clear();
    if (plan.warm_fault && !warm_broken.exchange(true) && !options.inject_fault_at) {
      fprintf(stderr, "codejudge: warm runtimes off, runs go cold: %s: %s\n", run_step_name(step),
              error.c_str());
    }
    return std::nullopt;
  };
  if (!make_plan(spec, &plan, &error) || injected(RunStep::kPlan, &error)) {
    return warm ? go_cold(RunStep::kPlan) : failed(RunStep::kPlan, error);
  }
  Child child;  // after the plan: killed and reaped before its cgroup and slot are released
  // A runtime that died is replaced on the slot's next warm run.
  if (warm && !spawn_warm(plan, &error)) return go_cold(RunStep::kSpawn);
  if ((!warm && !spawn(plan, &child, &error)) || injected(RunStep::kSpawn, &error)) {
    return warm ? go_cold(RunStep::kSpawn) : failed(RunStep::kSpawn, error);
  }
  UniqueFd listener;
  std::string cannot_execute;
  if (!handshake(plan, child, start, &listener, &cannot_execute, &error) ||
      injected(RunStep::kHandshake, &error)) {
    if (warm) {
      child.kill_and_reap();
      plan.warm_fault = true;
      return go_cold(RunStep::kHandshake);
    }
    return failed(RunStep::kHandshake, error);
  }
  if (!cannot_execute.empty()) {
    // execve found nothing to run at the program's path: the command's fault, as in a shell.
    Result result;
    result.status = Status::kRuntimeError;
    result.exit_code = 127;
    result.message = std::move(cannot_execute);
    result.wall_ms = ms_since(start);
    return result;
  }
  Supervision seen;
  if (injected(RunStep::kSupervise, &error) || !supervise(plan, child, listener, &seen, &error)) {
    return failed(RunStep::kSupervise, error);
  }
  Result result;
  if (injected(RunStep::kClassify, &error) ||
      !classify(plan, child, std::move(seen), &result, &error)) {
    return failed(RunStep::kClassify, error);
  }
  result.warm = warm;
  return result;
}

// Plan: checks the spec, takes a slot and its cgroup, opens the descriptors of both ends and
// writes the child's plan (mounts, ids, rlimits, seccomp filter). A warm plan first makes sure
// the slot's runtime is up, so that what it holds is not counted as the run's.
bool Sandbox::Impl::make_plan(const RunSpec& spec, RunPlan* plan, std::string* error) {
  auto fail = [&](std::string message) {
    *error = std::move(message);
    return false;
  };
  if (spec.argv.empty()) return fail("empty command");
  const Limits& limits = spec.limits;
  if (limits.cpu_ms == 0 || limits.memory_bytes < (4u << 20) || limits.processes == 0) {
    return fail("limits out of range: cpu_ms > 0, memory_bytes >= 4 MiB, processes > 0");
  }
  plan->limits = limits;
  // The wall clock. A caller's wall_ms is one plain fuse. By default, a run that computes may
  // take 3 x cpu_ms + 1 s (only a busy host makes it slower than its CPU time), but one that
  // waits (sleeps, blocks, deadlocks) is stopped from cpu_ms + 1 s on, near its CPU limit as in
  // DOMjudge: it holds a worker for nothing. Waiting means that in the last kWaitingWindowMs the
  // run's processes together got less than 1/kWaitingShare of one CPU and none of them is
  // runnable now: a computing program starved on an overloaded host is runnable.
  plan->wall_limit_ms = limits.wall_ms ? limits.wall_ms : 3 * limits.cpu_ms + 1000;

  plan->lease.hold(this);
  const uint32_t slot = plan->lease.slot;
  plan->outside_uid = instance->uid_base() + slot;
  const uid_t outside_uid = plan->outside_uid;

  std::string why;
  if (cgroups) {
    if (cgroups->version() == 1 && !(plan->launcher = launcher(slot, &why))) {
      return fail("cgroup slot setup: " + why);
    }
    if (plan->warm && !(plan->runtime = runtime_for(spec, slot, plan->launcher, &why))) {
      plan->warm_fault = true;
      return fail("warm runtime: " + why);
    }
    // The stub (pid 1 of the run) counts against pids.max too, and so do the slot's runtimes.
    const uint32_t others = 1 + static_cast<uint32_t>(runtimes[slot].size());
    plan->cgroup = cgroups->prepare(slot, limits.memory_bytes, limits.processes + others, &why);
    if (!plan->cgroup) return fail("cgroup setup: " + why);
  }

  // Standard input: a sealed-size memfd (seekable, so fstat and mmap of stdin work) or a file.
  UniqueFd& stdin_fd = plan->stdin_fd;
  if (!spec.stdin_path.empty()) {
    stdin_fd.reset(::open(spec.stdin_path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!stdin_fd.valid()) return fail(errno_message("open stdin " + spec.stdin_path));
  } else {
    stdin_fd.reset(memfd_create("stdin", MFD_CLOEXEC));
    if (!stdin_fd.valid()) return fail(errno_message("memfd_create"));
    size_t done = 0;
    while (done < spec.stdin_data.size()) {
      ssize_t n =
          ::write(stdin_fd.get(), spec.stdin_data.data() + done, spec.stdin_data.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return fail(errno_message("write stdin"));
      done += static_cast<size_t>(n);
    }
    lseek(stdin_fd.get(), 0, SEEK_SET);
  }

  if (!plan->out.open(error) || !plan->err.open(error) || !plan->messages.open(error) ||
      !plan->sync.open(error) || !plan->status.open(error)) {
    return false;
  }
  int pair[2];
  if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) != 0) {
    return fail(errno_message("socketpair"));
  }
  plan->listener_parent.reset(pair[0]);
  plan->listener_child.reset(pair[1]);

  ChildPlan& child = plan->child;
  child = program_plan(spec, plan->cgroup != nullptr);
  child.fds[kFdStdin] = stdin_fd.get();
  child.fds[kFdStdout] = plan->out.write.get();
  child.fds[kFdStderr] = plan->err.write.get();
  child.fds[kFdMessages] = plan->messages.write.get();
  child.fds[kFdSync] = plan->sync.read.get();
  child.fds[kFdListener] = plan->listener_child.get();
  child.fds[kFdStatus] = plan->status.write.get();
  if (plan->warm) {
    plan->warm_fault = !plan_warm(spec, plan, error);
    return !plan->warm_fault;
  }

  child.netns_fd = slot_netns(slot, &why);
  if (child.netns_fd < 0) return fail("network namespace: " + why);
  child.user_namespace = report.user_namespaces;
  child.root = root_dir;
  child.ops = base_ops;
  for (MountOp& op : run_mounts(spec, root_dir, outside_uid)) child.ops.push_back(std::move(op));
  if (!spec.work_dir.empty()) add_path_ops(spec.work_dir, "/work", true, &child.ops);
  for (const Bind& bind : spec.binds) {
    const std::string& inside = bind_target(bind);
    if (!valid_bind_target(inside)) {
      return fail("bind target must be an absolute path without ..: " + inside);
    }
    struct stat st {};
    if (stat(bind.host_path.c_str(), &st) != 0) {
      return fail(errno_message("bind source " + bind.host_path));
    }
    add_path_ops(bind.host_path, inside, bind.writable, &child.ops);
  }
  child.uid = report.user_namespaces ? kInsideUid : outside_uid;
  child.gid = child.uid;
  return true;
}

// The run's own writable filesystems under `root`: fresh tmpfs mounts on /tmp, /dev/shm and
// (without a work_dir) /work, owned by the program's uid as the mounting namespace names it.
std::vector<MountOp> Sandbox::Impl::run_mounts(const RunSpec& spec, const std::string& root,
                                               uid_t owner) const {
  const std::string ids = "uid=" + std::to_string(owner) + ",gid=" + std::to_string(owner);
  const std::string size = "size=" + std::to_string(spec.limits.tmpfs_bytes) + ",nr_inodes=16384";
  std::vector<MountOp> ops;
  ops.push_back(
      {MountOp::Kind::kTmpfs, root + "/tmp", size + ",mode=1777," + ids, MS_NOSUID | MS_NODEV});
  // POSIX shared memory and named semaphores (sem_open, which Python's multiprocessing needs)
  // live in /dev/shm. Its pages are charged to the run's memory cgroup like /tmp's, so filling
  // it ends in ENOSPC at its size or in MLE at the memory limit, whichever comes first.
  ops.push_back({MountOp::Kind::kTmpfs, root + "/dev/shm", size + ",mode=1777," + ids,
                 MS_NOSUID | MS_NODEV | MS_NOEXEC});
  if (spec.work_dir.empty()) {
    ops.push_back(
        {MountOp::Kind::kTmpfs, root + "/work", size + ",mode=0755," + ids, MS_NOSUID | MS_NODEV});
  }
  return ops;
}

// What the program itself gets, cold or warm: its command, environment, cwd, rlimits and
// seccomp filter.
ChildPlan Sandbox::Impl::program_plan(const RunSpec& spec, bool cgroup) const {
  const Limits& limits = spec.limits;
  ChildPlan child;
  child.cwd = spec.cwd.empty() ? "/work" : spec.cwd;
  child.path_dirs = {"/usr/local/bin", "/usr/bin", "/bin"};
  for (const std::string& var : spec.env) {
    if (var.rfind("PATH=", 0) == 0) {
      child.path_dirs.clear();
      size_t begin = 5;
      for (size_t end; (end = var.find(':', begin)) != std::string::npos; begin = end + 1) {
        child.path_dirs.push_back(var.substr(begin, end - begin));
      }
      child.path_dirs.push_back(var.substr(begin));
    }
  }
  for (const std::string& arg : spec.argv) child.argv.push_back(const_cast<char*>(arg.c_str()));
  child.argv.push_back(nullptr);
  for (const std::string& var : spec.env) child.envp.push_back(const_cast<char*>(var.c_str()));
  child.envp.push_back(nullptr);

  // The CPU rlimit is a backstop behind the cgroup poll; without cgroups it is the limit.
  const rlim_t cpu_s = (limits.cpu_ms + 999) / 1000 + (cgroup ? 1 : 0);
  const uint64_t stack = limits.stack_bytes ? limits.stack_bytes : limits.memory_bytes;
  child.rlimits = {
      {RLIMIT_CPU, {cpu_s, cpu_s + 1}},
      {RLIMIT_FSIZE, {limits.file_size_bytes, limits.file_size_bytes}},
      {RLIMIT_NOFILE, {limits.open_files, limits.open_files}},
      {RLIMIT_CORE, {0, 0}},
      {RLIMIT_STACK, {stack, stack}},
      {RLIMIT_MEMLOCK, {0, 0}},
      {RLIMIT_MSGQUEUE, {0, 0}},
  };
  if (!cgroup) {
    // Fallback accounting: per process only. RLIMIT_DATA (private writable memory: heap, brk,
    // anonymous mappings, thread stacks) rather than RLIMIT_AS: runtimes reserve far more address
    // space than they use (a JVM, V8 and Go reserve gigabytes PROT_NONE), so an address-space
    // limit kills javac, node and go before they start, and that would be blamed on the source.
    child.rlimits.push_back({RLIMIT_NPROC, {limits.processes, limits.processes}});
    child.rlimits.push_back({RLIMIT_DATA, {limits.memory_bytes, limits.memory_bytes}});
  }
  // The program cannot raise a hard limit that we do not have (a server started under
  // `ulimit -n 256` asks 1024 files for a compile): it gets ours, which only tightens the run.
  for (ChildPlan::Limit& limit : child.rlimits) {
    rlimit own{};
    if (getrlimit(static_cast<__rlimit_resource>(limit.resource), &own) == 0) {
      limit.value.rlim_cur = std::min(limit.value.rlim_cur, own.rlim_max);
      limit.value.rlim_max = std::min(limit.value.rlim_max, own.rlim_max);
    }
  }
  child.seccomp.len = static_cast<unsigned short>(seccomp.instructions.size());
  // The kernel only reads the filter; sock_fprog's pointer is not const.
  child.seccomp.filter = const_cast<sock_filter*>(seccomp.instructions.data());
  child.seccomp_notify = seccomp.notify;
  return child;
}

namespace {

// The regular files of a flat directory, within the size a warm run copies; false when it holds
// anything else (a subdirectory, a symlink) or more.
bool list_flat_directory(int dir_fd, std::vector<std::string>* names, uint64_t* total_bytes) {
  int fd = dup(dir_fd);
  DIR* dir = fd >= 0 ? fdopendir(fd) : nullptr;
  if (!dir) {
    if (fd >= 0) ::close(fd);
    return false;
  }
  bool ok = true;
  *total_bytes = 0;
  while (const dirent* entry = readdir(dir)) {
    const std::string name = entry->d_name;
    if (name == "." || name == "..") continue;
    struct stat st {};
    if (fstatat(dir_fd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode) ||
        names->size() == kWarmCopyFiles) {
      ok = false;
      break;
    }
    *total_bytes += static_cast<uint64_t>(st.st_size);
    names->push_back(name);
  }
  closedir(dir);
  return ok && *total_bytes <= kWarmCopyBytes;
}

}  // namespace

// Only what a warm run reproduces exactly is run warm: no host directory at /work (its files
// must be the host's, read back after the run), and read-only binds only, which it copies.
bool Sandbox::Impl::warm_eligible(const RunSpec& spec) const {
  if (!spec.warm || !report.warm_runtimes || warm_broken.load() || !spec.work_dir.empty() ||
      spec.binds.size() > static_cast<size_t>(kMaxWarmCopies)) {
    return false;
  }
  for (const Bind& bind : spec.binds) {
    if (bind.writable || !valid_bind_target(bind_target(bind))) return false;
  }
  return true;
}

// The run's part of a warm plan: its own filesystems, made by its leader inside the runtime's
// root (mounted over what the runtime sees), copies of its read-only binds, and the program's
// plan, which the leader and the program follow as a cold child would.
bool Sandbox::Impl::plan_warm(const RunSpec& spec, RunPlan* plan, std::string* error) {
  WarmRequest& request = plan->request;
  request.ops = run_mounts(spec, "", kInsideUid);
  // A proc of the run's own PID namespace, over the runtime's.
  request.ops.push_back({MountOp::Kind::kProc, "/proc", "", 0});
  for (const Bind& bind : spec.binds) {
    UniqueFd dir(::open(bind.host_path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    WarmCopy copy;
    uint64_t total_bytes = 0;
    if (!dir.valid() || !list_flat_directory(dir.get(), &copy.names, &total_bytes)) {
      *error = "not a small flat directory: " + bind.host_path;
      return false;
    }
    copy.target = bind_target(bind);
    const std::string ids = std::to_string(kInsideUid);
    copy.tmpfs_options = "size=" + std::to_string(total_bytes + (64 << 10)) +
                         ",nr_inodes=" + std::to_string(copy.names.size() + 16) +
                         ",mode=0755,uid=" + ids + ",gid=" + ids;
    request.copies.push_back(std::move(copy));
    plan->copy_dirs.push_back(std::move(dir));
  }
  const ChildPlan& child = plan->child;
  request.cwd = child.cwd;
  request.rlimits = child.rlimits;
  request.seccomp = seccomp.instructions;
  request.seccomp_notify = seccomp.notify;
  request.argv = spec.argv;
  request.env = spec.env;
  const int on = 1;
  if (setsockopt(plan->listener_parent.get(), SOL_SOCKET, SO_PASSCRED, &on, sizeof on) != 0) {
    *error = errno_message("SO_PASSCRED");
    return false;
  }
  return true;
}

// The slot's runtime for this spec, started when the slot has none for it (a runtime for
// another name or environment is stopped first). Called by the run holding the slot.
Sandbox::Impl::WarmProcess* Sandbox::Impl::runtime_for(const RunSpec& spec, uint32_t slot,
                                                       Launcher* launcher, std::string* error) {
  std::string key = spec.warm->name;
  for (const std::string& var : spec.env) key += '\0' + var;
  key += '\1';
  for (const Bind& bind : spec.binds) key += '\0' + bind_target(bind);
  std::vector<std::unique_ptr<WarmProcess>>& held = runtimes[slot];
  for (auto it = held.begin(); it != held.end(); ++it) {
    if ((*it)->key == key) {
      std::rotate(it, it + 1, held.end());  // most recently used last
      return held.back().get();
    }
  }
  if (held.size() == kRuntimesPerSlot) held.erase(held.begin());

  auto fail = [&](std::string message) -> WarmProcess* {
    *error = std::move(message);
    return nullptr;
  };
  // Room for the interpreter's start: the previous run's limits may be far tighter. The run
  // sets its own after this (make_plan), above what the runtime then holds.
  std::string why;
  if (!cgroups->prepare(slot, kRuntimeStartMemoryBytes, kRuntimeStartProcesses, &why)) {
    return fail("cgroup setup: " + why);
  }
  auto process = std::make_unique<WarmProcess>();
  process->key = std::move(key);
  RunPlan start;  // no lease: the run that called us holds the slot
  start.outside_uid = instance->uid_base() + slot;
  start.launcher = launcher;
  start.stdin_fd.reset(memfd_create("stdin", MFD_CLOEXEC));
  if (!start.stdin_fd.valid()) return fail(errno_message("memfd_create"));
  if (!start.out.open(error) || !start.messages.open(error) || !start.sync.open(error)) {
    return nullptr;
  }
  int pair[2];
  if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) != 0) {
    return fail(errno_message("socketpair"));
  }
  start.listener_parent.reset(pair[0]);
  start.listener_child.reset(pair[1]);

  ChildPlan& child = start.child;
  child = program_plan(spec, true);
  child.argv.clear();
  for (const std::string& arg : spec.warm->argv)
    child.argv.push_back(const_cast<char*>(arg.c_str()));
  child.argv.push_back(nullptr);
  child.rlimits.clear();  // each run sets its own; the runtime keeps the supervisor's
  child.fds[kFdStdin] = start.stdin_fd.get();
  child.fds[kFdStdout] = start.out.write.get();
  child.fds[kFdStderr] = start.out.write.get();
  child.fds[kFdMessages] = start.messages.write.get();
  child.fds[kFdSync] = start.sync.read.get();
  child.fds[kWarmControlFd] = start.listener_child.get();
  child.fds[kWarmAgentFd] = agent.get();
  child.netns_fd = slot_netns(slot, &why);
  if (child.netns_fd < 0) return fail("network namespace: " + why);
  child.user_namespace = true;
  child.root = root_dir;
  child.ops = base_ops;
  for (const Bind& bind : spec.binds) {
    add_parent_dirs(root_dir, bind_target(bind), &child.ops);
    child.ops.push_back({MountOp::Kind::kMkdir, root_dir + bind_target(bind), "", 0});
  }
  child.cwd = "/";
  child.uid = kInsideUid;
  child.gid = kInsideUid;
  child.warm_runtime = true;

  Child& runtime = process->child;
  UniqueFd no_listener;
  std::string cannot_execute;
  if (!spawn(start, &runtime, error) ||
      !handshake(start, runtime, Clock::now(), &no_listener, &cannot_execute, error)) {
    return nullptr;
  }
  if (!cannot_execute.empty()) return fail(cannot_execute);
  process->control = std::move(start.listener_parent);
  process->log = std::move(start.out.read);
  fcntl(process->log.get(), F_SETFL, O_NONBLOCK);
  // Ready once it asks for its first request: its start (imports, allocations, CPU) must not be
  // counted as the first run's.
  pollfd p{process->control.get(), POLLIN, 0};
  char ready = 0;
  if (poll(&p, 1, kSetupTimeoutMs) != 1 || ::recv(p.fd, &ready, 1, MSG_DONTWAIT) != 1 ||
      ready != 'R') {
    std::string said(4096, '\0');
    const ssize_t n = ::read(process->log.get(), said.data(), said.size());
    said.resize(n > 0 ? static_cast<size_t>(n) : 0);
    return fail("the runtime did not start" + (said.empty() ? std::string() : ": " + said));
  }
  held.push_back(std::move(process));
  return held.back().get();
}

namespace {

// This side's copies of the descriptors the child holds: closed once it has them, so that
// their other ends see EOF when the child's copies go.
void close_child_ends(Sandbox::Impl::RunPlan& plan) {
  plan.out.write.reset();
  plan.err.write.reset();
  plan.messages.write.reset();
  plan.sync.read.reset();
  plan.status.write.reset();
  plan.listener_child.reset();
  plan.stdin_fd.reset();
}

}  // namespace

// Spawn: clones the child, then closes this side's copies of the ends the child holds.
bool Sandbox::Impl::spawn(RunPlan& plan, Child* child, std::string* error) {
  // A fork-like clone3: new mount, PID, IPC and UTS namespaces now, born in the run's
  // cgroup; the cgroup, network and user namespaces are entered by the child in order.
  int raw_pidfd = -1;
  clone_args args{};
  args.flags = CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_PIDFD;
  args.pidfd = reinterpret_cast<uint64_t>(&raw_pidfd);
  args.exit_signal = SIGCHLD;
  if (plan.cgroup && plan.cgroup->clone_fd() >= 0) {
    args.flags |= CLONE_INTO_CGROUP;
    args.cgroup = static_cast<uint64_t>(plan.cgroup->clone_fd());
  }
  pid_t pid = -1;
  int clone_errno = 0;
  const ChildPlan& child_plan = plan.child;
  const std::function<void()> clone_child = [&] {
    pid = static_cast<pid_t>(syscall(SYS_clone3, &args, sizeof args));
    if (pid == 0) child_main(child_plan);
    clone_errno = errno;
  };
  if (plan.launcher) {
    plan.launcher->execute(clone_child);
  } else {
    clone_child();
  }
  if (pid < 0) {
    *error = errno_message("clone3", clone_errno);
    return false;
  }
  child->pid = pid;
  child->pidfd.reset(raw_pidfd);
  close_child_ends(plan);
  return true;
}

// A warm run's spawn: the request and the child's descriptors go to the slot's runtime, which
// makes the run (warm_agent.cpp).
bool Sandbox::Impl::spawn_warm(RunPlan& plan, std::string* error) {
  const std::string bytes = encode_warm_request(plan.request);
  std::vector<int> fds(std::begin(plan.child.fds), std::end(plan.child.fds));
  for (const UniqueFd& dir : plan.copy_dirs) fds.push_back(dir.get());
  std::vector<char> control(CMSG_SPACE(sizeof(int) * fds.size()));
  iovec iov{const_cast<char*>(bytes.data()), bytes.size()};
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control.data();
  msg.msg_controllen = control.size();
  cmsghdr* cmsg = CMSG_FIRSTHDR(&msg);
  if (!cmsg) {
    *error = "no room for the run's descriptors";
    return false;
  }
  cmsg->cmsg_level = SOL_SOCKET;
  cmsg->cmsg_type = SCM_RIGHTS;
  cmsg->cmsg_len = CMSG_LEN(sizeof(int) * fds.size());
  memcpy(CMSG_DATA(cmsg), fds.data(), sizeof(int) * fds.size());
  ssize_t sent;
  do {
    sent = sendmsg(plan.runtime->control.get(), &msg, MSG_NOSIGNAL);
  } while (sent < 0 && errno == EINTR);
  if (sent != static_cast<ssize_t>(bytes.size())) {
    *error = errno_message("send the request to the warm runtime");
    return false;
  }
  close_child_ends(plan);
  plan.copy_dirs.clear();
  return true;
}

// Handshake: follows the child's setup to the program's execve. It maps the ids of the user
// namespace when the child asks, reads the EOF of a successful execve (or the failed step),
// and receives the seccomp listener. *cannot_execute: why execve found nothing to run (the
// program's RE, not ours).
bool Sandbox::Impl::handshake(RunPlan& plan, Child& child, Clock::time_point start,
                              UniqueFd* listener, std::string* cannot_execute, std::string* error) {
  auto fail = [&](std::string message) {
    *error = std::move(message);
    return false;
  };
  auto child_failure = [&](const ChildMessage& m) {
    std::string text = std::string("child setup failed at ") + child_step_name(m.step);
    if (m.detail[0]) text += std::string(" (") + m.detail + ")";
    return fail(text + ": " + std::strerror(m.err));
  };
  // The child's setup has a deadline of its own: a child stuck in it (a hung mount, say) must
  // not hold this thread forever. kSetupTimedOut when it passes.
  const Clock::time_point setup_deadline = start + std::chrono::milliseconds(kSetupTimeoutMs);
  auto read_message = [&](ChildMessage* m) -> ssize_t {
    for (;;) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(setup_deadline - Clock::now());
      pollfd p{plan.messages.read.get(), POLLIN, 0};
      int ready = left.count() > 0 ? poll(&p, 1, static_cast<int>(left.count())) : 0;
      if (ready < 0 && errno == EINTR) continue;
      if (ready == 0) return kSetupTimedOut;
      ssize_t n = ::read(plan.messages.read.get(), m, sizeof *m);
      if (n < 0 && errno == EINTR) continue;
      return n;
    }
  };
  auto setup_failed = [&](ssize_t n, const char* what) {
    if (n == kSetupTimedOut) {
      return fail(std::string("no word from the child within ") + std::to_string(kSetupTimeoutMs) +
                  " ms (" + what + ")");
    }
    return fail(what);
  };

  ChildMessage message{};
  if (plan.warm) {
    if (!warm_hello(plan, child, start, error)) return false;
  } else if (report.user_namespaces) {
    ssize_t n = read_message(&message);
    if (n == sizeof message && message.type == MessageType::kError) return child_failure(message);
    if (n != sizeof message || message.type != MessageType::kNeedIdMaps) {
      return setup_failed(n, "the child exited before its user namespace");
    }
    // Inside, the program is uid/gid 1000; outside, the slot's unprivileged id.
    const std::string map =
        std::to_string(kInsideUid) + " " + std::to_string(plan.outside_uid) + " 1";
    const std::string proc = "/proc/" + std::to_string(child.pid);
    std::string why;
    if (!write_file(proc + "/uid_map", map, &why) || !write_file(proc + "/gid_map", map, &why)) {
      return fail("user namespace id maps: " + why);
    }
    if (::write(plan.sync.write.get(), "g", 1) != 1) return fail(errno_message("sync"));
  }
  // EOF means the program's execve succeeded (the descriptor is close-on-exec).
  ssize_t n = read_message(&message);
  if (n == sizeof message) {
    if (message.step == ChildStep::kExec && (message.err == ENOENT || message.err == EACCES)) {
      *cannot_execute =
          std::string("cannot execute ") + message.detail + ": " + std::strerror(message.err);
      return true;
    }
    return child_failure(message);
  }
  if (n != 0) return setup_failed(n, "short message from the child");
  if (seccomp.notify && !plan.child.warm_runtime &&
      !receive_fd(plan.listener_parent.get(), listener)) {
    return fail("no seccomp listener from the child");
  }
  return true;
}

// A warm run's first word: the leader's hello, whose pid the kernel gives us (translated into our
// PID namespace) in the credentials it attaches. We hold a pidfd on it before saying go, so the
// pid cannot be reused under us; the leader waits for go before anything can fail.
bool Sandbox::Impl::warm_hello(RunPlan& plan, Child& child, Clock::time_point start,
                               std::string* error) {
  const Clock::time_point deadline = start + std::chrono::milliseconds(kSetupTimeoutMs);
  const int socket = plan.listener_parent.get();
  pid_t pid = -1;
  while (pid < 0) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    pollfd fds[2] = {{socket, POLLIN, 0}, {plan.messages.read.get(), POLLIN, 0}};
    const int ready = left > 0 ? poll(fds, 2, static_cast<int>(left)) : 0;
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) {
      *error =
          "no hello from the warm runtime's run within " + std::to_string(kSetupTimeoutMs) + " ms";
      return false;
    }
    if (fds[1].revents) {
      ChildMessage message{};
      const ssize_t n = ::read(plan.messages.read.get(), &message, sizeof message);
      *error = n == sizeof message
                   ? std::string("the warm runtime failed at ") + child_step_name(message.step) +
                         ": " + std::strerror(message.err)
                   : "the warm runtime dropped the run";
      return false;
    }
    char byte = 0;
    iovec iov{&byte, 1};
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(ucred))] = {};
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    if (recvmsg(socket, &msg, MSG_DONTWAIT) != 1 || byte != 'H') {
      *error = "no hello from the warm runtime's run";
      return false;
    }
    const cmsghdr* cmsg = CMSG_FIRSTHDR(&msg);
    if (!cmsg || cmsg->cmsg_level != SOL_SOCKET || cmsg->cmsg_type != SCM_CREDENTIALS) {
      *error = "the warm run's hello carries no credentials";
      return false;
    }
    ucred cred{};
    memcpy(&cred, CMSG_DATA(cmsg), sizeof cred);
    pid = cred.pid;
  }
  // The seccomp listener comes next on this socket, with descriptors and no credentials.
  const int off = 0;
  setsockopt(socket, SOL_SOCKET, SO_PASSCRED, &off, sizeof off);
  child.pidfd.reset(static_cast<int>(syscall(SYS_pidfd_open, pid, 0)));
  if (!child.pidfd.valid()) {
    *error = errno_message("pidfd_open of the warm run's leader");
    return false;
  }
  child.pid = pid;
  child.adopted = true;
  if (::write(plan.sync.write.get(), "g", 1) != 1) {
    *error = errno_message("sync");
    return false;
  }
  return true;
}

// Supervise: output, seccomp notifications, the CPU and wall limits, the stub's exit, until
// every process of the run is gone and its output drained.
bool Sandbox::Impl::supervise(const RunPlan& plan, Child& child, UniqueFd& listener,
                              Supervision* seen, std::string* error) {
  using Kill = Supervision::Kill;
  const Limits& limits = plan.limits;
  const uint64_t wall_limit_ms = plan.wall_limit_ms;
  CgroupRun* const cgroup = plan.cgroup.get();
  const Clock::time_point exec_time = Clock::now();
  // Without a cgroup there is no CPU time of the whole tree to tell waiting from computing.
  const uint64_t waiting_wall_ms =
      limits.wall_ms || !cgroup ? wall_limit_ms : std::min(wall_limit_ms, limits.cpu_ms + 1000);
  seen->stopped_at_wall_ms = wall_limit_ms;
  // (wall_ms, demand ms) samples of the last kWaitingWindowMs and the one just before them,
  // where demand is what the run asked of the CPUs: its CPU time plus its time queued for one,
  // so that a program starved on a busy host, then caught asleep, is not taken for waiting.
  std::deque<std::pair<uint64_t, uint64_t>> demand_samples;
  if (cgroup) cgroup->start();  // the sandbox's own setup is not the program's CPU time

  Stream streams[2] = {{plan.out.read.get(), &seen->stdout_data, &seen->stdout_truncated},
                       {plan.err.read.get(), &seen->stderr_data, &seen->stderr_truncated}};
  for (Stream& s : streams) fcntl(s.fd, F_SETFL, O_NONBLOCK);
  Kill& killed = seen->killed;
  // The window of blocked-run detection: when it began (wall ms since exec) and the CPU time
  // then. Any progress of at least idle_progress_ms starts a new window.
  const uint64_t idle_progress_ms = std::max<uint64_t>(1, limits.idle_ms / 100);
  seen->idle_progress_ms = idle_progress_ms;
  uint64_t idle_window_wall_ms = 0;
  uint64_t idle_window_cpu_ms = 0;
  bool stub_done = false;
  while (!stub_done || streams[0].open || streams[1].open) {
    pollfd fds[4];
    int count = 0;
    int stream_index[2] = {-1, -1};
    for (int i = 0; i < 2; ++i) {
      if (streams[i].open) {
        stream_index[i] = count;
        fds[count++] = {streams[i].fd, POLLIN, 0};
      }
    }
    int pid_index = -1, listener_index = -1;
    if (!stub_done) {
      pid_index = count;
      fds[count++] = {child.pidfd.get(), POLLIN, 0};
      if (listener.valid()) {
        listener_index = count;
        fds[count++] = {listener.get(), POLLIN, 0};
      }
    }
    // Poll often enough to stop a run close to its CPU limit: the remaining budget spread
    // over every CPU it could be using, within [2, 100] ms.
    int timeout_ms = 100;
    if (!stub_done && killed == Kill::kNone) {
      uint64_t used_ms = cgroup ? cgroup->cpu_ns() / 1000000 : 0;
      if (cgroup && used_ms > limits.cpu_ms) {
        killed = Kill::kCpu;
        child.kill_and_reap();
        stub_done = true;
        continue;
      }
      uint64_t wall_ms = ms_since(exec_time);
      // Sampled from one window before waiting can be decided (it reads every task's
      // schedstat), and only where it can stop a run before the wall fuse does.
      if (cgroup && waiting_wall_ms < wall_limit_ms &&
          wall_ms + kWaitingWindowMs >= waiting_wall_ms) {
        demand_samples.emplace_back(wall_ms, used_ms + cgroup->run_delay_ns() / 1000000);
        while (demand_samples.size() > 1 && demand_samples[1].first + kWaitingWindowMs <= wall_ms) {
          demand_samples.pop_front();
        }
      }
      bool waiting = false;
      if (!demand_samples.empty() && wall_ms > waiting_wall_ms) {
        const auto [since_ms, demand_then_ms] = demand_samples.front();
        const uint64_t demand_ms = demand_samples.back().second;
        // Tasks that ended take their queue time with them: never count less than nothing.
        const uint64_t asked_ms = demand_ms > demand_then_ms ? demand_ms - demand_then_ms : 0;
        waiting = since_ms + kWaitingWindowMs <= wall_ms &&
                  asked_ms * kWaitingShare < wall_ms - since_ms && !cgroup->any_runnable();
      }
      if (wall_ms > wall_limit_ms || waiting) {
        killed = Kill::kWall;
        seen->waiting = waiting && wall_ms <= wall_limit_ms;
        seen->stopped_at_wall_ms = seen->waiting ? wall_ms : wall_limit_ms;
        child.kill_and_reap();
        stub_done = true;
        continue;
      }
      if (cgroup && limits.idle_ms > 0) {
        if (used_ms >= idle_window_cpu_ms + idle_progress_ms) {
          idle_window_wall_ms = wall_ms;
          idle_window_cpu_ms = used_ms;
        } else if (wall_ms - idle_window_wall_ms >= limits.idle_ms) {
          killed = Kill::kIdle;
          child.kill_and_reap();
          stub_done = true;
          continue;
        }
      }
      static const uint64_t cpus = std::max(1u, std::thread::hardware_concurrency());
      uint64_t cpu_left = cgroup ? (limits.cpu_ms - used_ms) / cpus : 100;
      uint64_t wall_left = wall_limit_ms - wall_ms;
      timeout_ms =
          static_cast<int>(std::clamp<uint64_t>(std::min(cpu_left, wall_left + 1), 2, 100));
    }
    int ready = poll(fds, static_cast<nfds_t>(count), timeout_ms);
    if (ready < 0 && errno != EINTR) {
      *error = errno_message("poll");
      return false;
    }
    if (ready <= 0) continue;
    for (int i = 0; i < 2; ++i) {
      if (stream_index[i] >= 0 && fds[stream_index[i]].revents) {
        if (!drain(streams[i], limits.output_bytes) && killed == Kill::kNone) {
          killed = Kill::kOutput;
          child.kill_and_reap();
          stub_done = true;
        }
      }
    }
    if (listener_index >= 0 && (fds[listener_index].revents & (POLLHUP | POLLERR)) &&
        !(fds[listener_index].revents & POLLIN)) {
      listener.reset();  // the last filtered process is gone; nothing more can arrive
    }
    if (listener_index >= 0 && !stub_done && (fds[listener_index].revents & POLLIN)) {
      seccomp_notif notif{};
      if (ioctl(listener.get(), SECCOMP_IOCTL_NOTIF_RECV, &notif) == 0) {
        seen->denied_syscall = syscall_name(notif.data.arch, notif.data.nr);
        if (killed == Kill::kNone) killed = Kill::kSeccomp;
        child.kill_and_reap();
        stub_done = true;
      }
    }
    if (pid_index >= 0 && !stub_done && (fds[pid_index].revents & POLLIN)) {
      child.reap();
      stub_done = true;
    }
    if (stub_done) {
      // Every process of the run is gone; drain what they wrote, up to the limits.
      for (Stream& s : streams) {
        if (s.open && !drain(s, limits.output_bytes) && killed == Kill::kNone) {
          killed = Kill::kOutput;
        }
        s.open = false;
      }
    }
  }
  seen->wall_ms = ms_since(exec_time);
  return true;
}

// Classify: the run's status, usage and message from how it ended and what supervision saw.
bool Sandbox::Impl::classify(const RunPlan& plan, const Child& child, Supervision seen, Result* out,
                             std::string* error) {
  using Kill = Supervision::Kill;
  const Limits& limits = plan.limits;
  const Kill killed = seen.killed;
  Result result;
  result.stdout_data = std::move(seen.stdout_data);
  result.stderr_data = std::move(seen.stderr_data);
  result.stdout_truncated = seen.stdout_truncated;
  result.stderr_truncated = seen.stderr_truncated;
  result.waiting = seen.waiting;
  result.wall_ms = seen.wall_ms;

  int program_status = 0;
  bool have_status = false;
  if (killed == Kill::kNone) {
    ssize_t got;
    do {
      got = ::read(plan.status.read.get(), &program_status, sizeof program_status);
    } while (got < 0 && errno == EINTR);
    have_status = got == sizeof program_status;
  }
  if (plan.cgroup) {
    CgroupStats stats = plan.cgroup->stats();
    result.cpu_ms = stats.cpu_ns / 1000000;
    result.memory_bytes = stats.memory_peak_bytes;
    if (stats.oom_kills > 0 && killed == Kill::kNone) {
      result.status = Status::kMemoryLimit;
      result.message =
          "memory limit exceeded (" + std::to_string(limits.memory_bytes >> 20) + " MiB)";
    }
  } else {
    const rusage& usage = child.usage;
    result.cpu_ms = static_cast<uint64_t>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1000 +
                    static_cast<uint64_t>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1000;
    result.memory_bytes = static_cast<uint64_t>(usage.ru_maxrss) * 1024;
  }
  if (have_status) {
    if (WIFEXITED(program_status)) result.exit_code = WEXITSTATUS(program_status);
    if (WIFSIGNALED(program_status)) result.signal = WTERMSIG(program_status);
  }

  if (killed == Kill::kSeccomp) {
    result.status = Status::kSecurityError;
    result.message = "forbidden syscall: " + seen.denied_syscall;
  } else if (killed == Kill::kOutput || result.signal == SIGXFSZ) {
    result.status = Status::kOutputLimit;
    result.message = result.signal == SIGXFSZ
                         ? "file size limit exceeded"
                         : "output limit exceeded (" + std::to_string(limits.output_bytes) +
                               " bytes per stream)";
  } else if (result.status == Status::kMemoryLimit) {
    // set above from the cgroup's OOM count
  } else if (killed == Kill::kCpu || result.signal == SIGXCPU || result.cpu_ms > limits.cpu_ms) {
    result.status = Status::kTimeLimit;
    result.message = "CPU time limit exceeded (" + std::to_string(limits.cpu_ms) + " ms)";
  } else if (killed == Kill::kWall) {
    result.status = Status::kTimeLimit;
    result.message =
        result.waiting ? "wall time limit exceeded: waiting, not computing, after " +
                             std::to_string(seen.stopped_at_wall_ms) + " ms"
                       : "wall time limit exceeded (" + std::to_string(plan.wall_limit_ms) + " ms)";
  } else if (killed == Kill::kIdle) {
    result.status = Status::kTimeLimit;
    result.idle = true;
    result.message = "blocked: less than " + std::to_string(seen.idle_progress_ms) +
                     " ms of CPU time in " + std::to_string(limits.idle_ms) + " ms";
  } else if (!have_status) {
    *error = "the supervisor process died without a status";
    return false;
  } else if (result.signal == SIGSYS) {
    result.status = Status::kSecurityError;
    result.message = "killed by the seccomp filter (non-native syscall ABI or forbidden syscall)";
  } else if (result.signal != 0) {
    result.status = Status::kRuntimeError;
    result.message = "killed by " + signal_text(result.signal);
  } else if (result.exit_code != 0) {
    result.status = Status::kRuntimeError;
    result.message = "exit code " + std::to_string(result.exit_code);
  } else {
    result.status = Status::kOk;
  }
  *out = std::move(result);
  return true;
}

}  // namespace codejudge::sandbox
