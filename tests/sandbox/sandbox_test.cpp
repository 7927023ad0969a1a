// The sandbox's accuracy and behaviour with well-meaning programs: limits (CPU, wall, memory,
// output) land where they should, also under concurrent runs; exits and signals are reported;
// stdin, stdout, stderr, environment, filesystem, hostname and network look as documented.
// Needs root (the sandbox does); every test also checks that nothing was left behind.
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

#include "support.h"

namespace codejudge::sandbox::test {
namespace {

// One small program with a mode per behaviour under test, compiled on the host.
constexpr const char* kProbeSource = R"(
#define _GNU_SOURCE
#include <sched.h>
#include <signal.h>
#include <sys/resource.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double cpu_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int main(int argc, char** argv) {
  if (argc < 2) return 100;
  const char* mode = argv[1];
  long arg = argc > 2 ? atol(argv[2]) : 0;
  if (!strcmp(mode, "burn")) {  /* burn arg ms of CPU */
    volatile unsigned long spin = 0;
    while (cpu_ms() < arg) {
      for (int i = 0; i < 100000; ++i) ++spin;
    }
    puts("burnt");
    return 0;
  }
  if (!strcmp(mode, "alloc")) {  /* allocate arg MiB and touch every page */
    size_t bytes = (size_t)arg << 20;
    volatile char* p = malloc(bytes);
    if (!p) return 3;
    for (size_t i = 0; i < bytes; i += 4096) p[i] = 1;
    printf("touched %ld MiB\n", arg);
    return 0;
  }
  if (!strcmp(mode, "exit")) return (int)arg;
  if (!strcmp(mode, "raise")) {
    raise((int)arg);
    return 0;
  }
  if (!strcmp(mode, "abort")) abort();
  if (!strcmp(mode, "stdin")) {  /* byte count and FNV-1a hash of all of stdin */
    static unsigned char buf[65536];
    uint64_t hash = 14695981039346656037ull, total = 0;
    ssize_t n;
    while ((n = read(0, buf, sizeof buf)) > 0) {
      for (ssize_t i = 0; i < n; ++i) hash = (hash ^ buf[i]) * 1099511628211ull;
      total += (uint64_t)n;
    }
    printf("%llu %016llx\n", (unsigned long long)total, (unsigned long long)hash);
    return n < 0 ? 1 : 0;
  }
  if (!strcmp(mode, "out")) {  /* a line on stderr, then arg bytes on stdout */
    fputs("err\n", stderr);
    fflush(stderr);
    static char block[4096];
    memset(block, 'o', sizeof block);
    for (long left = arg; left > 0;) {
      ssize_t n = write(1, block, left < (long)sizeof block ? (size_t)left : sizeof block);
      if (n <= 0) return 1;
      left -= n;
    }
    return 0;
  }
  if (!strcmp(mode, "sleep")) {
    usleep((useconds_t)arg * 1000);
    return 0;
  }
  if (!strcmp(mode, "starved")) {  /* on CPU argv[3] at nice 19 for arg ms: 20 ms of work, a nap */
    cpu_set_t cpus;
    CPU_ZERO(&cpus);
    CPU_SET(atoi(argv[3]), &cpus);
    if (sched_setaffinity(0, sizeof cpus, &cpus) != 0 || setpriority(PRIO_PROCESS, 0, 19) != 0) {
      return 4;
    }
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    volatile unsigned long spin = 0;
    do {
      for (double until = cpu_ms() + 20; cpu_ms() < until;) {
        for (int i = 0; i < 10000; ++i) ++spin;
      }
      usleep(100000);
      clock_gettime(CLOCK_MONOTONIC, &now);
    } while ((now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000 < arg);
    puts("done");
    return 0;
  }
  return 100;
}
)";

constexpr uint64_t kMiB = 1ull << 20;

// The probe's host path, compiled once per process.
const std::string& probe_dir() {
  static const std::string dir = [] {
    const TestArea& area = test_area();
    const std::string source = area.bin_dir + "/probe.c";
    std::string log;
    if (!write_host_file(source, kProbeSource, 0644) ||
        !compile_c(source, area.bin_dir + "/probe", &log)) {
      ADD_FAILURE() << "cannot compile the probe: " << log;
    }
    return area.bin_dir;
  }();
  return dir;
}

// 64-bit FNV-1a, as the probe computes it.
std::string fnv1a(const std::string& data) {
  uint64_t hash = 14695981039346656037ull;
  for (unsigned char c : data) hash = (hash ^ c) * 1099511628211ull;
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(hash));
  return text;
}

