// Dataset health and test strength: judges every problem's python reference (it should be AC)
// and, with --mutants, three mutants of each AC reference (they should not be). A mutant wraps
// the entry point and changes what it returns; a mutant that stays AC either never changed a value
// (not applicable: the function returns no such value) or got past weak tests (a survivor).
// usage: dataset_bench [--jobs N] [--mutants] [--limit-problems N] [--cache-dir DIR] FILE.jsonl...
// (prints Markdown; progress goes to stderr)
#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "codejudge/judges/judge.h"
#include "codejudge/problems/loader.h"

namespace {

using Clock = std::chrono::steady_clock;
namespace judges = codejudge::judges;
namespace problems = codejudge::problems;

constexpr const char* kAppliedMarker = "codejudge-mutant-applied";
constexpr size_t kMessageChars = 300;
constexpr size_t kListedSurvivors = 20;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Runs work(i) for i in [0, count) on `threads` threads, as `codejudge problems validate` does:
// more judge() calls in flight than test workers, so one problem's setup overlaps others' runs.
void parallel_for(size_t count, size_t threads, const std::function<void(size_t)>& work) {
  std::atomic<size_t> next{0};
  std::vector<std::thread> pool;
  for (size_t t = 0; t < std::min(threads, count); ++t) {
    pool.emplace_back([&] {
      for (size_t i; (i = next++) < count;) work(i);
    });
  }
  for (auto& th : pool) th.join();
}

// One line, at most kMessageChars bytes, not cut inside a UTF-8 sequence.
std::string short_message(std::string text) {
  std::replace(text.begin(), text.end(), '\n', ' ');
  if (text.size() <= kMessageChars) return text;
  size_t cut = kMessageChars;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return text.substr(0, cut) + "...";
}

uint64_t percentile(std::vector<uint64_t> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  size_t rank = static_cast<size_t>(p * static_cast<double>(values.size() - 1) + 0.5);
  return values[std::min(rank, values.size() - 1)];
}

struct Mutation {
  const char* name;
  const char* body;  // the body of _cj_mutate(value); calls _cj_note() when it changes the value
};

const std::vector<Mutation>& mutations() {
  static const std::vector<Mutation> kMutations = {
      {"constant",
       "    if not (type(value) is int and value == 0):\n"
       "        _cj_note()\n"
       "    return 0\n"},
      {"drop_last",
       "    if isinstance(value, (list, tuple, str)) and len(value) > 0:\n"
       "        _cj_note()\n"
       "        return value[:-1]\n"
       "    return value\n"},
      {"off_by_one",
       "    if isinstance(value, bool):\n"
       "        return value\n"
       "    if isinstance(value, int):\n"
       "        _cj_note()\n"
       "        return value + 1\n"
       "    if isinstance(value, float):\n"
       "        _cj_note()\n"
       "        return value + 1.0\n"
       "    if isinstance(value, (list, tuple)) and len(value) > 0:\n"
       "        last = value[-1]\n"
       "        if (isinstance(last, int) and not isinstance(last, bool)) or isinstance(last, "
       "float):\n"
       "            items = list(value)\n"
       "            items[-1] = last + 1\n"
       "            _cj_note()\n"
       "            return items if isinstance(value, list) else tuple(items)\n"
       "    return value\n"},
  };
  return kMutations;
}

// The reference with a wrapper appended: the entry point now returns _cj_mutate(its result).
// Empty when the entry point is neither "f" nor "Solution().m". The first change a process makes
// prints the marker to stderr and to stdout: the judge returns a process's stderr only to the
// test that ended it (so never for an AC test), but every test's own stdout. Assert-mode
// verdicts do not look at stdout.
std::string make_mutant(const std::string& reference, const std::string& entry_point,
                        const Mutation& mutation) {
  std::string code = reference + "\n\n# codejudge dataset_bench mutant: " + mutation.name + "\n" +
                     "import sys as _cj_mutant_sys\n"
                     "_cj_mutant_applied = False\n\n\n"
                     "def _cj_note():\n"
                     "    global _cj_mutant_applied\n"
                     "    if not _cj_mutant_applied:\n"
                     "        _cj_mutant_applied = True\n"
                     "        for stream in (_cj_mutant_sys.stderr, _cj_mutant_sys.stdout):\n"
                     "            stream.write(\"" +
                     kAppliedMarker +
                     "\\n\")\n"
                     "            stream.flush()\n\n\n"
                     "def _cj_mutate(value):\n" +
                     mutation.body + "\n\n";
  const std::string method_prefix = "Solution().";
  auto is_identifier = [](const std::string& s) {
    return !s.empty() && !std::isdigit(static_cast<unsigned char>(s[0])) &&
           std::all_of(s.begin(), s.end(), [](char c) {
             return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
           });
  };
  if (entry_point.rfind(method_prefix, 0) == 0) {
    const std::string method = entry_point.substr(method_prefix.size());
    if (!is_identifier(method)) return "";
    return code + "_cj_original = Solution." + method +
           "\n\n\n"
           "def _cj_wrapped(self, *args, **kwargs):\n"
           "    return _cj_mutate(_cj_original(self, *args, **kwargs))\n\n\n"
           "Solution." +
           method + " = _cj_wrapped\n";
  }
  if (!is_identifier(entry_point)) return "";
  return code + "_cj_original = " + entry_point + "\n\n\ndef " + entry_point +
         "(*args, **kwargs):\n"
         "    return _cj_mutate(_cj_original(*args, **kwargs))\n";
}

struct ReferenceOutcome {
  bool has_reference = false;
  judges::JudgeResult result;
};

enum class MutantOutcome { kRejected, kNotApplicable, kSurvivor, kIE, kUnsupported };

struct MutationStats {
  size_t total = 0, rejected = 0, not_applicable = 0, survivors = 0, ie = 0, unsupported = 0;
  std::map<std::string, size_t> rejected_by;  // verdict name -> rejected mutants
  std::vector<std::string> survivor_ids;
  std::vector<std::string> ie_lines;

