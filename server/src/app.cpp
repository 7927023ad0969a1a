#include "codejudge/server/app.h"

#include <charconv>
#include <chrono>
#include <cstdint>
#include <functional>
#include <future>
#include <optional>
#include <random>
#include <thread>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "api.h"
#include "budget.h"
#include "codejudge/judges/language.h"
#include "codejudge/problems/json.h"
#include "job_queue.h"
#include "metrics.h"

namespace codejudge::server {

using api::json;
using Clock = std::chrono::steady_clock;

namespace {

// Bodies up to this size are parsed on the caller's thread (well under a millisecond); larger
// ones go to the parse threads and the parse budget.
constexpr size_t kInlineParseBytes = 64 << 10;
// After parsing this much (estimated), free memory goes back to the system once no parse runs:
// glibc keeps freed DOM nodes in its arenas otherwise, pinned by whatever lives above them.
constexpr uint64_t kTrimAfterBytes = 8 << 20;

class JudgeBackend : public Backend {
 public:
  explicit JudgeBackend(std::unique_ptr<judges::Judge> judge) : judge_(std::move(judge)) {}
  judges::JudgeResult judge(const problems::Problem& problem, const judges::Submission& submission,
                            const judges::JudgeOptions& options) override {
    return judge_->judge(problem, submission, options);
  }
  judges::Judge::RunOutput run(const judges::Submission& submission, const std::string& stdin_data,
                               const sandbox::Limits& limits,
                               const judges::RunFiles& files) override {
    return judge_->run(submission, stdin_data, limits, files);
  }
  judges::CacheStats cache_stats() const override { return judge_->cache_stats(); }

 private:
  std::unique_ptr<judges::Judge> judge_;
};

std::string dump(const json& value) {
  // Program output is arbitrary bytes: invalid UTF-8 is replaced rather than an error.
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

HttpResponse json_response(int status, const json& body) {
  HttpResponse response;
  response.status = status;
  response.body = dump(body);
  response.body += '\n';
  return response;
}

bool valid_request_id(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || c == '.' || c == ':';
    if (!ok) return false;
  }
  return true;
}

bool is_json_type(std::string_view content_type) {
  std::string_view type = content_type.substr(0, content_type.find(';'));
  while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.remove_suffix(1);
  while (!type.empty() && (type.front() == ' ' || type.front() == '\t')) type.remove_prefix(1);
  if (iequals(type, "application/json")) return true;
  return type.size() > 5 && iequals(type.substr(type.size() - 5), "+json");
}

// The routes, with the methods each allows; the pattern is also the metrics label.
struct Route {
  const char* pattern;
  const char* method;
};
constexpr Route kRoutes[] = {
    {"/healthz", "GET"},         {"/metrics", "GET"},          {"/v1/languages", "GET"},
    {"/v1/problems", "GET"},     {"/v1/problems/{id}", "GET"}, {"/v1/judge", "POST"},
    {"/v1/judge/batch", "POST"}, {"/v1/rewards", "POST"},      {"/run_code", "POST"},
    {"/get_reward", "POST"},
};

const Route* match_route(const std::string& path) {
  for (const Route& route : kRoutes) {
    if (path == route.pattern) return &route;
  }
  constexpr std::string_view kProblemPrefix = "/v1/problems/";
  if (path.size() > kProblemPrefix.size() &&
      path.compare(0, kProblemPrefix.size(), kProblemPrefix) == 0) {
    return &kRoutes[4];
  }
  return nullptr;
}

judges::JudgeResult internal_error(std::string message) {
  judges::JudgeResult result;
  result.verdict = judges::Verdict::kIE;
  result.message = std::move(message);
  return result;
}

}  // namespace

std::unique_ptr<Backend> make_judge_backend(std::unique_ptr<judges::Judge> judge) {
  if (!judge) return nullptr;
  return std::make_unique<JudgeBackend>(std::move(judge));
}

// Called once per request with the response; adds the common headers, logs and counts it.
class Finisher {
 public:
  Finisher(App* app, Metrics* metrics, App::Done done, std::string request_id, std::string method,
           std::string target, std::string remote, size_t bytes_in, std::atomic<size_t>* in_flight)
      : app_(app),
        metrics_(metrics),
        done_(std::move(done)),
        request_id_(std::move(request_id)),
        method_(std::move(method)),
        target_(std::move(target)),
        remote_(std::move(remote)),
        bytes_in_(bytes_in),
        in_flight_(in_flight),
        start_(Clock::now()) {}