class SandboxBehaviour : public SandboxTest {
 protected:
  RunSpec probe(const std::vector<std::string>& args) const {
    RunSpec spec;
    spec.argv = {"/probe/probe"};
    spec.argv.insert(spec.argv.end(), args.begin(), args.end());
    spec.binds = {{probe_dir(), "/probe", false}};
    spec.limits.cpu_ms = 1000;
    return spec;
  }
  RunSpec shell(const std::string& script) const {
    RunSpec spec;
    spec.argv = {"/bin/sh", "-c", script};
    spec.limits.cpu_ms = 1000;
    return spec;
  }
  Result run(const RunSpec& spec) { return sandbox_->run(spec); }
};

RunSpec with_limits(RunSpec spec, uint64_t cpu_ms, uint64_t memory_bytes) {
  spec.limits.cpu_ms = cpu_ms;
  spec.limits.memory_bytes = memory_bytes;
  // A generous wall fuse: these tests measure CPU time, not how busy the host is.
  spec.limits.wall_ms = 30000;
  return spec;
}

TEST_F(SandboxBehaviour, CpuBurnBelowTheLimitPasses) {
  Result result = run(with_limits(probe({"burn", "1500"}), 2000, 256 * kMiB));
  EXPECT_EQ(result.status, Status::kOk) << describe(result);
  EXPECT_EQ(result.stdout_data, "burnt\n");
  EXPECT_GE(result.cpu_ms, 1450u) << describe(result);
  EXPECT_LT(result.cpu_ms, 2000u) << describe(result);
}

TEST_F(SandboxBehaviour, CpuBurnAboveTheLimitIsStoppedNearIt) {
  Result result = run(with_limits(probe({"burn", "1500"}), 1000, 256 * kMiB));
  EXPECT_EQ(result.status, Status::kTimeLimit) << describe(result);
  EXPECT_NE(result.message.find("CPU time"), std::string::npos) << result.message;
  EXPECT_EQ(result.stdout_data, "");
  EXPECT_GE(result.cpu_ms, 1000u) << describe(result);
  EXPECT_LE(result.cpu_ms, 1300u) << describe(result);
}

TEST_F(SandboxBehaviour, WallFuseStopsASleeper) {
  RunSpec spec = probe({"sleep", "5000"});
  spec.limits.wall_ms = 500;
  Result result = run(spec);
  EXPECT_EQ(result.status, Status::kTimeLimit) << describe(result);
  EXPECT_NE(result.message.find("wall time"), std::string::npos) << result.message;
  EXPECT_GE(result.wall_ms, 500u);
  EXPECT_LT(result.wall_ms, 3000u) << "the fuse fired late";
  EXPECT_LT(result.cpu_ms, 200u);
  EXPECT_FALSE(result.waiting) << "a caller's wall_ms is a plain fuse";
}

// A program that waits (sleeps, blocks) holds a worker for nothing: without a wall_ms of the
// caller's, it is stopped at its CPU limit plus a second, long before the fuse of a program
// that computes (3 x CPU + 1 s).
TEST_F(SandboxBehaviour, AWaitingProgramIsStoppedNearItsCpuLimit) {
  RunSpec spec = probe({"sleep", "20000"});
  spec.limits.cpu_ms = 1000;
  Result result = run(spec);
  EXPECT_EQ(result.status, Status::kTimeLimit) << describe(result);
  EXPECT_TRUE(result.waiting) << describe(result);
  EXPECT_NE(result.message.find("waiting"), std::string::npos) << result.message;
  EXPECT_GE(result.wall_ms, 2000u) << describe(result);
  EXPECT_LT(result.wall_ms, 3500u) << describe(result);
  EXPECT_LT(result.cpu_ms, 200u) << describe(result);
}

