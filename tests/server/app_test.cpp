// The handlers in process: every route, every error code, with the real judge where a verdict
// matters and a scripted backend for queueing and draining.
#include "codejudge/server/app.h"

#include <gtest/gtest.h>

#include <future>
#include <thread>

#include "codejudge/judges/language.h"
#include "server_test_util.h"

namespace codejudge::server {
namespace {

using nlohmann::json;
using testing::body_of;
using testing::FakeBackend;
using testing::get;
using testing::post;
using testing::post_raw;

ServerConfig small_config() {
  ServerConfig config;
  config.workers = 2;
  config.max_tests = 5;
  config.max_items = 8;
  return config;
}

class RealJudgeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (testing::shared_judge() == nullptr) GTEST_SKIP() << "the sandbox cannot start here";
    app_ = std::make_unique<App>(small_config(), std::make_unique<testing::SharedJudgeBackend>(),
                                 testing::fixture_problems(), nullptr);
  }
  HttpResponse call(HttpRequest request) { return app_->handle_request(std::move(request)); }
  std::unique_ptr<App> app_;
};

class FakeJudgeTest : public ::testing::Test {
 protected:
  void make(ServerConfig config = small_config()) {
    auto backend = std::make_unique<FakeBackend>();
    fake_ = backend.get();
    app_ = std::make_unique<App>(config, std::move(backend), testing::fixture_problems(), nullptr);
  }
  void SetUp() override { make(); }
  HttpResponse call(HttpRequest request) { return app_->handle_request(std::move(request)); }
  // Starts an App with one job thread and takes that thread with a submission that blocks
  // until fake_->release(); its answer comes through the future.
  std::future<HttpResponse> occupy_the_only_thread(ServerConfig config) {
    config.concurrency = 1;
    make(config);
    fake_->block();
    auto answer = std::make_shared<std::promise<HttpResponse>>();
    app_->handle_async(
        post("/v1/judge", {{"language", "python"}, {"code", "x"}, {"problem_id", "add-two"}}),
        [answer](HttpResponse r) { answer->set_value(std::move(r)); });
    fake_->wait_for_calls(1);
    return answer->get_future();
  }
  FakeBackend* fake_ = nullptr;
  std::unique_ptr<App> app_;
};

// Whether a string in the JSON (a key or a value) contains text. Hidden data would leak as
// text; searching the raw body instead also matches timings and sizes that happen to contain
// the same digits.
bool any_string_contains(const json& value, std::string_view text) {
  if (value.is_string()) return value.get_ref<const std::string&>().find(text) != std::string::npos;
  if (value.is_object()) {
    for (const auto& [key, member] : value.items()) {
      if (key.find(text) != std::string::npos || any_string_contains(member, text)) return true;
    }
  }
  if (value.is_array()) {
    for (const auto& item : value) {
      if (any_string_contains(item, text)) return true;
    }
  }
  return false;
}

// Asserts a JSON error with the status, and returns its field.
std::string expect_error(const HttpResponse& response, int status, const std::string& code) {
  EXPECT_EQ(response.status, status) << response.body;
  json body = body_of(response);
  EXPECT_TRUE(body.contains("error")) << response.body;
  if (!body.contains("error")) return "";
  EXPECT_EQ(body["error"]["code"], code) << response.body;
  EXPECT_FALSE(body["error"]["message"].get<std::string>().empty());
  return body["error"].value("field", "");
}

// ---- GET routes ---------------------------------------------------------------------------

TEST_F(FakeJudgeTest, HealthzReportsQueueAndEchoesRequestId) {
  HttpRequest request = get("/healthz");
  request.headers.emplace_back("X-Request-Id", "trace-42.a:b");
  HttpResponse response = call(request);
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.header("x-request-id"), "trace-42.a:b");
  json body = body_of(response);
  EXPECT_EQ(body["status"], "ok");
  EXPECT_EQ(body["problems"], 3);
  EXPECT_EQ(body["queue"]["threads"], 4);  // 2 x workers
}

TEST_F(FakeJudgeTest, GeneratesRequestIdWhenMissingOrInvalid) {
  HttpRequest request = get("/healthz");
  request.headers.emplace_back("X-Request-Id", "bad id with spaces\n");
  HttpResponse first = call(request);
  HttpResponse second = call(get("/healthz"));
  std::string a(first.header("X-Request-Id"));
  std::string b(second.header("X-Request-Id"));
  EXPECT_EQ(a.size(), 16u);
  EXPECT_EQ(b.size(), 16u);
  EXPECT_NE(a, b);
}

TEST_F(FakeJudgeTest, LanguagesListsAllSevenWithModes) {
  json body = body_of(call(get("/v1/languages")));
  ASSERT_EQ(body["languages"].size(), 7u);
  json python = body["languages"][0];
  EXPECT_EQ(python["name"], "python");
  EXPECT_TRUE(python["available"].get<bool>());
  EXPECT_EQ(python["modes"], json({"stdio", "function", "assert"}));
  EXPECT_EQ(body["languages"][2]["modes"], json({"stdio"}));  // c
}

TEST_F(FakeJudgeTest, ProblemsListFiltersAndPages) {
  json all = body_of(call(get("/v1/problems")));
  EXPECT_EQ(all["total"], 3);
  ASSERT_EQ(all["problems"].size(), 3u);
  EXPECT_EQ(all["problems"][0]["id"], "add-two");
  EXPECT_EQ(all["problems"][0]["test_count"], 4);
  EXPECT_FALSE(all["problems"][0].contains("tests"));

  json math = body_of(call(get("/v1/problems?tag=math")));
  EXPECT_EQ(math["total"], 2);
  json medium = body_of(call(get("/v1/problems?difficulty=medium")));
  ASSERT_EQ(medium["total"], 1);
  EXPECT_EQ(medium["problems"][0]["id"], "two-sum");
  json page = body_of(call(get("/v1/problems?limit=1&offset=1")));
  EXPECT_EQ(page["total"], 3);
  ASSERT_EQ(page["problems"].size(), 1u);
  EXPECT_EQ(page["problems"][0]["id"], "two-sum");

  EXPECT_EQ(expect_error(call(get("/v1/problems?limit=abc")), 400, "bad_request"), "limit");
  EXPECT_EQ(expect_error(call(get("/v1/problems?limit=5000")), 400, "bad_request"), "limit");
  EXPECT_EQ(expect_error(call(get("/v1/problems?colour=red")), 400, "bad_request"), "colour");
}