  const std::string& request_id() const { return request_id_; }
  Clock::time_point arrival() const { return start_; }
  void set_route(std::string route) { route_ = std::move(route); }

  void operator()(HttpResponse response, json log_fields = json::object()) {
    if (finished_.exchange(true)) return;
    const double seconds = std::chrono::duration<double>(Clock::now() - start_).count();
    response.headers.emplace_back("X-Request-Id", request_id_);
    metrics_->observe_request(route_, response.status, seconds);
    if (Logger* logger = app_->logger()) {
      LogLevel level = LogLevel::kInfo;
      if (route_ == "/healthz" || route_ == "/metrics") level = LogLevel::kDebug;
      if (response.status >= 500) level = LogLevel::kWarn;
      if (logger->enabled(level)) {
        json fields = {{"request_id", request_id_},
                       {"method", method_},
                       {"target", target_.substr(0, 256)},
                       {"status", response.status},
                       {"duration_ms", static_cast<int64_t>(seconds * 1000)},
                       {"bytes_in", bytes_in_},
                       {"bytes_out", response.body.size()}};
        if (!remote_.empty()) fields["remote"] = remote_;
        if (response.status >= 400 && response.body.size() < 2048) {
          json error = json::parse(response.body, nullptr, false);
          if (error.is_object() && error.contains("error")) fields["error"] = error["error"];
        }
        for (auto& [key, value] : log_fields.items()) fields[key] = std::move(value);
        logger->log(level, "request", std::move(fields));
      }
    }
    App::Done done = std::move(done_);
    --*in_flight_;
    done(std::move(response));
  }

 private:
  App* app_;
  Metrics* metrics_;
  App::Done done_;
  std::string request_id_;
  std::string method_;
  std::string target_;
  std::string remote_;
  std::string route_ = "other";
  size_t bytes_in_;
  std::atomic<size_t>* in_flight_;
  Clock::time_point start_;
  std::atomic<bool> finished_{false};
};

struct App::Impl {
  App* app = nullptr;
  std::unique_ptr<Backend> backend;
  problems::ProblemSet problems;
  api::Caps caps;
  Metrics metrics;
  json languages;
  std::unique_ptr<JobQueue> queue;
  std::unique_ptr<JobQueue> parse_queue;  // unbounded: what it holds is in the body budget
  std::shared_ptr<Budget> body_budget;    // sessions may hold it past the App's end
  std::unique_ptr<Budget> parse_budget;
  std::atomic<uint64_t> next_id{0};
  uint64_t id_seed = 0;

  using FinishPtr = std::shared_ptr<Finisher>;

  std::string new_request_id() {
    // splitmix64 over a per-process random seed and a counter: unique and unguessable enough
    // for correlating logs.
    uint64_t x = id_seed + 0x9e3779b97f4a7c15ull * (++next_id);
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    x ^= x >> 31;
    char text[17];
    std::snprintf(text, sizeof(text), "%016llx", static_cast<unsigned long long>(x));
    return text;
  }

  HttpResponse error(const api::Error& error) const {
    HttpResponse response = json_response(error.status, api::error_json(error));
    if (error.status == 503 || error.status == 504 || error.status == 429) {
      response.headers.emplace_back("Retry-After", std::to_string(app->config().retry_after_s));
    }
    return response;
  }

  api::Error simple_error(int status, const char* code, std::string message) const {
    api::Error error;
    error.status = status;
    error.code = code;
    error.message = std::move(message);
    return error;
  }

