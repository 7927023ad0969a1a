// A `codejudge serve` child process on an ephemeral port, for the tests and benchmarks that speak
// HTTP to the real binary (tests/server/blackbox_test.cpp, tests/trainer/reward_contract_test.cpp,
// bench/judge_server_bench.cpp): `--port 0 --port-file`, its output in a log file, killed with
// the test. The Python tests have the same in tests/server/server_process.py.
#pragma once

#include <sys/resource.h>
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace codejudge::testing {

struct ServeOptions {
  std::string binary;                               // the codejudge executable
  std::string dir;                                  // the port file and the log go here
  std::vector<std::string> args;                    // after `serve --port 0 --port-file DIR/port`
  std::string log_path;                             // default DIR/log; /dev/null to drop the output
  bool log_stdout = false;                          // stdout to the log as well as stderr
  std::optional<std::pair<rlim_t, rlim_t>> nofile;  // RLIMIT_NOFILE (soft, hard) from the start
  std::chrono::milliseconds start_timeout{30000};   // for the port to be written
};

class ServeProcess {
 public:
  // Starts the server and waits until it has written its port (then ok()), exited or timed out
  // (then error() says which, with the start of the log).
  explicit ServeProcess(ServeOptions options);
  ~ServeProcess();  // SIGKILL unless stopped
  ServeProcess(const ServeProcess&) = delete;
  ServeProcess& operator=(const ServeProcess&) = delete;

  bool ok() const { return port_ != 0; }
  uint16_t port() const { return port_; }
  pid_t pid() const { return pid_; }
  const std::string& error() const { return error_; }
  std::string log() const;

  // Sends sig and waits at most timeout for the exit status (128 + signal when killed).
  std::optional<int> stop(int sig, std::chrono::milliseconds timeout);

 private:
  ServeOptions options_;
  pid_t pid_ = -1;
  uint16_t port_ = 0;
  std::string error_;
};

}  // namespace codejudge::testing
