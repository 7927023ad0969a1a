// One contract, two RewardClients: the same cases run against the in-process client and against
// the HTTP client talking to a real `codejudge serve` (started on an ephemeral port; skipped with
// the reason when this build has no server yet). Then the HTTP client's own duties against a
// scripted fake server: order, null rewards, retries, failover, timeouts, spreading.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "codejudge/problems/json.h"
#include "codejudge/trainer/in_process_reward_client.h"
#include "codejudge/trainer/reward_client.h"
#include "serve_process.h"

namespace codejudge::trainer {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

problems::Problem add_problem(const std::string& id) {
  problems::Problem p;
  p.id = id;
  p.title = "Add 7";
  p.statement = "Return x plus 7.";
  p.mode = problems::Mode::kFunction;
  p.entry_point = "add_7";
  p.signature.params = {{"x", "int"}};
  p.signature.returns = "int";
  p.tests = {{"[3]", "10", ""}, {"[-7]", "0", ""}, {"[100]", "107", ""}};
  p.public_tests = 1;
  p.limits.time_ms = 2000;
  return p;
}

// A custom checker that kills itself: the judge's own failure, so IE and a null reward.
problems::Problem broken_checker_problem() {
  problems::Problem p = add_problem("contract/broken-checker");
  p.checker.type = problems::CheckerSpec::Type::kCustom;
  p.checker.language = "python";
  p.checker.code = "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)\n";
  return p;
}

std::string answer(const std::string& body, bool think = true) {
  std::string code = "def add_7(x: int) -> int:\n" + body;
  return (think ? "<think>\nadd seven\n</think>\n" : "") + std::string("```python\n") + code +
         "```";
}

const std::string kCorrect = answer("    return x + 7\n");
const std::string kWrong = answer("    return x + 6\n");
const std::string kTwoOfThree = answer("    return x + 7 if x < 50 else 0\n");
const std::string kCrash = answer("    raise ValueError('no')\n");
const std::string kNoCode = "<think>\nno idea\n</think>\nI cannot solve this.";

// --- the server process -----------------------------------------------------------------

// The server for the HTTP cases (tests/support/serve_process.h), or why it cannot run.
struct ServerProcess {
  std::unique_ptr<testing::ServeProcess> process;
  int port = 0;
  std::string skip;   // why the HTTP cases cannot run in this build
  std::string error;  // the server should have started and did not
};

ServerProcess start_server(const std::string& dir) {
  ServerProcess server;
  std::string binary = CODEJUDGE_BINARY;
  if (!fs::exists(binary)) {
    server.skip = "the codejudge binary is not built (" + binary + "); build target codejudge";
    return server;
  }
  testing::ServeOptions options;
  options.binary = binary;
  options.dir = dir;
  options.log_path = dir + "/server.log";
  options.log_stdout = true;
  options.args = {"--host",    "127.0.0.1", "--problems",  dir + "/problems",
                  "--workers", "2",         "--cache-dir", dir + "/server-cache"};
  server.process = std::make_unique<testing::ServeProcess>(options);
  server.port = server.process->port();
  server.error = server.process->error();
  return server;
}

void stop_server(ServerProcess* server) {
  if (!server->process) return;
  if (!server->process->stop(SIGTERM, std::chrono::seconds(5))) {
    server->process->stop(SIGKILL, std::chrono::seconds(30));
  }
  server->process.reset();
}

// --- the contract -----------------------------------------------------------------------

enum class Impl { kInProcess, kHttpInline, kHttpById };

std::string impl_name(const ::testing::TestParamInfo<Impl>& info) {
  switch (info.param) {
    case Impl::kInProcess:
      return "InProcess";
    case Impl::kHttpInline:
      return "HttpInline";
    case Impl::kHttpById:
      return "HttpById";
  }
  return "Unknown";
}

class RewardContract : public ::testing::TestWithParam<Impl> {
 protected:
  static void SetUpTestSuite() {
    char pattern[] = "/tmp/codejudge-reward-contract-XXXXXX";
    dir_ = new std::string(mkdtemp(pattern));
    problems_ =
        new std::vector<problems::Problem>{add_problem("contract/add7"), broken_checker_problem()};
    fs::create_directories(*dir_ + "/problems");
    std::ofstream out(*dir_ + "/problems/contract.jsonl");
    for (const auto& p : *problems_) out << problems::to_json(p).dump() << "\n";
    out.close();
    // The judge and the server start on first use: ctest runs each case in its own process.
  }
  static void TearDownTestSuite() {
    if (server_) stop_server(server_);
    delete server_;
    server_ = nullptr;
    delete judge_;
    judge_ = nullptr;
    std::error_code ec;
    fs::remove_all(*dir_, ec);
    delete dir_;
    delete problems_;
    delete judge_error_;
    judge_error_ = nullptr;
  }
  void SetUp() override {
    if (GetParam() == Impl::kInProcess && judge_ == nullptr && judge_error_ == nullptr) {
      judges::JudgeConfig config;
      config.cache_dir = *dir_ + "/cache";
      config.workers = 2;
      judge_error_ = new std::string;
      judge_ = judges::Judge::create(config, judge_error_).release();
    }
    if (GetParam() != Impl::kInProcess && server_ == nullptr) {
      server_ = new ServerProcess(start_server(*dir_));
    }
    if (GetParam() == Impl::kInProcess) {
      ASSERT_NE(judge_, nullptr) << "the judge could not start: " << *judge_error_;
    } else {
      if (!server_->skip.empty()) GTEST_SKIP() << server_->skip;
      ASSERT_TRUE(server_->error.empty()) << server_->error;
    }
  }

