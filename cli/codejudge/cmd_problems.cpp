// `codejudge problems list|show|validate|import|generate`.
#include <atomic>
#include <iostream>
#include <mutex>
#include <thread>
#include <type_traits>

#include "codejudge/judges/language.h"
#include "codejudge/problems/importers.h"
#include "codejudge/problems/json.h"
#include "codejudge/problems/loader.h"
#include "commands.h"
#include "judge_output.h"

namespace codejudge::cli {
namespace {

constexpr const char* kProblemsUsage =
    "usage: codejudge problems list PATH\n"
    "       codejudge problems show PATH ID\n"
    "       codejudge problems validate PATH [--language L] [--jobs N] [--cold]\n"
    "       codejudge problems import --format FORMAT INPUT -o OUT.jsonl [--no-split]\n"
    "           [--max-split-tests N] [--chunk-size N] [--leetcode-input-output]\n"
    "           [--no-generated-tests] [--time-ms N]\n"
    "       codejudge problems generate --count N -o OUT.jsonl [--seed S] [--split SPLIT]\n"
    "           [--min-difficulty D] [--max-difficulty D] [--families F,F,...] [--tests N]\n"
    "           [--public-tests N]\n"
    "  PATH: a .jsonl file or a directory of them\n"
    "  validate runs each problem's reference solution (every language it has, or only L)\n"
    "  against its tests, prints each failure, then `N passed, M failed`; exit 1 on a failure\n"
    "  import formats: humaneval, humanevalplus, mbpp, mbppplus, leetcodedataset, apps,\n"
    "  codecontests (INPUT may be gzipped); --no-split keeps each check() as one test\n"
    "  (humaneval, leetcodedataset), --max-split-tests groups asserts into at most N tests,\n"
    "  --chunk-size sets the inputs per test (humanevalplus, mbppplus; default 50),\n"
    "  --leetcode-input-output builds tests from the input_output pairs, --no-generated-tests\n"
    "  drops codecontests' generated tests, --time-ms sets every problem's CPU limit\n"
    "  generate writes N synthetic python problems (-o - for stdout), the same for the same\n"
    "  options and seed: SPLIT train (default), heldout or all (never sharing a problem); D 1\n"
    "  (easy) to 3 (hard); families arithmetic, conditionals, strings, lists, loops,\n"
    "  algorithms (default all); --tests per problem (default 10), of which --public-tests are\n"
    "  shown as examples (default 2); --seed defaults to 1\n";

// Loads PATH, reporting skipped lines on stderr. False when nothing could be read at all.
bool load(const std::string& path, problems::ProblemSet* set) {
  problems::LoadResult loaded = problems::load_problems({path});
  for (const problems::LoadError& e : loaded.errors) {
    std::cerr << "codejudge: skipped: " << e.to_string() << "\n";
  }
  if (loaded.problems.empty() && !loaded.errors.empty()) return false;
  *set = problems::ProblemSet(std::move(loaded.problems));
  return true;
}

int list(const Args& args) {
  if (args.size() != 1) return usage_error("problems list takes one PATH", kProblemsUsage);
  problems::ProblemSet set;
  if (!load(args[0], &set)) return 2;
  for (const problems::Problem& p : set.problems()) {
    std::cout << p.id << "\t" << (p.difficulty.empty() ? "-" : p.difficulty) << "\t"
              << problems::mode_name(p.mode) << "\t" << p.tests.size() << " tests\t" << p.title
              << "\n";
  }
  return 0;
}

int show(const Args& args) {
  if (args.size() != 2) return usage_error("problems show takes PATH and ID", kProblemsUsage);
  problems::ProblemSet set;
  if (!load(args[0], &set)) return 2;
  const problems::Problem* problem = set.find(args[1]);
  if (!problem) return usage_error("no problem " + args[1] + " in " + args[0], kProblemsUsage);
  std::cout << render(problems::to_json(*problem), 2) << "\n";
  return 0;
}

int validate(const Args& args) {
  std::string path, language;
  uint64_t jobs = 0;
  bool warm = true;
  const std::vector<flags::Flag> table = {{"--language", "L", "", text_setter(&language)},
                                          {"--jobs", "N", "", uint_setter("--jobs", &jobs)},
                                          {"--cold", "", "", switch_setter(&warm, false)}};
  if (int code = parse_flags(args, table, one_positional(&path), kProblemsUsage); code >= 0)
    return code;
  if (path.empty()) return usage_error("problems validate needs PATH", kProblemsUsage);
  if (!language.empty()) {
    const judges::Language* lang = judges::find_language(language);
    if (!lang) return usage_error("unknown language: " + language, kProblemsUsage);
    language = lang->name;
  }
  problems::ProblemSet set;
  if (!load(path, &set)) return 2;

  struct Job {
    const problems::Problem* problem;
    std::string language;
  };
  std::vector<Job> work;
  for (const problems::Problem& p : set.problems()) {
    for (const auto& [lang, code] : p.reference) {
      if (language.empty() || lang == language) work.push_back({&p, lang});
    }
  }
  auto judge = make_judge(0, warm);
  if (!judge) return 2;
  // More problems in flight than test workers, so one problem's compile overlaps another's runs.
  const size_t threads =
      jobs ? jobs
           : std::max<size_t>(2, size_t{2} * std::max(1u, std::thread::hardware_concurrency()));
  std::atomic<size_t> next{0}, passed{0}, failed{0};
  std::mutex out_mutex;
  std::vector<std::thread> pool;
  for (size_t t = 0; t < std::min(threads, work.size()); ++t) {
    pool.emplace_back([&] {
      for (size_t i; (i = next++) < work.size();) {
        const Job& job = work[i];
        judges::JudgeResult result =
            judge->judge(*job.problem, {job.language, job.problem->reference.at(job.language)}, {});
        if (result.verdict == judges::Verdict::kAC) {
          ++passed;
          continue;
        }
        ++failed;
        std::lock_guard lock(out_mutex);
        std::cout << "FAIL " << job.problem->id << " [" << job.language
                  << "]: " << judges::verdict_name(result.verdict) << " " << result.passed << "/"
                  << result.total << ": " << result.message << "\n";
      }
    });
  }
  for (auto& th : pool) th.join();
  std::cout << passed << " passed, " << failed << " failed\n";
  return failed == 0 ? 0 : 1;
}

int import(const Args& args) {
  std::string format, input, output, error;
  problems::ImportOptions options;
  // A count flag: at least 1, and at most `max` where it has one.
  auto count = [](const std::string& flag, auto* out, uint64_t max = UINT64_MAX) {
    return [flag, out, max](const std::string& text, std::string* why) {
      uint64_t value = 0;
      if (!uint_setter(flag, &value)(text, why)) return false;
      if (value < 1) *why = flag + " must be at least 1";
      if (value > max) *why = flag + " must be at most " + std::to_string(max);
      *out = static_cast<std::remove_pointer_t<decltype(out)>>(value);
      return why->empty();
    };
  };
  const std::vector<flags::Flag> table = {
      {"--format", "FORMAT", "", text_setter(&format)},
      {"--no-split", "", "", switch_setter(&options.split_asserts, false)},
      {"--leetcode-input-output", "", "", switch_setter(&options.leetcode_input_output)},
      {"--no-generated-tests", "", "", switch_setter(&options.codecontests_generated_tests, false)},
      {"--max-split-tests", "N", "", count("--max-split-tests", &options.max_split_tests)},
      {"--chunk-size", "N", "", count("--chunk-size", &options.chunk_size)},
      {"--time-ms", "N", "", count("--time-ms", &options.time_ms, 60000)},
      {"-o", "OUT", "", text_setter(&output)},
  };
  if (int code = parse_flags(args, table, one_positional(&input), kProblemsUsage); code >= 0)
    return code;
  if (format.empty() || input.empty() || output.empty()) {
    return usage_error("problems import needs --format, INPUT and -o OUT", kProblemsUsage);
  }
  const auto& formats = problems::import_formats();
  if (std::find(formats.begin(), formats.end(), format) == formats.end()) {
    return usage_error("unknown format: " + format, kProblemsUsage);
  }
  problems::ImportResult result = problems::import_dataset(format, input, options);
  if (!result.ok()) {
    std::cerr << "codejudge: import failed: " << result.error << "\n";
    return 2;
  }
  for (const problems::ImportError& e : result.errors) {
    std::cerr << "codejudge: skipped " << e.to_string() << "\n";
  }
  if (!problems::write_jsonl(result.problems, output, &error)) {
    std::cerr << "codejudge: " << error << "\n";
    return 2;
  }
  std::cerr << "codejudge: imported " << result.problems.size() << " problems ("
            << result.errors.size() << " skipped) into " << output << "\n";
  return 0;
}

}  // namespace

int cmd_problems(const Args& args) {
  if (args.empty()) return usage_error("problems needs a subcommand", kProblemsUsage);
  const std::string& sub = args[0];
  const Args rest(args.begin() + 1, args.end());
  if (sub == "--help" || sub == "-h") {
    std::cout << kProblemsUsage;
    return 0;
  }
  if (sub == "list") return list(rest);
  if (sub == "show") return show(rest);
  if (sub == "validate") return validate(rest);
  if (sub == "import") return import(rest);
  if (sub == "generate") return cmd_generate(rest);
  return usage_error("unknown problems subcommand: " + sub, kProblemsUsage);
}

}  // namespace codejudge::cli
