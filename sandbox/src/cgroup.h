// Per-run cgroups on v1 (memory, pids, cpuacct hierarchies) or v2 (one unified tree).
// Gives the whole process tree a memory limit with a peak and an OOM count, a process
// limit, and exact CPU time.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace codejudge::sandbox {

struct CgroupStats {
  uint64_t cpu_ns = 0;
  uint64_t memory_peak_bytes = 0;
  uint64_t oom_kills = 0;
};

class CgroupRun;
class Instance;

// Moving a live process into a cgroup takes a global lock whose writer waits for an RCU
// grace period (about 12 ms here), which would dominate a run. So no run ever migrates:
// on v2 the child is born in a fresh cgroup (clone3 with CLONE_INTO_CGROUP); on v1, where
// that does not exist, each slot has a persistent cgroup that one launcher thread joins
// once, and children cloned by that thread inherit it. That join is a thread moving only
// itself, which the kernel does without the global lock (since its commit 9a3284fad42f, "cgroup:
// Optimize single thread migration", 2019, also in 5.4 stable), so it costs no grace period.
class CgroupManager {
 public:
  // Finds where this process may create cgroups and prepares a parent for its runs, named
  // after the instance and recorded in it (see instance.h) before it is made.
  // Returns nullptr with *error (the reason cgroups are unusable) when it cannot.
  static std::unique_ptr<CgroupManager> create(const std::string& override_root, Instance* instance,
                                               std::string* error);
  ~CgroupManager();

  int version() const { return version_; }
  const std::string& root() const { return report_root_; }
  const std::vector<std::string>& controllers() const { return controllers_; }

  // v1: moves the calling thread into the slot's cgroups (once per launcher thread).
  bool join_slot(uint32_t slot, std::string* error);
  // Sets the limits for one run in the slot; on v2 makes the run's fresh cgroup.
  std::unique_ptr<CgroupRun> prepare(uint32_t slot, uint64_t memory_bytes, uint32_t processes,
                                     std::string* error);

 private:
  friend class CgroupRun;
  std::string slot_dir(const std::string& base, uint32_t slot) const;
  int version_ = 0;
  std::string report_root_;
  std::vector<std::string> controllers_;
  // v1: one base directory per controller; v2: one base directory.
  std::string memory_base_, pids_base_, cpu_base_, unified_base_;
  std::vector<std::string> slot_dirs_;    // v1 slot cgroups created so far, removed at the end
  std::atomic<uint64_t> run_counter_{0};  // v2 run cgroup names; runs of all slots take one
};

class CgroupRun {
 public:
  ~CgroupRun();  // v2: removes the run's cgroup (its processes must be gone)
  // v2: a directory descriptor for clone3's CLONE_INTO_CGROUP; -1 on v1.
  int clone_fd() const { return dir_fd_; }
  // Starts the run's accounting: CPU and OOM counts are taken relative to this moment.
  void start();
  uint64_t cpu_ns() const;  // CPU time since start(); cheap (one pread) for the limit poll
  // Whether a task of the run is on a CPU or queued for one (or in uninterruptible sleep): a
  // program starved on a busy host, as opposed to one that sleeps or blocks.
  bool any_runnable() const;
  // Time the run's tasks spent queued for a CPU (schedstat run_delay, summed): with cpu_ns, what
  // the run asked of the CPUs, whether or not a busy host gave it. Never decreases: a task that
  // ended keeps the queue time last seen of it (otherwise a starved program that exits between
  // two samples would look as if it had asked for nothing, and be taken for a waiting one).
  uint64_t run_delay_ns();
  CgroupStats stats() const;

 private:
  // (tid, contents) of each live task of the run, or nullopt when the task list is unreadable.
  std::optional<std::vector<std::pair<std::string, std::string>>> task_files(
      const char* name) const;
  friend class CgroupManager;
  uint64_t raw_cpu_ns() const;
  uint64_t oom_kills() const;
  int version_ = 0;
  std::string memory_dir_, pids_dir_, cpu_dir_;  // v2: all the same directory
  bool owned_ = false;                           // v2 runs own their directory
  int dir_fd_ = -1;
  int cpu_fd_ = -1;
  uint64_t cpu_base_ns_ = 0;
  uint64_t oom_base_ = 0;
  uint64_t memory_base_bytes_ = 0;
  std::map<std::string, uint64_t> queued_ns_by_tid_;  // run_delay_ns: the last seen of each task
  uint64_t ended_queued_ns_ = 0;                      // and what tasks that ended had
};

}  // namespace codejudge::sandbox