  judges::JudgeResult judge(const api::JudgeTask& task, const std::string& request_id) {
    judges::JudgeResult result;
    try {
      result = backend->judge(*task.problem, task.submission, task.options);
    } catch (const std::exception& e) {
      result = internal_error(std::string("judge failed: ") + e.what());
    } catch (...) {
      result = internal_error("judge failed");
    }
    metrics.count_verdict(result.verdict);
    for (const auto& test : result.tests) metrics.count_test_verdict(test.verdict);
    if (result.verdict == judges::Verdict::kIE && app->logger()) {
      app->logger()->warn("internal error",
                          {{"request_id", request_id}, {"message", result.message}});
    }
    return result;
  }

  void log_submission(const std::string& request_id, const judges::Submission& submission) {
    Logger* logger = app->logger();
    if (logger && logger->enabled(LogLevel::kDebug)) {
      logger->debug("submission", {{"request_id", request_id},
                                   {"language", submission.language},
                                   {"code", submission.code}});
    }
  }

  // Runs `respond`, which answers through `finish`. What it throws is answered too: out of memory
  // as 503, anything else as 500 (our bug: bad input never throws, decoders return errors).
  template <class Body>
  void answering(const FinishPtr& finish, Body&& respond) {
    try {
      respond();
    } catch (const std::bad_alloc&) {
      (*finish)(error(simple_error(503, "overloaded", "out of memory")));
    } catch (const std::exception& e) {
      (*finish)(error(simple_error(500, "internal", std::string("internal error: ") + e.what())));
    }
  }

  // How long a request may wait for the queue: /v1/* clients honour Retry-After and get 503 at
  // once; the drop-in routes' clients do not, so they wait (docs/API.md, back-pressure).
  enum class Wait { kNone, kRunCode, kGetReward };

  // Queues jobs for a request, or answers 503 (504 for /run_code) when they cannot be queued,
  // or started, in time.
  void enqueue(std::vector<JobQueue::Job> jobs, const FinishPtr& finish, Wait wait = Wait::kNone) {
    const ServerConfig& config = app->config();
    JobQueue::Deadlines deadlines{Clock::time_point::min()};
    if (wait == Wait::kRunCode && config.run_code_wait_s > 0) {
      deadlines.admit_by = finish->arrival() + std::chrono::seconds(config.run_code_wait_s);
      deadlines.start_by = deadlines.admit_by;
    } else if (wait == Wait::kGetReward) {
      deadlines.admit_by = finish->arrival() + std::chrono::seconds(config.get_reward_wait_s);
    }
    auto refuse = [this, finish, wait, &config] {
      if (wait == Wait::kRunCode) {
        metrics.count_rejected("start_timeout");
        (*finish)(
            error(simple_error(504, "queue_timeout",
                               "could not start within " + std::to_string(config.run_code_wait_s) +
                                   " s (--run-code-wait-s): every judge thread is busy; retry")));
        return;
      }
      metrics.count_rejected("queue_full");
      std::string message = "the judge queue is full";
      if (wait == Wait::kGetReward) {
        message += " and stayed full for " + std::to_string(config.get_reward_wait_s) +
                   " s (--get-reward-wait-s)";
      }
      (*finish)(
          error(simple_error(503, "overloaded", message + "; retry after the Retry-After delay")));
    };
    if (queue->push(std::move(jobs), deadlines, refuse) == JobQueue::Pushed::kRefused) refuse();
  }