// A program that computes but is starved on a busy host, and so is often caught asleep with
// little CPU time to show, is not waiting: it asked for the CPU all along (its time queued for
// one counts). Here a spinner of ours takes the one CPU the program is pinned to, and the
// program runs at nice 19 (about 1.5% of that CPU, where its cgroup shares a CPU group with
// ours): 20 ms of work, a 0.1 s nap, for 4 s. Whatever CPU share it gets, it asks for at least
// 20 of every 120 ms (1/6, over the 1/20 of waiting), so this holds also when the host's CPU
// groups shield it from the spinner; without the queue time it would look waiting whenever it
// is starved and caught in a nap.
TEST_F(SandboxBehaviour, AStarvedProgramIsNotTakenForAWaitingOne) {
  if (sandbox_->report().cgroup_version == 0) GTEST_SKIP() << "waiting detection needs cgroups";
  cpu_set_t ours;
  ASSERT_EQ(sched_getaffinity(0, sizeof ours, &ours), 0);
  int cpu = 0;
  while (cpu < CPU_SETSIZE && !CPU_ISSET(cpu, &ours)) ++cpu;
  std::atomic<bool> stop{false};
  std::thread spinner([&] {
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(cpu, &one);
    pthread_setaffinity_np(pthread_self(), sizeof one, &one);
    while (!stop.load(std::memory_order_relaxed)) {
    }
  });
  RunSpec spec = probe({"starved", "4000", std::to_string(cpu)});
  spec.limits.cpu_ms = 2000;  // waiting could stop it from 3 s on; the fuse is at 7 s
  Result result = run(spec);
  stop = true;
  spinner.join();
  EXPECT_EQ(result.status, Status::kOk) << describe(result);
  EXPECT_FALSE(result.waiting) << describe(result);
  EXPECT_EQ(result.stdout_data, "done\n") << describe(result);
}

TEST_F(SandboxBehaviour, IdleDetectionStopsABlockedRunEarly) {
  // Blocked for good: reading a FIFO that only it could write (as rustc's include_bytes! of its
  // own jobserver pipe does). The wall fuse is far away; the idle detector fires after a second.
  RunSpec spec = shell("mkfifo /tmp/fifo && read line </tmp/fifo");
  spec.limits.wall_ms = 20000;
  spec.limits.idle_ms = 1000;
  if (sandbox_->report().cgroup_version == 0) GTEST_SKIP() << "idle detection needs cgroups";
  Result result = run(spec);
  EXPECT_EQ(result.status, Status::kTimeLimit) << describe(result);
  EXPECT_TRUE(result.idle) << describe(result);
  EXPECT_NE(result.message.find("blocked"), std::string::npos) << result.message;
  EXPECT_GE(result.wall_ms, 1000u);
  EXPECT_LT(result.wall_ms, 10000u) << "the idle detector fired late";
}

TEST_F(SandboxBehaviour, IdleDetectionLeavesABusyRunAlone) {
  RunSpec spec = with_limits(probe({"burn", "1500"}), 2000, 256 * kMiB);
  spec.limits.idle_ms = 500;
  Result result = run(spec);
  EXPECT_EQ(result.status, Status::kOk) << describe(result);
  EXPECT_FALSE(result.idle);
  // Without idle_ms a sleeping run is left to the wall fuse.
  RunSpec sleeper = probe({"sleep", "300"});
  Result slept = run(sleeper);
  EXPECT_EQ(slept.status, Status::kOk) << describe(slept);
  EXPECT_FALSE(slept.idle);
}