TEST_F(FakeJudgeTest, ProblemShowsPublicTestsOnly) {
  HttpResponse response = call(get("/v1/problems/add-two"));
  ASSERT_EQ(response.status, 200);
  json body = body_of(response);
  EXPECT_EQ(body["id"], "add-two");
  ASSERT_EQ(body["tests"].size(), 1u);
  EXPECT_EQ(body["tests"][0]["input"], "1 2\n");
  EXPECT_EQ(body["test_count"], 4);
  EXPECT_FALSE(body.contains("reference"));
  // None of the hidden tests' data leaves the server.
  EXPECT_FALSE(any_string_contains(body, "100 23")) << response.body;

  json hidden = body_of(call(get("/v1/problems/is-even")));
  EXPECT_TRUE(hidden["tests"].empty());
  EXPECT_EQ(expect_error(call(get("/v1/problems/nope")), 404, "not_found"), "id");
}

TEST_F(FakeJudgeTest, MetricsCountRequestsAndVerdicts) {
  call(get("/healthz"));
  call(post("/v1/judge", {{"language", "python"}, {"code", "x"}, {"problem_id", "add-two"}}));
  call(get("/nope"));
  HttpResponse response = call(get("/metrics"));
  ASSERT_EQ(response.status, 200);
  EXPECT_EQ(response.content_type, "text/plain; version=0.0.4");
  const std::string& text = response.body;
  EXPECT_NE(text.find("codejudge_http_requests_total{route=\"/healthz\",status=\"200\"} 1"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("codejudge_http_requests_total{route=\"other\",status=\"404\"} 1"),
            std::string::npos);
  EXPECT_NE(text.find("codejudge_verdicts_total{verdict=\"AC\"} 1"), std::string::npos);
  EXPECT_NE(text.find("codejudge_test_verdicts_total{verdict=\"AC\"} 4"), std::string::npos);
  EXPECT_NE(text.find("codejudge_http_request_duration_seconds_count{route=\"/v1/judge\"} 1"),
            std::string::npos);
  EXPECT_NE(text.find("codejudge_queue_depth 0"), std::string::npos);
  EXPECT_NE(text.find("codejudge_compile_cache_hits_total"), std::string::npos);
}

// ---- errors ---------------------------------------------------------------------------------

TEST_F(FakeJudgeTest, UnknownRouteIs404AndWrongMethodIs405) {
  expect_error(call(get("/v2/judge")), 404, "not_found");
  HttpResponse wrong = call(get("/v1/judge"));
  expect_error(wrong, 405, "method_not_allowed");
  EXPECT_EQ(wrong.header("Allow"), "POST");
  HttpResponse wrong_post = call(post("/v1/problems", json::object()));
  expect_error(wrong_post, 405, "method_not_allowed");
  EXPECT_EQ(wrong_post.header("Allow"), "GET");
  expect_error(call(get("no-slash")), 400, "bad_request");
  expect_error(call(get("/v1/problems/%zz")), 400, "bad_request");
}

TEST_F(FakeJudgeTest, NonJsonContentTypeIs415) {
  expect_error(call(post_raw("/v1/judge", "{}", "text/plain")), 415, "unsupported_media_type");
  expect_error(call(post_raw("/run_code", "a=b", "application/x-www-form-urlencoded")), 415,
               "unsupported_media_type");
  // application/json with parameters, +json types and a missing header are all accepted.
  json ok = {{"language", "python"}, {"code", "x"}, {"problem_id", "add-two"}};
  EXPECT_EQ(call(post_raw("/v1/judge", ok.dump(), "application/json; charset=utf-8")).status, 200);
  EXPECT_EQ(call(post_raw("/v1/judge", ok.dump(), "application/vnd.api+json")).status, 200);
  EXPECT_EQ(call(post_raw("/v1/judge", ok.dump(), "")).status, 200);
}

TEST_F(FakeJudgeTest, BadBodiesAre400NamingTheField) {
  EXPECT_EQ(expect_error(call(post_raw("/v1/judge", "{nope")), 400, "invalid_json"), "body");
  EXPECT_EQ(expect_error(call(post_raw("/v1/judge", "")), 400, "invalid_json"), "body");
  EXPECT_EQ(expect_error(call(post_raw("/v1/judge", "[1,2]")), 400, "bad_request"), "body");
  EXPECT_EQ(expect_error(call(post_raw("/v1/judge", std::string(200, '[') + std::string(200, ']'))),
                         400, "bad_request"),
            "body");
  auto field = [&](const json& body) {
    return expect_error(call(post("/v1/judge", body)), 400, "bad_request");
  };
  EXPECT_EQ(field({{"code", "x"}, {"problem_id", "add-two"}}), "language");
  EXPECT_EQ(field({{"language", "cobol"}, {"code", "x"}, {"problem_id", "add-two"}}), "language");
  EXPECT_EQ(field({{"language", 7}, {"code", "x"}, {"problem_id", "add-two"}}), "language");
  EXPECT_EQ(field({{"language", "python"}, {"problem_id", "add-two"}}), "code");
  EXPECT_EQ(field({{"language", "python"}, {"code", "x"}}), "problem_id");
  EXPECT_EQ(field({{"language", "python"}, {"code", "x"}, {"problem_id", "add-two"}, {"lang", 1}}),
            "lang");
  EXPECT_EQ(field({{"language", "python"},
                   {"code", "x"},
                   {"problem_id", "add-two"},
                   {"tests", json::array()}}),
            "problem_id");
  EXPECT_EQ(field({{"language", "python"},
                   {"code", "x"},
                   {"problem_id", "add-two"},
                   {"limits", {{"time_ms", 0}}}}),
            "limits.time_ms");
  EXPECT_EQ(field({{"language", "python"},
                   {"code", "x"},
                   {"problem_id", "add-two"},
                   {"limits", {{"time_ms", 999999999}}}}),
            "limits.time_ms");
  EXPECT_EQ(field({{"language", "python"},
                   {"code", "x"},
                   {"problem_id", "add-two"},
                   {"limits", {{"memory_mb", -3}}}}),
            "limits.memory_mb");
  EXPECT_EQ(field({{"language", "python"},
                   {"code", "x"},
                   {"problem_id", "add-two"},
                   {"return_outputs", "yes"}}),
            "return_outputs");
  for (const json& bad_batch : {json(0), json(1025), json("8"), json(-1)}) {
    EXPECT_EQ(field({{"language", "python"},
                     {"code", "x"},
                     {"problem_id", "add-two"},
                     {"batch_tests", bad_batch}}),
              "batch_tests")
        << bad_batch;
  }
  EXPECT_EQ(
      field({{"language", "python"}, {"code", "x"}, {"tests", {{{"input", "1"}, {"output", 2}}}}}),
      "tests[0].output");
  EXPECT_EQ(
      field({{"language", "python"}, {"code", "x"}, {"mode", "lisp"}, {"tests", json::array()}}),
      "mode");
  json six_tests = json::array();
  for (int i = 0; i < 6; ++i) six_tests.push_back({{"input", ""}, {"output", ""}});
  EXPECT_EQ(field({{"language", "python"}, {"code", "x"}, {"tests", six_tests}}), "tests");
  // Assert mode runs python only, function mode has no C harness: the language is at fault.
  EXPECT_EQ(field({{"language", "cpp"}, {"code", "x"}, {"problem_id", "is-even"}}), "language");
  EXPECT_EQ(field({{"language", "c"}, {"code", "x"}, {"problem_id", "two-sum"}}), "language");
  EXPECT_EQ(field({{"language", "python"},
                   {"code", std::string(judges::kMaxSourceBytes + 1, '#')},
                   {"problem_id", "add-two"}}),
            "code");
  EXPECT_EQ(
      expect_error(call(post("/v1/judge",
                             {{"language", "python"}, {"code", "x"}, {"problem_id", "missing"}})),
                   404, "not_found"),
      "problem_id");
  EXPECT_EQ(fake_->calls(), 0u);  // nothing bad reached the judge
}

TEST_F(FakeJudgeTest, FullQueueIs503WithRetryAfter) {
  ServerConfig config = small_config();
  config.concurrency = 1;
  config.queue_size = 1;
  config.retry_after_s = 7;
  make(config);
  fake_->block();
  json body = {{"language", "python"}, {"code", "x"}, {"problem_id", "add-two"}};
  std::promise<HttpResponse> first;
  std::promise<HttpResponse> second;
  app_->handle_async(post("/v1/judge", body), [&](HttpResponse r) { first.set_value(r); });
  fake_->wait_for_calls(1);  // the job thread is busy
  app_->handle_async(post("/v1/judge", body), [&](HttpResponse r) { second.set_value(r); });
  EXPECT_EQ(app_->queue_depth(), 1u);
  HttpResponse refused = call(post("/v1/judge", body));
  expect_error(refused, 503, "overloaded");
  EXPECT_EQ(refused.header("Retry-After"), "7");
  // A batch that does not fit is refused whole, not half queued.
  HttpResponse batch = call(post("/v1/judge/batch", {{"submissions", {body, body}}}));
  expect_error(batch, 503, "overloaded");
  EXPECT_EQ(app_->queue_depth(), 1u);
  fake_->release();
  EXPECT_EQ(first.get_future().get().status, 200);
  EXPECT_EQ(second.get_future().get().status, 200);
  EXPECT_EQ(call(post("/v1/judge", body)).status, 200);  // room again
  EXPECT_NE(call(get("/metrics")).body.find("codejudge_rejected_total{reason=\"queue_full\"} 2"),
            std::string::npos);
}

// verl retries only 504 and counts queue time against its own timeout: /run_code waits for
// room and for a thread, and answers 504 when it could not start within --run-code-wait-s.
TEST_F(FakeJudgeTest, RunCodeWaitsToStartThen504) {
  ServerConfig config = small_config();
  config.queue_size = 0;
  config.run_code_wait_s = 1;
  std::future<HttpResponse> busy = occupy_the_only_thread(config);  // and the queue has no room
  json judge = {{"language", "python"}, {"code", "x"}, {"problem_id", "add-two"}};
  json run = {{"language", "python"}, {"code", "print(1)"}, {"stdin", "7"}};
  expect_error(call(post("/v1/judge", judge)), 503, "overloaded");  // /v1: at once

  const auto start = std::chrono::steady_clock::now();
  HttpResponse late = call(post("/run_code", run));
  const auto waited = std::chrono::steady_clock::now() - start;
  expect_error(late, 504, "queue_timeout");
  EXPECT_EQ(late.header("Retry-After"), "1");
  EXPECT_GE(waited, std::chrono::milliseconds(900));  // it waited for its turn first
  EXPECT_EQ(app_->queue_depth(), 0u);

  // A thread that frees up within the wait serves it.
  std::promise<HttpResponse> served;
  app_->handle_async(post("/run_code", run), [&](HttpResponse r) { served.set_value(r); });
  fake_->release();
  EXPECT_EQ(busy.get().status, 200);
  HttpResponse response = served.get_future().get();
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(body_of(response)["run_result"]["stdout"], "7");
  const std::string metrics = call(get("/metrics")).body;
  EXPECT_NE(metrics.find("codejudge_rejected_total{reason=\"start_timeout\"} 1"), std::string::npos)
      << metrics;
  // /run_code outcomes are counted with the verdicts.
  EXPECT_NE(metrics.find("codejudge_verdicts_total{verdict=\"OK\"} 1"), std::string::npos)
      << metrics;
}

// A /run_code queued behind busy threads is dropped unrun when it cannot start in time.
TEST_F(FakeJudgeTest, RunCodeQueuedTooLongIsNotRunLater) {
  ServerConfig config = small_config();
  config.queue_size = 4;
  config.run_code_wait_s = 1;
  std::future<HttpResponse> busy = occupy_the_only_thread(config);
  HttpResponse late = call(post("/run_code", {{"language", "python"}, {"code", "y"}}));
  expect_error(late, 504, "queue_timeout");
  fake_->release();
  EXPECT_EQ(busy.get().status, 200);
  EXPECT_EQ(fake_->calls(), 1u);  // the timed-out request never ran
}

// OpenRLHF retries any failure 5 times a second apart: /get_reward waits for room instead.
TEST_F(FakeJudgeTest, GetRewardWaitsForRoomInsteadOf503) {
  ServerConfig config = small_config();
  config.queue_size = 0;
  std::future<HttpResponse> busy = occupy_the_only_thread(config);
  json request = {{"query", {"```python\nprint(3)\n```", "```python\nprint(3)\n```"}},
                  {"labels", {"add-two", "add-two"}}};
  std::promise<HttpResponse> rewarded;
  app_->handle_async(post("/get_reward", request), [&](HttpResponse r) { rewarded.set_value(r); });
  auto future = rewarded.get_future();
  EXPECT_EQ(future.wait_for(std::chrono::milliseconds(300)), std::future_status::timeout);
  HttpResponse health = call(get("/healthz"));
  EXPECT_EQ(body_of(health)["queue"]["waiting_for_room"], 1) << health.body;
  fake_->release();
  HttpResponse response = future.get();
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(body_of(response)["rewards"].size(), 2u);
  EXPECT_EQ(busy.get().status, 200);
}

TEST_F(FakeJudgeTest, GetRewardGets503AfterItsWait) {
  ServerConfig config = small_config();
  config.queue_size = 0;
  config.get_reward_wait_s = 1;
  std::future<HttpResponse> busy = occupy_the_only_thread(config);
  HttpResponse refused =
      call(post("/get_reward", {{"query", {"```python\nprint(3)\n```"}}, {"labels", {"add-two"}}}));
  EXPECT_EQ(expect_error(refused, 503, "overloaded"), "");
  EXPECT_NE(body_of(refused)["error"]["message"].get<std::string>().find("--get-reward-wait-s"),
            std::string::npos);
  fake_->release();
  EXPECT_EQ(busy.get().status, 200);
}

// Bodies over 64 KiB are parsed on the parse threads, never on the caller's (an I/O thread).
TEST_F(FakeJudgeTest, LargeBodiesAreParsedOffTheCallersThread) {
  auto thread_of = [&](HttpRequest request) {
    std::promise<std::thread::id> answered;
    std::promise<int> status;
    app_->handle_async(std::move(request), [&](HttpResponse r) {
      status.set_value(r.status);
      answered.set_value(std::this_thread::get_id());
    });
    auto id = answered.get_future().get();
    EXPECT_EQ(status.get_future().get(), 400);
    return id;
  };
  const std::string small = R"({"language": "python", "code": "x", "junk": 1})";
  const std::string large =
      R"({"language": "python", "code": "x", "junk": ")" + std::string(100 << 10, 'j') + "\"}";
  EXPECT_EQ(thread_of(testing::post_raw("/v1/judge", small)), std::this_thread::get_id());
  EXPECT_NE(thread_of(testing::post_raw("/v1/judge", large)), std::this_thread::get_id());
}