  void route_get(const std::string& pattern, const Target& target, const FinishPtr& finish);
  void route_post(const std::string& pattern, HttpRequest& request, const FinishPtr& finish);
  void parse_large(const std::string& pattern, const std::string& body, const FinishPtr& finish);
  void dispatch(const std::string& pattern, std::string_view body, const api::JsonSize* measured,
                const FinishPtr& finish);
  void judge_one(api::JudgeTask task, const FinishPtr& finish);
  using Results = std::vector<std::optional<judges::JudgeResult>>;
  using Respond = std::function<void(const Results& results)>;
  // Judges each task (nullptr: an item that failed to decode, left empty) on the queue and then
  // calls respond once with every result, at once when there is nothing to judge.
  void judge_each(std::vector<const api::JudgeTask*> tasks, const FinishPtr& finish, Wait wait,
                  Respond respond);
  void judge_batch(std::vector<api::BatchItem> items, const FinishPtr& finish);
  void rewards(api::RewardBatch batch, bool openrlhf, const FinishPtr& finish);
  void run_code(api::RunCodeTask task, const FinishPtr& finish);
};

App::App(const ServerConfig& config, std::unique_ptr<Backend> backend,
         problems::ProblemSet problems, Logger* logger)
    : config_(config), logger_(logger), impl_(std::make_unique<Impl>()) {
  impl_->app = this;
  impl_->backend = std::move(backend);
  impl_->problems = std::move(problems);
  impl_->caps = api::caps_from(config_);
  impl_->id_seed = (static_cast<uint64_t>(std::random_device{}()) << 32) ^ std::random_device{}();
  impl_->body_budget = std::make_shared<Budget>(config_.body_budget_mb << 20);
  impl_->parse_budget = std::make_unique<Budget>(config_.parse_budget_mb << 20);
  // Toolchain versions are detected once, here, not on a request's thread.
  json languages = json::array();
  for (const auto& info : judges::available_languages()) {
    json modes = json::array();
    for (auto mode : {problems::Mode::kStdio, problems::Mode::kFunction, problems::Mode::kAssert}) {
      if (judges::mode_supports(mode, info.name)) modes.push_back(problems::mode_name(mode));
    }
    languages.push_back({{"name", info.name},
                         {"aliases", info.aliases},
                         {"version", info.version},
                         {"available", info.available},
                         {"modes", std::move(modes)},
                         {"compile", info.compile_command},
                         {"run", info.run_command}});
  }
  impl_->languages = {{"languages", std::move(languages)}};
  if (impl_->backend) {
    size_t workers = config_.workers;
    if (workers == 0) workers = std::max(1u, std::thread::hardware_concurrency());
    size_t threads = config_.concurrency == 0 ? 2 * workers : config_.concurrency;
    impl_->queue = std::make_unique<JobQueue>(threads, config_.queue_size);
    impl_->parse_queue =
        std::make_unique<JobQueue>(std::max<size_t>(1, config_.io_threads), size_t{1} << 40);
  }
}

App::~App() {
  // Both run what is queued (their callbacks still fire), then join; parses feed the queue.
  impl_->parse_queue.reset();
  impl_->queue.reset();
}

std::shared_ptr<Budget> App::body_budget() {
  return impl_->body_budget;
}

size_t App::queue_depth() const {
  return impl_->queue ? impl_->queue->waiting() : 0;
}

size_t App::active_jobs() const {
  return impl_->queue ? impl_->queue->running() : 0;
}

void App::begin_drain() {
  draining_ = true;
}

HttpResponse App::handle_request(HttpRequest request) {
  std::promise<HttpResponse> promise;
  std::future<HttpResponse> future = promise.get_future();
  handle_async(std::move(request),
               [&promise](HttpResponse response) { promise.set_value(std::move(response)); });
  return future.get();
}

HttpResponse App::protocol_error(int status, const std::string& message,
                                 const std::string& remote) {
  HttpResponse response;
  ++in_flight_;
  auto finish = std::make_shared<Finisher>(
      this, &impl_->metrics, [&response](HttpResponse r) { response = std::move(r); },
      impl_->new_request_id(), "", "", remote, 0, &in_flight_);
  finish->set_route("protocol");
  const char* code = status == 413   ? "payload_too_large"
                     : status == 408 ? "timeout"
                     : status == 431 ? "headers_too_large"
                                     : "bad_request";
  (*finish)(impl_->error(impl_->simple_error(status, code, message)));
  return response;
}

HttpResponse App::busy(const std::string& target, const std::string& message,
                       const std::string& remote) {
  HttpResponse response;
  ++in_flight_;
  auto finish = std::make_shared<Finisher>(
      this, &impl_->metrics, [&response](HttpResponse r) { response = std::move(r); },
      impl_->new_request_id(), "", target, remote, 0, &in_flight_);
  Target parsed;
  const Route* route = parse_target(target, &parsed) ? match_route(parsed.path) : nullptr;
  finish->set_route(route != nullptr ? route->pattern : "other");
  const bool run_code = route != nullptr && std::string_view(route->pattern) == "/run_code";
  impl_->metrics.count_rejected("busy");
  (*finish)(impl_->error(run_code ? impl_->simple_error(504, "queue_timeout", message)
                                  : impl_->simple_error(503, "overloaded", message)));
  return response;
}

void App::handle_async(HttpRequest request, Done done) {
  ++in_flight_;
  std::string request_id(request.header("X-Request-Id"));
  if (!valid_request_id(request_id)) request_id = impl_->new_request_id();
  auto finish =
      std::make_shared<Finisher>(this, &impl_->metrics, std::move(done), request_id, request.method,
                                 request.target, request.remote, request.body.size(), &in_flight_);
  impl_->answering(finish, [&] {
    Target target;
    if (!parse_target(request.target, &target)) {
      (*finish)(impl_->error(
          impl_->simple_error(400, "bad_request", "target: not a valid path and query")));
      return;
    }
    const Route* route = match_route(target.path);
    if (route == nullptr) {
      (*finish)(impl_->error(impl_->simple_error(
          404, "not_found",
          "no route " + target.path +
              " (routes: GET /healthz, /metrics, /v1/languages, /v1/problems, /v1/problems/{id}; "
              "POST /v1/judge, /v1/judge/batch, /v1/rewards, /run_code, /get_reward)")));
      return;
    }
    finish->set_route(route->pattern);
    if (request.method != route->method) {
      HttpResponse response = impl_->error(impl_->simple_error(
          405, "method_not_allowed",
          std::string(route->pattern) + " accepts " + route->method + ", not " + request.method));
      response.headers.emplace_back("Allow", route->method);
      (*finish)(std::move(response));
      return;
    }
    if (std::string_view(route->method) == "GET") {
      impl_->route_get(route->pattern, target, finish);
    } else {
      impl_->route_post(route->pattern, request, finish);
    }
  });
}

void App::Impl::route_get(const std::string& pattern, const Target& target,
                          const FinishPtr& finish) {
  if (pattern == "/healthz") {
    json body = {{"status", app->draining() ? "draining" : (backend ? "ok" : "no_judge")},
                 {"problems", problems.size()},
                 {"in_flight", app->in_flight()}};
    if (queue) {
      body["queue"] = {{"waiting", queue->waiting()},
                       {"waiting_for_room", queue->waiting_for_room()},
                       {"running", queue->running()},
                       {"capacity", queue->capacity()},
                       {"threads", queue->threads()}};
    }
    body["connections"] = app->connections()->open.load();
    body["memory"] = {{"body_bytes", body_budget->in_use()},
                      {"body_budget_bytes", body_budget->capacity()},
                      {"parse_bytes", parse_budget->in_use()},
                      {"parse_budget_bytes", parse_budget->capacity()}};
    (*finish)(json_response(app->draining() || !backend ? 503 : 200, body));
    return;
  }
  if (pattern == "/metrics") {
    Gauges gauges;
    if (queue) {
      gauges.queue_waiting = queue->waiting();
      gauges.queue_running = queue->running();
      gauges.queue_capacity = queue->capacity();
      gauges.queue_waiting_for_room = queue->waiting_for_room();
    }
    gauges.in_flight = app->in_flight();
    gauges.draining = app->draining();
    const App::ConnectionStats& connections = *app->connections();
    gauges.connections = connections.open.load();
    gauges.connections_shed = connections.shed.load();
    gauges.connections_refused = connections.refused.load();
    gauges.accept_errors = connections.accept_errors.load();
    gauges.body_bytes = body_budget->in_use();
    gauges.body_waiting = body_budget->waiting();
    gauges.parse_bytes = parse_budget->in_use();
    if (backend) gauges.cache = backend->cache_stats();
    HttpResponse response;
    response.content_type = "text/plain; version=0.0.4";
    response.body = metrics.render(gauges);
    (*finish)(std::move(response));
    return;
  }
  if (pattern == "/v1/languages") {
    (*finish)(json_response(200, languages));
    return;
  }
  if (pattern == "/v1/problems/{id}") {
    const std::string id = target.path.substr(std::string_view("/v1/problems/").size());
    const problems::Problem* problem = problems.find(id);
    if (problem == nullptr) {
      api::Error missing = simple_error(404, "not_found", "id: unknown problem '" + id + "'");
      missing.field = "id";
      (*finish)(error(missing));
      return;
    }
    (*finish)(json_response(200, problems::public_view(*problem)));
    return;
  }
  // GET /v1/problems
  problems::ProblemFilter filter;
  filter.limit = 100;
  for (const auto& param : target.query) {
    // Named copies: clang 14 cannot capture structured bindings in a lambda.
    const std::string& key = param.first;
    const std::string& value = param.second;
    auto number = [&](size_t max, size_t* out) {
      size_t parsed = 0;
      auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), parsed);
      if (value.empty() || ec != std::errc() || ptr != value.data() + value.size() ||
          parsed > max) {
        api::Error bad = simple_error(
            400, "bad_request", key + ": expected an integer from 0 to " + std::to_string(max));
        bad.field = key;
        (*finish)(error(bad));
        return false;
      }
      *out = parsed;
      return true;
    };
    if (key == "tag") {
      filter.tag = value;
    } else if (key == "difficulty") {
      filter.difficulty = value;
    } else if (key == "prefix") {
      filter.id_prefix = value;
    } else if (key == "limit") {
      if (!number(1000, &filter.limit)) return;
    } else if (key == "offset") {
      if (!number(SIZE_MAX, &filter.offset)) return;
    } else {
      api::Error bad = simple_error(
          400, "bad_request", key + ": unknown parameter (tag, difficulty, prefix, limit, offset)");
      bad.field = key;
      (*finish)(error(bad));
      return;
    }
  }
  if (filter.limit == 0) filter.limit = 100;
  problems::ProblemPage page = problems.list(filter);
  json list = json::array();
  for (const problems::Problem* problem : page.problems) {
    json languages_with_starter = json::array();
    for (const auto& [language, code] : problem->starter_code)
      languages_with_starter.push_back(language);
    list.push_back({{"id", problem->id},
                    {"title", problem->title},
                    {"difficulty", problem->difficulty},
                    {"tags", problem->tags},
                    {"mode", problems::mode_name(problem->mode)},
                    {"test_count", problem->tests.size()},
                    {"public_tests", problem->public_tests},
                    {"starter_code", std::move(languages_with_starter)}});
  }
  (*finish)(json_response(200, {{"total", page.total},
                                {"offset", filter.offset},
                                {"limit", filter.limit},
                                {"problems", std::move(list)}}));
}

