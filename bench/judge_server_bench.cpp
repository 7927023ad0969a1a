// Server overhead: the same judging work through `codejudge serve` over loopback HTTP and
// through the judges library directly, in the same run, at several client concurrencies.
//
// Workloads (inline tests, so both paths judge identical Problem structs):
//   python  trivial stdio submission, 1 test; every request's source differs (a comment), as
//           RL completions do, so each pays the python syntax-check "compile"
//   cpp     a 10-test stdio problem; one source (compiled once, then cached): the runs dominate
//   rewards one /v1/rewards call of 64 completions x 10 tests (python; half correct, a quarter
//           wrong on test 1, a quarter without code), binary accuracy
// The direct path mirrors the server's scheduling: client threads hand each submission to a
// pool of `concurrency` job threads (the server's default, 2 x workers) that call judge().
// Each pair runs library, server, server, library (half the requests each), so load from
// elsewhere on the machine weighs on both paths alike.
//
// usage: judge_server_bench [--binary PATH] [--levels 1,4,16] [--python N] [--cpp N]
//                           [--rewards-batches-per-client N] [--warm-runtimes on|off]
// Prints a Markdown table: throughput and p50/p99 latency per path, workload and concurrency.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <strings.h>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <fstream>
#include <functional>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "codejudge/judges/judge.h"
#include "codejudge/judges/scoring.h"
#include "codejudge/problems/json.h"
#include "serve_process.h"

namespace {

using Clock = std::chrono::steady_clock;
using nlohmann::json;
using namespace codejudge;

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// ---- the work -------------------------------------------------------------------------------

struct Workload {
  std::string name;
  problems::Problem problem;
  json inline_spec;  // mode + tests, as sent over HTTP
};

Workload python_workload() {
  Workload w;
  w.name = "python";
  w.problem.id = "inline";
  w.problem.mode = problems::Mode::kStdio;
  w.problem.tests = {{"41\n", "42\n", ""}};
  w.inline_spec = {{"mode", "stdio"}, {"tests", {{{"input", "41\n"}, {"output", "42\n"}}}}};
  return w;
}

Workload cpp_workload() {
  Workload w;
  w.name = "cpp";
  w.problem.id = "inline";
  w.problem.mode = problems::Mode::kStdio;
  json tests = json::array();
  for (int i = 0; i < 10; ++i) {
    std::string input = std::to_string(i + 1) + "\n";
    long sum = 0;
    for (int k = 1; k <= i + 1; ++k) {
      input += std::to_string(k * 7) + (k == i + 1 ? "\n" : " ");
      sum += k * 7;
    }
    w.problem.tests.push_back({input, std::to_string(sum) + "\n", ""});
    tests.push_back({{"input", input}, {"output", std::to_string(sum) + "\n"}});
  }
  w.inline_spec = {{"mode", "stdio"}, {"tests", tests}};
  return w;
}

const char* kCppSource =
    "#include <iostream>\nint main() { long n, x, s = 0; std::cin >> n;"
    " while (n-- > 0 && std::cin >> x) s += x; std::cout << s << '\\n'; }\n";

std::string python_source(size_t i) {
  return "print(int(input()) + 1)  # " + std::to_string(i) + "\n";
}

// The 10-test python problem for rewards: print the sum of the numbers on the line.
Workload rewards_workload() {
  Workload w = cpp_workload();
  w.name = "rewards";
  return w;
}

std::string completion(size_t i) {
  switch (i % 4) {
    case 0:
    case 1:
      return "<think>sum them</think>\n```python\nimport sys\n"
             "nums = list(map(int, sys.stdin.read().split()))\nprint(sum(nums[1:]))  # " +
             std::to_string(i) + "\n```";
    case 2:
      return "```python\nprint(0)  # " + std::to_string(i) + "\n```";
    default:
      return "I am not sure how to solve this.";
  }
}

// ---- the direct path ------------------------------------------------------------------------

class Pool {
 public:
  explicit Pool(size_t threads) {
    for (size_t i = 0; i < threads; ++i) threads_.emplace_back([this] { work(); });
  }
  ~Pool() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    for (auto& t : threads_) t.join();
  }
  // Runs every task on the pool and waits for all of them.
  void run_all(std::vector<std::function<void()>> tasks) {
    std::mutex done_mu;
    std::condition_variable done_cv;
    size_t left = tasks.size();
    {
      std::lock_guard<std::mutex> lock(mu_);
      for (auto& task : tasks) {
        queue_.push_back([&, task = std::move(task)] {
          task();
          std::lock_guard<std::mutex> done_lock(done_mu);
          if (--left == 0) done_cv.notify_all();
        });
      }
    }
    cv_.notify_all();
    std::unique_lock<std::mutex> lock(done_mu);
    done_cv.wait(lock, [&] { return left == 0; });
  }

