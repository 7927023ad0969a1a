// Runs one untrusted command under namespaces, seccomp-bpf, cgroups and rlimits.
// Knows nothing of problems, languages or HTTP. Never throws across this API.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace codejudge::sandbox {

enum class Status {
  kOk,             // exited with code 0
  kRuntimeError,   // non-zero exit code or fatal signal
  kTimeLimit,      // CPU time (whole process tree) or wall time exceeded
  kMemoryLimit,    // the cgroup's OOM killer fired (or an allocation hit the rlimit fallback)
  kOutputLimit,    // a stream went past output_bytes, or a file past file_size_bytes
  kSecurityError,  // killed by the seccomp filter
  kInternalError,  // the sandbox itself failed; never the program's fault
};

// "OK", "RE", "TLE", "MLE", "OLE", "SE", "IE".
const char* status_name(Status status);

struct Limits {
  uint64_t cpu_ms = 2000;  // CPU time of the whole process tree, enforced
  // Wall-clock fuse. 0: 3 * cpu_ms + 1000 for a run that computes, and from cpu_ms + 1000 on
  // for one that waits (sleeps, blocks: over the last second it ran or was queued to run for
  // under 5% of a CPU, and none of its processes is runnable now).
  uint64_t wall_ms = 0;
  // Blocked-run detection, 0 = off: the run is stopped (kTimeLimit, Result::idle) once its CPU
  // time has grown by less than idle_ms / 100 (1% of one CPU) over idle_ms of wall time. A
  // process blocked forever (reading a pipe that only it could write) uses no CPU at all, while
  // a busy one on an overloaded host still gets far more than 1%. Needs cgroup CPU accounting.
  uint64_t idle_ms = 0;
  uint64_t memory_bytes = 256ull << 20;    // cgroup memory limit (RSS + page cache + tmpfs)
  uint64_t output_bytes = 64ull << 10;     // per stream (stdout, stderr)
  uint32_t processes = 64;                 // processes and threads together
  uint64_t file_size_bytes = 16ull << 20;  // largest file the program may write
  uint32_t open_files = 256;               // RLIMIT_NOFILE
  uint64_t tmpfs_bytes = 64ull << 20;      // size of each of /tmp, /dev/shm and the private /work
  uint64_t stack_bytes = 0;                // RLIMIT_STACK; 0 means as large as the memory limit
};

struct Bind {
  std::string host_path;
  std::string sandbox_path;  // empty means the same as host_path
  bool writable = false;
};

// A warm runtime: an interpreter started once per run slot, with its standard modules loaded,
// that serves the slot's runs by forking (docs/ARCHITECTURE.md, "Warm runtimes"). It is
// started with `argv` and the first run's environment, holds the sandbox's agent library open
// on descriptor kWarmAgentFd and its request socket on kWarmControlFd, and loops: agent
// cj_warm_next() (1: a request; 0: the sandbox is gone), cj_warm_spawn() (0 in the run's
// program, which sets its environment to cj_warm_env(i) and runs cj_warm_arg(i) as a cold run
// of that argv would; the run's pid in the runtime), cj_warm_done(). A run gets what a cold one
// gets: its own PID, mount, IPC, UTS and cgroup namespaces, fresh /tmp, /dev/shm, /work and /proc,
// copies of its read-only binds, its cgroup, rlimits, seccomp filter and accounting.
struct WarmRuntime {
  std::string name;               // one runtime per slot and name (and environment)
  std::vector<std::string> argv;  // starts the runtime, inside the sandbox
};
inline constexpr int kWarmControlFd = 5;
inline constexpr int kWarmAgentFd = 6;

struct RunSpec {
  std::vector<std::string> argv;  // argv[0] is looked up in PATH inside the sandbox
  std::vector<std::string> env;   // "NAME=value"; the caller's environment never leaks in
  Limits limits;
  // Standard input: the bytes in stdin_data, or the file at stdin_path when set.
  std::string stdin_data;
  std::string stdin_path;
  // Extra read-only (or writable) bind mounts on top of the default root.
  std::vector<Bind> binds;
  // A host directory mounted at /work; empty gives a fresh private tmpfs. The
  // caller owns it (see ScratchDir) and it must be writable by the sandbox uid.
  std::string work_dir;
  std::string cwd = "/work";
  // Serve the run from this warm runtime when the host and the spec allow it (cgroup v1, user
  // namespaces, no work_dir, read-only binds of small flat directories); otherwise, or when
  // the runtime cannot be started, the run is cold. The verdict is the same either way.
  const WarmRuntime* warm = nullptr;
};

struct Result {
  Status status = Status::kInternalError;
  int exit_code = -1;  // valid when the program exited
  int signal = 0;      // the fatal signal, 0 if none
  uint64_t cpu_ms = 0;
  uint64_t wall_ms = 0;
  uint64_t memory_bytes = 0;  // peak of the run's cgroup (or max RSS without cgroups)
  std::string stdout_data;
  std::string stderr_data;
  bool stdout_truncated = false;
  bool stderr_truncated = false;
  bool warm = false;     // served by a warm runtime
  bool idle = false;     // kTimeLimit because Limits::idle_ms found the run blocked
  bool waiting = false;  // kTimeLimit: stopped early because it waited rather than computed
  std::string message;  // why, for anything but OK: the limit, the signal, the syscall, the IE step
};

