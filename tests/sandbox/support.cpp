#include "support.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace codejudge::sandbox::test {
namespace {

namespace fs = std::filesystem;

constexpr const char* kAreaRoot = "/run/codejudge-tests";
constexpr int kAreaSlots = 64;
// Outside uids of the test areas: below the blocks that sandboxes given no uid_base take (61000
// and up), kUidsPerArea each.
constexpr uint32_t kAreaUidBase = 60700;
constexpr uint32_t kUidsPerArea = 4;

TestArea make_area() {
  TestArea area;
  if (mkdir(kAreaRoot, 0755) != 0 && errno != EEXIST) {
    area.error = std::string("mkdir ") + kAreaRoot + ": " + std::strerror(errno);
    return area;
  }
  for (int i = 0; i < kAreaSlots && area.index < 0; ++i) {
    std::string lock = std::string(kAreaRoot) + "/" + std::to_string(i) + ".lock";
    // Never closed: the lock lasts as long as this process.
    int fd = ::open(lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) continue;
    if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
      area.index = i;
    } else {
      ::close(fd);
    }
  }
  if (area.index < 0) {
    area.error = "no free test area under " + std::string(kAreaRoot);
    return area;
  }
  area.base = std::string(kAreaRoot) + "/" + std::to_string(area.index);
  area.state_dir = area.base + "/state";
  area.scratch_parent = area.base + "/scratch";
  area.bin_dir = area.base + "/bin";
  area.uid_base = kAreaUidBase + kUidsPerArea * static_cast<uint32_t>(area.index);
  area.uid_count = kUidsPerArea;
  std::error_code ec;
  // Programs of an earlier holder of this index; ours are compiled fresh.
  fs::remove_all(area.bin_dir, ec);
  for (const std::string* dir : {&area.base, &area.scratch_parent, &area.bin_dir}) {
    if (mkdir(dir->c_str(), 0755) != 0 && errno != EEXIST) {
      area.error = "mkdir " + *dir + ": " + std::strerror(errno);
      return area;
    }
    chmod(dir->c_str(), 0755);
  }
  return area;
}