// A body whose JSON alone would need more than --parse-budget-mb is refused before parsing.
TEST_F(FakeJudgeTest, BodyOverTheParseBudgetIs413) {
  ServerConfig config = small_config();
  config.parse_budget_mb = 1;
  make(config);
  std::string ints = "[1";
  for (int i = 0; i < 60000; ++i) ints += ",1";  // ~120 KB of text, ~2 MB as a DOM
  HttpResponse response =
      call(testing::post_raw("/v1/judge/batch", R"({"submissions": [], "junk": )" + ints + "]}"));
  EXPECT_EQ(expect_error(response, 413, "payload_too_large"), "body");
  EXPECT_NE(body_of(response)["error"]["message"].get<std::string>().find("--parse-budget-mb"),
            std::string::npos);
  // The same values in a string cost little to parse and are decoded as usual.
  HttpResponse fine =
      call(testing::post_raw("/v1/judge/batch", R"({"submissions": [], "junk": ")" + ints + "\"}"));
  EXPECT_EQ(expect_error(fine, 400, "bad_request"), "junk");
}

TEST_F(FakeJudgeTest, OversizedBatchRunsAloneWhenIdle) {
  ServerConfig config = small_config();
  config.concurrency = 1;
  config.queue_size = 1;
  make(config);
  json body = {{"language", "python"}, {"code", "x"}, {"problem_id", "add-two"}};
  HttpResponse response = call(post("/v1/judge/batch", {{"submissions", {body, body, body}}}));
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(body_of(response)["results"].size(), 3u);
}