  std::unique_ptr<RewardClient> client(judges::AccuracyMode mode) {
    RewardSettings settings;
    settings.accuracy = mode;
    if (GetParam() == Impl::kInProcess) return make_in_process_reward_client(judge_, settings, 2);
    HttpRewardConfig config;
    config.settings = settings;
    config.servers = {"127.0.0.1:" + std::to_string(server_->port)};
    config.timeout_ms = 60000;
    config.inline_problems = GetParam() == Impl::kHttpInline;
    std::string error;
    auto c = make_http_reward_client(config, &error);
    EXPECT_TRUE(c) << error;
    return c;
  }

  RewardResult score_one(const std::string& completion,
                         judges::AccuracyMode mode = judges::AccuracyMode::kBinary,
                         size_t problem = 0) {
    auto c = client(mode);
    auto results = c->score({{&(*problems_)[problem], completion, "python"}});
    EXPECT_EQ(results.size(), 1u);
    return results.at(0);
  }

  static std::string* dir_;
  static std::vector<problems::Problem>* problems_;
  static judges::Judge* judge_;
  static std::string* judge_error_;
  static ServerProcess* server_;
};

std::string* RewardContract::dir_ = nullptr;
std::vector<problems::Problem>* RewardContract::problems_ = nullptr;
judges::Judge* RewardContract::judge_ = nullptr;
std::string* RewardContract::judge_error_ = nullptr;
ServerProcess* RewardContract::server_ = nullptr;

TEST_P(RewardContract, CorrectAnswerInTheRewardedShape) {
  RewardResult r = score_one(kCorrect);
  ASSERT_TRUE(r.reward) << r.reason;
  EXPECT_NEAR(*r.reward, 1.1, 1e-9);
  EXPECT_EQ(r.accuracy, 1.0);
  EXPECT_EQ(r.format, 1.0);
  EXPECT_EQ(r.verdict, "AC");
  EXPECT_TRUE(r.extracted);
  EXPECT_EQ(r.total, 3u);
  EXPECT_EQ(r.passed, 3u);
}

TEST_P(RewardContract, WrongAnswerKeepsOnlyTheFormatReward) {
  RewardResult r = score_one(kWrong);
  ASSERT_TRUE(r.reward) << r.reason;
  EXPECT_NEAR(*r.reward, 0.1, 1e-9);
  EXPECT_EQ(r.accuracy, 0.0);
  EXPECT_EQ(r.verdict, "WA");
  EXPECT_TRUE(r.extracted);
}

TEST_P(RewardContract, CorrectCodeWithoutThinkingHasNoFormatReward) {
  RewardResult r = score_one(answer("    return x + 7\n", false));
  ASSERT_TRUE(r.reward) << r.reason;
  EXPECT_NEAR(*r.reward, 1.0, 1e-9);
  EXPECT_EQ(r.format, 0.0);
  EXPECT_EQ(r.verdict, "AC");
}

TEST_P(RewardContract, NoCodeScoresZero) {
  RewardResult r = score_one(kNoCode);
  ASSERT_TRUE(r.reward) << r.reason;
  EXPECT_NEAR(*r.reward, 0.0, 1e-9);
  EXPECT_FALSE(r.extracted);
  EXPECT_EQ(r.accuracy, 0.0);
}

TEST_P(RewardContract, RuntimeError) {
  RewardResult r = score_one(kCrash);
  ASSERT_TRUE(r.reward) << r.reason;
  EXPECT_EQ(r.verdict, "RE");
  EXPECT_EQ(r.accuracy, 0.0);
}

TEST_P(RewardContract, FractionCountsPassedTests) {
  RewardResult r = score_one(kTwoOfThree, judges::AccuracyMode::kFraction);
  ASSERT_TRUE(r.reward) << r.reason;
  EXPECT_NEAR(r.accuracy, 2.0 / 3.0, 1e-9);
  EXPECT_NEAR(*r.reward, 2.0 / 3.0 + 0.1, 1e-9);
  EXPECT_EQ(r.passed, 2u);
  EXPECT_EQ(r.total, 3u);
  EXPECT_EQ(r.verdict, "WA");
  RewardResult binary = score_one(kTwoOfThree);
  ASSERT_TRUE(binary.reward);
  EXPECT_EQ(binary.accuracy, 0.0);
}

TEST_P(RewardContract, InternalErrorIsANullRewardWithAReason) {
  RewardResult r = score_one(kCorrect, judges::AccuracyMode::kBinary, 1);
  EXPECT_FALSE(r.reward.has_value()) << "reward " << r.reward.value_or(-1);
  EXPECT_FALSE(r.reason.empty());
}

TEST_P(RewardContract, BatchKeepsOrder) {
  auto c = client(judges::AccuracyMode::kBinary);
  std::vector<RewardRequest> requests;
  for (int i = 0; i < 8; ++i) {
    requests.push_back(
        {&(*problems_)[0], i % 3 == 0 ? kCorrect : (i % 3 == 1 ? kWrong : kNoCode), "python"});
  }
  std::vector<RewardResult> results = c->score(requests);
  ASSERT_EQ(results.size(), requests.size());
  for (size_t i = 0; i < results.size(); ++i) {
    ASSERT_TRUE(results[i].reward) << i << ": " << results[i].reason;
    double expected = i % 3 == 0 ? 1.1 : (i % 3 == 1 ? 0.1 : 0.0);
    EXPECT_NEAR(*results[i].reward, expected, 1e-9) << i;
  }
  EXPECT_TRUE(c->score({}).empty());
}

INSTANTIATE_TEST_SUITE_P(Both, RewardContract,
                         ::testing::Values(Impl::kInProcess, Impl::kHttpInline, Impl::kHttpById),
                         impl_name);

// --- three paths, one policy -------------------------------------------------------------

// A stdio problem: print the sum of two integers.
problems::Problem sum_problem() {
  problems::Problem p;
  p.id = "contract/sum";
  p.title = "Sum";
  p.statement = "Read two integers, print their sum.";
  p.mode = problems::Mode::kStdio;
  p.tests = {{"1 2\n", "3\n", ""}, {"-5 5\n", "0\n", ""}};
  p.limits.time_ms = 2000;
  return p;
}

// POST body to 127.0.0.1:port/path; the response body (the server closes after it).
std::string http_post(int port, const std::string& path, const std::string& body) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    close(fd);
    return "";
  }
  const std::string request = "POST " + path +
                              " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                              "Connection: close\r\nContent-Length: " +
                              std::to_string(body.size()) + "\r\n\r\n" + body;
  for (size_t sent = 0; sent < request.size();) {
    const ssize_t n = write(fd, request.data() + sent, request.size() - sent);
    if (n <= 0) break;
    sent += static_cast<size_t>(n);
  }
  std::string response;
  char buffer[4096];
  for (ssize_t n; (n = read(fd, buffer, sizeof(buffer))) > 0;) {
    response.append(buffer, static_cast<size_t>(n));
  }
  close(fd);
  const size_t header_end = response.find("\r\n\r\n");
  return header_end == std::string::npos ? "" : response.substr(header_end + 4);
}

