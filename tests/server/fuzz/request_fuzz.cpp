// libFuzzer target: raw bytes -> Beast's request parser (with the server's limits) -> the App's
// router and JSON decoders, with a backend that never runs code. The first byte picks whether
// the input is a whole HTTP request or only a JSON body for one of the POST routes.
// Crashes, sanitizer reports, and any 5xx answer to any input are failures.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include "codejudge/problems/loader.h"
#include "codejudge/server/app.h"

namespace {

using namespace codejudge;

class NullBackend : public server::Backend {
 public:
  judges::JudgeResult judge(const problems::Problem& problem, const judges::Submission&,
                            const judges::JudgeOptions&) override {
    judges::JudgeResult result;
    result.verdict = judges::Verdict::kWA;
    result.total = problem.tests.size();
    result.compile.ok = true;
    result.tests.resize(problem.tests.empty() ? 0 : 1);
    if (!result.tests.empty()) result.tests[0].verdict = judges::Verdict::kWA;
    return result;
  }
  judges::Judge::RunOutput run(const judges::Submission&, const std::string& stdin_data,
                               const sandbox::Limits&, const judges::RunFiles&) override {
    judges::Judge::RunOutput output;
    output.compile.ok = true;
    output.run.status = sandbox::Status::kOk;
    output.run.exit_code = 0;
    output.run.stdout_data = stdin_data;
    return output;
  }
};

constexpr const char* kProblems =
    R"({"id":"p","title":"P","statement":"s","mode":"stdio","tests":[{"input":"1","output":"1"}],"public_tests":1})"
    "\n"
    R"({"id":"f","title":"F","statement":"s","mode":"function","entry_point":"f","signature":{"params":[{"name":"a","type":"list[int]"}],"returns":"int"},"tests":[{"input":[[1]],"output":1}]})"
    "\n";

server::App& app() {
  static server::App* instance = [] {
    server::ServerConfig config;
    config.workers = 1;
    config.concurrency = 1;
    config.queue_size = 64;
    config.max_items = 16;
    config.max_tests = 16;
    problems::LoadResult loaded = problems::parse_problems_jsonl(kProblems, "fuzz");
    return new server::App(config, std::make_unique<NullBackend>(),
                           problems::ProblemSet(std::move(loaded.problems)), nullptr);
  }();
  return *instance;
}

void check(const server::HttpResponse& response, const std::string& what) {
  if (response.status >= 500) {
    std::fprintf(stderr, "5xx for %s: %s\n", what.c_str(), response.body.c_str());
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string input(reinterpret_cast<const char*>(data) + 1, size - 1);
  static const char* kRoutes[] = {"/v1/judge", "/v1/judge/batch", "/v1/rewards", "/run_code",
                                  "/get_reward"};
  const uint8_t selector = data[0];
  if (selector < 0x80) {
    server::HttpRequest request;
    request.method = "POST";
    request.target = kRoutes[selector % 5];
    request.headers = {{"Content-Type", "application/json"}};
    request.body = input;
    check(app().handle_request(std::move(request)), request.target);
    return 0;
  }
  namespace http = boost::beast::http;
  http::request_parser<http::string_body> parser;
  parser.header_limit(16 * 1024);
  parser.body_limit(1 << 20);
  parser.eager(true);
  boost::beast::error_code ec;
  parser.put(boost::asio::buffer(input.data(), input.size()), ec);
  if (!ec && !parser.is_done()) parser.put_eof(ec);
  if (ec || !parser.is_done()) return 0;
  auto message = parser.release();
  server::HttpRequest request;
  request.method = std::string(message.method_string());
  request.target = std::string(message.target());
  for (const auto& field : message) {
    request.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  }
  request.body = std::move(message.body());
  check(app().handle_request(std::move(request)), "raw request");
  return 0;
}