TEST_F(FakeJudgeTest, DrainRefusesNewWorkButFinishesInFlight) {
  fake_->block();
  json body = {{"language", "python"}, {"code", "x"}, {"problem_id", "add-two"}};
  std::promise<HttpResponse> in_flight;
  app_->handle_async(post("/v1/judge", body), [&](HttpResponse r) { in_flight.set_value(r); });
  fake_->wait_for_calls(1);
  app_->begin_drain();
  expect_error(call(post("/v1/judge", body)), 503, "draining");
  HttpResponse health = call(get("/healthz"));
  EXPECT_EQ(health.status, 503);
  EXPECT_EQ(body_of(health)["status"], "draining");
  EXPECT_EQ(call(get("/v1/problems")).status, 200);  // reads still work
  EXPECT_EQ(app_->in_flight(), 1u);
  fake_->release();
  EXPECT_EQ(in_flight.get_future().get().status, 200);
  EXPECT_EQ(app_->in_flight(), 0u);
}

TEST(AppWithoutJudge, JudgingRoutesAre503) {
  App app(small_config(), nullptr, testing::fixture_problems(), nullptr);
  HttpResponse response =
      app.handle_request(post("/v1/judge", {{"language", "python"}, {"code", "x"}}));
  EXPECT_EQ(response.status, 503);
  EXPECT_EQ(app.handle_request(get("/healthz")).status, 503);
  EXPECT_EQ(app.handle_request(get("/v1/problems")).status, 200);
}

