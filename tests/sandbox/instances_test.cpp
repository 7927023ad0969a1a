// Several sandbox instances on one host: each owns its cgroups and uids, none disturbs another's
// verdicts, and none removes what another still uses. The instances of the main test run as
// pid 1 of PID namespaces of their own, as containerised servers do: there process ids stop
// telling instances apart.
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

#include "support.h"

namespace codejudge::sandbox::test {
namespace {

using Clock = std::chrono::steady_clock;

constexpr const char* kProbeSource = R"(
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void* spin(void* arg) {
  volatile unsigned long n = 0;
  for (;;) ++n;
  return arg;
}

int main(int argc, char** argv) {
  if (argc < 3) return 100;
  long arg = atol(argv[2]);
  if (!strcmp(argv[1], "spin")) {  /* arg threads spinning until killed */
    pthread_t thread;
    for (long i = 1; i < arg; ++i) pthread_create(&thread, NULL, spin, NULL);
    spin(NULL);
  }
  if (!strcmp(argv[1], "alloc")) {  /* allocate arg MiB and touch every page */
    size_t bytes = (size_t)arg << 20;
    volatile char* p = malloc(bytes);
    if (!p) return 3;
    for (size_t i = 0; i < bytes; i += 4096) p[i] = 1;
    return 0;
  }
  if (!strcmp(argv[1], "sleep")) {  /* arg ms */
    usleep((useconds_t)arg * 1000);
    return 0;
  }
  return 100;
}
)";

// The probe's host directory (bound at /probe by sandbox_instance), compiled once per process.
const std::string& probe_dir() {
  static const std::string dir = [] {
    const TestArea& area = test_area();
    const std::string path = area.bin_dir + "/instances";
    std::string log;
    if ((mkdir(path.c_str(), 0755) != 0 && errno != EEXIST) ||
        !write_host_file(path + "/probe.c", kProbeSource, 0644) ||
        !compile_c(path + "/probe.c", path + "/probe", &log)) {
      ADD_FAILURE() << "cannot compile the probe: " << log;
    }
    return path;
  }();
  return dir;
}

// One sandbox_instance process, driven a line at a time.
// As pid 1 of a new PID namespace, as containerised servers run.
const std::vector<std::string> kPidNamespace = {"/usr/bin/unshare", "--pid", "--fork",
                                                "--mount-proc"};

class InstanceProcess {
 public:
  InstanceProcess() = default;
  InstanceProcess(const InstanceProcess&) = delete;
  InstanceProcess& operator=(const InstanceProcess&) = delete;
  ~InstanceProcess() { kill_now(); }