// One scored item as the wire shows it; the in-process client's result in the same shape.
json as_wire(const RewardResult& r) {
  json out = {{"reward", r.reward ? json(*r.reward) : json(nullptr)},
              {"accuracy", r.accuracy},
              {"format", r.format},
              {"extracted", r.extracted},
              {"verdict", r.verdict.empty() ? json(nullptr) : json(r.verdict)},
              {"passed", r.passed},
              {"total", r.total}};
  if (!r.reason.empty()) out["reason"] = r.reason;
  return out;
}

json comparable(json item) {
  item.erase("language");  // only the server reports it
  return item;
}

// The same completion gets the same reward, accuracy, format, verdict, counts and reason from the
// in-process client, POST /v1/rewards and POST /get_reward: all three call judges/scoring.h.
TEST(ThreePaths, SameScoreForEveryCompletionOfACorpus) {
  char pattern[] = "/tmp/codejudge-three-paths-XXXXXX";
  const std::string dir = mkdtemp(pattern);
  const std::vector<problems::Problem> set = {add_problem("contract/add7"),
                                              broken_checker_problem(), sum_problem()};
  fs::create_directories(dir + "/problems");
  {
    std::ofstream out(dir + "/problems/contract.jsonl");
    for (const auto& p : set) out << problems::to_json(p).dump() << "\n";
  }
  ServerProcess server = start_server(dir);
  if (!server.skip.empty()) GTEST_SKIP() << server.skip;
  ASSERT_TRUE(server.error.empty()) << server.error;
  judges::JudgeConfig config;
  config.cache_dir = dir + "/cache";
  config.workers = 2;
  std::string error;
  std::unique_ptr<judges::Judge> judge = judges::Judge::create(config, &error);
  ASSERT_TRUE(judge) << error;

  const std::string think = "<think>\nplan\n</think>\n";
  const std::string cpp = "```cpp\nint add_7(int x) { return x + 7; }\n```";
  const std::string js = "```js\nfunction add_7(x) { return x + 7; }\n```";
  const std::string sum = "```python\na, b = map(int, input().split())\nprint(a + b)\n```";
  struct Case {
    size_t problem;
    std::string completion;
    std::string language;  // "" lets judges choose from the last block
  };
  const std::vector<Case> corpus = {
      {0, kCorrect, "python"},
      {0, kCorrect, ""},
      {0, kWrong, ""},
      {0, kTwoOfThree, "python"},
      {0, kCrash, ""},
      {0, kNoCode, ""},
      {0, answer("    return x + 7\n", false), ""},
      {0, answer("    return x +\n"), ""},  // CE: a syntax error
      {0, think + cpp, ""},                 // the last block's language: cpp
      {0, think + cpp, "python"},           // no python block: no code
      {0, think + cpp, "c++"},
      {0, think + js, ""},
      {0, kWrong + "\n" + cpp, ""},  // two blocks: the last one's language
      {0, cpp + "\n" + kCorrect.substr(kCorrect.find("```")), ""},
      {0, "~~~py {.numberLines}\ndef add_7(x):\n    return x + 7\n~~~", ""},
      {0, "1. code:\n   ```python\n   def add_7(x):\n       return x + 7\n   ```", ""},
      {0, think + "<answer>\n```python\ndef add_7(x):\n    return x + 7\n```\n</answer>", ""},
      {0, think + "```python\ndef add_7(x):\n    return x + 7\n", ""},  // unterminated
      {0, kCorrect + "\n```rust\n\n```", ""},                           // blank last block
      {0, think + "```\ndef add_7(x):\n    return x + 7\n```", ""},     // untagged
      {1, kCorrect, ""},                                                // IE: the checker dies
      {2, think + sum, ""},
      {2, think + sum, "python"},
      {2,
       think + "```c\n#include <stdio.h>\nint main(){int a,b;scanf(\"%d %d\",&a,&b);"
               "printf(\"%d\\n\",a+b);}\n```",
       ""},
      {2, think + "```python\nprint(3)\n```", ""},
  };

  std::vector<RewardRequest> requests;
  json items = json::array(), queries = json::array(), labels = json::array();
  for (const Case& c : corpus) {
    requests.push_back({&set[c.problem], c.completion, c.language});
    json item = {{"problem_id", set[c.problem].id}, {"completion", c.completion}};
    json label = {{"problem_id", set[c.problem].id}};
    if (!c.language.empty()) item["language"] = label["language"] = c.language;
    items.push_back(item);
    queries.push_back(c.completion);
    labels.push_back(label);
  }
  auto in_process = make_in_process_reward_client(judge.get(), RewardSettings{}, 2);
  const std::vector<RewardResult> local = in_process->score(requests);
  const json rewards = json::parse(
      http_post(server.port, "/v1/rewards", json{{"items", items}}.dump()), nullptr, false);
  const json get_reward = json::parse(
      http_post(server.port, "/get_reward", json{{"query", queries}, {"labels", labels}}.dump()),
      nullptr, false);
  stop_server(&server);
  judge.reset();
  fs::remove_all(dir);

  ASSERT_TRUE(rewards.contains("items")) << rewards.dump();
  ASSERT_TRUE(get_reward.contains("items")) << get_reward.dump();
  ASSERT_EQ(rewards["items"].size(), corpus.size());
  ASSERT_EQ(get_reward["items"].size(), corpus.size());
  std::set<std::string> verdicts;
  for (size_t i = 0; i < corpus.size(); ++i) {
    const json expected = as_wire(local[i]);
    EXPECT_EQ(comparable(rewards["items"][i]), expected) << "/v1/rewards, case " << i;
    EXPECT_EQ(comparable(get_reward["items"][i]), expected) << "/get_reward, case " << i;
    verdicts.insert(local[i].verdict);
  }
  // The corpus covers the outcomes, so agreement is not agreement on one answer.
  for (const char* verdict : {"AC", "WA", "RE", "CE", "IE", ""}) {
    EXPECT_TRUE(verdicts.count(verdict)) << "no case gave " << verdict;
  }
  EXPECT_EQ(local[8].verdict, "AC") << "the last block's language (cpp) was judged";
  EXPECT_FALSE(local[9].extracted) << "no python block in a cpp answer";
  EXPECT_FALSE(local[20].reward) << "the broken checker is an IE";
  EXPECT_NE(local[20].reason.find("mask this sample ("), std::string::npos)
      << "the IE reason carries the judge's message: " << local[20].reason;
}