TEST_F(FakeJudgeTest, BatchAnswersEveryItemInOrder) {
  json good = {{"language", "python"}, {"code", "x"}, {"problem_id", "add-two"}};
  json bad = {{"language", "python"}, {"problem_id", "add-two"}};
  json missing = {{"language", "python"}, {"code", "x"}, {"problem_id", "missing"}};
  HttpResponse response =
      call(post("/v1/judge/batch", {{"submissions", {good, bad, missing, good, 5}}}));
  ASSERT_EQ(response.status, 200) << response.body;
  json results = body_of(response)["results"];
  ASSERT_EQ(results.size(), 5u);
  EXPECT_EQ(results[0]["verdict"], "AC");
  EXPECT_EQ(results[1]["error"]["field"], "submissions[1].code");
  EXPECT_EQ(results[2]["error"]["code"], "not_found");
  EXPECT_EQ(results[3]["verdict"], "AC");
  EXPECT_EQ(results[4]["error"]["field"], "submissions[4]");
  EXPECT_EQ(fake_->calls(), 2u);

  EXPECT_EQ(expect_error(call(post("/v1/judge/batch", {{"submissions", 3}})), 400, "bad_request"),
            "submissions");
  json nine = json::array();
  for (int i = 0; i < 9; ++i) nine.push_back(good);
  EXPECT_EQ(
      expect_error(call(post("/v1/judge/batch", {{"submissions", nine}})), 400, "bad_request"),
      "submissions");
}

// Random damage to valid bodies never yields a 5xx or a crash.
TEST_F(FakeJudgeTest, MutatedBodiesNeverGive500) {
  const std::vector<std::pair<std::string, json>> seeds = {
      {"/v1/judge", {{"language", "python"}, {"code", "print(1)"}, {"problem_id", "add-two"}}},
      {"/v1/judge",
       {{"language", "python"},
        {"code", "x"},
        {"mode", "function"},
        {"entry_point", "f"},
        {"signature", {{"params", {{{"name", "a"}, {"type", "int"}}}}, {"returns", "int"}}},
        {"tests", {{{"input", {1}}, {"output", 1}}}}}},
      {"/v1/rewards",
       {{"items", {{{"completion", "```python\nx\n```"}, {"problem_id", "add-two"}}}}}},
      {"/run_code", {{"language", "python"}, {"code", "x"}, {"run_timeout", 1}}},
      {"/get_reward", {{"query", {"q"}}, {"prompts", {"p"}}, {"labels", {"add-two"}}}},
  };
  uint64_t state = 12345;
  auto next = [&] {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return state >> 33;
  };
  for (int round = 0; round < 600; ++round) {
    const auto& [route, seed] = seeds[round % seeds.size()];
    std::string text = seed.dump();
    const int edits = 1 + static_cast<int>(next() % 4);
    for (int e = 0; e < edits && !text.empty(); ++e) {
      size_t at = next() % text.size();
      switch (next() % 3) {
        case 0:
          text[at] = "{}[]\",:0-1enul\\ ax"[next() % 18];
          break;
        case 1:
          text.erase(at, 1 + next() % 5);
          break;
        default:
          text.insert(at, text.substr(next() % text.size(), 1 + next() % 8));
      }
    }
    HttpResponse response = call(post_raw(route, text));
    ASSERT_LT(response.status, 500) << route << " " << text << " -> " << response.body;
    ASSERT_FALSE(body_of(response).is_discarded()) << response.body;
  }
}

// ---- the real judge -------------------------------------------------------------------------

TEST_F(RealJudgeTest, JudgesByProblemId) {
  HttpResponse response = call(post("/v1/judge", {{"language", "python"},
                                                  {"code",
                                                   "a, b = map(int, input().split())\n"
                                                   "print(a + b)\n"},
                                                  {"problem_id", "add-two"}}));
  ASSERT_EQ(response.status, 200) << response.body;
  json body = body_of(response);
  EXPECT_EQ(body["verdict"], "AC");
  EXPECT_EQ(body["passed"], 4);
  EXPECT_EQ(body["total"], 4);
  EXPECT_TRUE(body["compile"]["ok"].get<bool>());
  ASSERT_EQ(body["tests"].size(), 4u);
  EXPECT_EQ(body["tests"][0]["verdict"], "AC");
  EXPECT_EQ(body["tests"][0]["exit_code"], 0);
  EXPECT_TRUE(body["tests"][0]["signal"].is_null());
  EXPECT_GT(body["tests"][0]["memory_kb"].get<int>(), 0);
  EXPECT_FALSE(body["tests"][0].contains("stdout"));
}

