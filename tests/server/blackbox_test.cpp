// The real `codejudge serve` binary on an ephemeral port, spoken to over raw sockets with a
// deadline on every read and write: keep-alive, pipelining, limits, hostile clients, drain.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "serve_process.h"
#include "server_test_util.h"

namespace codejudge::server {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

constexpr int kIoTimeoutMs = 10000;

// A `codejudge serve` child process (tests/support/serve_process.h) in a directory of its own,
// with its log in a file; nofile, when set, is its RLIMIT_NOFILE (soft, hard) from the start.
class ServerProcess {
 public:
  explicit ServerProcess(std::vector<std::string> extra,
                         std::optional<std::pair<rlim_t, rlim_t>> nofile = {})
      : dir_(make_dir()), process_(options(dir_, std::move(extra), nofile)) {}

  ~ServerProcess() {
    process_.stop(SIGKILL, std::chrono::seconds(30));
    std::system(("rm -rf " + dir_).c_str());
  }

  uint16_t port() const { return process_.port(); }
  std::string log() const { return process_.log(); }
  pid_t pid() const { return process_.pid(); }

  // Sends sig and waits (at most timeout) for the exit status.
  std::optional<int> stop(int sig, std::chrono::milliseconds timeout) {
    return process_.stop(sig, timeout);
  }

 private:
  static std::string make_dir() {
    char dir[] = "/tmp/codejudge-blackbox-XXXXXX";
    return mkdtemp(dir);
  }
  static codejudge::testing::ServeOptions options(const std::string& dir,
                                                  std::vector<std::string> extra,
                                                  std::optional<std::pair<rlim_t, rlim_t>> nofile) {
    codejudge::testing::ServeOptions options;
    options.binary = CODEJUDGE_BINARY;
    options.dir = dir;
    options.nofile = nofile;
    options.args = {"--problems",  testing::fixture_dir(), "--workers",   "2",
                    "--cache-dir", dir + "/cache",         "--log-level", "debug"};
    options.args.insert(options.args.end(), extra.begin(), extra.end());
    return options;
  }

  std::string dir_;
  codejudge::testing::ServeProcess process_;
};

struct Response {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  json json_body() const { return json::parse(body, nullptr, false); }
};

// A blocking client with a deadline on every operation.
class Connection {
 public:
  explicit Connection(uint16_t port) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    timeval timeout{kIoTimeoutMs / 1000, 0};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
    setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof(timeout));
    connected_ = connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0;
  }
  ~Connection() { close(fd_); }

  bool connected() const { return connected_; }

  bool send(std::string_view data) {
    while (!data.empty()) {
      ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      data.remove_prefix(static_cast<size_t>(n));
    }
    return true;
  }

  // The next response, or nullopt on timeout or close.
  std::optional<Response> read() {
    size_t header_end;
    while ((header_end = buffer_.find("\r\n\r\n")) == std::string::npos) {
      if (!fill()) return std::nullopt;
    }
    Response response;
    std::istringstream head(buffer_.substr(0, header_end));
    std::string line;
    std::getline(head, line);
    if (line.rfind("HTTP/1.", 0) != 0) return std::nullopt;
    response.status = std::stoi(line.substr(9, 3));
    while (std::getline(head, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      size_t colon = line.find(':');
      if (colon == std::string::npos) continue;
      std::string name = line.substr(0, colon);
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      response.headers[name] = line.substr(line.find_first_not_of(' ', colon + 1));
    }
    buffer_.erase(0, header_end + 4);
    size_t length = 0;
    if (auto it = response.headers.find("content-length"); it != response.headers.end()) {
      length = std::stoul(it->second);
    }
    while (buffer_.size() < length) {
      if (!fill()) return std::nullopt;
    }
    response.body = buffer_.substr(0, length);
    buffer_.erase(0, length);
    return response;
  }

  // True when the server closed the connection (reads EOF) within the timeout.
  bool closed_by_peer() {
    char byte;
    pollfd p{fd_, POLLIN, 0};
    if (poll(&p, 1, kIoTimeoutMs) <= 0) return false;
    return recv(fd_, &byte, 1, MSG_PEEK) <= 0 && buffer_.empty();
  }

 private:
  bool fill() {
    char chunk[65536];
    ssize_t n = recv(fd_, chunk, sizeof(chunk), 0);
    if (n <= 0) return false;
    buffer_.append(chunk, static_cast<size_t>(n));
    return true;
  }

  int fd_ = -1;
  bool connected_ = false;
  std::string buffer_;
};