  double rate() const {
    size_t applicable = total - not_applicable;
    return applicable ? static_cast<double>(rejected) / static_cast<double>(applicable) : 0.0;
  }
};

struct FileReport {
  std::string file;
  size_t problems = 0, tests = 0, with_reference = 0, ac = 0;
  double reference_wall_s = 0, mutants_wall_s = 0;
  uint64_t cpu_ms_p50 = 0, cpu_ms_p99 = 0;
  std::vector<MutationStats> mutations;  // empty without --mutants
};

struct Options {
  size_t jobs = 0;
  bool mutants = false;
  size_t limit_problems = 0;
  std::string cache_dir;
  std::vector<std::string> files;
};

bool parse_size(const char* text, size_t* out) {
  char* end = nullptr;
  unsigned long long value = std::strtoull(text, &end, 10);
  if (!*text || *end || text[0] == '-') return false;
  *out = static_cast<size_t>(value);
  return true;
}

bool parse_args(int argc, char** argv, Options* options) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--jobs" && i + 1 < argc) {
      if (!parse_size(argv[++i], &options->jobs) || options->jobs == 0) return false;
    } else if (arg == "--limit-problems" && i + 1 < argc) {
      if (!parse_size(argv[++i], &options->limit_problems)) return false;
    } else if (arg == "--cache-dir" && i + 1 < argc) {
      options->cache_dir = argv[++i];
    } else if (arg == "--mutants") {
      options->mutants = true;
    } else if (arg.rfind("--", 0) == 0) {
      return false;
    } else {
      options->files.push_back(arg);
    }
  }
  return !options->files.empty();
}