  // Starts an instance on uids [uid_base, uid_base + uid_count) under `wrapper` (a command that
  // ends by running its arguments, such as kPidNamespace), and waits for its "ready" line.
  // Empty on success.
  std::string start(uint32_t uid_base, uint32_t uid_count, const std::string& state_dir,
                    std::vector<std::string> wrapper = {}) {
    std::vector<std::string> args = std::move(wrapper);
    for (const std::string& arg :
         {std::string(CODEJUDGE_SANDBOX_INSTANCE), std::to_string(uid_base),
          std::to_string(uid_count), state_dir, probe_dir()}) {
      args.push_back(arg);
    }
    int to_child[2], from_child[2];
    if (pipe2(to_child, O_CLOEXEC) != 0 || pipe2(from_child, O_CLOEXEC) != 0) return "pipe2";
    std::vector<char*> argv;
    for (std::string& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    pid_ = fork();
    if (pid_ == 0) {
      dup2(to_child[0], 0);
      dup2(from_child[1], 1);
      execv(argv[0], argv.data());
      _exit(127);
    }
    close(to_child[0]);
    close(from_child[1]);
    to_ = to_child[1];
    from_ = fdopen(from_child[0], "r");
    std::istringstream ready(read_line());
    std::string word;
    ready >> word >> inner_pid_ >> cgroup_root_;
    if (word != "ready") return "the instance did not start: " + ready.str();
    return "";
  }

  // Runs argv under the limits; the instance's result line, split.
  struct Outcome {
    std::string status;
    uint64_t cpu_ms = 0;
    uint64_t wall_ms = 0;
    std::string line;
  };
  Outcome run(uint64_t cpu_ms, uint64_t wall_ms, uint64_t memory_mib, const std::string& argv) {
    const std::string request = std::to_string(cpu_ms) + " " + std::to_string(wall_ms) + " " +
                                std::to_string(memory_mib) + " " + argv + "\n";
    Outcome outcome;
    if (write(to_, request.data(), request.size()) != static_cast<ssize_t>(request.size())) {
      outcome.status = "no instance";
      return outcome;
    }
    outcome.line = read_line();
    std::istringstream words(outcome.line);
    words >> outcome.status >> outcome.cpu_ms >> outcome.wall_ms;
    return outcome;
  }

  // Ends stdin and waits: the instance destroys its sandbox and exits. Its exit status.
  int finish() {
    close(to_);
    to_ = -1;
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    if (from_) fclose(from_);
    from_ = nullptr;
    return status;
  }

  void kill_now() {
    if (pid_ > 0) {  // never kill(-1): that is every process
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    pid_ = -1;
    if (to_ >= 0) close(to_);
    to_ = -1;
    if (from_) fclose(from_);
    from_ = nullptr;
  }

  long inner_pid() const { return inner_pid_; }
  const std::string& cgroup_root() const { return cgroup_root_; }
  // The instance id: its cgroups are named "codejudge.<id>".
  std::string id() const { return cgroup_root_.substr(cgroup_root_.rfind('/') + 11); }

 private:
  std::string read_line() {
    char* line = nullptr;
    size_t size = 0;
    ssize_t n = from_ ? getline(&line, &size, from_) : -1;
    std::string text = n > 0 ? std::string(line, static_cast<size_t>(n)) : "";
    free(line);
    if (!text.empty() && text.back() == '\n') text.pop_back();
    return text;
  }

  pid_t pid_ = -1;
  int to_ = -1;
  FILE* from_ = nullptr;
  long inner_pid_ = 0;
  std::string cgroup_root_;
};

// Before per-instance ownership, two instances at pid 1 used the same cgroups: one's CPU burn
// turned the other's sleep into a TLE, one's OOM made the other's tiny program an MLE, and one
// removed the other's cgroups (IE). Now each judges as if it were alone.
TEST(Instances, TwoInstancesAsPidOneSideBySideKeepTheirVerdicts) {
  const TestArea& area = test_area();
  ASSERT_TRUE(area.error.empty()) << area.error;
  const HostState before = snapshot_host();
  probe_dir();
  InstanceProcess hog, quiet;
  ASSERT_EQ(hog.start(area.uid_base, 2, area.base + "/hog", kPidNamespace), "");
  ASSERT_EQ(quiet.start(area.uid_base + 2, 2, area.base + "/quiet", kPidNamespace), "");
  // The situation under test: both are pid 1, in PID namespaces of their own.
  EXPECT_EQ(hog.inner_pid(), 1);
  EXPECT_EQ(quiet.inner_pid(), 1);
  EXPECT_NE(hog.cgroup_root(), quiet.cgroup_root());
  EXPECT_FALSE(cgroup_dirs_of(hog.id()).empty());
  EXPECT_FALSE(cgroup_dirs_of(quiet.id()).empty());

  const auto deadline = Clock::now() + std::chrono::seconds(8);
  std::vector<std::string> hog_wrong, quiet_wrong;
  size_t hog_runs = 0, quiet_runs = 0;
  std::thread hog_driver([&] {
    while (Clock::now() < deadline) {
      // Four threads burning CPU to the limit, then an allocation far past the memory limit.
      auto burn = hog.run(1000, 0, 64, "/probe/probe spin 4");
      if (burn.status != "TLE") hog_wrong.push_back("spin: " + burn.line);
      auto bomb = hog.run(2000, 0, 32, "/probe/probe alloc 512");
      if (bomb.status != "MLE") hog_wrong.push_back("alloc 512: " + bomb.line);
      hog_runs += 2;
    }
  });
  while (Clock::now() < deadline) {
    // A sleep that uses almost no CPU, under a plain 5 s wall fuse.
    auto sleeper = quiet.run(1000, 5000, 64, "/probe/probe sleep 1500");
    if (sleeper.status != "OK" || sleeper.cpu_ms > 300) {
      quiet_wrong.push_back("sleep: " + sleeper.line);
    }
    auto small = quiet.run(2000, 0, 16, "/probe/probe alloc 3");
    if (small.status != "OK") quiet_wrong.push_back("alloc 3: " + small.line);
    quiet_runs += 2;
  }
  hog_driver.join();
  EXPECT_TRUE(hog_wrong.empty()) << ::testing::PrintToString(hog_wrong);
  EXPECT_TRUE(quiet_wrong.empty()) << ::testing::PrintToString(quiet_wrong);
  EXPECT_GE(hog_runs, 4u);
  EXPECT_GE(quiet_runs, 4u);
  std::printf(
      "[ instances] side by side for 8 s: hog %zu runs, %zu unexpected; quiet %zu runs, %zu "
      "unexpected\n",
      hog_runs, hog_wrong.size(), quiet_runs, quiet_wrong.size());

  const std::string hog_id = hog.id(), quiet_id = quiet.id();
  EXPECT_EQ(hog.finish(), 0);
  EXPECT_EQ(quiet.finish(), 0);
  EXPECT_TRUE(cgroup_dirs_of(hog_id).empty()) << ::testing::PrintToString(cgroup_dirs_of(hog_id));
  EXPECT_TRUE(cgroup_dirs_of(quiet_id).empty());
  for (const std::string& problem : leftovers(before)) ADD_FAILURE() << problem;
}

// A container that shares the host's cgroup namespace sees its full host path in
// /proc/self/cgroup (/docker/<id>), while its cgroupfs mounts show only that directory (their
// root is /docker/<id>). The wrapper builds that: a new cgroup in each hierarchy we use, the
// instance moved into it, and in a new mount namespace that cgroup bind-mounted over the
// hierarchy's mount point. The instance must find its own cgroup there and limit its runs with
// it, not fall back to per-process rlimits.
constexpr const char* kSharedCgroupNamespace = R"(set -eu
list="$1"; tag="$2"; shift 2
binds=""
while IFS=: read -r _ controllers path; do
  case "$controllers" in
    "") want=cgroup2 ;;
    *memory*|*pids*|*cpuacct*) want=cgroup ;;
    *) continue ;;
  esac
  point=$(awk -v want="$want" -v c=",$controllers," '{
      for (i = 7; $i != "-"; i++) {}
      if ($(i + 1) != want) next
      if (want == "cgroup") {
        n = split($(i + 3), o, ","); ok = 0
        for (k = 1; k <= n; k++) if (index(c, "," o[k] ",")) ok = 1
        if (!ok) next
      }
      print $5 }' /proc/self/mountinfo | tail -n 1)
  [ -n "$point" ] || continue
  [ "$want" = cgroup2 ] && [ ! -e "$point/cgroup.subtree_control" ] && continue
  sub="$point${path%/}/$tag"
  mkdir "$sub"
  echo "$sub" >> "$list"
  echo $$ > "$sub/cgroup.procs"
  binds="$binds $sub:$point"