std::string request(const std::string& method, const std::string& target,
                    const std::string& body = "", const std::string& extra_headers = "") {
  std::string text = method + " " + target + " HTTP/1.1\r\nHost: localhost\r\n" + extra_headers;
  if (!body.empty() || method == "POST") {
    text +=
        "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
  }
  return text + "\r\n" + body;
}

const std::string kAddTwo = R"({"language":"python","problem_id":"add-two",)"
                            R"("code":"a, b = map(int, input().split())\nprint(a + b)\n"})";

class BlackBox : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (testing::shared_judge() == nullptr) return;  // tests skip
    server_ =
        new ServerProcess({"--max-body-mb", "1", "--read-timeout-s", "2", "--idle-timeout-s", "5"});
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  void SetUp() override {
    if (server_ == nullptr) GTEST_SKIP() << "the sandbox cannot start here";
    ASSERT_NE(server_->port(), 0) << server_->log();
  }
  static ServerProcess* server_;
};
ServerProcess* BlackBox::server_ = nullptr;

TEST_F(BlackBox, LogsTheBoundPortAsJson) {
  const std::string log = server_->log();
  std::istringstream lines(log);
  std::string line;
  bool found = false;
  while (std::getline(lines, line)) {
    json entry = json::parse(line, nullptr, false);
    ASSERT_FALSE(entry.is_discarded()) << "not a JSON log line: " << line;
    if (entry["msg"] == "listening") {
      EXPECT_EQ(entry["port"], server_->port());
      found = true;
    }
  }
  EXPECT_TRUE(found) << log;
}

TEST_F(BlackBox, KeepAliveServesSeveralRequestsOnOneConnection) {
  Connection connection(server_->port());
  ASSERT_TRUE(connection.connected());
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(connection.send(
        request("GET", "/healthz", "", "X-Request-Id: keep-" + std::to_string(i) + "\r\n")));
    auto response = connection.read();
    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 200);
    EXPECT_EQ(response->headers["x-request-id"], "keep-" + std::to_string(i));
    EXPECT_EQ(response->headers["content-type"], "application/json");
  }
}

TEST_F(BlackBox, PipelinedRequestsAreAnsweredInOrder) {
  Connection connection(server_->port());
  const std::string slow =
      R"({"language":"python","problem_id":"add-two","stop_on_first_failure":true,)"
      R"("code":"import time\ntime.sleep(0.3)\nprint(3)\n"})";
  // A slow judge first, then two instant requests, all in one write.
  ASSERT_TRUE(connection.send(request("POST", "/v1/judge", slow) + request("GET", "/healthz") +
                              request("GET", "/v1/problems/nope")));
  auto first = connection.read();
  auto second = connection.read();
  auto third = connection.read();
  ASSERT_TRUE(first && second && third);
  EXPECT_EQ(first->status, 200);
  EXPECT_EQ(first->json_body()["verdict"], "WA");
  EXPECT_EQ(second->status, 200);
  EXPECT_EQ(second->json_body()["status"], "ok");
  EXPECT_EQ(third->status, 404);
}

TEST_F(BlackBox, JudgesOverTheWire) {
  Connection connection(server_->port());
  ASSERT_TRUE(connection.send(request("POST", "/v1/judge", kAddTwo)));
  auto response = connection.read();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200) << response->body;
  EXPECT_EQ(response->json_body()["verdict"], "AC");
  EXPECT_EQ(response->json_body()["passed"], 4);
}

