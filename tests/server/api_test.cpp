// The JSON edge as pure functions: targets, the parse estimate, and the
// SandboxFusion mapping.
#include "../../server/src/api.h"

#include <malloc.h>

#include <gtest/gtest.h>

#include <map>
#include <vector>

#include "codejudge/server/http.h"

namespace codejudge::server {
namespace {

TEST(ParseTarget, DecodesPathAndQuery) {
  Target target;
  ASSERT_TRUE(parse_target("/v1/problems/humaneval%2F0?tag=a+b&limit=5&&flag", &target));
  EXPECT_EQ(target.path, "/v1/problems/humaneval/0");
  ASSERT_EQ(target.query.size(), 3u);
  EXPECT_EQ(target.query[0], (std::pair<std::string, std::string>("tag", "a b")));
  EXPECT_EQ(target.query[2].first, "flag");
  EXPECT_FALSE(parse_target("http://x/", &target));
  EXPECT_FALSE(parse_target("/a%4", &target));
  EXPECT_FALSE(parse_target("/a?b=%G0", &target));
}

TEST(ParseBody, RefusesDeepNestingButNotBracketsInStrings) {
  api::Error error;
  EXPECT_FALSE(api::parse_body(std::string(65, '[') + std::string(65, ']'), &error));
  std::string quoted = "{\"a\": \"" + std::string(1000, '[') + "\\\"\"}";
  EXPECT_TRUE(api::parse_body(quoted, &error)) << error.message;
  EXPECT_FALSE(api::parse_body("{\"a\": 1} trailing", &error));
  EXPECT_EQ(error.code, "invalid_json");
}

// Counts the bytes a parse asks for (its peak, the lexer's buffer included) through a stateless
// allocator: the same containers and sizes as nlohmann::json, but every allocation seen.
struct Allocated {
  static inline int64_t now = 0;
  static inline int64_t peak = 0;
};
template <class T>
struct Counting {
  using value_type = T;
  Counting() = default;
  template <class U>
  Counting(const Counting<U>&) {}
  T* allocate(size_t n) {
    Allocated::now += static_cast<int64_t>(n * sizeof(T));
    Allocated::peak = std::max(Allocated::peak, Allocated::now);
    return std::allocator<T>().allocate(n);
  }
  void deallocate(T* p, size_t n) {
    Allocated::now -= static_cast<int64_t>(n * sizeof(T));
    std::allocator<T>().deallocate(p, n);
  }
  template <class U>
  bool operator==(const Counting<U>&) const {
    return true;
  }
};
using CountedString = std::basic_string<char, std::char_traits<char>, Counting<char>>;
using CountedJson = nlohmann::basic_json<std::map, std::vector, CountedString, bool, int64_t,
                                         uint64_t, double, Counting>;

std::string repeated(const std::string& open, const std::string& unit, size_t n,
                     const std::string& close) {
  std::string text = open;
  for (size_t i = 0; i < n; ++i) text += (i ? "," : "") + unit;
  return text + close;
}

TEST(MeasureJson, BoundsWhatTheParserAllocates) {
  std::string keys;
  for (size_t i = 0; i < 20000; ++i) {
    keys += (i ? ",\"" : "\"") + std::string("a_key_longer_than_sso_") + std::to_string(i) + "\":1";
  }
  const std::vector<std::string> shapes = {
      repeated("[", "1", 50000, "]"),
      repeated("[", "123456", 50000, "]"),
      repeated("[", "{\"a\":1}", 50000, "]"),
      repeated("[", "{}", 50000, "]"),
      repeated("[", "[]", 50000, "]"),
      repeated("[", "[1,2,3]", 50000, "]"),
      repeated("[", "\"ab\"", 50000, "]"),
      repeated("[", "\"" + std::string(40, 'x') + "\"", 50000, "]"),
      "{\"code\": \"" + std::string(1 << 20, 'y') + "\"}",
      "{" + keys + "}",
      repeated("{\"tests\": [", "{\"input\": [[3, 1, 2], 9], \"output\": [0, 1]}", 20000, "]}"),
  };
  for (const std::string& text : shapes) {
    const api::JsonSize size = api::measure_json(text);
    Allocated::now = Allocated::peak = 0;
    { CountedJson parsed = CountedJson::parse(text); }
    EXPECT_LE(Allocated::peak, static_cast<int64_t>(size.memory_bytes)) << text.substr(0, 40);
    // glibc's own count of the DOM, chunk headers and rounding included.
    const size_t before = mallinfo2().uordblks + mallinfo2().hblkhd;
    nlohmann::json dom = nlohmann::json::parse(text);
    const size_t held = mallinfo2().uordblks + mallinfo2().hblkhd - before;
    EXPECT_LE(held, size.memory_bytes) << text.substr(0, 40);
    // An upper bound, but not so loose that honest bodies are refused.
    EXPECT_LE(size.memory_bytes, 3 * std::max<uint64_t>(Allocated::peak, held))
        << text.substr(0, 40);
  }
}

TEST(MeasureJson, CountsValuesAndDepth) {
  api::JsonSize size = api::measure_json(R"({"a": [1, "x", {"b": null}], "c": true})");
  EXPECT_EQ(size.values, 7u);  // the object, the array, 1, "x", {...}, null, true
  EXPECT_EQ(size.depth, 3u);
  EXPECT_EQ(api::measure_json(R"(["[[[", "\"{{"])").depth, 1u);
  EXPECT_EQ(api::measure_json(std::string(100, '[')).depth, api::kMaxJsonDepth + 1);
}

judges::Judge::RunOutput run_with(sandbox::Status status, int exit_code, int signal) {
  judges::Judge::RunOutput output;
  output.compile.ok = true;
  output.compile.time_ms = 1500;
  output.run.status = status;
  output.run.exit_code = exit_code;
  output.run.signal = signal;
  output.run.wall_ms = 250;
  return output;
}

TEST(EncodeRunCode, MapsEverySandboxStatus) {
  api::RunCodeTask cpp;
  cpp.compiled_language = true;
  auto ok = api::encode_run_code(cpp, run_with(sandbox::Status::kOk, 0, 0));
  EXPECT_EQ(ok["status"], "Success");
  EXPECT_DOUBLE_EQ(ok["compile_result"]["execution_time"].get<double>(), 1.5);
  EXPECT_DOUBLE_EQ(ok["run_result"]["execution_time"].get<double>(), 0.25);

  auto tle = api::encode_run_code(cpp, run_with(sandbox::Status::kTimeLimit, -1, 9));
  EXPECT_EQ(tle["status"], "Failed");
  EXPECT_EQ(tle["run_result"]["status"], "TimeLimitExceeded");

  auto killed = api::encode_run_code(cpp, run_with(sandbox::Status::kRuntimeError, -1, 11));
  EXPECT_EQ(killed["status"], "Failed");
  EXPECT_EQ(killed["run_result"]["status"], "Finished");
  EXPECT_EQ(killed["run_result"]["return_code"], -11);

  // An output flood that exited 0 must still not look like success to verl.
  auto ole = api::encode_run_code(cpp, run_with(sandbox::Status::kOutputLimit, 0, 0));
  EXPECT_EQ(ole["status"], "Failed");
  EXPECT_NE(ole["run_result"]["return_code"], 0);

  auto ie = api::encode_run_code(cpp, run_with(sandbox::Status::kInternalError, -1, 0));
  EXPECT_EQ(ie["status"], "SandboxError");
  EXPECT_EQ(ie["run_result"]["status"], "Error");

  judges::Judge::RunOutput syntax;
  syntax.compile.ok = false;
  syntax.compile.stderr_data = "SyntaxError: invalid syntax";
  syntax.run.message = "compile failed";
  api::RunCodeTask python;
  auto interpreted = api::encode_run_code(python, syntax);
  EXPECT_EQ(interpreted["status"], "Failed");
  EXPECT_TRUE(interpreted["compile_result"].is_null());
  EXPECT_EQ(interpreted["run_result"]["return_code"], 1);
  EXPECT_EQ(interpreted["run_result"]["stderr"], "SyntaxError: invalid syntax");

  judges::Judge::RunOutput broken = syntax;
  broken.run.message = "compile failed: scratch dir: no space";
  EXPECT_EQ(api::encode_run_code(cpp, broken)["status"], "SandboxError");
}

TEST(RunVerdict, NamesWhatMetricsCount) {
  EXPECT_STREQ(api::run_verdict(run_with(sandbox::Status::kOk, 0, 0)), "OK");
  EXPECT_STREQ(api::run_verdict(run_with(sandbox::Status::kTimeLimit, -1, 9)), "TLE");
  EXPECT_STREQ(api::run_verdict(run_with(sandbox::Status::kInternalError, -1, 0)), "IE");
  judges::Judge::RunOutput compile_error = run_with(sandbox::Status::kInternalError, -1, 0);
  compile_error.run.message = "compile failed";
  EXPECT_STREQ(api::run_verdict(compile_error), "CE");
  compile_error.run.message = "compile failed: cache: disk full";  // ours
  EXPECT_STREQ(api::run_verdict(compile_error), "IE");
}

TEST(DecodeRunCode, CapsRunTimeoutAtTheFlagAndSaysSo) {
  api::Caps caps;
  caps.max_run_timeout_ms = 30000;
  api::Error error;
  auto task = api::decode_run_code(
      {{"code", "print(1)"}, {"language", "python"}, {"run_timeout", 25}}, caps, &error);
  ASSERT_TRUE(task) << error.message;
  EXPECT_EQ(task->limits.cpu_ms, 25000u);  // above the old silent 20 s cap
  EXPECT_EQ(task->limits.wall_ms, 25000u);
  EXPECT_FALSE(task->timeout_capped);
  task = api::decode_run_code({{"code", "print(1)"}, {"language", "python"}, {"run_timeout", 45.5}},
                              caps, &error);
  ASSERT_TRUE(task);
  EXPECT_EQ(task->limits.wall_ms, 30000u);
  EXPECT_TRUE(task->timeout_capped);
  auto tle = api::encode_run_code(*task, run_with(sandbox::Status::kTimeLimit, -1, 9));
  EXPECT_NE(tle["message"].get<std::string>().find("capped at 30 s by --max-run-timeout-s"),
            std::string::npos)
      << tle;
}

}  // namespace
}  // namespace codejudge::server