TEST_F(RealJudgeTest, WrongAnswerOnHiddenTestRevealsNothing) {
  // Right on the public test (1 2 -> 3), wrong on the hidden ones.
  HttpResponse response = call(post("/v1/judge", {{"language", "python"},
                                                  {"code", "input()\nprint(3)\n"},
                                                  {"problem_id", "add-two"},
                                                  {"return_outputs", true}}));
  ASSERT_EQ(response.status, 200) << response.body;
  json body = body_of(response);
  EXPECT_EQ(body["verdict"], "WA");
  EXPECT_EQ(body["passed"], 1);
  EXPECT_EQ(body["tests"][0]["stdout"], "3\n");
  EXPECT_EQ(body["tests"][0]["expected"], "3\n");
  EXPECT_TRUE(body["tests"][1]["hidden"].get<bool>());
  EXPECT_FALSE(body["tests"][1].contains("expected"));
  EXPECT_FALSE(body["tests"][1].contains("message"));
  EXPECT_EQ(body["message"], "test 2: WA (hidden test)");
  // The hidden tests' data (100 23 -> 123) is in no field; only numbers such as timings may
  // contain those digits.
  for (size_t i = 1; i < body["tests"].size(); ++i) {
    for (const char* field : {"stdout", "stderr", "expected", "input", "message"}) {
      EXPECT_FALSE(body["tests"][i].contains(field)) << i << " " << field;
    }
  }
  EXPECT_FALSE(any_string_contains(body, "123")) << response.body;
  EXPECT_FALSE(any_string_contains(body, "100 23")) << response.body;
}

TEST_F(RealJudgeTest, InlineTestsInEveryMode) {
  json stdio = {
      {"language", "cpp"},
      {"code", "#include <iostream>\nint main(){long a,b;std::cin>>a>>b;std::cout<<a*b;}"},
      {"tests", {{{"input", "6 7"}, {"output", "42"}}, {{"input", "0 5"}, {"output", "1"}}}},
      {"return_outputs", true}};
  json body = body_of(call(post("/v1/judge", stdio)));
  EXPECT_EQ(body["verdict"], "WA") << body;
  EXPECT_EQ(body["passed"], 1);
  EXPECT_EQ(body["tests"][1]["stdout"], "0");  // inline tests are the caller's own: shown
  EXPECT_EQ(body["tests"][1]["expected"], "1");

  json function = {
      {"language", "python"},
      {"code", "def add(a, b):\n    return a + b\n"},
      {"mode", "function"},
      {"entry_point", "add"},
      {"signature",
       {{"params", {{{"name", "a"}, {"type", "int"}}, {{"name", "b"}, {"type", "int"}}}},
        {"returns", "int"}}},
      {"tests", {{{"input", {1, 2}}, {"output", 3}}, {{"input", {-1, 1}}, {"output", 0}}}}};
  body = body_of(call(post("/v1/judge", function)));
  EXPECT_EQ(body["verdict"], "AC") << body;

  json assert_mode = {{"language", "python"},
                      {"code", "def is_even(n):\n    return n % 2 == 1\n"},
                      {"problem_id", "is-even"},
                      {"stop_on_first_failure", true}};
  body = body_of(call(post("/v1/judge", assert_mode)));
  EXPECT_EQ(body["verdict"], "WA") << body;
  EXPECT_EQ(body["tests"].size(), 1u);  // stopped at the first failure
}

TEST_F(RealJudgeTest, CompileErrorAndTimeLimit) {
  json body = body_of(call(
      post("/v1/judge",
           {{"language", "cpp"}, {"code", "int main( { return 0; }"}, {"problem_id", "add-two"}})));
  EXPECT_EQ(body["verdict"], "CE");
  EXPECT_FALSE(body["compile"]["ok"].get<bool>());
  EXPECT_NE(body["compile"]["stderr"].get<std::string>().find("error"), std::string::npos);

  body = body_of(call(post("/v1/judge", {{"language", "python"},
                                         {"code", "while True:\n    pass\n"},
                                         {"problem_id", "add-two"},
                                         {"limits", {{"time_ms", 200}}},
                                         {"stop_on_first_failure", true}})));
  EXPECT_EQ(body["verdict"], "TLE") << body;
}

TEST_F(RealJudgeTest, RewardsScoreCompletions) {
  const std::string good =
      "<think>sum</think>\n```python\na, b = map(int, input().split())\n"
      "print(a + b)\n```";
  const std::string partial =
      "```python\nimport sys\na, b = map(int, input().split())\n"
      "print(a + b if a > 0 else 0)\n```";
  json request = {{"items",
                   {{{"completion", good}, {"problem_id", "add-two"}},
                    {{"completion", "no code here"}, {"problem_id", "add-two"}},
                    {{"completion", partial}, {"problem_id", "add-two"}},
                    {{"completion", good}, {"problem_id", "missing"}},
                    {{"completion", "```cpp\nint main(){}\n```"}, {"problem_id", "is-even"}}}},
                  {"accuracy", "fraction"},
                  {"weights", {{"accuracy", 1.0}, {"format", 0.5}}}};
  HttpResponse response = call(post("/v1/rewards", request));
  ASSERT_EQ(response.status, 200) << response.body;
  json items = body_of(response)["items"];
  ASSERT_EQ(items.size(), 5u);
  EXPECT_DOUBLE_EQ(items[0]["reward"].get<double>(), 1.5);
  EXPECT_EQ(items[0]["verdict"], "AC");
  EXPECT_TRUE(items[0]["extracted"].get<bool>());
  EXPECT_DOUBLE_EQ(items[1]["reward"].get<double>(), 0.0);
  EXPECT_FALSE(items[1]["extracted"].get<bool>());
  EXPECT_TRUE(items[1]["verdict"].is_null());
  // -5 5 -> 0 is right by accident; 1 2, 100 23 and 7 8 are right: 4 of 4? No: a > 0 in all
  // but "-5 5", whose answer 0 is also what it prints. Fraction mode counts every test.
  EXPECT_EQ(items[2]["total"], 4);
  EXPECT_DOUBLE_EQ(items[2]["accuracy"].get<double>(), items[2]["passed"].get<double>() / 4.0);
  EXPECT_TRUE(items[3]["reward"].is_null());
  EXPECT_EQ(items[3]["error"]["code"], "not_found");
  // A cpp block for a python-only problem: no python code to run, so no accuracy.
  EXPECT_FALSE(items[4]["extracted"].get<bool>());
  EXPECT_DOUBLE_EQ(items[4]["reward"].get<double>(), 0.0);

  EXPECT_EQ(expect_error(call(post("/v1/rewards", {{"items", {}}, {"accuracy", "most"}})), 400,
                         "bad_request"),
            "accuracy");
  EXPECT_EQ(expect_error(call(post("/v1/rewards", {{"items", 1}})), 400, "bad_request"), "items");
  EXPECT_EQ(expect_error(call(post("/v1/rewards", {{"items", {}}, {"weights", {{"acc", 1}}}})), 400,
                         "bad_request"),
            "weights.acc");
}