TEST_F(BlackBox, OversizedBodyIs413AndCloses) {
  Connection connection(server_->port());
  const std::string body(2 << 20, ' ');
  connection.send(request("POST", "/v1/judge", body));  // may fail midway: the server closes
  auto response = connection.read();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 413);
  EXPECT_EQ(response->json_body()["error"]["code"], "payload_too_large");
  EXPECT_TRUE(connection.closed_by_peer());

  // Chunked bodies are held to the same limit.
  Connection chunked(server_->port());
  std::string head =
      "POST /v1/judge HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Transfer-Encoding: chunked\r\n\r\n";
  chunked.send(head);
  std::string chunk(256 << 10, 'x');
  char size[32];
  std::snprintf(size, sizeof(size), "%zx\r\n", chunk.size());
  for (int i = 0; i < 6; ++i) {
    if (!chunked.send(std::string(size) + chunk + "\r\n")) break;
  }
  auto chunked_response = chunked.read();
  ASSERT_TRUE(chunked_response);
  EXPECT_EQ(chunked_response->status, 413);
}

TEST_F(BlackBox, MalformedHttpIs400) {
  Connection connection(server_->port());
  ASSERT_TRUE(connection.send("THIS IS NOT HTTP\r\n\r\n"));
  auto response = connection.read();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 400);
  Connection bad_length(server_->port());
  ASSERT_TRUE(bad_length.send("POST /v1/judge HTTP/1.1\r\nContent-Length: nope\r\n\r\n"));
  response = bad_length.read();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 400);
  Connection huge_header(server_->port());
  huge_header.send("GET /healthz HTTP/1.1\r\nX-Big: " + std::string(64 << 10, 'a') + "\r\n\r\n");
  response = huge_header.read();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 431);
}

TEST_F(BlackBox, ExpectContinueGetsAnInterimResponse) {
  Connection connection(server_->port());
  std::string head =
      "POST /v1/judge HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Expect: 100-continue\r\nContent-Length: " +
      std::to_string(kAddTwo.size()) + "\r\n\r\n";
  ASSERT_TRUE(connection.send(head));
  auto interim = connection.read();
  ASSERT_TRUE(interim);
  EXPECT_EQ(interim->status, 100);
  ASSERT_TRUE(connection.send(kAddTwo));
  auto response = connection.read();
  ASSERT_TRUE(response) << server_->log();
  EXPECT_EQ(response->status, 200);
}

TEST_F(BlackBox, SurvivesClientsThatVanishOrStall) {
  {
    Connection partial_headers(server_->port());
    partial_headers.send("POST /v1/judge HTTP/1.1\r\nContent-Le");
  }
  {
    Connection partial_body(server_->port());
    partial_body.send(request("POST", "/v1/judge", kAddTwo).substr(0, 120));
  }
  {
    // Gone before its (slow) answer is written.
    Connection impatient(server_->port());
    impatient.send(request("POST", "/v1/judge", kAddTwo));
  }
  // A stalled request is cut off after the read timeout (2 s here).
  Connection stalled(server_->port());
  ASSERT_TRUE(stalled.send("POST /v1/judge HTTP/1.1\r\nContent-Length: 100\r\n\r\n{"));
  const auto start = Clock::now();
  EXPECT_TRUE(stalled.closed_by_peer());
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(5));

  Connection healthy(server_->port());
  ASSERT_TRUE(healthy.send(request("GET", "/healthz")));
  auto response = healthy.read();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
}

TEST_F(BlackBox, Http10WithoutKeepAliveCloses) {
  Connection connection(server_->port());
  ASSERT_TRUE(connection.send("GET /healthz HTTP/1.0\r\n\r\n"));
  auto response = connection.read();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_TRUE(connection.closed_by_peer());
}