std::string trim_line(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

// Host processes that belong to the area's uids or carry the marker.
void find_processes(const std::string& marker, const std::set<pid_t>& ignore,
                    std::vector<std::string>* problems) {
  const TestArea& area = test_area();
  for (const std::string& name : list_dir("/proc")) {
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    const pid_t pid = static_cast<pid_t>(std::stol(name));
    if (ignore.count(pid) || pid == getpid()) continue;
    std::optional<std::string> status = read_host_file("/proc/" + name + "/status");
    if (!status) continue;  // gone meanwhile
    std::istringstream lines(*status);
    std::string line;
    while (std::getline(lines, line)) {
      if (line.rfind("Uid:", 0) != 0) continue;
      std::istringstream ids(line.substr(4));
      uint64_t id;
      while (ids >> id) {
        if (id >= area.uid_base && id < area.uid_base + area.uid_count) {
          problems->push_back("process " + name + " runs as sandbox uid " + std::to_string(id));
          break;
        }
      }
    }
    if (marker.empty()) continue;
    std::optional<std::string> cmdline = read_host_file("/proc/" + name + "/cmdline");
    if (cmdline && cmdline->find(marker) != std::string::npos) {
      problems->push_back("process " + name + " carries the run's marker");
    }
  }
}

void find_cgroup_leftovers(std::vector<std::string>* problems) {
  const std::string self = std::to_string(getpid());
  std::vector<std::string> dirs;
  for (const std::string& id : own_instances()) {
    for (const std::string& dir : cgroup_dirs_of(id)) dirs.push_back(dir);
  }
  for (const std::string& dir : dirs) {
    for (const std::string& name : list_dir(dir)) {
      const std::string path = dir + "/" + name;
      struct stat st {};
      if (lstat(path.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) continue;
      if (name.rfind("slot-", 0) != 0) {
        problems->push_back("cgroup left behind: " + path);
        continue;
      }
      // A v1 slot cgroup persists; only our own launcher thread may be in it.
      std::istringstream procs(read_host_file(path + "/cgroup.procs").value_or(""));
      std::string pid;
      while (procs >> pid) {
        if (pid != self) problems->push_back("process " + pid + " left in cgroup " + path);
      }
    }
  }
}

std::vector<std::string> find_leftovers(const HostState& before, const std::string& marker,
                                        const std::set<pid_t>& ignore) {
  std::vector<std::string> problems;
  find_processes(marker, ignore, &problems);
  HostState now = snapshot_host();
  for (const std::string& mount : now.mounts) {
    if (!before.mounts.count(mount)) problems.push_back("mount left behind: " + mount);
  }
  for (const std::string& dir : now.scratch_dirs) {
    if (!before.scratch_dirs.count(dir)) problems.push_back("scratch dir left behind: " + dir);
  }
  find_cgroup_leftovers(&problems);
  return problems;
}

}  // namespace

const TestArea& test_area() {
  static const TestArea area = make_area();
  return area;
}

const WarmRuntime& warm_python() {
  static const WarmRuntime runtime{
      "python",
      {"/usr/bin/python3", "-c",
       read_host_file(std::string(CODEJUDGE_SOURCE_DIR) + "/judges/harness/warm_python.py")
           .value_or("")}};
  return runtime;
}

Options test_options() {
  const TestArea& area = test_area();
  Options options;
  options.uid_base = area.uid_base;
  options.uid_count = area.uid_count;
  options.state_dir = area.state_dir;
  return options;
}

std::string random_token() {
  unsigned char bytes[8] = {};
  std::ifstream in("/dev/urandom", std::ios::binary);
  in.read(reinterpret_cast<char*>(bytes), sizeof bytes);
  static const char kHex[] = "0123456789abcdef";
  std::string token;
  for (unsigned char b : bytes) {
    token += kHex[b >> 4];
    token += kHex[b & 15];
  }
  return token;
}

std::optional<std::string> read_host_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

bool write_host_file(const std::string& path, const std::string& data, mode_t mode) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, mode);
  if (fd < 0) return false;
  bool ok = ::write(fd, data.data(), data.size()) == static_cast<ssize_t>(data.size());
  ok = fchmod(fd, mode) == 0 && ok;
  return ::close(fd) == 0 && ok;
}

std::set<std::string> list_dir(const std::string& path) {
  std::set<std::string> names;
  DIR* dir = opendir(path.c_str());
  if (!dir) return names;
  while (dirent* entry = readdir(dir)) {
    std::string name = entry->d_name;
    if (name != "." && name != "..") names.insert(name);
  }
  closedir(dir);
  return names;
}

bool compile_c(const std::string& source_path, const std::string& output_path, std::string* log) {
  // Paths come from the test area and the source tree: no shell metacharacters.
  const std::string command =
      "gcc -O2 -w -pthread -o '" + output_path + "' '" + source_path + "' 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) {
    *log = "popen failed";
    return false;
  }
  log->clear();
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) log->append(buf, n);
  return pclose(pipe) == 0;
}

HostState snapshot_host() {
  const TestArea& area = test_area();
  HostState state;
  std::istringstream lines(read_host_file("/proc/self/mountinfo").value_or(""));
  std::string line;
  while (std::getline(lines, line)) {
    if (!area.base.empty() && line.find(area.base) != std::string::npos) state.mounts.insert(line);
  }
  for (const std::string& name : list_dir(area.scratch_parent)) {
    if (name.rfind("codejudge-scratch-", 0) == 0) state.scratch_dirs.insert(name);
  }
  return state;
}