void App::Impl::route_post(const std::string& pattern, HttpRequest& request,
                           const FinishPtr& finish) {
  std::string_view content_type = request.header("Content-Type");
  if (!content_type.empty() && !is_json_type(content_type)) {
    (*finish)(error(simple_error(415, "unsupported_media_type",
                                 "Content-Type: expected application/json, got " +
                                     std::string(content_type.substr(0, 100)))));
    return;
  }
  if (app->draining()) {
    metrics.count_rejected("draining");
    (*finish)(error(simple_error(503, "draining", "the server is shutting down; retry elsewhere")));
    return;
  }
  if (!backend) {
    (*finish)(error(simple_error(503, "unavailable", "no judge is running in this server")));
    return;
  }
  if (request.body.size() <= kInlineParseBytes) {
    dispatch(pattern, request.body, nullptr, finish);
    return;
  }
  auto body = std::make_shared<std::string>(std::move(request.body));
  std::vector<JobQueue::Job> parse;
  parse.push_back([this, pattern, body, finish] {
    answering(finish, [&] { parse_large(pattern, *body, finish); });
  });
  if (!parse_queue->try_push(std::move(parse))) {  // only while the App is being destroyed
    (*finish)(error(simple_error(503, "draining", "the server is shutting down; retry elsewhere")));
  }
}