// --- the HTTP client against a scripted server --------------------------------------------

// Answers each request with handler(body) -> (status, response body). Status 0 holds the
// connection open without answering (until the server stops).
class FakeServer {
 public:
  using Handler = std::function<std::pair<int, std::string>(const std::string&)>;
  explicit FakeServer(Handler handler) : handler_(std::move(handler)) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
    listen(fd_, 16);
    socklen_t len = sizeof(addr);
    getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { loop(); });
  }
  ~FakeServer() {
    stop_ = true;
    thread_.join();
    close(fd_);
  }
  int port() const { return port_; }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
  std::vector<std::string> bodies() {
    std::lock_guard<std::mutex> lock(mutex_);
    return bodies_;
  }

 private:
  void loop() {
    std::vector<std::thread> workers;
    while (!stop_) {
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, 20) <= 0) continue;
      int client = accept(fd_, nullptr, nullptr);
      if (client < 0) continue;
      workers.emplace_back([this, client] { serve(client); });
    }
    for (auto& w : workers) w.join();
  }
  void serve(int client) {
    std::string data;
    char buffer[4096];
    size_t header_end = std::string::npos, length = 0;
    while (!stop_) {
      pollfd p{client, POLLIN, 0};
      if (poll(&p, 1, 20) <= 0) continue;
      ssize_t n = read(client, buffer, sizeof(buffer));
      if (n <= 0) break;
      data.append(buffer, static_cast<size_t>(n));
      if (header_end == std::string::npos) {
        header_end = data.find("\r\n\r\n");
        if (header_end != std::string::npos) {
          std::string headers = data.substr(0, header_end);
          for (auto& ch : headers) ch = static_cast<char>(std::tolower(ch));
          size_t at = headers.find("content-length:");
          length = at == std::string::npos ? 0 : std::stoul(headers.substr(at + 15));
        }
      }
      if (header_end != std::string::npos && data.size() >= header_end + 4 + length) break;
    }
    std::string body = header_end == std::string::npos ? "" : data.substr(header_end + 4, length);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      bodies_.push_back(body);
    }
    auto [status, text] = handler_(body);
    if (status == 0) {
      while (!stop_) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    } else {
      std::string response = "HTTP/1.1 " + std::to_string(status) + " X\r\nContent-Type: " +
                             "application/json\r\nContent-Length: " + std::to_string(text.size()) +
                             "\r\nConnection: close\r\n\r\n" + text;
      ssize_t ignored = write(client, response.data(), response.size());
      (void)ignored;
    }
    close(client);
  }

  Handler handler_;
  int fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  std::mutex mutex_;
  std::vector<std::string> bodies_;
};

