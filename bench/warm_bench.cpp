// Per-test cost of a stdio test in every language, warm runtimes on and off, in one run: a
// 50-test "a b -> a+b" problem (tests/judges/submissions/sum), judged by one worker so that a
// test's wall time is its latency. Reports per test the wall time, the program's own CPU time (the
// run's cgroup), and the difference: what judging costs beyond the program. Python also runs
// unsandboxed, one `python3` per test (the naive runner's way). Rounds alternate warm and cold.
//
// usage: warm_bench [--rounds N] [--tests N] [--language L]    (prints a Markdown table)
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "codejudge/judges/judge.h"
#include "codejudge/judges/language.h"
#include "sum_problem.h"

extern char** environ;

namespace {

using Clock = std::chrono::steady_clock;
namespace judges = codejudge::judges;

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values.empty() ? 0 : values[values.size() / 2];
}

std::string sum_program(const std::string& language) {
  const std::string& file = judges::find_language(language)->source_file;
  std::ifstream in(std::string(CODEJUDGE_SOURCE_DIR) + "/tests/judges/submissions/sum/correct." +
                   file.substr(file.rfind('.') + 1));
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

struct Sample {
  double wall_ms = 0;  // per test
  double cpu_ms = 0;   // per test, the program's own
};

// One pass over the problem's tests; false (with a message) unless every test passed.
bool judge_once(judges::Judge& judge, const codejudge::problems::Problem& problem,
                const std::string& language, const std::string& code, Sample* sample) {
  const auto start = Clock::now();
  judges::JudgeResult result = judge.judge(problem, {language, code}, {});
  const double wall_ms = ms_since(start);
  if (result.verdict != judges::Verdict::kAC) {
    std::fprintf(stderr, "%s: %s %s\n", language.c_str(), judges::verdict_name(result.verdict),
                 result.message.c_str());
    return false;
  }
  double cpu_ms = 0;
  for (const auto& test : result.tests) cpu_ms += static_cast<double>(test.cpu_ms);
  sample->wall_ms = wall_ms / static_cast<double>(result.tests.size());
  sample->cpu_ms = cpu_ms / static_cast<double>(result.tests.size());
  return true;
}

// The naive way: one unsandboxed `python3 -c CODE` per test, its stdin from a file.
double naive_python_ms(const std::string& code, const codejudge::problems::Problem& problem) {
  const std::string input = std::filesystem::temp_directory_path() / "codejudge-warm-bench.in";
  const auto start = Clock::now();
  for (const auto& test : problem.tests) {
    std::ofstream(input) << test.input;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, input.c_str(), O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    const char* argv[] = {"/usr/bin/python3", "-c", code.c_str(), nullptr};
    pid_t pid = -1;
    if (posix_spawn(&pid, argv[0], &actions, nullptr, const_cast<char**>(argv), environ) == 0) {
      int status = 0;
      waitpid(pid, &status, 0);
    }
    posix_spawn_file_actions_destroy(&actions);
  }
  std::filesystem::remove(input);
  return ms_since(start) / static_cast<double>(problem.tests.size());
}

}  // namespace

int main(int argc, char** argv) {
  size_t rounds = 3, tests = 50;
  std::string only;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--language") only = argv[i + 1];
    if (flag == "--rounds") rounds = std::stoul(argv[i + 1]);
    if (flag == "--tests") tests = std::stoul(argv[i + 1]);
  }
  const std::string cache_dir =
      (std::filesystem::temp_directory_path() / "codejudge-warm-bench").string();
  std::map<bool, std::unique_ptr<judges::Judge>> judges_by_warm;
  for (bool warm : {true, false}) {
    judges::JudgeConfig config;
    config.cache_dir = cache_dir;
    config.workers = 1;
    config.warm_runtimes = warm;
    std::string error;
    judges_by_warm[warm] = judges::Judge::create(config, &error);
    if (!judges_by_warm[warm]) {
      std::fprintf(stderr, "judge: %s\n", error.c_str());
      return 1;
    }
  }
  const auto problem = codejudge::bench::sum_problem(tests);
  std::printf(
      "| language | warm: wall / test ms | program CPU ms | judging ms | cold: wall / test ms | "
      "program CPU ms | judging ms |\n|---|---|---|---|---|---|---|\n");
  for (const judges::Language& language : judges::all_languages()) {
    if (!only.empty() && language.name != only) continue;
    const std::string code = sum_program(language.name);
    std::map<bool, std::vector<Sample>> samples;
    for (bool warm : {true, false}) {
      Sample ignored;  // compiles and starts the runtimes, outside the timing
      if (!judge_once(*judges_by_warm[warm], problem, language.name, code, &ignored)) return 1;
    }
    for (size_t round = 0; round < rounds; ++round) {
      for (bool warm : {true, false}) {
        Sample sample;
        if (!judge_once(*judges_by_warm[warm], problem, language.name, code, &sample)) return 1;
        samples[warm].push_back(sample);
      }
    }
    std::printf("| %s |", language.name.c_str());
    for (bool warm : {true, false}) {
      std::vector<double> walls, cpus, over;
      for (const Sample& s : samples[warm]) {
        walls.push_back(s.wall_ms);
        cpus.push_back(s.cpu_ms);
        over.push_back(s.wall_ms - s.cpu_ms);
      }
      std::printf(" %.1f | %.1f | %.1f |", median(walls), median(cpus), median(over));
    }
    std::printf("\n");
    if (language.name == "python") {
      std::vector<double> naive;
      for (size_t round = 0; round < rounds; ++round) {
        naive.push_back(naive_python_ms(code, problem));
      }
      std::printf("| python, unsandboxed `python3 -c` per test | %.1f | | | | | |\n",
                  median(naive));
    }
  }
  return 0;
}