 private:
  void work() {
    std::unique_lock<std::mutex> lock(mu_);
    for (;;) {
      cv_.wait(lock, [&] { return stop_ || !queue_.empty(); });
      if (queue_.empty()) return;
      auto task = std::move(queue_.front());
      queue_.pop_front();
      lock.unlock();
      task();
      lock.lock();
    }
  }
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;
  bool stop_ = false;
  std::vector<std::thread> threads_;
};

// ---- the HTTP path --------------------------------------------------------------------------

class Client {
 public:
  explicit Client(uint16_t port) : port_(port) { connect_now(); }
  ~Client() { close(fd_); }

  // POSTs body to path on the kept-alive connection; returns the response body.
  std::string post(const std::string& path, const std::string& body) {
    for (int attempt = 0; attempt < 100; ++attempt) {
      std::string request = "POST " + path +
                            " HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\n"
                            "Content-Length: " +
                            std::to_string(body.size()) + "\r\n\r\n" + body;
      int status = 0;
      std::string answer;
      if (!send_all(request) || !read_response(&status, &answer)) {
        close(fd_);
        connect_now();
        continue;
      }
      if (status == 503) {  // queue full: wait as a trainer would
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        continue;
      }
      if (status != 200) {
        std::fprintf(stderr, "HTTP %d: %s\n", status, answer.c_str());
        std::exit(1);
      }
      return answer;
    }
    std::fprintf(stderr, "server unreachable\n");
    std::exit(1);
  }

 private:
  void connect_now() {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    timeval timeout{600, 0};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port_);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
      std::perror("connect");
      std::exit(1);
    }
    buffer_.clear();
  }
  bool send_all(const std::string& data) {
    size_t sent = 0;
    while (sent < data.size()) {
      ssize_t n = ::send(fd_, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return false;
      sent += static_cast<size_t>(n);
    }
    return true;
  }
  bool fill() {
    char chunk[65536];
    ssize_t n = recv(fd_, chunk, sizeof(chunk), 0);
    if (n <= 0) return false;
    buffer_.append(chunk, static_cast<size_t>(n));
    return true;
  }
  bool read_response(int* status, std::string* body) {
    size_t end;
    while ((end = buffer_.find("\r\n\r\n")) == std::string::npos) {
      if (!fill()) return false;
    }
    const std::string head = buffer_.substr(0, end);
    *status = std::atoi(head.c_str() + 9);
    size_t length = 0;
    std::istringstream lines(head);
    std::string line;
    while (std::getline(lines, line)) {
      if (line.size() > 15 && strncasecmp(line.c_str(), "content-length:", 15) == 0) {
        length = std::stoul(line.substr(15));
      }
    }
    buffer_.erase(0, end + 4);
    while (buffer_.size() < length) {
      if (!fill()) return false;
    }
    *body = buffer_.substr(0, length);
    buffer_.erase(0, length);
    return true;
  }

  uint16_t port_;
  int fd_ = -1;
  std::string buffer_;
};

// ---- measurement ----------------------------------------------------------------------------

struct Stats {
  double seconds = 0;
  size_t requests = 0;
  size_t units = 0;  // submissions judged
  std::vector<double> latencies_ms;
};

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t index = static_cast<size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(index, v.size() - 1)];
}

// Runs `requests` calls of fn(i) from `clients` threads; fn returns the units it judged.
Stats measure(size_t clients, size_t requests, const std::function<size_t(size_t, size_t)>& fn) {
  Stats stats;
  std::mutex mu;
  std::atomic<size_t> next{0};
  auto start = Clock::now();
  std::vector<std::thread> threads;
  for (size_t c = 0; c < clients; ++c) {
    threads.emplace_back([&, c] {
      for (size_t i; (i = next++) < requests;) {
        auto t0 = Clock::now();
        size_t units = fn(c, i);
        double ms = ms_since(t0);
        std::lock_guard<std::mutex> lock(mu);
        stats.latencies_ms.push_back(ms);
        stats.units += units;
      }
    });
  }
  for (auto& t : threads) t.join();
  stats.seconds = ms_since(start) / 1000.0;
  stats.requests = requests;
  return stats;
}

struct Row {
  std::string workload;
  size_t concurrency;
  std::string path;
  Stats stats;
};

