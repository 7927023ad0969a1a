#include "codejudge/server/server.h"

#include <sys/resource.h>

#include <algorithm>
#include <csignal>
#include <fstream>
#include <thread>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "codejudge/judges/judge.h"
#include "codejudge/problems/loader.h"
#include "codejudge/server/app.h"
#include "net.h"

namespace codejudge::server {
namespace {

// File descriptors kept for the judge (pipes, pidfds, cgroup files, cache locks) per judging
// thread and worker, beyond the connections, and for everything else (logs, problems, epoll,
// connections over the cap while they are answered 503).
constexpr uint64_t kFdsPerJudgeThread = 16;
constexpr uint64_t kFdsBase = 64;

// Raises the soft fd limit to the hard one (a container's default soft limit is often 1024 or
// even 256) and returns the soft limit now in force.
uint64_t raise_fd_limit(Logger* logger) {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return 1024;
  if (limit.rlim_cur < limit.rlim_max) {
    const rlim_t before = limit.rlim_cur;
    limit.rlim_cur = limit.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &limit) != 0) {
      limit.rlim_cur = before;
      logger->warn("cannot raise the fd limit", {{"soft", before}, {"hard", limit.rlim_max}});
    }
  }
  return limit.rlim_cur == RLIM_INFINITY ? UINT64_MAX : limit.rlim_cur;
}

// Memory freed after a burst of large bodies goes back to the system: glibc's mmap threshold
// otherwise rises to the largest block freed so far, and blocks up to 32 MiB then come from the
// arenas, where a small live allocation above them pins them for good.
void tune_allocator() {
#if defined(__GLIBC__)
  mallopt(M_MMAP_THRESHOLD, 256 << 10);
  mallopt(M_TRIM_THRESHOLD, 1 << 20);
#endif
}

}  // namespace

int run_server(const ServerConfig& requested) {
  ServerConfig config = requested;
  Logger logger(stderr, parse_log_level(config.log_level).value_or(LogLevel::kInfo));
  tune_allocator();
  const uint64_t fd_limit = raise_fd_limit(&logger);

  // Block the signals in every thread we start; asio's signal_set still sees them.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);

  problems::LoadResult loaded = problems::load_problems(config.problems);
  for (const auto& error : loaded.errors) {
    logger.warn("problem rejected", {{"error", error.to_string()}});
  }
  std::vector<std::string> duplicates;
  problems::ProblemSet problem_set(std::move(loaded.problems), &duplicates);
  for (const auto& id : duplicates) logger.warn("duplicate problem id", {{"id", id}});
  if (problem_set.size() == 0 && !loaded.errors.empty()) {
    logger.error("no problem could be loaded", {{"paths", config.problems}});
    return 2;
  }

  judges::JudgeConfig judge_config;
  judge_config.workers = config.workers;
  judge_config.cache_dir = config.cache_dir;
  judge_config.cache_bytes = config.cache_mb << 20;
  judge_config.warm_runtimes = config.warm_runtimes;
  std::string error;
  std::unique_ptr<judges::Judge> judge = judges::Judge::create(judge_config, &error);
  if (!judge) {
    logger.error("the judge cannot start", {{"error", error}});
    return 2;
  }
  for (const auto& warning : judge->host().warnings) logger.warn("sandbox", {{"warning", warning}});
  if (config.warm_runtimes && !judge->host().warm_runtimes) {
    logger.info("warm runtimes unavailable on this host (cgroup v1 and user namespaces needed): "
                "every run starts cold",
                {});
  }

  // Connections get the fds the judge does not need: never so many that accept() or a sandbox
  // run fails for want of one.
  const size_t workers =
      config.workers == 0 ? std::max(1u, std::thread::hardware_concurrency()) : config.workers;
  const size_t concurrency = config.concurrency == 0 ? 2 * workers : config.concurrency;
  const uint64_t reserved_fds = kFdsBase + kFdsPerJudgeThread * (workers + concurrency);
  const uint64_t fd_connections = fd_limit > reserved_fds + 16 ? fd_limit - reserved_fds : 16;
  if (config.max_connections > fd_connections) {
    logger.warn("max connections lowered to fit the fd limit",
                {{"max_connections", config.max_connections},
                 {"now", fd_connections},
                 {"fd_limit", fd_limit},
                 {"reserved_fds", reserved_fds}});
    config.max_connections = fd_connections;
  }

  const size_t problem_count = problem_set.size();
  auto app = std::make_unique<App>(config, make_judge_backend(std::move(judge)),
                                   std::move(problem_set), &logger);
  int exit_code = 0;
  {
    HttpServer server(app.get(), config, &logger);
    if (!server.listen(&error)) {
      logger.error("cannot listen", {{"error", error}});
      return 2;
    }
    const uint16_t port = server.port();
    if (!config.port_file.empty()) {
      std::ofstream out(config.port_file);
      out << port << "\n";
    }
    logger.info("listening", {{"host", config.host},
                              {"port", port},
                              {"url", "http://" + config.host + ":" + std::to_string(port)},
                              {"problems", problem_count},
                              {"workers", workers},
                              {"concurrency", concurrency},
                              {"queue_size", config.queue_size},
                              {"max_connections", config.max_connections},
                              {"fd_limit", fd_limit}});
    exit_code = server.run();
    // Finish queued jobs while the server's io_context still exists: their callbacks post to it.
    app.reset();
  }
  logger.info("stopped", {{"exit_code", exit_code}});
  return exit_code;
}

}  // namespace codejudge::server
