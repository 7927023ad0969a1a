// The JSON edge as pure functions: fence detection, targets, and the SandboxFusion mapping.
#include "../../server/src/api.h"

#include <gtest/gtest.h>

#include "codejudge/server/http.h"

namespace codejudge::server {
namespace {

TEST(LastBlockLanguage, FindsTheLastClosedNonBlankBlock) {
  EXPECT_EQ(api::last_block_language("```py\nx\n```\ntext\n```cpp\nint x;\n```\n"), "cpp");
  EXPECT_EQ(api::last_block_language("```cpp\nint x;\n```\n```python\nprint(1)\n"), "cpp");
  EXPECT_EQ(api::last_block_language("```js\nx\n```\n```rust\n\n```"), "javascript");
  EXPECT_EQ(api::last_block_language("~~~C++ {.numberLines}\nx\n~~~"), "cpp");
  EXPECT_EQ(api::last_block_language("```\nx\n```"), "");
  EXPECT_EQ(api::last_block_language("no code"), "");
}

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

}  // namespace
}  // namespace codejudge::server
