// Shared by the server tests: the fixture problems, a real judge, and a scripted fake backend.
#pragma once

#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>

#include <nlohmann/json.hpp>

#include "codejudge/judges/judge.h"
#include "codejudge/problems/loader.h"
#include "codejudge/server/app.h"

namespace codejudge::server::testing {

inline std::string fixture_dir() {
  return std::string(CODEJUDGE_SOURCE_DIR) + "/tests/server/data";
}

inline problems::ProblemSet fixture_problems() {
  problems::LoadResult loaded = problems::load_problems({fixture_dir()});
  return problems::ProblemSet(std::move(loaded.problems));
}

inline HttpRequest post(const std::string& target, const nlohmann::json& body) {
  HttpRequest request;
  request.method = "POST";
  request.target = target;
  request.headers = {{"Content-Type", "application/json"}};
  request.body = body.dump();
  return request;
}

inline HttpRequest post_raw(const std::string& target, std::string body,
                            const std::string& content_type = "application/json") {
  HttpRequest request;
  request.method = "POST";
  request.target = target;
  if (!content_type.empty()) request.headers = {{"Content-Type", content_type}};
  request.body = std::move(body);
  return request;
}

inline HttpRequest get(const std::string& target) {
  HttpRequest request;
  request.method = "GET";
  request.target = target;
  return request;
}

inline nlohmann::json body_of(const HttpResponse& response) {
  return nlohmann::json::parse(response.body, nullptr, false);
}

// A backend that answers instantly (every test AC, every run OK), or blocks each call until
// released, so queue and drain behaviour can be tested without timing guesses.
class FakeBackend : public Backend {
 public:
  judges::JudgeResult judge(const problems::Problem& problem, const judges::Submission&,
                            const judges::JudgeOptions&) override {
    wait();
    judges::JudgeResult result;
    result.verdict = judges::Verdict::kAC;
    result.total = problem.tests.size();
    result.passed = problem.tests.size();
    result.compile.ok = true;
    result.tests.resize(problem.tests.size());
    for (auto& test : result.tests) {
      test.verdict = judges::Verdict::kAC;
      test.exit_code = 0;
    }
    return result;
  }
  judges::Judge::RunOutput run(const judges::Submission&, const std::string& stdin_data,
                               const sandbox::Limits&, const judges::RunFiles&) override {
    wait();
    judges::Judge::RunOutput output;
    output.compile.ok = true;
    output.run.status = sandbox::Status::kOk;
    output.run.exit_code = 0;
    output.run.stdout_data = stdin_data;
    return output;
  }

  void block() {
    std::lock_guard<std::mutex> lock(mu_);
    blocked_ = true;
  }
  void release() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      blocked_ = false;
    }
    cv_.notify_all();
  }
  // Waits until n calls are inside the backend.
  void wait_for_calls(size_t n) {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return inside_ >= n; });
  }
  size_t calls() const { return calls_.load(); }

 private:
  void wait() {
    ++calls_;
    std::unique_lock<std::mutex> lock(mu_);
    ++inside_;
    cv_.notify_all();
    cv_.wait(lock, [&] { return !blocked_; });
    --inside_;
  }

  std::mutex mu_;
  std::condition_variable cv_;
  bool blocked_ = false;
  size_t inside_ = 0;
  std::atomic<size_t> calls_{0};
};

// One real judge for the whole test binary (creating it probes every toolchain), with a
// compile cache in a temporary directory that is removed at exit.
inline judges::Judge* shared_judge() {
  struct Holder {
    std::string dir;
    std::unique_ptr<judges::Judge> judge;
    Holder() {
      char name[] = "/tmp/codejudge-server-test-cache-XXXXXX";
      if (mkdtemp(name) == nullptr) return;
      dir = name;
      judges::JudgeConfig config;
      config.workers = 2;
      config.cache_dir = dir;
      std::string error;
      judge = judges::Judge::create(config, &error);
      if (!judge) std::fprintf(stderr, "judge unavailable: %s\n", error.c_str());
    }
    ~Holder() {
      judge.reset();
      std::error_code ignored;
      if (!dir.empty()) std::filesystem::remove_all(dir, ignored);
    }
  };
  static Holder holder;
  return holder.judge.get();
}

// A Backend over the shared judge (the App owns its backend; the judge outlives every App).
class SharedJudgeBackend : public Backend {
 public:
  judges::JudgeResult judge(const problems::Problem& problem, const judges::Submission& submission,
                            const judges::JudgeOptions& options) override {
    return shared_judge()->judge(problem, submission, options);
  }
  judges::Judge::RunOutput run(const judges::Submission& submission, const std::string& stdin_data,
                               const sandbox::Limits& limits,
                               const judges::RunFiles& files) override {
    return shared_judge()->run(submission, stdin_data, limits, files);
  }
  judges::CacheStats cache_stats() const override { return shared_judge()->cache_stats(); }
};

}  // namespace codejudge::server::testing