// On a parse thread: a body over kInlineParseBytes is measured, parsed once its estimated DOM
// fits in the parse budget, decoded and queued; the DOM is gone before the budget is released.
void App::Impl::parse_large(const std::string& pattern, const std::string& body,
                            const FinishPtr& finish) {
  const api::JsonSize size = api::measure_json(body);
  if (size.depth <= api::kMaxJsonDepth && size.memory_bytes > parse_budget->capacity()) {
    api::Error too_big = simple_error(
        413, "payload_too_large",
        "body: " + std::to_string(size.values) + " JSON values need about " +
            std::to_string((size.memory_bytes >> 20) + 1) + " MiB to parse; this server parses " +
            std::to_string(parse_budget->capacity() >> 20) +
            " MiB at once (--parse-budget-mb): send fewer values per request");
    too_big.field = "body";
    (*finish)(error(too_big));
    return;
  }
  Budget::Reservation parsing = parse_budget->acquire(size.memory_bytes);
  dispatch(pattern, body, &size, finish);
  parsing.reset();
#if defined(__GLIBC__)
  if (size.memory_bytes >= kTrimAfterBytes && parse_budget->in_use() == 0) malloc_trim(0);
#endif
}

void App::Impl::dispatch(const std::string& pattern, std::string_view text,
                         const api::JsonSize* measured, const FinishPtr& finish) {
  api::Error bad;
  std::optional<json> body = api::parse_body(text, &bad, measured);
  if (!body) {
    (*finish)(error(bad));
    return;
  }
  // A decoded request goes on to `handle`; one that does not decode is answered with its error.
  auto then = [&](auto decoded, auto&& handle) {
    if (decoded) {
      handle(std::move(*decoded));
    } else {
      (*finish)(error(bad));
    }
  };
  if (pattern == "/v1/judge") {
    then(api::decode_submission(*body, problems, caps, "", &bad),
         [&](api::JudgeTask task) { judge_one(std::move(task), finish); });
  } else if (pattern == "/v1/judge/batch") {
    then(api::decode_batch(*body, problems, caps, &bad),
         [&](std::vector<api::BatchItem> items) { judge_batch(std::move(items), finish); });
  } else if (pattern == "/v1/rewards") {
    then(api::decode_rewards(*body, problems, caps, &bad),
         [&](api::RewardBatch batch) { rewards(std::move(batch), false, finish); });
  } else if (pattern == "/get_reward") {
    then(api::decode_get_reward(*body, problems, caps, app->config(), &bad),
         [&](api::RewardBatch batch) { rewards(std::move(batch), true, finish); });
  } else if (pattern == "/run_code") {
    then(api::decode_run_code(*body, caps, &bad),
         [&](api::RunCodeTask task) { run_code(std::move(task), finish); });
  }
}