TEST_F(SandboxBehaviour, MemoryBelowTheLimitPasses) {
  Result result = run(with_limits(probe({"alloc", "100"}), 2000, 256 * kMiB));
  EXPECT_EQ(result.status, Status::kOk) << describe(result);
  EXPECT_EQ(result.stdout_data, "touched 100 MiB\n");
  EXPECT_GE(result.memory_bytes, 100 * kMiB) << describe(result);
  EXPECT_LT(result.memory_bytes, 200 * kMiB) << describe(result);
}

TEST_F(SandboxBehaviour, MemoryAboveTheLimitIsMle) {
  Result result = run(with_limits(probe({"alloc", "400"}), 2000, 256 * kMiB));
  EXPECT_EQ(result.status, Status::kMemoryLimit) << describe(result);
  EXPECT_NE(result.message.find("memory limit"), std::string::npos) << result.message;
  EXPECT_GE(result.memory_bytes, 200 * kMiB) << describe(result);
  EXPECT_LE(result.memory_bytes, 256 * kMiB + 16 * kMiB) << describe(result);
}

// Runs one after another share a slot (and on cgroup v1 its persistent cgroup): each run's
// memory limit is its own, whether it is lower or higher than the previous run's.
TEST_F(SandboxBehaviour, MemoryLimitsChangeFromRunToRun) {
  struct Case {
    const char* mib;
    uint64_t limit_bytes;
    Status expect;
  };
  const Case cases[] = {{"16", 32 * kMiB, Status::kOk},
                        {"100", 256 * kMiB, Status::kOk},
                        {"64", 32 * kMiB, Status::kMemoryLimit},
                        {"100", 256 * kMiB, Status::kOk}};
  for (const Case& c : cases) {
    Result result = run(with_limits(probe({"alloc", c.mib}), 1000, c.limit_bytes));
    EXPECT_EQ(result.status, c.expect)
        << c.mib << " MiB under " << (c.limit_bytes >> 20) << " MiB: " << describe(result);
  }
}

// A run's files in a ScratchDir outlive it (a compiler's output does). Their pages are
// charged to the cgroup of the writer; on cgroup v1 that is the slot's persistent cgroup, so
// they must not shrink, or break, the memory limit of the next run in the same slot.
TEST_F(SandboxBehaviour, ScratchFilesDoNotCountAgainstLaterRuns) {
  std::string error;
  auto scratch = ScratchDir::create(test_area().scratch_parent, 128 * kMiB, &error);
  ASSERT_NE(scratch, nullptr) << error;
  RunSpec fill = shell("head -c 100000000 /dev/zero > /work/big");
  fill.work_dir = scratch->path();
  fill.limits.file_size_bytes = 128 * kMiB;
  Result filled = run(fill);
  ASSERT_EQ(filled.status, Status::kOk) << describe(filled);
  // Runs one after another reuse the same slot.
  Result small = run(with_limits(probe({"alloc", "32"}), 1000, 64 * kMiB));
  EXPECT_EQ(small.status, Status::kOk) << describe(small);
  Result large = run(with_limits(probe({"alloc", "200"}), 1000, 256 * kMiB));
  EXPECT_EQ(large.status, Status::kOk) << describe(large);
}

// On cgroup v1 a slot's cgroup persists from run to run, and the page cache a run fills stays
// charged to it. It must not raise the next run's limit: fill the cache, then allocate past the
// limit, several times in a row. (On v2 every run has a fresh cgroup.)
TEST_F(SandboxBehaviour, PageCacheOfEarlierRunsDoesNotRaiseTheLimit) {
  // On a disk filesystem (tmpfs pages are not page cache), dropped from the cache before each
  // read, so that the read charges it to the run's cgroup.
  const std::string dir = "/var/tmp/codejudge-test-" + random_token();
  ASSERT_EQ(mkdir(dir.c_str(), 0755), 0) << dir;
  const std::string data = dir + "/data";
  ASSERT_TRUE(write_host_file(data, std::string(80 * kMiB, 'x'), 0644));
  for (int round = 0; round < 4; ++round) {
    int fd = ::open(data.c_str(), O_RDONLY | O_CLOEXEC);
    ASSERT_GE(fd, 0);
    fdatasync(fd);
    posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
    ::close(fd);
    RunSpec fill = shell("cat /data/data > /dev/null");
    fill.binds = {{dir, "/data", false}};
    fill.limits.wall_ms = 30000;
    Result filled = run(fill);
    ASSERT_EQ(filled.status, Status::kOk) << describe(filled);
    // Runs one after another reuse the same slot. A limit over the cache left (reclaimed as the
    // run needs room), then one under it (reclaimed before the run).
    const uint64_t limit_mib = round % 2 == 0 ? 96 : 32;
    Result bomb = run(
        with_limits(probe({"alloc", std::to_string(limit_mib * 4 / 3)}), 2000, limit_mib * kMiB));
    EXPECT_EQ(bomb.status, Status::kMemoryLimit) << "round " << round << ": " << describe(bomb);
    EXPECT_LE(bomb.memory_bytes, (limit_mib + 1) * kMiB) << describe(bomb);
  }
  unlink(data.c_str());
  rmdir(dir.c_str());
}