done < /proc/self/cgroup
exec unshare --mount --propagation private sh -c '
  for b in $0; do mount --bind "${b%%:*}" "${b##*:}"; done
  exec "$@"' "$binds" "$@"
)";

TEST(Instances, InAContainerSharingTheHostCgroupNamespaceItUsesItsOwnCgroup) {
  const TestArea& area = test_area();
  ASSERT_TRUE(area.error.empty()) << area.error;
  probe_dir();
  const std::string list = area.base + "/bound-cgroups";
  std::remove(list.c_str());
  InstanceProcess instance;
  const std::string started = instance.start(area.uid_base, 1, area.base + "/bound",
                                             {"/bin/sh", "-c", kSharedCgroupNamespace, "sh", list,
                                              "codejudge-test-bound." + random_token()});
  if (started.empty()) {
    // Seen from inside, the instance's cgroups are directly under a hierarchy's mount point.
    const std::string& root = instance.cgroup_root();
    ASSERT_FALSE(root.empty()) << "fell back to rlimits";
    const std::string parent = root.substr(0, root.rfind('/'));
    std::ifstream mountinfo("/proc/self/mountinfo");
    std::string line;
    bool at_a_mount_point = false;
    while (std::getline(mountinfo, line)) {
      std::istringstream fields(line);
      std::string id, up, dev, mount_root, point;
      fields >> id >> up >> dev >> mount_root >> point;
      at_a_mount_point = at_a_mount_point || point == parent;
    }
    EXPECT_TRUE(at_a_mount_point) << root;
    // And they hold: the memory limit is the run's, the sleep is not a TLE.
    EXPECT_EQ(instance.run(2000, 0, 32, "/probe/probe alloc 512").status, "MLE");
    EXPECT_EQ(instance.run(1000, 5000, 64, "/probe/probe sleep 300").status, "OK");
    EXPECT_EQ(instance.finish(), 0);
  }
  // The cgroups the wrapper made, deepest first (v2 adds a leaf for the processes it moved).
  std::ifstream made(list);
  std::vector<std::string> dirs;
  for (std::string dir; std::getline(made, dir);) dirs.push_back(dir);
  instance.kill_now();
  for (const std::string& dir : dirs) {
    rmdir((dir + "/codejudge-leaf").c_str());
    EXPECT_EQ(rmdir(dir.c_str()), 0) << dir << ": " << std::strerror(errno);
  }
  ASSERT_EQ(started, "");
  EXPECT_FALSE(dirs.empty());
}