// Reward = length of the completion, so a result can be traced to its request.
std::pair<int, std::string> echo_lengths(const std::string& body) {
  json request = json::parse(body);
  json items = json::array();
  for (const json& item : request["items"]) {
    std::string completion = item["completion"];
    if (completion == "ie") {
      items.push_back({{"reward", nullptr}, {"reason", "internal error: test"}, {"verdict", "IE"}});
    } else if (completion == "bad") {
      items.push_back({{"error", {{"code", "bad_request"}, {"message", "no tests"}}}});
    } else {
      items.push_back({{"reward", static_cast<double>(completion.size())},
                       {"accuracy", 1.0},
                       {"format", 0.0},
                       {"verdict", "AC"},
                       {"passed", 2},
                       {"total", 2},
                       {"extracted", true}});
    }
  }
  return {200, json{{"items", items}}.dump()};
}

HttpRewardConfig fast_config(std::vector<std::string> servers) {
  HttpRewardConfig c;
  c.servers = std::move(servers);
  c.timeout_ms = 2000;
  c.max_attempts = 3;
  c.backoff_ms = 10;
  return c;
}

// A port nothing listens on: bound then closed.
std::string dead_address() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  socklen_t len = sizeof(addr);
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return "127.0.0.1:" + std::to_string(ntohs(addr.sin_port));
}

