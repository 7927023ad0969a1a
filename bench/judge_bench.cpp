// Judge throughput: tests per second for a trivial python and a trivial cpp stdio submission
// with 100 tests each, the same in function mode with and without batching, and compile time for 8
// identical cpp submissions with and without the compile cache. usage: judge_bench   (prints a
// Markdown table)
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <future>
#include <string>
#include <vector>

#include "codejudge/judges/judge.h"
#include "sum_problem.h"

namespace {

using Clock = std::chrono::steady_clock;
namespace judges = codejudge::judges;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// add(a, b) in function mode: the tests a harness can batch into one process.
codejudge::problems::Problem add_problem(size_t tests) {
  codejudge::problems::Problem problem;
  problem.id = "bench-add";
  problem.mode = codejudge::problems::Mode::kFunction;
  problem.entry_point = "add";
  problem.signature.params = {{"a", "int"}, {"b", "int"}};
  problem.signature.returns = "int";
  for (size_t i = 0; i < tests; ++i) {
    problem.tests.push_back({"[" + std::to_string(i) + "," + std::to_string(i + 1) + "]",
                             std::to_string(2 * i + 1), ""});
  }
  return problem;
}

}  // namespace

int main() {
  const std::string cache_dir =
      (std::filesystem::temp_directory_path() / "codejudge-judge-bench").string();
  std::filesystem::remove_all(cache_dir);
  judges::JudgeConfig config;
  config.cache_dir = cache_dir;
  std::string error;
  auto judge = judges::Judge::create(config, &error);
  if (!judge) {
    std::fprintf(stderr, "judge: %s\n", error.c_str());
    return 1;
  }
  const auto problem = codejudge::bench::sum_problem(100);
  const std::vector<std::pair<std::string, std::string>> submissions = {
      {"python", "a, b = map(int, input().split())\nprint(a + b)\n"},
      {"cpp",
       "#include <cstdio>\nint main(){long a,b;std::scanf(\"%ld %ld\",&a,&b);"
       "std::printf(\"%ld\\n\",a+b);}\n"},
  };
  std::printf("| submission | tests | wall s | tests/s |\n|---|---|---|---|\n");
  for (const auto& [language, code] : submissions) {
    judge->judge(problem, {language, code}, {});  // compile once, outside the timing
    auto start = Clock::now();
    auto result = judge->judge(problem, {language, code}, {});
    double s = seconds_since(start);
    if (result.verdict != judges::Verdict::kAC) {
      std::fprintf(stderr, "%s: %s %s\n", language.c_str(), judges::verdict_name(result.verdict),
                   result.message.c_str());
      return 1;
    }
    std::printf("| trivial %s | %zu | %.2f | %.0f |\n", language.c_str(), result.total, s,
                static_cast<double>(result.total) / s);
  }

  // The same 100 tests in function mode, one process per test and batched (the default).
  const auto add = add_problem(100);
  const std::vector<std::pair<std::string, std::string>> functions = {
      {"python", "def add(a, b):\n    return a + b\n"},
      {"cpp", "long long add(long long a, long long b) { return a + b; }\n"},
  };
  std::printf(
      "\n| function-mode submission | tests | batch_tests | wall s | tests/s |\n"
      "|---|---|---|---|---|\n");
  for (const auto& [language, code] : functions) {
    for (size_t batch : {size_t{1}, size_t{64}}) {
      judges::JudgeOptions options;
      options.batch_tests = batch;
      judge->judge(add, {language, code}, options);  // compile once, outside the timing
      auto start = Clock::now();
      auto result = judge->judge(add, {language, code}, options);
      double s = seconds_since(start);
      if (result.verdict != judges::Verdict::kAC) {
        std::fprintf(stderr, "%s: %s %s\n", language.c_str(), judges::verdict_name(result.verdict),
                     result.message.c_str());
        return 1;
      }
      std::printf("| add, %s | %zu | %zu | %.3f | %.0f |\n", language.c_str(), result.total, batch,
                  s, static_cast<double>(result.total) / s);
    }
  }

  // 8 identical cpp submissions at once: the first compiles, the others wait for it. A
  // LeetCode-style source pulls in <bits/stdc++.h>, as most submissions do.
  const auto one = codejudge::bench::sum_problem(1);
  const std::string typical =
      "#include <bits/stdc++.h>\nusing namespace std;\n" + submissions[1].second;
  std::printf("\n| compile | submissions | wall s | compiles |\n|---|---|---|---|\n");
  for (bool cached : {false, true}) {
    const std::string code = typical + "// bench " + (cached ? "warm" : "cold") + "\n";
    if (cached) judge->judge(one, {"cpp", code}, {});
    const auto before = judge->cache_stats();
    auto start = Clock::now();
    std::vector<std::future<judges::JudgeResult>> runs;
    for (int i = 0; i < 8; ++i) {
      runs.push_back(std::async(std::launch::async, [&] {
        return judge->judge(one, {"cpp", code}, {});
      }));
    }
    for (auto& r : runs) {
      auto result = r.get();
      if (result.verdict != judges::Verdict::kAC) {
        std::fprintf(stderr, "compile bench: %s %s\n", judges::verdict_name(result.verdict),
                     result.message.c_str());
        return 1;
      }
    }
    const auto after = judge->cache_stats();
    std::printf("| %s cache | 8 identical cpp | %.2f | %llu |\n", cached ? "warm" : "cold",
                seconds_since(start),
                static_cast<unsigned long long>(after.misses - before.misses));
  }
  // Without the cache every submission compiles on its own: 8 distinct sources.
  auto start = Clock::now();
  std::vector<std::future<judges::JudgeResult>> runs;
  for (int i = 0; i < 8; ++i) {
    runs.push_back(std::async(std::launch::async, [&, i] {
      return judge->judge(one, {"cpp", typical + "// distinct " + std::to_string(i)}, {});
    }));
  }
  for (auto& r : runs) r.get();
  std::printf("| no sharing (8 distinct sources) | 8 cpp | %.2f | 8 |\n", seconds_since(start));
  std::filesystem::remove_all(cache_dir);
  return 0;
}
