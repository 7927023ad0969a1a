#include "codejudge/server/server.h"

#include <csignal>
#include <fstream>
#include <thread>

#include "codejudge/judges/judge.h"
#include "codejudge/problems/loader.h"
#include "codejudge/server/app.h"
#include "net.h"

namespace codejudge::server {

int run_server(const ServerConfig& config) {
  Logger logger(stderr, parse_log_level(config.log_level).value_or(LogLevel::kInfo));

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
  std::string error;
  std::unique_ptr<judges::Judge> judge = judges::Judge::create(judge_config, &error);
  if (!judge) {
    logger.error("the judge cannot start", {{"error", error}});
    return 2;
  }
  for (const auto& warning : judge->host().warnings) logger.warn("sandbox", {{"warning", warning}});

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
    size_t workers =
        config.workers == 0 ? std::max(1u, std::thread::hardware_concurrency()) : config.workers;
    logger.info("listening",
                {{"host", config.host},
                 {"port", port},
                 {"url", "http://" + config.host + ":" + std::to_string(port)},
                 {"problems", problem_count},
                 {"workers", workers},
                 {"concurrency", config.concurrency == 0 ? 2 * workers : config.concurrency},
                 {"queue_size", config.queue_size}});
    exit_code = server.run();
    // Finish queued jobs while the server's io_context still exists: their callbacks post to it.
    app.reset();
  }
  logger.info("stopped", {{"exit_code", exit_code}});
  return exit_code;
}

}  // namespace codejudge::server