TEST(HttpRewardClient, SendsTheRequestAndMapsEveryItem) {
  FakeServer server(echo_lengths);
  std::string error;
  HttpRewardConfig config = fast_config({"http://" + server.address() + "/"});
  config.settings.accuracy = judges::AccuracyMode::kFraction;
  config.settings.format_weight = 0.25;
  auto client = make_http_reward_client(config, &error);
  ASSERT_TRUE(client) << error;
  problems::Problem p = add_problem("contract/add7");
  auto results = client->score({{&p, "abc", "python"},
                                {&p, "ie", "python"},
                                {&p, "bad", "python"},
                                {&p, "abcdefg", "python"}});
  ASSERT_EQ(results.size(), 4u);
  ASSERT_TRUE(results[0].reward);
  EXPECT_EQ(*results[0].reward, 3.0);
  EXPECT_EQ(results[0].verdict, "AC");
  EXPECT_EQ(results[0].passed, 2u);
  EXPECT_TRUE(results[0].extracted);
  EXPECT_FALSE(results[1].reward);
  EXPECT_EQ(results[1].reason, "internal error: test");
  EXPECT_FALSE(results[2].reward);
  EXPECT_NE(results[2].reason.find("no tests"), std::string::npos);
  EXPECT_EQ(*results[3].reward, 7.0);
  auto bodies = server.bodies();
  ASSERT_EQ(bodies.size(), 1u);
  json body = json::parse(bodies[0]);
  EXPECT_EQ(body["accuracy"], "fraction");
  EXPECT_EQ(body["weights"]["format"], 0.25);
  const json& item = body["items"][0];
  EXPECT_EQ(item["completion"], "abc");
  EXPECT_EQ(item["language"], "python");
  EXPECT_EQ(item["mode"], "function");
  EXPECT_EQ(item["entry_point"], "add_7");
  EXPECT_EQ(item["tests"].size(), 3u);
  EXPECT_EQ(item["tests"][2]["output"], 107);
  EXPECT_FALSE(item.contains("problem_id"));

  config.inline_problems = false;
  auto by_id = make_http_reward_client(config, &error);
  by_id->score({{&p, "x", "python"}});
  json second = json::parse(server.bodies().at(1));
  EXPECT_EQ(second["items"][0]["problem_id"], "contract/add7");
  EXPECT_FALSE(second["items"][0].contains("tests"));
}