void App::Impl::judge_one(api::JudgeTask task, const FinishPtr& finish) {
  log_submission(finish->request_id(), task.submission);
  auto shared = std::make_shared<api::JudgeTask>(std::move(task));
  std::vector<JobQueue::Job> jobs;
  jobs.push_back([this, shared, finish] {
    answering(finish, [&] {
      judges::JudgeResult result = judge(*shared, finish->request_id());
      json log = {{"verdict", judges::verdict_name(result.verdict)},
                  {"language", shared->submission.language}};
      (*finish)(json_response(200, api::encode_judge_result(result, *shared)), std::move(log));
    });
  });
  enqueue(std::move(jobs), finish);
}

void App::Impl::judge_each(std::vector<const api::JudgeTask*> tasks, const FinishPtr& finish,
                           Wait wait, Respond respond) {
  struct State {
    std::vector<const api::JudgeTask*> tasks;
    std::vector<std::optional<judges::JudgeResult>> results;
    std::atomic<size_t> remaining{0};
    Respond respond;
  };
  auto state = std::make_shared<State>();
  state->tasks = std::move(tasks);
  state->results.resize(state->tasks.size());
  state->respond = std::move(respond);
  auto done = [this, state, finish] { answering(finish, [&] { state->respond(state->results); }); };
  std::vector<JobQueue::Job> jobs;
  for (size_t i = 0; i < state->tasks.size(); ++i) {
    if (state->tasks[i] == nullptr) continue;
    log_submission(finish->request_id(), state->tasks[i]->submission);
    ++state->remaining;
    jobs.push_back([this, state, i, done, finish] {
      state->results[i] = judge(*state->tasks[i], finish->request_id());
      if (--state->remaining == 0) done();
    });
  }
  if (jobs.empty()) {
    done();
    return;
  }
  enqueue(std::move(jobs), finish, wait);
}