void merge(Stats* into, const Stats& part) {
  into->seconds += part.seconds;
  into->requests += part.requests;
  into->units += part.units;
  into->latencies_ms.insert(into->latencies_ms.end(), part.latencies_ms.begin(),
                            part.latencies_ms.end());
}

using Work = std::function<size_t(size_t, size_t)>;

// Library, server, server, library (half the requests each time), so that the other load on
// the machine drifting during the run weighs on both paths alike.
void measure_pair(std::vector<Row>* rows, const std::string& workload, size_t clients,
                  size_t requests, const Work& library, const Work& server) {
  const size_t half = std::max(clients, requests / 2);
  Stats lib;
  Stats srv;
  merge(&lib, measure(clients, half, library));
  merge(&srv, measure(clients, half, server));
  merge(&srv, measure(clients, half, server));
  merge(&lib, measure(clients, half, library));
  rows->push_back({workload, clients, "library", std::move(lib)});
  rows->push_back({workload, clients, "server", std::move(srv)});
}

std::vector<size_t> parse_levels(const std::string& text) {
  std::vector<size_t> levels;
  std::stringstream parts(text);
  std::string part;
  while (std::getline(parts, part, ',')) levels.push_back(std::stoul(part));
  return levels;
}

std::string self_dir() {
  char path[4096];
  ssize_t n = readlink("/proc/self/exe", path, sizeof(path) - 1);
  if (n <= 0) return ".";
  std::string text(path, static_cast<size_t>(n));
  return text.substr(0, text.rfind('/'));
}

}  // namespace