FileReport bench_file(judges::Judge& judge, const std::string& file, const Options& options,
                      size_t threads) {
  FileReport report;
  report.file = file;
  problems::LoadResult loaded = problems::load_problems({file});
  for (const auto& e : loaded.errors) std::fprintf(stderr, "load: %s\n", e.to_string().c_str());
  std::vector<problems::Problem>& set = loaded.problems;
  if (options.limit_problems && set.size() > options.limit_problems) {
    set.resize(options.limit_problems);
  }
  report.problems = set.size();
  for (const auto& p : set) report.tests += p.tests.size();

  // 1. Reference run: every test, default options.
  std::vector<ReferenceOutcome> refs(set.size());
  std::atomic<size_t> done{0};
  auto start = Clock::now();
  parallel_for(set.size(), threads, [&](size_t i) {
    auto it = set[i].reference.find("python");
    if (it != set[i].reference.end()) {
      refs[i].has_reference = true;
      refs[i].result = judge.judge(set[i], {"python", it->second}, {});
    }
    size_t n = ++done;
    if (n % 50 == 0) std::fprintf(stderr, "%s: reference %zu/%zu\n", file.c_str(), n, set.size());
  });
  report.reference_wall_s = seconds_since(start);

  std::vector<uint64_t> cpu_ms;
  std::vector<std::string> failures;
  for (size_t i = 0; i < set.size(); ++i) {
    if (!refs[i].has_reference) continue;
    ++report.with_reference;
    const judges::JudgeResult& r = refs[i].result;
    for (const auto& t : r.tests) cpu_ms.push_back(t.cpu_ms);
    if (r.verdict == judges::Verdict::kAC) {
      ++report.ac;
    } else {
      failures.push_back(set[i].id + " " + judges::verdict_name(r.verdict) + " " +
                         std::to_string(r.passed) + "/" + std::to_string(r.total) + " " +
                         short_message(r.message));
    }
  }
  report.cpu_ms_p50 = percentile(cpu_ms, 0.50);
  report.cpu_ms_p99 = percentile(cpu_ms, 0.99);

  std::printf("\n## %s\n\n", file.c_str());
  std::printf(
      "Reference run (python). Per-test cpu ms: tests that shared one process report that "
      "process's cpu ms.\n\n");
  std::printf(
      "| problems | with reference | tests | AC | not AC | wall s | test cpu ms p50 | "
      "test cpu ms p99 |\n|---|---|---|---|---|---|---|---|\n");
  std::printf("| %zu | %zu | %zu | %zu | %zu | %.1f | %llu | %llu |\n", report.problems,
              report.with_reference, report.tests, report.ac, report.with_reference - report.ac,
              report.reference_wall_s, static_cast<unsigned long long>(report.cpu_ms_p50),
              static_cast<unsigned long long>(report.cpu_ms_p99));
  if (!failures.empty()) {
    std::printf("\nReference not AC (id verdict passed/total message):\n\n");
    for (const auto& line : failures) std::printf("- %s\n", line.c_str());
  }
  std::fflush(stdout);
  if (!options.mutants) return report;

  // 2. Mutants of the AC references: stop at the first failing test; survivors are judged again
  // one test per process, with outputs, to see whether the mutation ever changed a value.
  struct MutantJob {
    size_t problem;
    size_t mutation;
    MutantOutcome outcome = MutantOutcome::kUnsupported;
    judges::Verdict verdict = judges::Verdict::kIE;
    std::string message;
  };
  std::vector<MutantJob> jobs;
  for (size_t i = 0; i < set.size(); ++i) {
    if (!refs[i].has_reference || refs[i].result.verdict != judges::Verdict::kAC) continue;
    for (size_t m = 0; m < mutations().size(); ++m)
      jobs.push_back({i, m, MutantOutcome::kUnsupported, judges::Verdict::kIE, ""});
  }
  auto judge_mutant = [&](MutantJob& job) {
    const problems::Problem& problem = set[job.problem];
    const std::string code =
        make_mutant(problem.reference.at("python"), problem.entry_point, mutations()[job.mutation]);
    if (code.empty()) {
      job.outcome = MutantOutcome::kUnsupported;
      job.message = "entry point " + problem.entry_point;
      return;
    }
    judges::JudgeOptions first_failure;
    first_failure.stop_on_first_failure = true;
    judges::JudgeResult r = judge.judge(problem, {"python", code}, first_failure);
    job.verdict = r.verdict;
    if (r.verdict == judges::Verdict::kIE) {
      job.outcome = MutantOutcome::kIE;
      job.message = short_message(r.message);
    } else if (r.verdict != judges::Verdict::kAC) {
      job.outcome = MutantOutcome::kRejected;
    } else {
      judges::JudgeOptions recheck;
      recheck.batch_tests = 1;
      recheck.return_outputs = true;
      judges::JudgeResult again = judge.judge(problem, {"python", code}, recheck);
      bool applied = std::any_of(again.tests.begin(), again.tests.end(), [](const auto& t) {
        return t.stderr_data.find(kAppliedMarker) != std::string::npos ||
               t.stdout_data.find(kAppliedMarker) != std::string::npos;
      });
      if (again.verdict == judges::Verdict::kIE) {
        job.outcome = MutantOutcome::kIE;
        job.message = "recheck: " + short_message(again.message);
      } else {
        job.outcome = applied ? MutantOutcome::kSurvivor : MutantOutcome::kNotApplicable;
      }
    }
  };
  done = 0;
  start = Clock::now();
  parallel_for(jobs.size(), threads, [&](size_t j) {
    judge_mutant(jobs[j]);
    size_t n = ++done;
    if (n % 150 == 0) std::fprintf(stderr, "%s: mutants %zu/%zu\n", file.c_str(), n, jobs.size());
  });
  report.mutants_wall_s = seconds_since(start);

  report.mutations.resize(mutations().size());
  for (const MutantJob& job : jobs) {
    MutationStats& s = report.mutations[job.mutation];
    const std::string& id = set[job.problem].id;
    ++s.total;
    switch (job.outcome) {
      case MutantOutcome::kRejected:
        ++s.rejected;
        ++s.rejected_by[judges::verdict_name(job.verdict)];
        break;
      case MutantOutcome::kNotApplicable:
        ++s.not_applicable;
        break;
      case MutantOutcome::kSurvivor:
        ++s.survivors;
        s.survivor_ids.push_back(id);
        break;
      case MutantOutcome::kIE:
        ++s.ie;
        s.ie_lines.push_back(id + " " + job.message);
        break;
      case MutantOutcome::kUnsupported:
        ++s.unsupported;
        s.ie_lines.push_back(id + " unsupported " + job.message);
        break;
    }
  }
  std::printf(
      "\nMutants of the %zu AC references (%.1f s wall). rate = rejected / (total - not "
      "applicable); IE and unsupported entry points are never rejected.\n\n",
      report.ac, report.mutants_wall_s);
  std::printf(
      "| mutation | total | rejected | not applicable | survivors | IE | unsupported | rate | "
      "rejected by |\n|---|---|---|---|---|---|---|---|---|\n");
  for (size_t m = 0; m < mutations().size(); ++m) {
    const MutationStats& s = report.mutations[m];
    std::string by;
    for (const auto& [verdict, count] : s.rejected_by) {
      by += (by.empty() ? "" : ", ") + verdict + " " + std::to_string(count);
    }
    std::printf("| %s | %zu | %zu | %zu | %zu | %zu | %zu | %.1f%% | %s |\n", mutations()[m].name,
                s.total, s.rejected, s.not_applicable, s.survivors, s.ie, s.unsupported,
                100.0 * s.rate(), by.c_str());
  }
  for (size_t m = 0; m < mutations().size(); ++m) {
    const MutationStats& s = report.mutations[m];
    if (!s.survivor_ids.empty()) {
      std::printf("\nSurvivors of %s (%zu", mutations()[m].name, s.survivor_ids.size());
      if (s.survivor_ids.size() > kListedSurvivors) std::printf(", first %zu", kListedSurvivors);
      std::printf("):");
      for (size_t k = 0; k < std::min(kListedSurvivors, s.survivor_ids.size()); ++k) {
        std::printf(" %s", s.survivor_ids[k].c_str());
      }
      std::printf("\n");
    }
    if (!s.ie_lines.empty()) {
      std::printf("\nIE or unsupported for %s:\n\n", mutations()[m].name);
      for (const auto& line : s.ie_lines) std::printf("- %s\n", line.c_str());
    }
  }
  std::fflush(stdout);
  return report;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  if (!parse_args(argc, argv, &options)) {
    std::fprintf(stderr,
                 "usage: dataset_bench [--jobs N] [--mutants] [--limit-problems N] "
                 "[--cache-dir DIR] FILE.jsonl...\n");
    return 2;
  }
  judges::JudgeConfig config;
  config.cache_dir = options.cache_dir;
  std::string error;
  auto judge = judges::Judge::create(config, &error);
  if (!judge) {
    std::fprintf(stderr, "judge: %s\n", error.c_str());
    return 1;
  }
  const size_t threads =
      options.jobs ? options.jobs
                   : std::max<size_t>(2, 2 * std::max(1u, std::thread::hardware_concurrency()));
  std::printf("# dataset_bench: %zu concurrent judge() calls, default test workers\n", threads);

  std::vector<FileReport> reports;
  for (const auto& file : options.files) {
    reports.push_back(bench_file(*judge, file, options, threads));
  }

  std::printf("\n## Summary\n\n| file | problems | tests | reference AC | reference wall s |");
  if (options.mutants) {
    for (const auto& m : mutations()) std::printf(" %s rejected/applicable |", m.name);
  }
  std::printf("\n|---|---|---|---|---|");
  if (options.mutants) {
    for (size_t m = 0; m < mutations().size(); ++m) std::printf("---|");
  }
  std::printf("\n");
  for (const FileReport& r : reports) {
    std::printf("| %s | %zu | %zu | %zu/%zu | %.1f |", r.file.c_str(), r.problems, r.tests, r.ac,
                r.with_reference, r.reference_wall_s);
    for (const MutationStats& s : r.mutations) {
      std::printf(" %zu/%zu (%.1f%%) |", s.rejected, s.total - s.not_applicable, 100.0 * s.rate());
    }
    std::printf("\n");
  }
  return 0;
}
