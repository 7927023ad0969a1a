// The HTTP RewardClient: POST /v1/rewards with Boost.Beast. A score() call splits its requests
// into batches, sends them at once (one thread and connection each) to servers taken
// round-robin, and retries a failed batch on the next server after a growing pause. Every
// operation of a request runs under one deadline (tcp_stream::expires_at).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>

#include "codejudge/problems/json.h"
#include "codejudge/trainer/reward_client.h"

namespace codejudge::trainer {

namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using nlohmann::json;

constexpr uint64_t kMaxBackoffMs = 5000;
constexpr uint64_t kResponseBodyLimitBytes = 256ull << 20;

struct Endpoint {
  std::string host;
  std::string port;
  std::string label;  // host:port, for messages
};

std::optional<Endpoint> parse_endpoint(std::string text, std::string* error) {
  if (text.rfind("http://", 0) == 0) text = text.substr(7);
  if (text.rfind("https://", 0) == 0) {
    *error = "reward server '" + text + "': https is not supported; use http:// behind TLS";
    return std::nullopt;
  }
  while (!text.empty() && text.back() == '/') text.pop_back();
  size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) {
    *error = "reward server '" + text + "': expected host:port";
    return std::nullopt;
  }
  Endpoint ep{text.substr(0, colon), text.substr(colon + 1), text};
  if (!std::all_of(ep.port.begin(), ep.port.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    *error = "reward server '" + text + "': the port is not a number";
    return std::nullopt;
  }
  if (ep.host.size() > 2 && ep.host.front() == '[' && ep.host.back() == ']') {
    ep.host = ep.host.substr(1, ep.host.size() - 2);  // [::1]:8080
  }
  return ep;
}

struct HttpReply {
  bool transport_ok = false;
  unsigned status = 0;
  std::string body;
  uint64_t retry_after_ms = 0;
  std::string error;  // transport failure
};

HttpReply post_json(const Endpoint& ep, const std::string& target, const std::string& body,
                    std::chrono::milliseconds timeout) {
  HttpReply reply;
  net::io_context ioc;
  tcp::resolver resolver(ioc);
  beast::tcp_stream stream(ioc);
  auto deadline = std::chrono::steady_clock::now() + timeout;

  http::request<http::string_body> request{http::verb::post, target, 11};
  request.set(http::field::host, ep.label);
  request.set(http::field::user_agent, "codejudge-train");
  request.set(http::field::content_type, "application/json");
  request.body() = body;
  request.prepare_payload();
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(kResponseBodyLimitBytes);

  auto fail = [&](const beast::error_code& ec, const char* step) {
    reply.error = std::string(step) + " " + ep.label + ": " + ec.message();
  };
  resolver.async_resolve(
      ep.host, ep.port, [&](beast::error_code ec, tcp::resolver::results_type results) {
        if (ec) return fail(ec, "resolve");
        stream.expires_at(deadline);
        stream.async_connect(results, [&](beast::error_code ec2, const tcp::endpoint&) {
          if (ec2) return fail(ec2, "connect");
          stream.expires_at(deadline);
          http::async_write(stream, request, [&](beast::error_code ec3, size_t) {
            if (ec3) return fail(ec3, "send");
            stream.expires_at(deadline);
            http::async_read(stream, buffer, parser, [&](beast::error_code ec4, size_t) {
              if (ec4) return fail(ec4, "receive");
              reply.transport_ok = true;
            });
          });
        });
      });
  ioc.run();
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
  if (!reply.transport_ok) return reply;
  auto& response = parser.get();
  reply.status = response.result_int();
  reply.body = std::move(response.body());
  auto retry_after = response.find(http::field::retry_after);
  if (retry_after != response.end()) {
    try {
      reply.retry_after_ms = std::stoull(std::string(retry_after->value())) * 1000;
    } catch (const std::exception&) {
      reply.retry_after_ms = 0;  // an HTTP date: fall back to our own backoff
    }
  }
  return reply;
}

// The inline problem: what a server needs to judge it without knowing its id.
json inline_problem(const problems::Problem& problem) {
  json tests = json::array();
  for (const problems::Test& test : problem.tests)
    tests.push_back(problems::to_json(problem.mode, test));
  json out = {
      {"mode", problems::mode_name(problem.mode)},
      {"tests", std::move(tests)},
      {"checker", problems::to_json(problem.checker)},
      {"limits", {{"time_ms", problem.limits.time_ms}, {"memory_mb", problem.limits.memory_mb}}}};
  if (!problem.entry_point.empty()) out["entry_point"] = problem.entry_point;
  if (problem.mode == problems::Mode::kFunction)
    out["signature"] = problems::to_json(problem.signature);
  return out;
}

RewardResult failed(const std::string& reason) {
  RewardResult out;
  out.reason = reason;
  return out;
}

// One item of a 200 response; a malformed one is our side's failure (null reward).
RewardResult parse_item(const json& item) {
  if (!item.is_object()) return failed("reward server: an item is not an object");
  if (item.contains("error")) {
    const json& e = item["error"];
    std::string message = e.is_object() ? e.value("message", e.dump()) : e.dump();
    return failed("reward server rejected the item: " + message);
  }
  RewardResult out;
  const json& reward = item.contains("reward") ? item["reward"] : json();
  if (reward.is_number()) out.reward = reward.get<double>();
  auto number = [&](const char* key) {
    return item.contains(key) && item[key].is_number() ? item[key].get<double>() : 0.0;
  };
  out.accuracy = number("accuracy");
  out.format = number("format");
  out.passed = static_cast<size_t>(std::max(0.0, number("passed")));
  out.total = static_cast<size_t>(std::max(0.0, number("total")));
  if (item.contains("verdict") && item["verdict"].is_string()) out.verdict = item["verdict"];
  if (item.contains("extracted") && item["extracted"].is_boolean())
    out.extracted = item["extracted"];
  if (item.contains("reason") && item["reason"].is_string()) out.reason = item["reason"];
  if (!out.reward && out.reason.empty()) out.reason = "reward server returned a null reward";
  return out;
}

class HttpRewardClient : public RewardClient {
 public:
  HttpRewardClient(HttpRewardConfig config, std::vector<Endpoint> endpoints)
      : config_(std::move(config)), endpoints_(std::move(endpoints)) {}