// Python's multiprocessing needs POSIX named semaphores (sem_open), which live in /dev/shm.
TEST_F(SandboxBehaviour, PythonMultiprocessingWorks) {
  RunSpec spec;
  spec.argv = {"/usr/bin/python3", "-c",
               "from multiprocessing import Pool, Queue, Lock\n"
               "if __name__ == '__main__':\n"
               "    with Pool(2) as pool:\n"
               "        print(sum(pool.map(abs, range(-10, 10))))\n"
               "    queue = Queue()\n"
               "    queue.put(7)\n"
               "    print(queue.get())\n"
               "    with Lock():\n"
               "        print('locked')\n"};
  spec.limits.cpu_ms = 5000;
  spec.limits.wall_ms = 30000;
  Result result = run(spec);
  EXPECT_EQ(result.status, Status::kOk) << describe(result);
  EXPECT_EQ(result.stdout_data, "100\n7\nlocked\n") << describe(result);
}

// /dev/shm is a tmpfs of the run's own: empty at the start, bounded by its size, and its pages
// count against the run's memory limit (an MLE, or a write that fails: never more memory).
TEST_F(SandboxBehaviour, DevShmIsBoundedAndCountsAsMemory) {
  const std::string fill =
      "ls -A /dev/shm | wc -l; head -c 100000000 /dev/zero > /dev/shm/fill; "
      "stat -c %s /dev/shm/fill";
  RunSpec by_memory = with_limits(shell(fill), 2000, 32 * kMiB);
  by_memory.limits.file_size_bytes = 256 * kMiB;
  Result over_memory = run(by_memory);
  if (over_memory.status != Status::kMemoryLimit) {
    EXPECT_EQ(over_memory.status, Status::kOk) << describe(over_memory);
    std::istringstream out(over_memory.stdout_data);
    uint64_t entries = 1, size = 0;
    out >> entries >> size;
    EXPECT_EQ(entries, 0u) << describe(over_memory);
    EXPECT_LT(size, 32 * kMiB) << describe(over_memory);
  }
  EXPECT_LE(over_memory.memory_bytes, 32 * kMiB + kMiB) << describe(over_memory);

  RunSpec by_size = with_limits(shell(fill), 2000, 256 * kMiB);
  by_size.limits.tmpfs_bytes = 16 * kMiB;
  by_size.limits.file_size_bytes = 256 * kMiB;
  Result over_size = run(by_size);
  EXPECT_EQ(over_size.status, Status::kOk) << describe(over_size);
  EXPECT_EQ(over_size.stdout_data, "0\n" + std::to_string(16 * kMiB) + "\n") << describe(over_size);
  EXPECT_NE(over_size.stderr_data.find("No space left"), std::string::npos) << describe(over_size);
}