// What a crashed instance leaves is removed by the next one to start; what a live instance
// uses, or what no lock file shows to be dead, is never touched.
TEST(Instances, OnlyDeadInstancesAreCleanedUp) {
  const TestArea& area = test_area();
  ASSERT_TRUE(area.error.empty()) << area.error;
  probe_dir();
  InstanceProcess dead, live;
  ASSERT_EQ(dead.start(area.uid_base, 1, area.base + "/dead"), "");
  ASSERT_EQ(live.start(area.uid_base + 1, 1, area.base + "/live"), "");
  // A run each, so that the v1 slot cgroups exist too.
  EXPECT_EQ(dead.run(1000, 0, 16, "/probe/probe alloc 1").status, "OK");
  EXPECT_EQ(live.run(1000, 0, 16, "/probe/probe alloc 1").status, "OK");
  const std::vector<std::string> dead_dirs = cgroup_dirs_of(dead.id());
  const std::vector<std::string> live_dirs = cgroup_dirs_of(live.id());
  ASSERT_FALSE(dead_dirs.empty());
  ASSERT_FALSE(live_dirs.empty());
  const std::string dead_lock = lock_dir() + "/" + dead.id() + ".lock";
  dead.kill_now();
  // A directory named like an instance's, with no lock file to prove its owner dead.
  const std::string parent = live_dirs.front().substr(0, live_dirs.front().rfind('/'));
  const std::string orphan = parent + "/codejudge." + random_token();
  ASSERT_EQ(mkdir(orphan.c_str(), 0755), 0) << orphan;
  // Lock files of instances that died before renaming theirs into place, and of one that may be
  // doing so right now.
  const std::string abandoned = lock_dir() + "/" + random_token() + ".new";
  const std::string being_made = lock_dir() + "/" + random_token() + ".new";
  ASSERT_TRUE(write_host_file(abandoned, "pid 1\n", 0600));
  ASSERT_TRUE(write_host_file(being_made, "pid 1\n", 0600));
  const timeval long_ago[2] = {{time(nullptr) - 600, 0}, {time(nullptr) - 600, 0}};
  ASSERT_EQ(utimes(abandoned.c_str(), long_ago), 0);

  std::string error;
  Options options = test_options();
  options.uid_base = area.uid_base + 2;
  options.uid_count = 2;
  auto sandbox = Sandbox::create(options, &error);
  ASSERT_NE(sandbox, nullptr) << error;
  for (const std::string& dir : dead_dirs) {
    EXPECT_FALSE(read_host_file(dir + "/cgroup.procs")) << "the dead instance's " << dir;
  }
  EXPECT_FALSE(read_host_file(dead_lock)) << "the dead instance's lock file remains";
  for (const std::string& dir : live_dirs) {
    EXPECT_TRUE(read_host_file(dir + "/cgroup.procs")) << "the live instance lost " << dir;
  }
  EXPECT_TRUE(read_host_file(orphan + "/cgroup.procs")) << "an unproven orphan was removed";
  EXPECT_FALSE(read_host_file(abandoned)) << "an abandoned lock file remains";
  EXPECT_TRUE(read_host_file(being_made)) << "a lock file being made was removed";
  EXPECT_EQ(live.run(1000, 0, 16, "/probe/probe alloc 1").status, "OK");
  EXPECT_EQ(live.finish(), 0);
  rmdir(orphan.c_str());
  unlink(being_made.c_str());
}

TEST(Instances, EachInstanceHasUidsOfItsOwn) {
  const TestArea& area = test_area();
  ASSERT_TRUE(area.error.empty()) << area.error;
  std::string error;
  // Given no uid_base, instances take free blocks: never the same uids.
  Options automatic = test_options();
  automatic.uid_base = 0;
  automatic.uid_count = 8;
  auto first = Sandbox::create(automatic, &error);
  ASSERT_NE(first, nullptr) << error;
  auto second = Sandbox::create(automatic, &error);
  ASSERT_NE(second, nullptr) << error;
  const uint32_t a = first->report().uid_base, b = second->report().uid_base;
  EXPECT_GE(a, 61000u);
  EXPECT_GE(b, 61000u);
  EXPECT_TRUE(a + 8 <= b || b + 8 <= a) << a << " and " << b << " overlap";
  EXPECT_NE(first->report().instance_id, second->report().instance_id);
  // Given a uid_base another instance holds, an instance refuses to start.
  Options taken = test_options();
  taken.uid_base = a + 4;
  taken.uid_count = 1;
  EXPECT_EQ(Sandbox::create(taken, &error), nullptr);
  EXPECT_NE(error.find("in use by another codejudge instance"), std::string::npos) << error;
  // Once it is gone, its uids are free again.
  first.reset();
  auto third = Sandbox::create(taken, &error);
  EXPECT_NE(third, nullptr) << error;
}

}  // namespace
}  // namespace codejudge::sandbox::test