TEST(BlackBoxDrain, SigtermFinishesInFlightWorkThenExits) {
  if (testing::shared_judge() == nullptr) GTEST_SKIP() << "the sandbox cannot start here";
  ServerProcess server({});
  ASSERT_NE(server.port(), 0) << server.log();
  Connection busy(server.port());
  const std::string slow =
      R"({"language":"python","problem_id":"add-two","stop_on_first_failure":true,)"
      R"("code":"import time\ntime.sleep(1)\nprint(3)\n"})";
  ASSERT_TRUE(busy.send(request("POST", "/v1/judge", slow)));
  // Wait until the server has the request, then ask it to stop.
  const auto deadline = Clock::now() + std::chrono::seconds(10);
  while (Clock::now() < deadline &&
         server.log().find("\"msg\":\"submission\"") == std::string::npos) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  kill(server.pid(), SIGTERM);
  auto response = busy.read();
  ASSERT_TRUE(response) << server.log();
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->json_body()["verdict"], "WA");
  EXPECT_EQ(response->headers["connection"], "close");
  auto code = server.stop(0, std::chrono::seconds(15));
  ASSERT_TRUE(code) << "still running: " << server.log();
  EXPECT_EQ(*code, 0) << server.log();
  const std::string log = server.log();
  EXPECT_NE(log.find("\"msg\":\"draining\""), std::string::npos);
  EXPECT_NE(log.find("\"msg\":\"drained\""), std::string::npos);
  // Debug level logs the submitted source; info level would not.
  EXPECT_NE(log.find("time.sleep(1)"), std::string::npos);
  Connection refused(server.port());
  EXPECT_FALSE(refused.connected());
}

// The value of an unlabelled metric from /metrics, or -1.
double metric(uint16_t port, const std::string& name) {
  Connection connection(port);
  if (!connection.send(request("GET", "/metrics"))) return -1;
  auto response = connection.read();
  if (!response) return -1;
  std::istringstream lines(response->body);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind(name + " ", 0) == 0) return std::stod(line.substr(name.size() + 1));
  }
  return -1;
}

// The first log line with this "msg".
json log_entry(const std::string& log, const std::string& msg) {
  std::istringstream lines(log);
  std::string line;
  while (std::getline(lines, line)) {
    json entry = json::parse(line, nullptr, false);
    if (entry.is_object() && entry.value("msg", "") == msg) return entry;
  }
  return nullptr;
}

std::optional<Response> judge_add_two(uint16_t port) {
  Connection connection(port);
  if (!connection.send(request("POST", "/v1/judge", kAddTwo))) return std::nullopt;
  return connection.read();
}

TEST(BlackBoxConnections, IdleConnectionsAreShedForNewOnesAtTheCap) {
  if (testing::shared_judge() == nullptr) GTEST_SKIP() << "the sandbox cannot start here";
  ServerProcess server({"--max-connections", "8"});
  ASSERT_NE(server.port(), 0) << server.log();
  std::vector<std::unique_ptr<Connection>> idle;
  for (int i = 0; i < 20; ++i) {
    idle.push_back(std::make_unique<Connection>(server.port()));
    ASSERT_TRUE(idle.back()->connected());
  }
  auto response = judge_add_two(server.port());
  ASSERT_TRUE(response) << server.log();
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->json_body()["verdict"], "AC");
  EXPECT_TRUE(idle.front()->closed_by_peer());  // the longest idle went first
  EXPECT_GE(metric(server.port(), "codejudge_connections_shed_total"), 12);
  EXPECT_LE(metric(server.port(), "codejudge_connections"), 9);
}

TEST(BlackBoxConnections, AtTheCapWithNoneIdleNewcomersGet503) {
  if (testing::shared_judge() == nullptr) GTEST_SKIP() << "the sandbox cannot start here";
  ServerProcess server({"--max-connections", "2"});
  ASSERT_NE(server.port(), 0) << server.log();
  const std::string slow =
      R"({"language":"python","problem_id":"add-two","stop_on_first_failure":true,)"
      R"("code":"import time\ntime.sleep(2)\nprint(3)\n"})";
  Connection first(server.port());
  Connection second(server.port());
  ASSERT_TRUE(first.send(request("POST", "/v1/judge", slow)));
  ASSERT_TRUE(second.send(request("POST", "/v1/judge", slow)));
  const auto deadline = Clock::now() + std::chrono::seconds(10);
  auto submissions = [&] {
    const std::string log = server.log();
    size_t count = 0;
    for (size_t at = 0; (at = log.find("\"msg\":\"submission\"", at)) != std::string::npos; ++at) {
      ++count;
    }
    return count;
  };
  while (Clock::now() < deadline && submissions() < 2) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_EQ(submissions(), 2u) << server.log();
  Connection third(server.port());  // both others are busy: nothing to shed
  ASSERT_TRUE(third.send(request("GET", "/healthz")));
  auto refused = third.read();
  ASSERT_TRUE(refused) << server.log();
  EXPECT_EQ(refused->status, 503);
  EXPECT_EQ(refused->json_body()["error"]["code"], "overloaded");
  EXPECT_NE(refused->body.find("--max-connections"), std::string::npos) << refused->body;
  EXPECT_EQ(refused->headers["connection"], "close");
  for (Connection* busy : {&first, &second}) {
    auto response = busy->read();
    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 200);
  }
  // Those two are idle now: a newcomer takes the place of one.
  auto response = judge_add_two(server.port());
  ASSERT_TRUE(response) << server.log();
  EXPECT_EQ(response->json_body()["verdict"], "AC");
}

