// Server configuration from, in increasing precedence: built-in defaults, a JSON file (--config
// or CODEJUDGE_CONFIG), environment variables (CODEJUDGE_<FLAG>, e.g. CODEJUDGE_PORT) and
// command-line flags. `codejudge serve --help` prints server_config_help(): every option with
// its default and unit.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace codejudge::server {

struct ServerConfig {
  // Network.
  std::string host = "127.0.0.1";
  uint16_t port = 8080;   // 0: an ephemeral port, logged (and written to port_file) once bound
  std::string port_file;  // when set, the bound port is written there (for scripts and tests)
  size_t io_threads = 2;  // threads running the sockets; judging never runs on them
  // Connections open at once (further capped by the fd limit); at the cap the longest-idle
  // keep-alive connection is closed for a new one, and with none idle the new one gets 503.
  size_t max_connections = 1024;

  // Problems served by id; default_problems_paths() when empty.
  std::vector<std::string> problems;

  // Judging.
  size_t workers = 0;        // sandboxed test runs at once; 0 = number of CPUs
  size_t concurrency = 0;    // submissions judged at once (compile + tests); 0 = 2 * workers
  size_t queue_size = 1024;  // submissions waiting beyond those; a request that does not fit: 503
  std::string cache_dir;     // compile cache; empty = the judges' default
  uint64_t cache_mb = 1024;
  bool warm_runtimes = true;  // judges::JudgeConfig::warm_runtimes

  // Request caps (bad input beyond these is a 4xx, never a crash).
  uint64_t max_body_mb = 32;     // request body
  size_t max_items = 1024;       // submissions per batch, completions per rewards/get_reward call
  size_t max_tests = 1000;       // inline tests per submission
  uint64_t max_time_ms = 20000;  // per-test CPU time a request may ask for
  uint64_t max_memory_mb = 4096;
  uint64_t max_output_kb = 65536;   // per stream
  uint64_t max_run_timeout_s = 30;  // /run_code's run_timeout is capped at this

  // Memory for requests in flight (docs/DEPLOY.md: the RSS bound). Bodies are read only once
  // their bytes fit in body_budget_mb, and held against it until answered; parsing a body into
  // JSON is estimated from its values and runs only within parse_budget_mb.
  uint64_t body_budget_mb = 256;
  uint64_t parse_budget_mb = 256;

  // Timeouts and load behaviour.
  uint64_t read_timeout_s = 30;  // a request (headers and body) must arrive within this
  uint64_t idle_timeout_s = 60;  // a keep-alive connection may idle this long between requests
  uint64_t write_timeout_s = 30;
  uint64_t drain_timeout_s = 120;  // on SIGTERM/SIGINT, wait this long for in-flight work
  uint64_t retry_after_s = 1;      // Retry-After sent with 503
  // The drop-in routes' clients do not honour Retry-After, so their requests wait for room
  // in the queue instead of bouncing: /run_code must start within run_code_wait_s (else 504,
  // which verl retries); /get_reward waits for room up to get_reward_wait_s (else 503).
  uint64_t run_code_wait_s = 5;
  uint64_t get_reward_wait_s = 60;

  // Rewards for /get_reward (OpenRLHF), which cannot pass options.
  std::string accuracy = "binary";  // binary | fraction
  double accuracy_weight = 1.0;
  double format_weight = 0.1;
  double ie_reward = 0.0;  // what /get_reward reports for an internal error (it cannot be null)

  std::string log_level = "info";  // debug | info | warn | error
};

// The bundled problems: <source dir>/problems/bundled (a compile-time path).
std::vector<std::string> default_problems_paths();

// The text of `codejudge serve --help`.
std::string server_config_help();

using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;
EnvLookup process_env();  // getenv

// Builds the configuration from args (the flags after `serve`) and env. Returns nullopt with
// *error on a bad flag, variable, file or value. Sets *help when --help was given.
std::optional<ServerConfig> parse_server_config(const std::vector<std::string>& args,
                                                const EnvLookup& env, std::string* error,
                                                bool* help);

}  // namespace codejudge::server