void App::Impl::judge_batch(std::vector<api::BatchItem> items, const FinishPtr& finish) {
  auto shared = std::make_shared<std::vector<api::BatchItem>>(std::move(items));
  std::vector<const api::JudgeTask*> tasks;
  for (const api::BatchItem& item : *shared) tasks.push_back(item.task ? &*item.task : nullptr);
  judge_each(std::move(tasks), finish, Wait::kNone, [shared, finish](const Results& results) {
    json encoded = json::array();
    for (size_t i = 0; i < shared->size(); ++i) {
      const api::BatchItem& item = (*shared)[i];
      encoded.push_back(item.task ? api::encode_judge_result(*results[i], *item.task)
                                  : api::error_json(item.error));
    }
    (*finish)(json_response(200, {{"results", std::move(encoded)}}), {{"items", shared->size()}});
  });
}

void App::Impl::rewards(api::RewardBatch batch, bool openrlhf, const FinishPtr& finish) {
  auto shared = std::make_shared<api::RewardBatch>(std::move(batch));
  std::vector<const api::JudgeTask*> tasks;
  for (const api::RewardItem& item : shared->items) {
    tasks.push_back(item.task ? &*item.task : nullptr);
  }
  const double ie_reward = app->config().ie_reward;
  auto respond = [shared, finish, openrlhf, ie_reward](const Results& results) {
    json items = json::array();
    json rewards = json::array();
    json accuracies = json::array();
    json formats = json::array();
    size_t masked = 0;
    for (size_t i = 0; i < shared->items.size(); ++i) {
      const api::RewardItem& item = shared->items[i];
      const judges::JudgeResult* result = results[i] ? &*results[i] : nullptr;
      judges::Reward reward = api::reward_of(item, result, shared->options);
      if (!reward.reward) ++masked;
      rewards.push_back(reward.reward.value_or(ie_reward));
      accuracies.push_back(reward.accuracy);
      formats.push_back(reward.format);
      items.push_back(api::encode_reward_item(item, result, reward));
    }
    json body = {{"items", std::move(items)}};
    if (openrlhf) {
      // OpenRLHF's reward-server fields: "rewards" (numbers only: it cannot mask a null),
      // "scores" (what its dynamic filtering keeps or drops groups by: the accuracy, not the
      // format bonus) and "extra_logs" (lists as long as the batch, logged per sample).
      body["rewards"] = std::move(rewards);
      body["scores"] = accuracies;
      body["extra_logs"] = {{"accuracy", std::move(accuracies)}, {"format", std::move(formats)}};
    }
    (*finish)(json_response(200, body),
              {{"items", shared->items.size()}, {"null_rewards", masked}});
  };
  judge_each(std::move(tasks), finish, openrlhf ? Wait::kGetReward : Wait::kNone,
             std::move(respond));
}

void App::Impl::run_code(api::RunCodeTask task, const FinishPtr& finish) {
  log_submission(finish->request_id(), task.submission);
  auto shared = std::make_shared<api::RunCodeTask>(std::move(task));
  std::vector<JobQueue::Job> jobs;
  jobs.push_back([this, shared, finish] {
    answering(finish, [&] {
      judges::Judge::RunOutput output;
      try {
        output =
            backend->run(shared->submission, shared->stdin_data, shared->limits, shared->files);
      } catch (const std::exception& e) {
        output.run.status = sandbox::Status::kInternalError;
        output.run.message = std::string("run failed: ") + e.what();
        output.compile.ok = true;
      }
      const char* verdict = api::run_verdict(output);
      metrics.count_verdict(verdict);
      if (std::string_view(verdict) == "IE" && app->logger()) {
        app->logger()->warn("internal error", {{"request_id", finish->request_id()},
                                               {"message", output.run.message}});
      }
      json body = api::encode_run_code(*shared, output);
      json log = {{"run_status", body["status"]},
                  {"verdict", verdict},
                  {"language", shared->submission.language}};
      (*finish)(json_response(200, body), std::move(log));
    });
  });
  enqueue(std::move(jobs), finish, Wait::kRunCode);
}

}  // namespace codejudge::server