TEST_F(RealJudgeTest, RewardsUseTheCompletionsLanguage) {
  json request = {
      {"items",
       {{{"completion",
          "```cpp\n#include <iostream>\nint main(){long a,b;std::cin>>a>>b;std::cout<<a+b;}\n```"},
         {"problem_id", "add-two"}}}}};
  json items = body_of(call(post("/v1/rewards", request)))["items"];
  EXPECT_EQ(items[0]["language"], "cpp");
  EXPECT_EQ(items[0]["verdict"], "AC") << items;
}

TEST_F(RealJudgeTest, GetRewardStripsThePromptAndUsesLabelsAsProblemIds) {
  const std::string prompt = "Solve it. Example:\n```python\nprint('not this')\n```\n";
  const std::string answer = "```python\na, b = map(int, input().split())\nprint(a + b)\n```";
  json request = {{"query", {prompt + answer, prompt + "I give up", prompt + answer}},
                  {"prompts", {prompt, prompt, prompt}},
                  {"labels", {"add-two", "add-two", "missing"}}};
  HttpResponse response = call(post("/get_reward", request));
  ASSERT_EQ(response.status, 200) << response.body;
  json body = body_of(response);
  ASSERT_EQ(body["rewards"].size(), 3u);
  EXPECT_DOUBLE_EQ(body["rewards"][0].get<double>(), 1.0);  // format 0: no <think>
  EXPECT_DOUBLE_EQ(body["rewards"][1].get<double>(), 0.0);  // the prompt's block is not scored
  EXPECT_DOUBLE_EQ(body["rewards"][2].get<double>(), 0.0);  // bad label: ie_reward
  EXPECT_EQ(body["items"][2]["error"]["field"], "labels[2].problem_id");

  EXPECT_EQ(expect_error(call(post("/get_reward", {{"query", {"a"}}, {"labels", json::array()}})),
                         400, "bad_request"),
            "labels");
}

// OpenRLHF's request (openrlhf/utils/agent.py, _fetch_rewards_via_http): {"query", "prompts",
// "labels"}, where query is decode(prompt tokens + response tokens). Its prompt part is not
// always the prompt: re-tokenising changes spaces, and a long prompt is cut from the left.
TEST_F(RealJudgeTest, GetRewardNeverJudgesPromptText) {
  const std::string prompt =
      "<|im_start|>user\nAdd two numbers. A solution:\n```python\na, b = map(int, "
      "input().split())\nprint(a + b)\n```\nWrite your own.<|im_end|>\n<|im_start|>assistant\n";
  const std::string answer = "```python\nx, y = map(int, input().split())\nprint(x + y)\n```";
  std::string respaced = prompt;
  respaced.replace(respaced.find("two numbers"), 11, "two  numbers");
  // Cut inside the prompt's own code block, keeping more than the 64 bytes that anchor it.
  const std::string cut = prompt.substr(prompt.find("input().split())"));
  json request = {{"query",
                   {respaced + "I cannot solve this.",  // the hack: only the prompt holds code
                    respaced + answer, cut + answer, "```python\nprint(1)\n```", prompt + answer}},
                  {"prompts", {prompt, prompt, prompt, prompt, prompt}},
                  {"labels", {"add-two", "add-two", "add-two", "add-two", "add-two"}}};
  HttpResponse response = call(post("/get_reward", request));
  ASSERT_EQ(response.status, 200) << response.body;
  json body = body_of(response);
  ASSERT_EQ(body["rewards"].size(), 5u) << body;
  EXPECT_DOUBLE_EQ(body["rewards"][0].get<double>(), 0.0) << body["items"][0];
  EXPECT_FALSE(body["items"][0]["extracted"].get<bool>());
  EXPECT_DOUBLE_EQ(body["rewards"][1].get<double>(), 1.0) << body["items"][1];
  EXPECT_DOUBLE_EQ(body["rewards"][2].get<double>(), 1.0) << body["items"][2];
  // No prompt in the query: nothing is judged, and items say why.
  EXPECT_DOUBLE_EQ(body["rewards"][3].get<double>(), 0.0);
  EXPECT_TRUE(body["items"][3]["verdict"].is_null());
  EXPECT_NE(body["items"][3]["reason"].get<std::string>().find("prompt"), std::string::npos);
  EXPECT_DOUBLE_EQ(body["rewards"][4].get<double>(), 1.0);

  // OpenRLHF's own reward-server fields: "scores" drive its dynamic filtering and must be the
  // accuracy, not the reward with its format bonus; "extra_logs" lists are per sample.
  ASSERT_EQ(body["scores"].size(), 5u);
  ASSERT_EQ(body["extra_logs"]["accuracy"].size(), 5u);
  ASSERT_EQ(body["extra_logs"]["format"].size(), 5u);
  for (size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(body["scores"][i], body["items"][i]["accuracy"]) << i;
    EXPECT_EQ(body["extra_logs"]["accuracy"][i], body["items"][i]["accuracy"]) << i;
    EXPECT_EQ(body["extra_logs"]["format"][i], body["items"][i]["format"]) << i;
  }
  json think = {{"query", {prompt + "<think>\nsum\n</think>\n" + answer}},
                {"prompts", {prompt}},
                {"labels", {"add-two"}}};
  json scored = body_of(call(post("/get_reward", think)));
  EXPECT_DOUBLE_EQ(scored["rewards"][0].get<double>(), 1.1) << scored;  // 1.0 + 0.1 format
  EXPECT_DOUBLE_EQ(scored["scores"][0].get<double>(), 1.0) << scored;
}

