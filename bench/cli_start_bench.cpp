// Whole-process start of the CLI: `codejudge sandbox -- /bin/true` against a bare `/bin/true`,
// each spawned as a child process and waited for, as a shell or a script would run them. The
// commands alternate round by round, so that load from elsewhere on the host falls on all of
// them alike; `codejudge --help` shows what starting the binary alone costs. Several codejudge
// binaries (a build before a change and one after) are measured in the same rounds.
// usage: cli_start_bench [ROUNDS [CODEJUDGE...]]   (default 200 rounds and the codejudge built
// beside this benchmark; run as root, as the sandbox needs; prints a Markdown table)
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

extern char** environ;

namespace {

using Clock = std::chrono::steady_clock;

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

// Wall time from spawn to exit of argv, its output to /dev/null; exits the benchmark when the
// command fails, since its time would then mean nothing.
double run_ms(const std::vector<std::string>& argv) {
  std::vector<char*> args;
  for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  const Clock::time_point start = Clock::now();
  pid_t pid = -1;
  int err = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ);
  int status = 0;
  if (err == 0) {
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
  }
  const double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  posix_spawn_file_actions_destroy(&actions);
  if (err != 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::fprintf(stderr, "%s failed (spawn error %d, wait status %d)\n", args[0], err, status);
    std::exit(1);
  }
  return ms;
}

}  // namespace

int main(int argc, char** argv) {
  const int rounds = argc > 1 ? std::max(1, std::atoi(argv[1])) : 200;
  std::vector<std::string> binaries(argv + std::min(argc, 2), argv + argc);
  if (binaries.empty()) binaries.push_back(CODEJUDGE_BINARY);
  struct Command {
    std::string name;
    std::vector<std::string> argv;
    std::vector<double> ms;
  };
  std::vector<Command> commands = {{"`/bin/true`", {"/bin/true"}, {}}};
  for (const std::string& binary : binaries) {
    const std::string name = binaries.size() > 1 ? binary : "codejudge";
    commands.push_back({"`" + name + " --help`", {binary, "--help"}, {}});
    commands.push_back(
        {"`" + name + " sandbox -- /bin/true`", {binary, "sandbox", "--", "/bin/true"}, {}});
  }
  for (Command& command : commands) run_ms(command.argv);  // page cache, first-run costs
  // Per round, what each sandboxed run took over the bare one of the same round: drift in the
  // host's load between rounds cancels out.
  std::vector<std::vector<double>> added(binaries.size());
  for (int round = 0; round < rounds; ++round) {
    for (Command& command : commands) command.ms.push_back(run_ms(command.argv));
    for (size_t i = 0; i < binaries.size(); ++i) {
      added[i].push_back(commands[2 + 2 * i].ms.back() - commands[0].ms.back());
    }
  }
  const double bare = median(commands[0].ms);
  std::printf("| command | median ms | added over bare ms |\n|---|---|---|\n");
  for (const Command& command : commands) {
    const double ms = median(command.ms);
    std::printf("| %s | %.2f | %.2f |\n", command.name.c_str(), ms, ms - bare);
  }
  std::printf("\n%d rounds; median of the per-round differences, sandbox - bare:\n", rounds);
  for (size_t i = 0; i < binaries.size(); ++i) {
    std::printf("- %s: %.2f ms\n", binaries[i].c_str(), median(added[i]));
  }
  return 0;
}