// The issue's case: `ulimit -n 256` and 250 idle sockets once made accept fail with EMFILE and
// a judge request time out. The cap now leaves the judge its fds and idle sockets make room.
TEST(BlackBoxConnections, LowFdLimitCapsConnectionsAndJudgingStillWorks) {
  if (testing::shared_judge() == nullptr) GTEST_SKIP() << "the sandbox cannot start here";
  ServerProcess server({}, std::make_pair<rlim_t, rlim_t>(256, 256));
  ASSERT_NE(server.port(), 0) << server.log();
  json lowered = log_entry(server.log(), "max connections lowered to fit the fd limit");
  ASSERT_TRUE(lowered.is_object()) << server.log();
  const int cap = lowered["now"].get<int>();
  EXPECT_LT(cap, 256);
  std::vector<std::unique_ptr<Connection>> idle;
  for (int i = 0; i < 250; ++i) idle.push_back(std::make_unique<Connection>(server.port()));
  for (int round = 0; round < 2; ++round) {
    auto response = judge_add_two(server.port());
    ASSERT_TRUE(response) << server.log();
    EXPECT_EQ(response->json_body()["verdict"], "AC") << response->body;
  }
  EXPECT_EQ(metric(server.port(), "codejudge_accept_errors_total"), 0);
  EXPECT_LE(metric(server.port(), "codejudge_connections"), cap + 1);
}

TEST(BlackBoxConnections, SoftFdLimitIsRaisedToTheHardLimit) {
  if (testing::shared_judge() == nullptr) GTEST_SKIP() << "the sandbox cannot start here";
  ServerProcess server({}, std::make_pair<rlim_t, rlim_t>(256, 4096));
  ASSERT_NE(server.port(), 0) << server.log();
  json listening = log_entry(server.log(), "listening");
  ASSERT_TRUE(listening.is_object()) << server.log();
  EXPECT_EQ(listening["fd_limit"], 4096);
  EXPECT_EQ(listening["max_connections"], 1024);
}

// Out of fds at accept time (the limit lowered under a running server): the acceptor keeps
// going, closing idle connections to get fds back, and answers new clients.
TEST(BlackBoxConnections, AcceptorSurvivesEmfile) {
  if (testing::shared_judge() == nullptr) GTEST_SKIP() << "the sandbox cannot start here";
  ServerProcess server({"--max-connections", "1000"});
  ASSERT_NE(server.port(), 0) << server.log();
  const std::string fd_dir = "/proc/" + std::to_string(server.pid()) + "/fd";
  size_t open_fds = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(fd_dir)) ++open_fds;
  rlimit tight{open_fds + 6, open_fds + 6};
  ASSERT_EQ(prlimit(server.pid(), RLIMIT_NOFILE, &tight, nullptr), 0) << std::strerror(errno);
  std::vector<std::unique_ptr<Connection>> idle;
  for (int i = 0; i < 30; ++i) idle.push_back(std::make_unique<Connection>(server.port()));
  for (int i = 0; i < 3; ++i) {
    Connection connection(server.port());
    ASSERT_TRUE(connection.send(request("GET", "/healthz")));
    auto response = connection.read();
    ASSERT_TRUE(response) << server.log();
    EXPECT_EQ(response->status, 200);
  }
  EXPECT_GT(metric(server.port(), "codejudge_accept_errors_total"), 0);
  EXPECT_NE(server.log().find("accept failed"), std::string::npos);
}