int main(int argc, char** argv) {
  std::string binary = self_dir() + "/../cli/codejudge";
  std::vector<size_t> levels = {1, 4, 16};
  size_t python_requests = 200;
  size_t cpp_requests = 60;
  size_t batches_per_client = 1;
  std::string warm_runtimes = "on";
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--binary") binary = argv[i + 1];
    if (flag == "--levels") levels = parse_levels(argv[i + 1]);
    if (flag == "--python") python_requests = std::stoul(argv[i + 1]);
    if (flag == "--cpp") cpp_requests = std::stoul(argv[i + 1]);
    if (flag == "--rewards-batches-per-client") batches_per_client = std::stoul(argv[i + 1]);
    if (flag == "--warm-runtimes") warm_runtimes = argv[i + 1];
  }
  const size_t workers = std::max(1u, std::thread::hardware_concurrency());
  const size_t job_threads = 2 * workers;  // the server's default --concurrency

  // The direct path.
  judges::JudgeConfig config;
  char cache_dir[] = "/tmp/codejudge-bench-cache-XXXXXX";
  config.cache_dir = mkdtemp(cache_dir);
  config.workers = workers;
  config.warm_runtimes = warm_runtimes != "off";
  std::string error;
  auto judge = judges::Judge::create(config, &error);
  if (!judge) {
    std::fprintf(stderr, "judge: %s\n", error.c_str());
    return 2;
  }
  Pool pool(job_threads);

  // The server, on an ephemeral port, with its own cache.
  char dir[] = "/tmp/codejudge-bench-XXXXXX";
  const std::string work = mkdtemp(dir);
  std::ofstream(work + "/none.jsonl").close();
  codejudge::testing::ServeOptions serve;
  serve.binary = binary;
  serve.dir = work;
  serve.log_path = "/dev/null";
  serve.args = {"--problems", work,           "--cache-dir", work + "/cache",   "--log-level",
                "warn",       "--queue-size", "100000",      "--warm-runtimes", warm_runtimes};
  codejudge::testing::ServeProcess server(serve);
  if (!server.ok()) {
    std::fprintf(stderr, "the server did not start (%s): %s\n", binary.c_str(),
                 server.error().c_str());
    return 2;
  }
  const uint16_t port = server.port();

  const Workload python = python_workload();
  const Workload cpp = cpp_workload();
  const Workload rewards = rewards_workload();
  judges::RewardOptions reward_options;
  std::vector<Row> rows;
  std::atomic<size_t> source_counter{0};

  auto judge_direct = [&](const problems::Problem& problem, const judges::Submission& sub,
                          const judges::JudgeOptions& options) {
    judges::JudgeResult result;
    pool.run_all({[&] { result = judge->judge(problem, sub, options); }});
    return result;
  };
  auto check = [](bool ok, const char* what) {
    if (!ok) {
      std::fprintf(stderr, "unexpected result: %s\n", what);
      std::exit(1);
    }
  };

  for (size_t level : levels) {
    std::vector<Client*> clients;
    for (size_t c = 0; c < level; ++c) clients.push_back(new Client(port));

    // python: a fresh source per request on both paths.
    measure_pair(
        &rows, "python (1 test)", level, python_requests,
        [&](size_t, size_t) {
          judges::Submission sub{"python", python_source(source_counter++)};
          auto result = judge_direct(python.problem, sub, {});
          check(result.verdict == judges::Verdict::kAC, "python direct");
          return size_t{1};
        },
        [&](size_t c, size_t) {
          json body = python.inline_spec;
          body["language"] = "python";
          body["code"] = python_source(source_counter++);
          json answer = json::parse(clients[c]->post("/v1/judge", body.dump()));
          check(answer["verdict"] == "AC", "python server");
          return size_t{1};
        });

    measure_pair(
        &rows, "cpp (10 tests)", level, cpp_requests,
        [&](size_t, size_t) {
          judges::Submission sub{"cpp", kCppSource};
          auto result = judge_direct(cpp.problem, sub, {});
          check(result.verdict == judges::Verdict::kAC, "cpp direct");
          return size_t{1};
        },
        [&](size_t c, size_t) {
          json body = cpp.inline_spec;
          body["language"] = "cpp";
          body["code"] = kCppSource;
          json answer = json::parse(clients[c]->post("/v1/judge", body.dump()));
          check(answer["verdict"] == "AC", "cpp server");
          return size_t{1};
        });

    // rewards: each request is a batch of 64 completions; batch i has its own completions.
    std::atomic<size_t> batch_counter{0};
    measure_pair(
        &rows, "rewards (64 x 10 tests)", level, 2 * level * batches_per_client,
        [&](size_t, size_t) {
          const size_t i = batch_counter++;
          std::vector<double> out(64);
          std::vector<std::function<void()>> tasks;
          for (size_t k = 0; k < 64; ++k) {
            tasks.push_back([&, k] {
              // Binary accuracy stops at the first failure, as the server does.
              out[k] = judges::score_completion(*judge, rewards.problem, completion(i * 64 + k),
                                                "python", reward_options)
                           .reward.reward.value_or(-1);
            });
          }
          pool.run_all(std::move(tasks));
          check(std::abs(out[0] - 1.1) < 1e-9 && out[2] == 0.0, "rewards direct");
          return size_t{64};
        },
        [&](size_t c, size_t) {
          const size_t i = batch_counter++;
          json items = json::array();
          for (size_t k = 0; k < 64; ++k) {
            json item = rewards.inline_spec;
            item["completion"] = completion(i * 64 + k);
            items.push_back(item);
          }
          json answer = json::parse(clients[c]->post(
              "/v1/rewards", json{{"items", items}, {"language", "python"}}.dump()));
          check(std::abs(answer["items"][0]["reward"].get<double>() - 1.1) < 1e-9 &&
                    answer["items"][2]["reward"] == 0.0,
                "rewards server");
          return size_t{64};
        });
    for (Client* client : clients) delete client;
  }
  server.stop(SIGTERM, std::chrono::minutes(5));
  std::system(("rm -rf " + work + " " + config.cache_dir).c_str());

  std::printf("Host: %zu CPUs; judge workers %zu, job threads %zu (server defaults).\n\n", workers,
              workers, job_threads);
  std::printf(
      "| workload | clients | path | requests | req/s | submissions/s | p50 ms | p99 ms |"
      " server/library throughput |\n|---|---|---|---|---|---|---|---|---|\n");
  for (size_t i = 0; i < rows.size(); ++i) {
    const Row& row = rows[i];
    const double rps = static_cast<double>(row.stats.requests) / row.stats.seconds;
    const double sps = static_cast<double>(row.stats.units) / row.stats.seconds;
    std::string ratio;
    if (row.path == "server" && i > 0) {  // rows come in (library, server) pairs
      const Row& lib = rows[i - 1];
      char text[32];
      std::snprintf(text, sizeof(text), "%.2f",
                    sps / (static_cast<double>(lib.stats.units) / lib.stats.seconds));
      ratio = text;
    }
    std::printf("| %s | %zu | %s | %zu | %.1f | %.1f | %.0f | %.0f | %s |\n", row.workload.c_str(),
                row.concurrency, row.path.c_str(), row.stats.requests, rps, sps,
                percentile(row.stats.latencies_ms, 0.5), percentile(row.stats.latencies_ms, 0.99),
                ratio.c_str());
  }
  return 0;
}