  std::vector<RewardResult> score(const std::vector<RewardRequest>& requests) override {
    std::vector<RewardResult> results(requests.size());
    size_t per_batch = std::max<size_t>(1, config_.max_items_per_request);
    // Spread over the servers even when a batch would fit one request.
    per_batch = std::min(per_batch, std::max<size_t>(1, (requests.size() + endpoints_.size() - 1) /
                                                            endpoints_.size()));
    std::vector<std::thread> threads;
    for (size_t begin = 0; begin < requests.size(); begin += per_batch) {
      size_t end = std::min(requests.size(), begin + per_batch);
      size_t first_server = next_server_++ % endpoints_.size();
      threads.emplace_back([&, begin, end, first_server] {
        send_batch(requests, begin, end, first_server, &results);
      });
    }
    for (auto& thread : threads) thread.join();
    return results;
  }

  std::string describe() const override {
    std::string out = "http (";
    for (size_t i = 0; i < endpoints_.size(); ++i) out += (i ? ", " : "") + endpoints_[i].label;
    return out + ")";
  }

 private:
  std::string request_body(const std::vector<RewardRequest>& requests, size_t begin,
                           size_t end) const {
    json items = json::array();
    for (size_t i = begin; i < end; ++i) {
      const RewardRequest& request = requests[i];
      // The inline form has no preamble: a problem with one goes by id (the server loaded it).
      bool by_id = !config_.inline_problems || !request.problem->preamble.empty();
      json item =
          by_id ? json{{"problem_id", request.problem->id}} : inline_problem(*request.problem);
      item["completion"] = request.completion;
      if (!request.language.empty()) item["language"] = request.language;
      items.push_back(std::move(item));
    }
    const RewardSettings& s = config_.settings;
    json body = {{"items", std::move(items)},
                 {"accuracy", judges::accuracy_mode_name(s.accuracy)},
                 {"weights", {{"accuracy", s.accuracy_weight}, {"format", s.format_weight}}}};
    // Invalid UTF-8 in a completion must not fail the batch: replace it.
    return body.dump(-1, ' ', false, json::error_handler_t::replace);
  }