std::vector<std::string> cgroup_dirs_of(const std::string& instance_id) {
  // Where cgroups are mounted, and this process's path in each hierarchy.
  std::vector<std::string> points;
  std::istringstream mounts(read_host_file("/proc/self/mountinfo").value_or(""));
  std::string line;
  while (std::getline(mounts, line)) {
    std::istringstream fields(line);
    std::string id, parent, dev, root, point, options, word;
    fields >> id >> parent >> dev >> root >> point >> options;
    while (fields >> word && word != "-") {
    }
    std::string type;
    fields >> type;
    if (type == "cgroup" || type == "cgroup2") points.push_back(point);
  }
  std::set<std::string> parents;
  std::istringstream own(read_host_file("/proc/self/cgroup").value_or(""));
  while (std::getline(own, line)) {
    std::string path = line.substr(line.find(':', line.find(':') + 1) + 1);
    for (const std::string& point : points) {
      std::string dir = point + (path == "/" ? "" : path);
      parents.insert(dir);
      // v2 may have moved us into a leaf below the parent the sandbox creates in.
      parents.insert(fs::path(dir).parent_path().string());
    }
  }
  const std::string name = "codejudge." + instance_id;
  std::vector<std::string> found;
  for (const std::string& dir : parents) {
    struct stat st {};
    if (lstat((dir + "/" + name).c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
      found.push_back(dir + "/" + name);
    }
  }
  return found;
}

std::string lock_dir() {
  return Options{}.lock_dir;
}

std::vector<std::string> own_instances() {
  // A lock file starts with its owner's pid (see sandbox/src/instance.h).
  const std::string own = "pid " + std::to_string(getpid()) + "\n";
  std::vector<std::string> ids;
  for (const std::string& name : list_dir(lock_dir())) {
    const size_t dot = name.find(".lock");
    if (dot == std::string::npos || dot + 5 != name.size()) continue;
    if (read_host_file(lock_dir() + "/" + name).value_or("").rfind(own, 0) == 0) {
      ids.push_back(name.substr(0, dot));
    }
  }
  return ids;
}

std::vector<std::string> leftovers(const HostState& before, const std::string& marker,
                                   const std::set<pid_t>& ignore,
                                   std::chrono::milliseconds patience) {
  // Processes of a killed PID namespace vanish asynchronously; give them a moment.
  const auto deadline = std::chrono::steady_clock::now() + patience;
  std::vector<std::string> problems = find_leftovers(before, marker, ignore);
  while (!problems.empty() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    problems = find_leftovers(before, marker, ignore);
  }
  return problems;
}

void SandboxTest::SetUp() {
  const TestArea& area = test_area();
  ASSERT_TRUE(area.error.empty()) << area.error;
  before_ = snapshot_host();
  std::string error;
  sandbox_ = Sandbox::create(test_options(), &error);
  ASSERT_NE(sandbox_, nullptr) << "the sandbox cannot start (these tests need root): " << error;
  instance_id_ = sandbox_->report().instance_id;
}

void SandboxTest::replace_sandbox(const Options& options) {
  sandbox_.reset();
  std::string error;
  sandbox_ = Sandbox::create(options, &error);
  ASSERT_NE(sandbox_, nullptr) << error;
  instance_id_ = sandbox_->report().instance_id;
}

void SandboxTest::TearDown() {
  if (sandbox_) {
    for (const std::string& problem : leftovers(before_)) ADD_FAILURE() << problem;
  }
  sandbox_.reset();
  // The sandbox owns its cgroups: once it is gone, none of them remain, nor its lock file.
  for (const std::string& dir : cgroup_dirs_of(instance_id_)) {
    ADD_FAILURE() << "cgroup remains after the sandbox was destroyed: " << dir;
  }
  if (!instance_id_.empty() && read_host_file(lock_dir() + "/" + instance_id_ + ".lock")) {
    ADD_FAILURE() << "the lock file remains after the sandbox was destroyed: " << instance_id_;
  }
}

std::string describe(const Result& result) {
  std::string text = std::string(status_name(result.status)) + " (exit " +
                     std::to_string(result.exit_code) + ", signal " +
                     std::to_string(result.signal) + ", cpu " + std::to_string(result.cpu_ms) +
                     " ms, wall " + std::to_string(result.wall_ms) + " ms, memory " +
                     std::to_string(result.memory_bytes >> 20) + " MiB) " + result.message;
  text += "\nstdout: " + trim_line(result.stdout_data.substr(0, 2000));
  text += "\nstderr: " + trim_line(result.stderr_data.substr(0, 2000));
  return text;
}

}  // namespace codejudge::sandbox::test