// What the host offers; filled once by Sandbox::create and printed by `codejudge doctor`.
struct HostReport {
  bool user_namespaces = false;
  bool network_namespace = false;  // one pre-made empty network namespace is reused
  bool seccomp = false;
  bool seccomp_notify = false;  // lets us name the syscall the filter stopped
  int cgroup_version = 0;       // 1, 2, or 0 when cgroups are not usable
  std::string cgroup_root;      // where run cgroups are created (v2) or the memory hierarchy (v1)
  std::vector<std::string> cgroup_controllers;
  std::string instance_id;  // names this sandbox's cgroups ("codejudge.<id>") and its lock file
  uint32_t uid_base = 0;    // the outside uids of its slots: [uid_base, uid_base + uid_count)
  uint32_t uid_count = 0;
  bool warm_runtimes = false;  // RunSpec::warm can be honoured (cgroup v1 and user namespaces)
  std::vector<std::string> warnings;  // degraded modes, each said once at start-up
  bool safe() const;  // true when isolation is complete enough to run untrusted code
};

// The supervisor's steps of one run, in order. A step that fails is kInternalError with a
// message naming it ("sandbox spawn: clone3: ..."), never a verdict on the program.
enum class RunStep {
  kPlan,       // check the spec, take a slot and its cgroup, open descriptors, plan the child
  kSpawn,      // clone3 into the namespaces (and the cgroup)
  kHandshake,  // follow the child's setup to execve: id maps, failed steps, seccomp listener
  kSupervise,  // output, seccomp notifications, CPU, wall and idle limits, until the run ends
  kClassify,   // status, usage and message from how the run ended
};
// "plan", "spawn", "handshake", "supervise", "classify".
const char* run_step_name(RunStep step);

struct Options {
  // Outside uid/gid of run slot i is uid_base + i. 0: the first block of uid_count uids from
  // 61000 up that no other instance sharing lock_dir holds. Non-zero: exactly this block, and
  // create() fails while another instance holds any of it.
  uint32_t uid_base = 0;
  uint32_t uid_count = 256;                  // number of slots: the most runs at once
  std::string state_dir = "/run/codejudge";  // empty mount point for new roots
  // Where the instances of this host register (a lock each, and their uid blocks): instances
  // that share it never share uids and remove what a crashed one left (see docs/SECURITY.md).
  std::string lock_dir = "/run/codejudge/instances";
  std::string cgroup_root;  // override: an existing delegated cgroup (v2) to nest runs under
  // false: never use cgroups, only the rlimit fallback (what a host without usable cgroups gets;
  // tests use it to check that fallback).
  bool cgroups = true;
  // Host paths mounted read-only in every sandbox at the same place, when they exist.
  std::vector<std::string> ro_paths = {"/usr",
                                       "/bin",
                                       "/sbin",
                                       "/lib",
                                       "/lib64",
                                       "/lib32",
                                       "/etc/alternatives",
                                       "/etc/ld.so.cache",
                                       "/etc/java-17-openjdk",
                                       "/etc/ssl/certs/java"};
  // Tests only: every run fails at this step as a failing system call there would, to check
  // that such a failure is IE naming the step and that the run leaves nothing behind.
  std::optional<RunStep> inject_fault_at;
};

class Sandbox {
 public:
  // Probes the host and prepares shared state (network namespace, seccomp program, cgroup
  // parent). Returns nullptr with *error set when the sandbox cannot run at all.
  static std::unique_ptr<Sandbox> create(const Options& options, std::string* error);
  ~Sandbox();
  Sandbox(const Sandbox&) = delete;
  Sandbox& operator=(const Sandbox&) = delete;

  // Thread-safe: runs may proceed concurrently, up to uid_count at once (more wait).
  Result run(const RunSpec& spec);

  const HostReport& report() const;

  struct Impl;

 private:
  explicit Sandbox(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// A host directory backed by its own size-limited tmpfs, for files that must outlive one
// run (a compiler's output). Removing it is an unmount: no path the program made, symlinks
// included, is ever followed by host-side cleanup.
class ScratchDir {
 public:
  // Creates a directory under parent and mounts a tmpfs of size_bytes on it, writable by
  // every sandbox uid (it is only ever mounted into the runs it is given to). Returns
  // nullptr with *error set on failure.
  static std::unique_ptr<ScratchDir> create(const std::string& parent, uint64_t size_bytes,
                                            std::string* error);
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  const std::string& path() const { return path_; }
  // Writes a file that the sandbox uids may read and write. `name` is a path relative to the
  // directory ("data/in.txt"; missing directories are made); no symlink is followed on the way.
  bool write_file(const std::string& name, const std::string& data, std::string* error) const;
  // Reads a regular file at a relative path without following symlinks, at most max_bytes.
  std::optional<std::string> read_file(const std::string& name, uint64_t max_bytes) const;

 private:
  explicit ScratchDir(std::string path) : path_(std::move(path)) {}
  std::string path_;
};

}  // namespace codejudge::sandbox