TEST_F(RealJudgeTest, RunCodeSpeaksSandboxFusion) {
  json body = body_of(call(post("/run_code", {{"code", "print(input()[::-1])"},
                                              {"language", "python"},
                                              {"stdin", "abc\n"},
                                              {"files", json::object()},
                                              {"fetch_files", json::array()}})));
  EXPECT_EQ(body["status"], "Success") << body;
  EXPECT_TRUE(body["compile_result"].is_null());
  EXPECT_EQ(body["run_result"]["status"], "Finished");
  EXPECT_EQ(body["run_result"]["return_code"], 0);
  EXPECT_EQ(body["run_result"]["stdout"], "cba\n");
  EXPECT_GT(body["run_result"]["execution_time"].get<double>(), 0.0);

  body =
      body_of(call(post("/run_code", {{"code", "int main() { return 3; }"}, {"language", "cpp"}})));
  EXPECT_EQ(body["status"], "Failed") << body;
  EXPECT_EQ(body["compile_result"]["status"], "Finished");
  EXPECT_EQ(body["compile_result"]["return_code"], 0);
  EXPECT_EQ(body["run_result"]["return_code"], 3);

  body = body_of(call(post("/run_code", {{"code", "int main( {"}, {"language", "cpp"}})));
  EXPECT_EQ(body["status"], "Failed");
  EXPECT_NE(body["compile_result"]["return_code"], 0);
  EXPECT_TRUE(body["run_result"].is_null());

  body = body_of(call(post(
      "/run_code", {{"code", "while True: pass"}, {"language", "python"}, {"run_timeout", 0.3}})));
  EXPECT_EQ(body["status"], "Failed");
  EXPECT_EQ(body["run_result"]["status"], "TimeLimitExceeded");

  body = body_of(call(post("/run_code", {{"code", "console.log(1+1)"}, {"language", "nodejs"}})));
  EXPECT_EQ(body["run_result"]["stdout"], "2\n") << body;

  EXPECT_EQ(expect_error(call(post("/run_code", {{"code", "x"}, {"language", "bash"}})), 400,
                         "bad_request"),
            "language");
}

// SandboxFusion's files and fetch_files, in the shapes of its own tests: input files at nested
// relative paths, outputs fetched from the working directory and from /mnt, and what is not a
// regular file left out.
TEST_F(RealJudgeTest, RunCodePlacesAndFetchesFiles) {
  const std::string code =
      "import os\n"
      "print(open('dir1/dir2/secret').read())\n"
      "open('a.txt', 'w').write('out')\n"
      "open('/mnt/b', 'w').write('mnt')\n"
      "os.symlink('/etc/hostname', 'link')\n"
      "os.mkdir('adir')\n";
  json body = body_of(call(
      post("/run_code",
           {{"code", code},
            {"language", "python"},
            {"files", {{"dir1/dir2/secret", "aGVsbG8="}, {"skipped", nullptr}}},
            {"fetch_files",
             {"a.txt", "/mnt/b", "missing", "skipped", "link", "adir", "./dir1/dir2/secret"}}})));
  EXPECT_EQ(body["status"], "Success") << body;
  EXPECT_EQ(body["run_result"]["stdout"], "hello\n") << body;
  EXPECT_EQ(body["files"],
            json({{"a.txt", "b3V0"}, {"/mnt/b", "bW50"}, {"./dir1/dir2/secret", "aGVsbG8="}}))
      << body;

  // Each run starts with empty areas: nothing of the run before is there.
  body = body_of(call(post("/run_code", {{"code", "import os; print(sorted(os.listdir('.')))"},
                                         {"language", "python"},
                                         {"fetch_files", {"a.txt", "/mnt/b"}}})));
  EXPECT_EQ(body["run_result"]["stdout"], "[]\n") << body;
  EXPECT_EQ(body["files"], json::object()) << body;

  for (const json& files :
       {json{{"../up", "aGk="}}, json{{"/etc/x", "aGk="}}, json{{"a.txt", "not base64!"}},
        json{{"a", "aGk="}, {"a/b", "aGk="}}, json{{"a.txt", 1}}, json::array()}) {
    EXPECT_EQ(expect_error(call(post("/run_code",
                                     {{"code", "x"}, {"language", "python"}, {"files", files}})),
                           400, "bad_request"),
              "files")
        << files;
  }
  for (const json& fetch : {json{"/proc/self/environ"}, json{1}, json::object()}) {
    EXPECT_EQ(
        expect_error(call(post("/run_code",
                               {{"code", "x"}, {"language", "python"}, {"fetch_files", fetch}})),
                     400, "bad_request"),
        "fetch_files")
        << fetch;
  }
}

}  // namespace
}  // namespace codejudge::server
