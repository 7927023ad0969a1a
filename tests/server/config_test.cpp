#include "codejudge/server/config.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <map>

namespace codejudge::server {
namespace {

EnvLookup env_of(std::map<std::string, std::string> vars) {
  return [vars](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

std::optional<ServerConfig> parse(const std::vector<std::string>& args,
                                  std::map<std::string, std::string> env = {},
                                  std::string* error = nullptr) {
  std::string ignored;
  bool help = false;
  return parse_server_config(args, env_of(std::move(env)), error ? error : &ignored, &help);
}

TEST(ServerConfig, DefaultsMatchTheDocumentedOnes) {
  auto config = parse({});
  ASSERT_TRUE(config);
  EXPECT_EQ(config->host, "127.0.0.1");
  EXPECT_EQ(config->port, 8080);
  EXPECT_EQ(config->problems, default_problems_paths());
  EXPECT_NE(config->problems[0].find("problems/bundled"), std::string::npos);
  EXPECT_EQ(config->workers, 0u);
}

TEST(ServerConfig, FlagsOverrideEnvironmentOverrideFile) {
  char path[] = "/tmp/codejudge-config-XXXXXX";
  int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  close(fd);
  {
    std::ofstream out(path);
    out << R"({"port": 9000, "workers": 3, "log_level": "debug", "problems": ["/a", "/b"],
               "format-weight": 0.25})";
  }
  auto from_file = parse({"--config", path});
  ASSERT_TRUE(from_file);
  EXPECT_EQ(from_file->port, 9000);
  EXPECT_EQ(from_file->workers, 3u);
  EXPECT_EQ(from_file->log_level, "debug");
  EXPECT_EQ(from_file->problems, (std::vector<std::string>{"/a", "/b"}));
  EXPECT_DOUBLE_EQ(from_file->format_weight, 0.25);

  auto with_env = parse(
      {},
      {{"CODEJUDGE_CONFIG", path}, {"CODEJUDGE_PORT", "9100"}, {"CODEJUDGE_PROBLEMS", "/x:/y"}});
  ASSERT_TRUE(with_env);
  EXPECT_EQ(with_env->port, 9100);
  EXPECT_EQ(with_env->workers, 3u);
  EXPECT_EQ(with_env->problems, (std::vector<std::string>{"/x", "/y"}));

  auto with_flags = parse({"--port", "9200", "--problems", "/p", "/q", "--workers=5"},
                          {{"CODEJUDGE_CONFIG", path}, {"CODEJUDGE_PORT", "9100"}});
  ASSERT_TRUE(with_flags);
  EXPECT_EQ(with_flags->port, 9200);
  EXPECT_EQ(with_flags->workers, 5u);
  EXPECT_EQ(with_flags->problems, (std::vector<std::string>{"/p", "/q"}));
  std::remove(path);
}

TEST(ServerConfig, BadValuesNameTheirSource) {
  std::string error;
  EXPECT_FALSE(parse({"--port", "70000"}, {}, &error));
  EXPECT_NE(error.find("--port"), std::string::npos) << error;
  EXPECT_FALSE(parse({"--port"}, {}, &error));
  EXPECT_NE(error.find("--port needs a value"), std::string::npos) << error;
  EXPECT_FALSE(parse({"--workers", "-1"}, {}, &error));
  EXPECT_FALSE(parse({"--colour", "red"}, {}, &error));
  EXPECT_NE(error.find("unknown flag --colour"), std::string::npos);
  EXPECT_FALSE(parse({"stray"}, {}, &error));
  EXPECT_FALSE(parse({}, {{"CODEJUDGE_IO_THREADS", "0"}}, &error));
  EXPECT_NE(error.find("CODEJUDGE_IO_THREADS"), std::string::npos) << error;
  EXPECT_FALSE(parse({"--accuracy", "most"}, {}, &error));
  EXPECT_FALSE(parse({"--log-level", "loud"}, {}, &error));
  EXPECT_FALSE(parse({"--format-weight", "nan"}, {}, &error));
  EXPECT_FALSE(parse({"--config", "/nonexistent/file.json"}, {}, &error));
  EXPECT_FALSE(parse({"--problems"}, {}, &error));
  // A largest body must fit in the body budget, or it would never be read.
  EXPECT_FALSE(parse({"--max-body-mb", "64", "--body-budget-mb", "32"}, {}, &error));
  EXPECT_NE(error.find("body-budget-mb (32) must be at least max-body-mb (64)"), std::string::npos)
      << error;
  EXPECT_TRUE(parse({"--max-body-mb", "64", "--body-budget-mb", "64"}, {}, &error)) << error;
}

TEST(ServerConfig, LoadLimitsHaveTheirDefaults) {
  std::string error;
  auto config = parse({}, {}, &error);
  ASSERT_TRUE(config) << error;
  EXPECT_EQ(config->max_connections, 1024u);
  EXPECT_EQ(config->body_budget_mb, 256u);
  EXPECT_EQ(config->parse_budget_mb, 256u);
  EXPECT_EQ(config->run_code_wait_s, 5u);
  EXPECT_EQ(config->get_reward_wait_s, 60u);
  EXPECT_GE(config->max_run_timeout_s, 30u);  // verl's sandbox tool asks for 30 s by default
  auto set = parse({"--max-run-timeout-s", "90", "--run-code-wait-s", "0"},
                   {{"CODEJUDGE_MAX_CONNECTIONS", "64"}}, &error);
  ASSERT_TRUE(set) << error;
  EXPECT_EQ(set->max_run_timeout_s, 90u);
  EXPECT_EQ(set->run_code_wait_s, 0u);
  EXPECT_EQ(set->max_connections, 64u);
}

TEST(ServerConfig, HelpListsEveryOptionWithDefaultAndEnv) {
  bool help = false;
  std::string error;
  auto config = parse_server_config({"--help"}, env_of({}), &error, &help);
  EXPECT_TRUE(help);
  const std::string text = server_config_help();
  for (const char* flag :
       {"--host", "--port ", "--problems", "--workers", "--concurrency", "--queue-size",
        "--max-body-mb", "--read-timeout-s", "--drain-timeout-s", "--log-level", "--config",
        "--max-connections", "--body-budget-mb", "--parse-budget-mb", "--max-run-timeout-s",
        "--run-code-wait-s", "--get-reward-wait-s"}) {
    EXPECT_NE(text.find(flag), std::string::npos) << flag;
  }
  EXPECT_NE(text.find("default: 127.0.0.1"), std::string::npos);
  EXPECT_NE(text.find("default: 8080"), std::string::npos);
  EXPECT_NE(text.find("CODEJUDGE_MAX_BODY_MB"), std::string::npos);
  EXPECT_NE(text.find("MiB"), std::string::npos);
  EXPECT_NE(text.find("seconds"), std::string::npos);
}

}  // namespace
}  // namespace codejudge::server
