#include "serve_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <thread>

namespace codejudge::testing {
namespace {

using Clock = std::chrono::steady_clock;

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

ServeProcess::ServeProcess(ServeOptions options) : options_(std::move(options)) {
  if (options_.log_path.empty()) options_.log_path = options_.dir + "/log";
  const std::string port_file = options_.dir + "/port";
  std::vector<std::string> args = {options_.binary, "serve",  "--port", "0",
                                   "--port-file",   port_file};
  args.insert(args.end(), options_.args.begin(), options_.args.end());
  pid_ = fork();
  if (pid_ == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);  // never outlive a killed test
    if (options_.nofile) {
      rlimit limit{options_.nofile->first, options_.nofile->second};
      setrlimit(RLIMIT_NOFILE, &limit);
    }
    int log = open(options_.log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (options_.log_stdout) dup2(log, 1);
    dup2(log, 2);
    std::vector<char*> argv;
    argv.reserve(args.size() + 1);
    for (auto& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  if (pid_ < 0) {
    error_ = "fork failed";
    return;
  }
  const auto deadline = Clock::now() + options_.start_timeout;
  while (Clock::now() < deadline) {
    // The server writes the port and a newline once it listens.
    std::string text = read_file(port_file);
    if (!text.empty() && text.back() == '\n') {
      port_ = static_cast<uint16_t>(std::stoi(text));
      return;
    }
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      error_ = "codejudge serve exited at start: " + log().substr(0, 2000);
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  error_ = "codejudge serve did not write its port in time: " + log().substr(0, 2000);
}

ServeProcess::~ServeProcess() {
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
}

std::string ServeProcess::log() const {
  return read_file(options_.log_path);
}

std::optional<int> ServeProcess::stop(int sig, std::chrono::milliseconds timeout) {
  if (pid_ <= 0) return std::nullopt;
  kill(pid_, sig);
  const auto deadline = Clock::now() + timeout;
  while (Clock::now() < deadline) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return std::nullopt;
}

}  // namespace codejudge::testing