TEST_F(SandboxBehaviour, ConcurrentRunsKeepTheirVerdicts) {
  struct Case {
    RunSpec spec;
    Status expect;
  };
  const std::vector<Case> cases = {
      {with_limits(probe({"burn", "300"}), 1000, 256 * kMiB), Status::kOk},
      {with_limits(probe({"burn", "5000"}), 400, 256 * kMiB), Status::kTimeLimit},
      {with_limits(probe({"alloc", "100"}), 1000, 256 * kMiB), Status::kOk},
      {with_limits(probe({"alloc", "400"}), 1000, 256 * kMiB), Status::kMemoryLimit},
  };
  // Two threads, so two runs (and two slots) at once, each going through every case.
  std::array<std::vector<Result>, 2> results;
  std::vector<std::thread> threads;
  for (size_t t = 0; t < results.size(); ++t) {
    threads.emplace_back([&, t] {
      for (size_t i = 0; i < cases.size(); ++i) {
        results[t].push_back(sandbox_->run(cases[(i + t) % cases.size()].spec));
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (size_t t = 0; t < results.size(); ++t) {
    for (size_t i = 0; i < cases.size(); ++i) {
      const Case& expected = cases[(i + t) % cases.size()];
      EXPECT_EQ(results[t][i].status, expected.expect)
          << "thread " << t << " case " << (i + t) % cases.size() << ": "
          << describe(results[t][i]);
    }
  }
}

// Concurrent runs must not reach each other. Abstract unix socket names live in the network
// namespace, not the filesystem: a listener in one run must be invisible to another.
TEST_F(SandboxBehaviour, ConcurrentRunsCannotTalkOverAbstractSockets) {
  const std::string name = "cjtalk-" + random_token();
  RunSpec listener;
  listener.argv = {"/usr/bin/python3", "-c",
                   "import socket, sys\n"
                   "s = socket.socket(socket.AF_UNIX)\n"
                   "s.bind('\\0' + sys.argv[1]); s.listen(1); s.settimeout(2)\n"
                   "try:\n"
                   "    s.accept(); print('accepted')\n"
                   "except socket.timeout:\n"
                   "    print('nobody')\n",
                   name};
  RunSpec connector;
  connector.argv = {"/usr/bin/python3", "-c",
                    "import socket, sys, time\n"
                    "deadline = time.time() + 1.5\n"
                    "while time.time() < deadline:\n"
                    "    try:\n"
                    "        socket.socket(socket.AF_UNIX).connect('\\0' + sys.argv[1])\n"
                    "        print('connected'); break\n"
                    "    except OSError:\n"
                    "        time.sleep(0.05)\n"
                    "else:\n"
                    "    print('refused')\n",
                    name};
  for (RunSpec* spec : {&listener, &connector}) spec->limits.wall_ms = 10000;
  Result listened;
  std::thread other([&] { listened = sandbox_->run(listener); });
  Result connected = run(connector);
  other.join();
  EXPECT_EQ(listened.status, Status::kOk) << describe(listened);
  EXPECT_EQ(connected.status, Status::kOk) << describe(connected);
  EXPECT_EQ(listened.stdout_data, "nobody\n") << describe(listened);
  EXPECT_EQ(connected.stdout_data, "refused\n") << describe(connected);
}

TEST_F(SandboxBehaviour, ExitCodeIsReported) {
  Result result = run(probe({"exit", "3"}));
  EXPECT_EQ(result.status, Status::kRuntimeError);
  EXPECT_EQ(result.exit_code, 3);
  EXPECT_EQ(result.signal, 0);
  EXPECT_NE(result.message.find("exit code 3"), std::string::npos) << result.message;
}

TEST_F(SandboxBehaviour, FatalSignalsAreReported) {
  Result segv = run(probe({"raise", std::to_string(SIGSEGV)}));
  EXPECT_EQ(segv.status, Status::kRuntimeError) << describe(segv);
  EXPECT_EQ(segv.signal, SIGSEGV);
  EXPECT_NE(segv.message.find("SIGSEGV"), std::string::npos) << segv.message;
  Result abrt = run(probe({"abort"}));
  EXPECT_EQ(abrt.status, Status::kRuntimeError) << describe(abrt);
  EXPECT_EQ(abrt.signal, SIGABRT);
  // Not pid 1 of its namespace: a signal without a handler still has its default action.
  Result term = run(shell("kill -TERM $$; sleep 5"));
  EXPECT_EQ(term.status, Status::kRuntimeError) << describe(term);
  EXPECT_EQ(term.signal, SIGTERM);
}

TEST_F(SandboxBehaviour, StdinFromData) {
  std::string input;
  for (int i = 0; i < 1000; ++i) input += std::to_string(i * 7919) + "\n";
  RunSpec spec = probe({"stdin"});
  spec.stdin_data = input;
  Result result = run(spec);
  EXPECT_EQ(result.status, Status::kOk) << describe(result);
  EXPECT_EQ(result.stdout_data, std::to_string(input.size()) + " " + fnv1a(input) + "\n");
}

TEST_F(SandboxBehaviour, LargeStdinFromPathIsReadFully) {
  std::string input(10 * kMiB, '\0');
  uint64_t state = 88172645463325252ull;
  for (char& c : input) {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    c = static_cast<char>(state);
  }
  const std::string path = test_area().base + "/stdin-" + random_token();
  ASSERT_TRUE(write_host_file(path, input, 0600));
  RunSpec spec = probe({"stdin"});
  spec.stdin_path = path;
  Result result = run(spec);
  ::unlink(path.c_str());
  EXPECT_EQ(result.status, Status::kOk) << describe(result);
  EXPECT_EQ(result.stdout_data, std::to_string(input.size()) + " " + fnv1a(input) + "\n");
}

TEST_F(SandboxBehaviour, MissingStdinPathIsInternalError) {
  RunSpec spec = probe({"stdin"});
  spec.stdin_path = test_area().base + "/no-such-input";
  Result result = run(spec);
  EXPECT_EQ(result.status, Status::kInternalError) << describe(result);
}

TEST_F(SandboxBehaviour, StdoutAndStderrAreSeparate) {
  Result result = run(shell("echo out; echo err >&2; echo more"));
  EXPECT_EQ(result.status, Status::kOk) << describe(result);
  EXPECT_EQ(result.stdout_data, "out\nmore\n");
  EXPECT_EQ(result.stderr_data, "err\n");
  EXPECT_FALSE(result.stdout_truncated);
  EXPECT_FALSE(result.stderr_truncated);
}

TEST_F(SandboxBehaviour, OutputLimitTruncatesOneStream) {
  RunSpec spec = probe({"out", "5000"});
  spec.limits.output_bytes = 1000;
  Result result = run(spec);
  EXPECT_EQ(result.status, Status::kOutputLimit) << describe(result);
  EXPECT_EQ(result.stdout_data, std::string(1000, 'o'));
  EXPECT_TRUE(result.stdout_truncated);
  EXPECT_EQ(result.stderr_data, "err\n");
  EXPECT_FALSE(result.stderr_truncated);
}

TEST_F(SandboxBehaviour, OutputExactlyAtTheLimitPasses) {
  RunSpec spec = probe({"out", "1000"});
  spec.limits.output_bytes = 1000;
  Result result = run(spec);
  EXPECT_EQ(result.status, Status::kOk) << describe(result);
  EXPECT_EQ(result.stdout_data, std::string(1000, 'o'));
  EXPECT_FALSE(result.stdout_truncated);
}

TEST_F(SandboxBehaviour, EnvironmentIsOnlyWhatIsPassed) {
  setenv("CODEJUDGE_TEST_CALLER_ONLY", "leak", 1);
  RunSpec spec;
  spec.argv = {"/usr/bin/env"};
  spec.env = {"A=1", "B=two words"};
  Result result = run(spec);
  unsetenv("CODEJUDGE_TEST_CALLER_ONLY");
  EXPECT_EQ(result.status, Status::kOk) << describe(result);
  EXPECT_EQ(result.stdout_data, "A=1\nB=two words\n");
}

TEST_F(SandboxBehaviour, WorkIsWritableAndTheRootIsNot) {
  Result result =
      run(shell("pwd; echo hi > f && cat f; echo t > /tmp/t && cat /tmp/t; "
                "touch /x 2>/dev/null || echo root-ro; touch /usr/x 2>/dev/null || echo usr-ro"));
  EXPECT_EQ(result.status, Status::kOk) << describe(result);
  EXPECT_EQ(result.stdout_data, "/work\nhi\nt\nroot-ro\nusr-ro\n");
}

TEST_F(SandboxBehaviour, RunsAsAnUnprivilegedUserNamedCodejudgeHost) {
  Result result = run(shell("id -u; id -g; hostname"));
  EXPECT_EQ(result.status, Status::kOk) << describe(result);
  EXPECT_EQ(result.stdout_data, "1000\n1000\ncodejudge\n");
}

TEST_F(SandboxBehaviour, NoNetworkButAnIdleLoopback) {
  // The only interface is the namespace's own loopback.
  Result result = run(shell("tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' '"));
  EXPECT_EQ(result.status, Status::kOk) << describe(result);
  EXPECT_EQ(result.stdout_data, "lo\n");
  // And an IP socket cannot even be made (EAFNOSUPPORT), so nothing reaches the host's 127.0.0.1.
  RunSpec spec;
  spec.argv = {"/usr/bin/python3", "-c",
               "import socket\n"
               "try:\n"
               "  socket.socket(socket.AF_INET, socket.SOCK_STREAM)\n"
               "except OSError as e:\n"
               "  print(e.errno)"};
  result = run(spec);
  EXPECT_EQ(result.status, Status::kOk) << describe(result);
  EXPECT_EQ(result.stdout_data, std::to_string(EAFNOSUPPORT) + "\n");
}

TEST_F(SandboxBehaviour, MissingCommandIsExit127) {
  RunSpec spec;
  spec.argv = {"no-such-command-cj"};
  Result result = run(spec);
  EXPECT_EQ(result.status, Status::kRuntimeError) << describe(result);
  EXPECT_EQ(result.exit_code, 127);
  EXPECT_NE(result.message.find("cannot execute no-such-command-cj"), std::string::npos)
      << result.message;
}

TEST_F(SandboxBehaviour, BadRequestsAreInternalErrors) {
  Result empty = run(RunSpec{});
  EXPECT_EQ(empty.status, Status::kInternalError);
  EXPECT_NE(empty.message.find("empty command"), std::string::npos) << empty.message;
  RunSpec tiny = shell("true");
  tiny.limits.memory_bytes = 1 * kMiB;
  EXPECT_EQ(run(tiny).status, Status::kInternalError);
  RunSpec escape = shell("true");
  escape.binds = {{"/etc", "/work/../etc", false}};
  EXPECT_EQ(run(escape).status, Status::kInternalError);
}

TEST(SandboxLifetime, CgroupsAreRemovedWithTheSandbox) {
  const TestArea& area = test_area();
  ASSERT_TRUE(area.error.empty()) << area.error;
  const HostState before = snapshot_host();
  std::string error;
  auto sandbox = Sandbox::create(test_options(), &error);
  ASSERT_NE(sandbox, nullptr) << error;
  ASSERT_NE(sandbox->report().cgroup_version, 0) << "no cgroups on this host";
  RunSpec spec;
  spec.argv = {"/bin/sleep", "0.3"};
  Result results[2];
  std::thread other([&] { results[1] = sandbox->run(spec); });
  results[0] = sandbox->run(spec);
  other.join();
  for (const Result& result : results) EXPECT_EQ(result.status, Status::kOk) << describe(result);
  const std::string id = sandbox->report().instance_id;
  EXPECT_FALSE(cgroup_dirs_of(id).empty()) << "the sandbox made no cgroup of its own";
  for (const std::string& problem : leftovers(before)) ADD_FAILURE() << problem;
  sandbox.reset();
  for (const std::string& dir : cgroup_dirs_of(id)) {
    ADD_FAILURE() << "cgroup remains after the sandbox was destroyed: " << dir;
  }
}

}  // namespace
}  // namespace codejudge::sandbox::test