TEST(HttpRewardClient, RetriesAfterOverloadAndFailsOverToTheNextServer) {
  std::atomic<int> calls{0};
  FakeServer flaky([&](const std::string& body) -> std::pair<int, std::string> {
    if (calls++ == 0) return {503, R"({"error":{"code":"overloaded","message":"busy"}})"};
    return echo_lengths(body);
  });
  std::string error;
  problems::Problem p = add_problem("contract/add7");
  auto client = make_http_reward_client(fast_config({flaky.address()}), &error);
  auto results = client->score({{&p, "abcd", "python"}});
  ASSERT_TRUE(results[0].reward) << results[0].reason;
  EXPECT_EQ(*results[0].reward, 4.0);
  EXPECT_EQ(calls.load(), 2);

  // A dead server first: the batch moves on to the live one.
  FakeServer live(echo_lengths);
  auto failover = make_http_reward_client(fast_config({dead_address(), live.address()}), &error);
  results = failover->score({{&p, "ab", "python"}});
  ASSERT_TRUE(results[0].reward) << results[0].reason;
  EXPECT_EQ(*results[0].reward, 2.0);
}

TEST(HttpRewardClient, GivesNullRewardsWhenEveryAttemptFails) {
  std::string error;
  problems::Problem p = add_problem("contract/add7");
  auto client = make_http_reward_client(fast_config({dead_address()}), &error);
  auto start = std::chrono::steady_clock::now();
  auto results = client->score({{&p, "a", "python"}, {&p, "b", "python"}});
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  ASSERT_EQ(results.size(), 2u);
  for (const auto& r : results) {
    EXPECT_FALSE(r.reward);
    EXPECT_NE(r.reason.find("reward servers failed"), std::string::npos) << r.reason;
  }

  // A 400 is not retried: another server would refuse the same request.
  std::atomic<int> calls{0};
  FakeServer refuses([&](const std::string&) -> std::pair<int, std::string> {
    ++calls;
    return {400, R"({"error":{"code":"bad_request","message":"items[0].tests: required"}})"};
  });
  auto strict = make_http_reward_client(fast_config({refuses.address()}), &error);
  results = strict->score({{&p, "a", "python"}});
  EXPECT_FALSE(results[0].reward);
  EXPECT_NE(results[0].reason.find("HTTP 400"), std::string::npos) << results[0].reason;
  EXPECT_EQ(calls.load(), 1);
}

TEST(HttpRewardClient, TimesOutASilentServer) {
  FakeServer silent([](const std::string&) { return std::pair<int, std::string>{0, ""}; });
  std::string error;
  HttpRewardConfig config = fast_config({silent.address()});
  config.timeout_ms = 300;
  config.max_attempts = 2;
  auto client = make_http_reward_client(config, &error);
  problems::Problem p = add_problem("contract/add7");
  auto start = std::chrono::steady_clock::now();
  auto results = client->score({{&p, "a", "python"}});
  auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_FALSE(results[0].reward);
  EXPECT_NE(results[0].reason.find("receive"), std::string::npos) << results[0].reason;
  EXPECT_GE(elapsed, std::chrono::milliseconds(600));
  EXPECT_LT(elapsed, std::chrono::seconds(3));
}

TEST(HttpRewardClient, SpreadsABatchOverServers) {
  FakeServer a(echo_lengths), b(echo_lengths);
  std::string error;
  auto client = make_http_reward_client(fast_config({a.address(), b.address()}), &error);
  problems::Problem p = add_problem("contract/add7");
  std::vector<RewardRequest> requests;
  for (int i = 1; i <= 8; ++i)
    requests.push_back({&p, std::string(static_cast<size_t>(i), 'x'), "python"});
  auto results = client->score(requests);
  for (size_t i = 0; i < results.size(); ++i) {
    ASSERT_TRUE(results[i].reward);
    EXPECT_EQ(*results[i].reward, static_cast<double>(i + 1));
  }
  EXPECT_EQ(a.bodies().size(), 1u);
  EXPECT_EQ(b.bodies().size(), 1u);
  EXPECT_EQ(json::parse(a.bodies()[0])["items"].size(), 4u);
}

TEST(HttpRewardClient, RejectsBadServerAddresses) {
  std::string error;
  EXPECT_FALSE(make_http_reward_client(fast_config({}), &error));
  EXPECT_FALSE(make_http_reward_client(fast_config({"localhost"}), &error));
  EXPECT_NE(error.find("host:port"), std::string::npos);
  EXPECT_FALSE(make_http_reward_client(fast_config({"https://x:443"}), &error));
  EXPECT_FALSE(make_http_reward_client(fast_config({"x:80a"}), &error));
  EXPECT_TRUE(make_http_reward_client(fast_config({"[::1]:8080"}), &error));
}

}  // namespace
}  // namespace codejudge::trainer