// Bodies are read only when their bytes fit the body budget; one that waits past the read
// timeout is told (503, or 504 on /run_code), and bodiless requests are never held up.
TEST(BlackBoxBudget, BodiesWaitForTheBodyBudget) {
  if (testing::shared_judge() == nullptr) GTEST_SKIP() << "the sandbox cannot start here";
  ServerProcess server({"--max-body-mb", "1", "--body-budget-mb", "2", "--read-timeout-s", "1"});
  ASSERT_NE(server.port(), 0) << server.log();
  const std::string padding = "# " + std::string(900 << 10, 'p') + "\n";
  const std::string slow = json{
      {"language", "python"},
      {"problem_id", "add-two"},
      {"stop_on_first_failure", true},
      {"code", "import time\ntime.sleep(4)\nprint(3)\n" +
                   padding}}.dump();
  Connection first(server.port());
  Connection second(server.port());
  ASSERT_TRUE(first.send(request("POST", "/v1/judge", slow)));
  ASSERT_TRUE(second.send(request("POST", "/v1/judge", slow)));
  const auto deadline = Clock::now() + std::chrono::seconds(10);
  while (Clock::now() < deadline && metric(server.port(), "codejudge_body_bytes") < 2 * 900e3) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_GE(metric(server.port(), "codejudge_body_bytes"), 2 * 900e3);

  Connection third(server.port());
  ASSERT_TRUE(third.send(request("POST", "/v1/judge", slow)));
  Connection run(server.port());
  ASSERT_TRUE(run.send(request(
      "POST", "/run_code", json{{"language", "python"}, {"code", "print(1)\n" + padding}}.dump())));
  Connection health(server.port());
  ASSERT_TRUE(health.send(request("GET", "/healthz")));
  auto healthy = health.read();
  ASSERT_TRUE(healthy);
  EXPECT_EQ(healthy->status, 200);
  EXPECT_EQ(healthy->json_body()["memory"]["body_budget_bytes"], 2 << 20);

  auto refused = third.read();
  ASSERT_TRUE(refused) << server.log();
  EXPECT_EQ(refused->status, 503);
  EXPECT_EQ(refused->json_body()["error"]["code"], "overloaded");
  EXPECT_NE(refused->body.find("--body-budget-mb"), std::string::npos) << refused->body;
  auto run_refused = run.read();
  ASSERT_TRUE(run_refused);
  EXPECT_EQ(run_refused->status, 504);  // what verl retries
  EXPECT_EQ(run_refused->json_body()["error"]["code"], "queue_timeout");

  for (Connection* held : {&first, &second}) {
    auto response = held->read();
    ASSERT_TRUE(response) << server.log();
    EXPECT_EQ(response->status, 200);
  }
  // The budget is back once the slow ones are answered.
  Connection later(server.port());
  const std::string quick = json{
      {"language", "python"},
      {"problem_id", "add-two"},
      {"code", "a, b = map(int, input().split())\nprint(a + b)\n" +
                   padding}}.dump();
  ASSERT_TRUE(later.send(request("POST", "/v1/judge", quick)));
  auto response = later.read();
  ASSERT_TRUE(response) << server.log();
  EXPECT_EQ(response->json_body()["verdict"], "AC") << response->body;
}

TEST(BlackBoxStartup, BadProblemsPathOrBusyPortExitsWith2) {
  if (testing::shared_judge() == nullptr) GTEST_SKIP() << "the sandbox cannot start here";
  int status = std::system(
      (std::string(CODEJUDGE_BINARY) + " serve --port 0 --problems /nonexistent/dir 2>/dev/null")
          .c_str());
  EXPECT_EQ(WEXITSTATUS(status), 2);
  status = std::system((std::string(CODEJUDGE_BINARY) + " serve --port 99999 2>/dev/null").c_str());
  EXPECT_EQ(WEXITSTATUS(status), 2);
}

}  // namespace
}  // namespace codejudge::server
