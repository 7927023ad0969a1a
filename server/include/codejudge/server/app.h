// The HTTP API without sockets: routes a request to its handler, turns JSON into the judges'
// native structs at this edge, runs judging work on a bounded queue and a fixed set of job
// threads (never on the caller's thread), and turns results back into JSON.
//
//   App app(config, make_judge_backend(std::move(judge)), std::move(problem_set), &logger);
//   app.handle_async(request, [](HttpResponse response) { ... });  // I/O threads use this
//   HttpResponse response = app.handle_request(request);             // tests use this
//
// Bad input is a 4xx with {"error": {"code", "message", "field"}}; a full queue is 503 with
// Retry-After (504 on /run_code, whose client retries only that); only our own failures are
// 500. Bodies over 64 KiB are parsed on parse threads within a memory budget, never on the
// caller's thread. The routes and fields are in docs/API.md.
#pragma once

#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "codejudge/judges/judge.h"
#include "codejudge/problems/loader.h"
#include "codejudge/server/config.h"
#include "codejudge/server/http.h"
#include "codejudge/server/log.h"

namespace codejudge::server {

class Budget;

// What the App needs from the judges; the real one wraps judges::Judge. Tests and the fuzzer
// substitute their own. Must be thread-safe.
class Backend {
 public:
  virtual ~Backend() = default;
  virtual judges::JudgeResult judge(const problems::Problem& problem,
                                    const judges::Submission& submission,
                                    const judges::JudgeOptions& options) = 0;
  virtual judges::Judge::RunOutput run(const judges::Submission& submission,
                                       const std::string& stdin_data, const sandbox::Limits& limits,
                                       const judges::RunFiles& files) = 0;
  virtual judges::CacheStats cache_stats() const { return {}; }
};

std::unique_ptr<Backend> make_judge_backend(std::unique_ptr<judges::Judge> judge);

class App {
 public:
  using Done = std::function<void(HttpResponse)>;

  // backend may be null: judging routes then answer 503. logger may be null (no logs).
  App(const ServerConfig& config, std::unique_ptr<Backend> backend, problems::ProblemSet problems,
      Logger* logger);
  // Finishes queued work, then joins the job threads.
  ~App();
  App(const App&) = delete;
  App& operator=(const App&) = delete;

  // Calls done exactly once: inline for cheap routes and errors, on a job thread for judging.
  void handle_async(HttpRequest request, Done done);
  // The same, waiting for the answer.
  HttpResponse handle_request(HttpRequest request);

  // Refuse new judging work (503) and report unhealthy; in-flight work still finishes.
  void begin_drain();
  bool draining() const { return draining_.load(); }
  // A response for a request the session could not parse (400, 408, 413, 431); logged and
  // counted like the others. The connection closes after it.
  HttpResponse protocol_error(int status, const std::string& message, const std::string& remote);
  // The answer to a request the session cannot take now (its body does not fit the memory
  // budget in time, too many connections): 504 for /run_code, else 503; logged and counted.
  HttpResponse busy(const std::string& target, const std::string& message,
                    const std::string& remote);

  // The memory budget sessions reserve a request body's bytes from, before reading it, until
  // its response is written (config.body_budget_mb).
  std::shared_ptr<Budget> body_budget();
  // What the listener counts, for /healthz and /metrics. Shared: sessions still open when the
  // server stops are destroyed after the App.
  struct ConnectionStats {
    std::atomic<size_t> open{0};
    std::atomic<uint64_t> shed{0};     // idle keep-alive connections closed to make room
    std::atomic<uint64_t> refused{0};  // answered 503 at the connection cap
    std::atomic<uint64_t> accept_errors{0};
  };
  const std::shared_ptr<ConnectionStats>& connections() const { return connections_; }

  // Requests taken by handle_async and not yet answered.
  size_t in_flight() const { return in_flight_.load(); }
  // Submissions waiting in the queue, and being judged.
  size_t queue_depth() const;
  size_t active_jobs() const;

  const ServerConfig& config() const { return config_; }
  Logger* logger() const { return logger_; }

  struct Impl;

 private:
  ServerConfig config_;
  Logger* logger_;
  std::atomic<bool> draining_{false};
  std::atomic<size_t> in_flight_{0};
  std::shared_ptr<ConnectionStats> connections_ = std::make_shared<ConnectionStats>();
  std::unique_ptr<Impl> impl_;
};

}  // namespace codejudge::server
