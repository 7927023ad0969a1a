#include "cgroup.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string_view>

#include "fd.h"
#include "instance.h"

namespace codejudge::sandbox {
namespace {

namespace fs = std::filesystem;

struct Mount {
  std::string root;  // the hierarchy's directory mounted at point ("/" unless a bind mount)
  std::string point;
  std::string type;
  std::string options;  // super options, where v1 names its controllers
};

std::vector<Mount> cgroup_mounts() {
  std::vector<Mount> mounts;
  std::ifstream in("/proc/self/mountinfo");
  std::string line;
  while (std::getline(in, line)) {
    // id parent maj:min root point options [optional...] - type source super_options
    std::istringstream fields(line);
    std::string id, parent, dev, root, point, options, word;
    fields >> id >> parent >> dev >> root >> point >> options;
    while (fields >> word && word != "-") {
    }
    std::string type, source, super;
    fields >> type >> source >> super;
    if (type == "cgroup" || type == "cgroup2") mounts.push_back({root, point, type, super});
  }
  return mounts;
}

// Our own cgroup path per v1 controller ("memory" -> "/a/b"), or under key "" for v2.
std::vector<std::pair<std::string, std::string>> own_cgroups() {
  std::vector<std::pair<std::string, std::string>> result;
  std::ifstream in("/proc/self/cgroup");
  std::string line;
  while (std::getline(in, line)) {
    auto first = line.find(':');
    auto second = line.find(':', first + 1);
    if (first == std::string::npos || second == std::string::npos) continue;
    std::string controllers = line.substr(first + 1, second - first - 1);
    std::string path = line.substr(second + 1);
    std::istringstream names(controllers);
    std::string name;
    if (controllers.empty()) {
      result.emplace_back("", path);
      continue;
    }
    while (std::getline(names, name, ',')) result.emplace_back(name, path);
  }
  return result;
}

// Where the cgroup at `path` of m's hierarchy (as /proc/self/cgroup names it) is in this mount
// namespace, or "" when the mount does not reach it. A container that shares the host's cgroup
// namespace sees its full host path (/docker/<id>) in /proc/self/cgroup, while its cgroupfs is a
// bind mount of that very directory (root /docker/<id>): the mount's root is cut off the path.
std::string path_in_mount(const Mount& m, const std::string& path) {
  std::string_view rest = path;
  if (m.root != "/") {
    if (!rest.starts_with(m.root)) return "";
    rest.remove_prefix(m.root.size());
    if (!rest.empty() && rest.front() != '/') return "";  // /docker/ab is not under /docker/a
  }
  if (rest.starts_with("/..")) return "";  // outside our cgroup namespace's root
  while (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  return m.point + std::string(rest);
}

bool has_option(const std::string& options, const std::string& name) {
  std::istringstream in(options);
  std::string word;
  while (std::getline(in, word, ',')) {
    if (word == name) return true;
  }
  return false;
}

bool make_dir(const std::string& path, std::string* error) {
  if (::mkdir(path.c_str(), 0755) != 0 && errno != EEXIST) {
    *error = errno_message("mkdir " + path);
    return false;
  }
  return true;
}

// v2 needs controllers enabled in the parent's subtree_control, which the kernel refuses
// while the parent itself holds processes ("no internal processes"). In a container whose
// cgroup namespace root holds every process, move them into a leaf first, as container
// init systems do; elsewhere only our own process is moved.
bool enable_v2_controllers(const std::string& own, bool at_namespace_root, std::string* error) {
  const std::string want = "+memory +pids +cpu";
  if (write_file(own + "/cgroup.subtree_control", want, nullptr)) return true;
  if (errno != EBUSY) {
    *error = errno_message("enable controllers in " + own + "/cgroup.subtree_control");
    return false;
  }
  std::string leaf = own + "/codejudge-leaf";
  if (!make_dir(leaf, error)) return false;
  std::string procs;
  if (at_namespace_root && read_file(own + "/cgroup.procs", &procs)) {
    std::istringstream in(procs);
    std::string pid;
    while (in >> pid) write_file(leaf + "/cgroup.procs", pid, nullptr);
  } else if (!write_file(leaf + "/cgroup.procs", std::to_string(getpid()), error)) {
    return false;
  }
  if (!write_file(own + "/cgroup.subtree_control", want, nullptr)) {
    *error = errno_message("enable controllers in " + own +
                           " (other processes share this cgroup; give --cgroup-root a "
                           "delegated cgroup)");
    return false;
  }
  return true;
}

uint64_t parse_key(const std::string& text, const std::string& key) {
  std::istringstream in(text);
  std::string name;
  uint64_t value = 0;
  while (in >> name >> value) {
    if (name == key) return value;
  }
  return 0;
}

uint64_t read_number(const std::string& path) {
  std::string text;
  if (!read_file(path, &text)) return 0;
  return std::strtoull(text.c_str(), nullptr, 10);
}

}  // namespace

std::unique_ptr<CgroupManager> CgroupManager::create(const std::string& override_root,
                                                     Instance* instance, std::string* error) {
  auto manager = std::unique_ptr<CgroupManager>(new CgroupManager());
  std::vector<Mount> mounts = cgroup_mounts();
  const Mount* unified = nullptr;
  for (const Mount& m : mounts) {
    if (m.type == "cgroup2" && ::access((m.point + "/cgroup.controllers").c_str(), R_OK) == 0) {
      std::string available;
      read_file(m.point + "/cgroup.controllers", &available);
      if (available.find("memory") != std::string::npos) unified = &m;
    }
  }
  auto own = own_cgroups();
  if (unified) {
    std::string own_path;
    for (auto& [name, path] : own) {
      if (name.empty()) own_path = path;
    }
    std::string parent = override_root.empty() ? path_in_mount(*unified, own_path) : override_root;
    if (parent.empty()) {
      *error = "our cgroup " + own_path + " is not under the cgroup2 mount at " + unified->point +
               " (root " + unified->root + "); mount the cgroup hierarchy or use --cgroup-root";
      return nullptr;
    }
    if (parent.size() > 1 && parent.back() == '/') parent.pop_back();
    // At the mount's root (a container's own cgroup) the cgroup holds every process we can see.
    if (!enable_v2_controllers(parent, override_root.empty() && parent == unified->point, error)) {
      return nullptr;
    }
    manager->unified_base_ = parent + "/" + instance_dir_name(instance->id());
    if (!instance->record(manager->unified_base_, error) ||
        !make_dir(manager->unified_base_, error)) {
      return nullptr;
    }
    if (!write_file(manager->unified_base_ + "/cgroup.subtree_control", "+memory +pids +cpu",
                    error)) {
      ::rmdir(manager->unified_base_.c_str());
      return nullptr;
    }
    manager->version_ = 2;
    manager->report_root_ = manager->unified_base_;
    manager->controllers_ = {"memory", "pids", "cpu"};
    return manager;
  }

  // v1: a hierarchy each for memory, pids and cpuacct.
  auto base_for = [&](const std::string& controller) -> std::string {
    // Newest first: a later mount on the same point hides the earlier one.
    for (auto it = mounts.rbegin(); it != mounts.rend(); ++it) {
      const Mount& m = *it;
      if (m.type != "cgroup" || !has_option(m.options, controller)) continue;
      for (auto& [name, path] : own) {
        if (name == controller) {
          const std::string dir = path_in_mount(m, path);
          if (!dir.empty()) return dir + "/" + instance_dir_name(instance->id());
        }
      }
    }
    return "";
  };
  manager->memory_base_ = base_for("memory");
  manager->pids_base_ = base_for("pids");
  manager->cpu_base_ = base_for("cpuacct");
  if (manager->memory_base_.empty() || manager->pids_base_.empty() || manager->cpu_base_.empty()) {
    *error =
        "no cgroup v2 with the memory controller and no v1 memory, pids and cpuacct "
        "hierarchies";
    return nullptr;
  }
  for (const std::string* dir :
       {&manager->memory_base_, &manager->pids_base_, &manager->cpu_base_}) {
    if (!instance->record(*dir, error) || !make_dir(*dir, error)) return nullptr;
  }
  // The memory hierarchy must account children in their parents' totals.
  write_file(manager->memory_base_ + "/memory.use_hierarchy", "1", nullptr);
  manager->version_ = 1;
  manager->report_root_ = manager->memory_base_;
  manager->controllers_ = {"memory", "pids", "cpuacct"};
  return manager;
}

CgroupManager::~CgroupManager() {
  for (const std::string& dir : slot_dirs_) ::rmdir(dir.c_str());
  for (const std::string* dir : {&memory_base_, &pids_base_, &cpu_base_, &unified_base_}) {
    if (!dir->empty()) ::rmdir(dir->c_str());
  }
}

std::string CgroupManager::slot_dir(const std::string& base, uint32_t slot) const {
  return base + "/slot-" + std::to_string(slot);
}

bool CgroupManager::join_slot(uint32_t slot, std::string* error) {
  for (const std::string* base : {&memory_base_, &pids_base_, &cpu_base_}) {
    std::string dir = slot_dir(*base, slot);
    if (!make_dir(dir, error)) return false;
    slot_dirs_.push_back(dir);
    // "tasks" moves this one thread; the rest of the process stays where it is. "0", the
    // writer itself, and not our tid: only then does the kernel skip the global lock and its
    // RCU grace period (5-15 ms here, which a CLI's one run would pay whole; cgroup.h).
    if (!write_file(dir + "/tasks", "0", error)) return false;
  }
  return true;
}

std::unique_ptr<CgroupRun> CgroupManager::prepare(uint32_t slot, uint64_t memory_bytes,
                                                  uint32_t processes, std::string* error) {
  auto run = std::unique_ptr<CgroupRun>(new CgroupRun());
  run->version_ = version_;
  const std::string memory = std::to_string(memory_bytes);
  if (version_ == 2) {
    std::string dir =
        unified_base_ + "/run-" + std::to_string(slot) + "-" + std::to_string(run_counter_++);
    if (!make_dir(dir, error)) return nullptr;
    run->memory_dir_ = run->pids_dir_ = run->cpu_dir_ = dir;
    run->owned_ = true;
    // swap.max first: with swap the memory limit would only slow a memory bomb down.
    write_file(dir + "/memory.swap.max", "0", nullptr);
    if (!write_file(dir + "/memory.max", memory, error) ||
        !write_file(dir + "/pids.max", std::to_string(processes), error)) {
      return nullptr;
    }
    // On OOM kill the whole run at once rather than leave a half-dead process tree.
    write_file(dir + "/memory.oom.group", "1", nullptr);
    run->dir_fd_ = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    run->cpu_fd_ = ::open((dir + "/cpu.stat").c_str(), O_RDONLY | O_CLOEXEC);
    if (run->dir_fd_ < 0) {
      *error = errno_message("open " + dir);
      return nullptr;
    }
  } else {
    run->memory_dir_ = slot_dir(memory_base_, slot);
    run->pids_dir_ = slot_dir(pids_base_, slot);
    run->cpu_dir_ = slot_dir(cpu_base_, slot);
    // What earlier runs left charged here is not this run's. The page cache of the files they
    // read is taken back whenever this run needs the room, so the limit sits above the rest
    // only (files kept in a ScratchDir, kernel objects): above the whole, a run after one that
    // read 250 MiB could allocate 250 MiB past its limit. The cache stays until then (emptying
    // it before each run would make every Java run read the JDK from disk again); what exceeds
    // the new limit is reclaimed by writing the limit.
    const std::string usage = run->memory_dir_ + "/memory.usage_in_bytes";
    std::string stat;
    read_file(run->memory_dir_ + "/memory.stat", &stat);
    const uint64_t charged = read_number(usage);
    const uint64_t file_cache = parse_key(stat, "inactive_file") + parse_key(stat, "active_file");
    const uint64_t kept = charged > file_cache ? charged - file_cache : 0;
    const std::string limit = std::to_string(memory_bytes + kept);
    // memsw (memory + swap) must stay >= the memory limit at every step: lift it, set the
    // memory limit, then bring memsw down to it. It exists only with swap accounting; where it
    // does, it closes the swap loophole.
    const std::string memsw = run->memory_dir_ + "/memory.memsw.limit_in_bytes";
    const bool has_memsw = write_file(memsw, "-1", nullptr);
    const std::string limit_file = run->memory_dir_ + "/memory.limit_in_bytes";
    // A limit under what is charged makes the kernel reclaim, and it gives up (EBUSY) when pages
    // are briefly unreclaimable (under writeback, say): then the slot is emptied and it retries.
    if (!write_file(limit_file, limit, nullptr) &&
        !(errno == EBUSY && write_file(run->memory_dir_ + "/memory.force_empty", "0", nullptr) &&
          write_file(limit_file, limit, nullptr))) {
      *error = errno_message("write " + limit_file);
      return nullptr;
    }
    if (has_memsw && !write_file(memsw, limit, error)) return nullptr;
    write_file(run->memory_dir_ + "/memory.swappiness", "0", nullptr);
    // The peak is reported above what is charged at the start. Exact, unless the run needed
    // the room that earlier runs' page cache held: then it is short by what was reclaimed.
    write_file(run->memory_dir_ + "/memory.max_usage_in_bytes", "0", nullptr);
    run->memory_base_bytes_ = read_number(usage);
    // The launcher thread sits in the slot's pids cgroup too.
    if (!write_file(run->pids_dir_ + "/pids.max", std::to_string(processes + 1), error)) {
      return nullptr;
    }
    run->cpu_fd_ = ::open((run->cpu_dir_ + "/cpuacct.usage").c_str(), O_RDONLY | O_CLOEXEC);
  }
  if (run->cpu_fd_ < 0) {
    *error = errno_message("open cgroup cpu usage");
    return nullptr;
  }
  run->oom_base_ = run->oom_kills();
  return run;
}

CgroupRun::~CgroupRun() {
  if (cpu_fd_ >= 0) ::close(cpu_fd_);
  if (dir_fd_ >= 0) ::close(dir_fd_);
  if (!owned_) return;
  // A cgroup can stay busy for a moment after its last process is reaped.
  for (int attempt = 0; attempt < 100; ++attempt) {
    if (::rmdir(memory_dir_.c_str()) == 0 || errno != EBUSY) break;
    write_file(memory_dir_ + "/cgroup.kill", "1", nullptr);
    ::usleep(1000);
  }
}

void CgroupRun::start() {
  cpu_base_ns_ = raw_cpu_ns();
}

uint64_t CgroupRun::raw_cpu_ns() const {
  char buf[512];
  ssize_t n = ::pread(cpu_fd_, buf, sizeof buf - 1, 0);
  if (n <= 0) return 0;
  buf[n] = '\0';
  if (version_ == 1) return std::strtoull(buf, nullptr, 10);
  return parse_key(buf, "usage_usec") * 1000;
}

uint64_t CgroupRun::cpu_ns() const {
  uint64_t now = raw_cpu_ns();
  return now > cpu_base_ns_ ? now - cpu_base_ns_ : 0;
}

std::optional<std::vector<std::pair<std::string, std::string>>> CgroupRun::task_files(
    const char* name) const {
  // v1: the slot's launcher thread is listed too; it sleeps while the run lasts.
  std::string tids;
  if (!read_file(cpu_dir_ + (version_ == 2 ? "/cgroup.threads" : "/tasks"), &tids)) {
    return std::nullopt;
  }
  std::vector<std::pair<std::string, std::string>> files;
  std::istringstream in(tids);
  std::string tid;
  while (in >> tid) {
    std::string text;
    if (read_file("/proc/" + tid + "/" + name, &text)) files.emplace_back(tid, std::move(text));
  }  // a task that ended meanwhile is skipped
  return files;
}

bool CgroupRun::any_runnable() const {
  auto stats = task_files("stat");
  if (!stats) return true;
  for (const auto& [tid, stat] : *stats) {
    // "tid (comm) S ...": the state follows the last ')' (comm may hold anything).
    const size_t state = stat.rfind(')') + 2;
    if (state < stat.size() && (stat[state] == 'R' || stat[state] == 'D')) return true;
  }
  return false;
}

uint64_t CgroupRun::run_delay_ns() {
  auto schedstats = task_files("schedstat");
  std::map<std::string, uint64_t> seen;
  if (schedstats) {
    for (const auto& [tid, schedstat] : *schedstats) {
      // "<ns on a CPU> <ns queued for one> <timeslices>"
      std::istringstream fields(schedstat);
      uint64_t on_cpu = 0, queued = 0;
      if (fields >> on_cpu >> queued) seen[tid] = queued;
    }
  }
  for (const auto& [tid, queued] : queued_ns_by_tid_) {
    auto now = seen.find(tid);
    // Gone, or a new task under a reused id: what the old one had counts as ended.
    if (now == seen.end() || now->second < queued) ended_queued_ns_ += queued;
  }
  queued_ns_by_tid_ = std::move(seen);
  uint64_t total = ended_queued_ns_;
  for (const auto& [tid, queued] : queued_ns_by_tid_) total += queued;
  return total;
}

uint64_t CgroupRun::oom_kills() const {
  std::string text;
  if (version_ == 2) {
    return read_file(memory_dir_ + "/memory.events", &text) ? parse_key(text, "oom_kill") : 0;
  }
  return read_file(memory_dir_ + "/memory.oom_control", &text) ? parse_key(text, "oom_kill") : 0;
}

CgroupStats CgroupRun::stats() const {
  CgroupStats stats;
  stats.cpu_ns = cpu_ns();
  uint64_t oom = oom_kills();
  stats.oom_kills = oom > oom_base_ ? oom - oom_base_ : 0;
  uint64_t peak =
      read_number(memory_dir_ + (version_ == 2 ? "/memory.peak" : "/memory.max_usage_in_bytes"));
  stats.memory_peak_bytes = peak > memory_base_bytes_ ? peak - memory_base_bytes_ : 0;
  return stats;
}

}  // namespace codejudge::sandbox