  void send_batch(const std::vector<RewardRequest>& requests, size_t begin, size_t end,
                  size_t first_server, std::vector<RewardResult>* results) const {
    for (size_t i = begin; i < end; ++i) {
      if (requests[i].problem == nullptr) {
        for (size_t j = begin; j < end; ++j) (*results)[j] = failed("no problem given");
        return;
      }
    }
    std::string body = request_body(requests, begin, end);
    std::string last_error;
    size_t attempts = std::max<size_t>(1, config_.max_attempts);
    for (size_t attempt = 0; attempt < attempts; ++attempt) {
      if (attempt > 0) {
        uint64_t pause =
            std::min(kMaxBackoffMs, config_.backoff_ms << std::min<size_t>(attempt - 1, 16));
        std::this_thread::sleep_for(std::chrono::milliseconds(pause));
      }
      const Endpoint& ep = endpoints_[(first_server + attempt) % endpoints_.size()];
      HttpReply reply =
          post_json(ep, "/v1/rewards", body, std::chrono::milliseconds(config_.timeout_ms));
      if (!reply.transport_ok) {
        last_error = reply.error;
        continue;
      }
      if (reply.status == 200) {
        std::string error;
        if (parse_reply(reply.body, end - begin, begin, results, &error)) return;
        last_error = ep.label + ": " + error;
        continue;
      }
      last_error =
          ep.label + ": HTTP " + std::to_string(reply.status) + ": " + reply.body.substr(0, 300);
      bool retryable = reply.status == 408 || reply.status == 429 || reply.status >= 500;
      if (!retryable) break;  // the request itself is wrong: another server would say the same
      if (reply.retry_after_ms > 0) {
        std::this_thread::sleep_for(
            std::chrono::milliseconds(std::min(reply.retry_after_ms, kMaxBackoffMs)));
      }
    }
    for (size_t i = begin; i < end; ++i) {
      (*results)[i] = failed("reward servers failed: " + last_error);
    }
  }

  static bool parse_reply(const std::string& text, size_t count, size_t begin,
                          std::vector<RewardResult>* results, std::string* error) {
    json body = json::parse(text, nullptr, false);
    if (body.is_discarded() || !body.is_object() || !body.contains("items") ||
        !body["items"].is_array()) {
      *error = "response is not {\"items\": [...]}";
      return false;
    }
    const json& items = body["items"];
    if (items.size() != count) {
      *error = "response has " + std::to_string(items.size()) + " items for " +
               std::to_string(count) + " requests";
      return false;
    }
    for (size_t i = 0; i < count; ++i) (*results)[begin + i] = parse_item(items[i]);
    return true;
  }

  HttpRewardConfig config_;
  std::vector<Endpoint> endpoints_;
  std::atomic<size_t> next_server_{0};
};

}  // namespace

std::unique_ptr<RewardClient> make_http_reward_client(const HttpRewardConfig& config,
                                                      std::string* error) {
  std::string ignored;
  if (error == nullptr) error = &ignored;
  if (config.servers.empty()) {
    *error = "no reward server given";
    return nullptr;
  }
  std::vector<Endpoint> endpoints;
  for (const std::string& server : config.servers) {
    auto ep = parse_endpoint(server, error);
    if (!ep) return nullptr;
    endpoints.push_back(*ep);
  }
  return std::make_unique<HttpRewardClient>(config, std::move(endpoints));
}

}  // namespace codejudge::trainer
