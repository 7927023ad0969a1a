// Sandbox overhead: median wall time of N runs of a command, sandboxed vs a bare
// fork+exec+wait, sequentially and with 2 runs in parallel (python also from the warm python
// runtime, judges/harness/warm_python.py); then what a run pays when the run before it in the
// slot left page cache behind (cgroup v1 gives it back first).
// usage: sandbox_bench [N]   (default 200; prints Markdown tables)
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

#include "codejudge/sandbox/sandbox.h"

namespace {

using Clock = std::chrono::steady_clock;
using codejudge::sandbox::RunSpec;
using codejudge::sandbox::Sandbox;

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

double elapsed_ms(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

double bare_run(const std::vector<std::string>& argv) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  auto start = Clock::now();
  pid_t pid = fork();
  if (pid == 0) {
    execv(args[0], args.data());
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return elapsed_ms(start);
}

double sandbox_run(Sandbox& box, const std::vector<std::string>& argv,
                   const std::vector<codejudge::sandbox::Bind>& binds = {},
                   uint64_t memory_bytes = 256ull << 20,
                   const codejudge::sandbox::WarmRuntime* warm = nullptr) {
  RunSpec spec;
  spec.argv = argv;
  spec.warm = warm;
  spec.env = {"PATH=/usr/bin:/bin", "HOME=/tmp", "LANG=C.UTF-8"};
  spec.binds = binds;
  spec.limits.memory_bytes = memory_bytes;
  spec.limits.wall_ms = 60000;
  auto start = Clock::now();
  auto result = box.run(spec);
  double ms = elapsed_ms(start);
  if (result.status != codejudge::sandbox::Status::kOk) {
    std::fprintf(stderr, "sandboxed run failed: %s %s\n", status_name(result.status),
                 result.message.c_str());
    std::exit(1);
  }
  return ms;
}

// Median per-run wall time with `parallel` runners each doing n runs.
template <typename F>
double measure(int n, int parallel, F run_once) {
  std::vector<std::vector<double>> times(static_cast<size_t>(parallel));
  std::vector<std::thread> threads;
  for (int t = 0; t < parallel; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < n; ++i) times[static_cast<size_t>(t)].push_back(run_once());
    });
  }
  for (auto& th : threads) th.join();
  std::vector<double> all;
  for (auto& v : times) all.insert(all.end(), v.begin(), v.end());
  return median(all);
}

// Median wall time of a /bin/true run under limit_mib that follows, in the same slot, a run that
// read cache_mib MiB of a file not in the page cache (on cgroup v1 the slot's cgroup keeps that
// cache charged; what exceeds the next run's limit is reclaimed before it starts).
double after_page_cache(Sandbox& box, int n, uint64_t cache_mib, uint64_t limit_mib) {
  const std::string dir = "/var/tmp/codejudge-bench-" + std::to_string(getpid());
  const std::string file = dir + "/data";
  mkdir(dir.c_str(), 0755);
  {
    const std::string block(1 << 20, 'x');
    int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    for (uint64_t i = 0; i < cache_mib && fd >= 0; ++i) {
      if (::write(fd, block.data(), block.size()) != static_cast<ssize_t>(block.size())) break;
    }
    if (fd >= 0) ::close(fd);
  }
  std::vector<double> times;
  for (int i = 0; i < n; ++i) {
    // Out of the cache, so that the read charges it to the slot's cgroup again.
    int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    fdatasync(fd);
    posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
    ::close(fd);
    sandbox_run(box, {"/bin/sh", "-c", "cat /data/data > /dev/null"}, {{dir, "/data", false}});
    times.push_back(sandbox_run(box, {"/bin/true"}, {}, limit_mib << 20));
  }
  unlink(file.c_str());
  rmdir(dir.c_str());
  return median(times);
}

}  // namespace

int main(int argc, char** argv) {
  const int n = argc > 1 ? std::atoi(argv[1]) : 200;
  std::string error;
  auto box = Sandbox::create({}, &error);
  if (!box) {
    std::fprintf(stderr, "sandbox: %s\n", error.c_str());
    return 1;
  }
  const std::vector<std::vector<std::string>> commands = {{"/bin/true"},
                                                          {"/usr/bin/python3", "-c", "pass"}};
  std::printf("| command | parallel | bare ms | sandboxed ms | added ms | ratio |\n");
  std::printf("|---|---|---|---|---|---|\n");
  for (const auto& command : commands) {
    sandbox_run(*box, command);  // warm the slot's cgroup and the page cache
    for (int parallel : {1, 2}) {
      double bare = measure(n, parallel, [&] { return bare_run(command); });
      double boxed = measure(n, parallel, [&] { return sandbox_run(*box, command); });
      std::string name;
      for (const auto& part : command) name += (name.empty() ? "" : " ") + part;
      std::printf("| `%s` | %d | %.2f | %.2f | %.2f | %.2fx |\n", name.c_str(), parallel, bare,
                  boxed, boxed - bare, boxed / bare);
    }
  }
  std::string script;
  if (FILE* in = std::fopen(CODEJUDGE_SOURCE_DIR "/judges/harness/warm_python.py", "rb")) {
    char buffer[4096];
    for (size_t got; (got = std::fread(buffer, 1, sizeof buffer, in)) > 0;) {
      script.append(buffer, got);
    }
    std::fclose(in);
  }
  const codejudge::sandbox::WarmRuntime python{"python", {"/usr/bin/python3", "-c", script}};
  const std::vector<std::string> pass = {"/usr/bin/python3", "-c", "pass"};
  for (int parallel : {1, 2}) {
    double bare = measure(n, parallel, [&] { return bare_run(pass); });
    double boxed =
        measure(n, parallel, [&] { return sandbox_run(*box, pass, {}, 256ull << 20, &python); });
    std::printf("| `python3 -c pass`, warm runtime%s | %d | %.2f | %.2f | %.2f | %.2fx |\n",
                box->report().warm_runtimes ? "" : " (none on this host: cold)", parallel, bare,
                boxed, boxed - bare, boxed / bare);
  }
  std::printf(
      "\n| page cache left in the slot by the run before | memory limit | next `/bin/true` ms "
      "|\n");
  std::printf("|---|---|---|\n");
  const std::pair<uint64_t, uint64_t> cases[] = {{0, 256}, {64, 256}, {64, 16}, {192, 16}};
  for (const auto& [cache_mib, limit_mib] : cases) {
    std::printf("| %llu MiB | %llu MiB | %.2f |\n", static_cast<unsigned long long>(cache_mib),
                static_cast<unsigned long long>(limit_mib),
                after_page_cache(*box, std::max(n / 20, 5), cache_mib, limit_mib));
  }
  return 0;
}
