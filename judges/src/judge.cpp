#include "codejudge/judges/judge.h"

#include <algorithm>
#include <thread>

#include "codejudge/judges/checker.h"
#include "codejudge/judges/harness.h"
#include "codejudge/judges/language.h"
#include "compile_step.h"
#include "judge_util.h"
#include "run_areas.h"
#include "test_check.h"
#include "test_run.h"
#include "worker_pool.h"

namespace codejudge::judges {
namespace {

// Function mode: the type each test's result is compared as (the return type, or the first
// parameter's for a void function), after checking every test's arguments against the
// signature and, unless a custom checker reads it, its expected value against that type.
// nullopt with *error when a test does not fit: a defect of the problem.
std::optional<ValueType> check_function_tests(const problems::Problem& problem,
                                              std::string* error) {
  std::vector<ValueType> params;
  for (const problems::Param& param : problem.signature.params) {
    auto type = parse_type(param.type, error);
    if (!type) return std::nullopt;
    params.push_back(*type);
  }
  auto result_type = parse_type(problem.signature.returns, error);
  if (!result_type) return std::nullopt;
  if (result_type->base == ValueType::Kind::kVoid) {
    if (params.empty()) {
      *error = "a void function must take the argument it modifies";
      return std::nullopt;
    }
    result_type = params[0];
  }
  const bool typed_expected = problem.checker.type != problems::CheckerSpec::Type::kCustom;
  for (size_t i = 0; i < problem.tests.size(); ++i) {
    const problems::Test& test = problem.tests[i];
    std::string why = arguments_error(test.input, params);
    if (!why.empty()) {
      *error = "test " + std::to_string(i + 1) + ": the arguments do not fit the signature: " + why;
      return std::nullopt;
    }
    if (typed_expected) why = expected_value_error(test.expected, *result_type);
    if (!why.empty()) {
      *error = "test " + std::to_string(i + 1) + ": the expected value does not fit the " +
               "declared type: " + why;
      return std::nullopt;
    }
  }
  return result_type;
}

}  // namespace

struct Judge::Impl {
  JudgeConfig config;
  std::unique_ptr<sandbox::Sandbox> box;
  std::shared_ptr<CompileCache> cache;
  std::unique_ptr<Compiler> compiler;
  std::unique_ptr<WorkerPool> pool;
};

Judge::Judge(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Judge::~Judge() = default;

std::unique_ptr<Judge> Judge::create(const JudgeConfig& config, std::string* error) {
  std::string local_error;
  if (error == nullptr) error = &local_error;
  auto impl = std::make_unique<Impl>();
  impl->config = config;
  if (impl->config.cache_dir.empty()) impl->config.cache_dir = default_cache_dir();
  impl->box = sandbox::Sandbox::create(config.sandbox, error);
  if (!impl->box) {
    *error = "sandbox: " + *error;
    return nullptr;
  }
  impl->cache = CompileCache::open(impl->config.cache_dir, config.cache_bytes, error);
  if (!impl->cache) {
    *error = "compile cache: " + *error;
    return nullptr;
  }
  impl->compiler =
      std::make_unique<Compiler>(*impl->box, *impl->cache, impl->config.scratch_parent,
                                 impl->config.warm_runtimes);
  size_t workers = config.workers;
  if (workers == 0) workers = std::max(1u, std::thread::hardware_concurrency());
  impl->pool = std::make_unique<WorkerPool>(workers);
  // Detect the toolchains now (in parallel: javac alone takes ~0.4 s), so that the first
  // submission in each language does not pay for it.
  if (config.detect_toolchains_at_start) {
    std::vector<std::thread> detectors;
    for (const auto& language : all_languages()) {
      detectors.emplace_back([&language] { toolchain_version(language); });
    }
    for (auto& detector : detectors) detector.join();
  }
  return std::unique_ptr<Judge>(new Judge(std::move(impl)));
}

const sandbox::HostReport& Judge::host() const {
  return impl_->box->report();
}

CacheStats Judge::cache_stats() const {
  return impl_->cache->stats();
}

JudgeResult Judge::judge(const problems::Problem& problem, const Submission& submission,
                         const JudgeOptions& options) {
  const auto start = Clock::now();
  JudgeResult result;
  result.total = problem.tests.size();
  auto finish = [&](Verdict verdict, std::string message) {
    result.verdict = verdict;
    result.message = std::move(message);
    result.wall_ms = elapsed_ms(start);
    return result;
  };

  const Language* language = find_language(submission.language);
  if (language == nullptr) {
    return finish(Verdict::kIE, "unknown language '" + submission.language + "'");
  }
  if (submission.code.size() > kMaxSourceBytes) {
    result.compile.stderr_data = "the source is " + std::to_string(submission.code.size()) +
                                 " bytes; the limit is " + std::to_string(kMaxSourceBytes);
    return finish(Verdict::kCE, result.compile.stderr_data);
  }
  if (problem.tests.empty()) return finish(Verdict::kIE, "the problem has no tests");
  const uint64_t time_ms = options.time_ms.value_or(problem.limits.time_ms);
  const uint64_t memory_mb = options.memory_mb.value_or(problem.limits.memory_mb);
  if (time_ms == 0 || memory_mb == 0 || (options.output_kb && *options.output_kb == 0)) {
    return finish(Verdict::kIE, "invalid limits: time, memory and output must be positive");
  }

  // The program to compile: the submission itself, or the submission inside a harness.
  std::string preamble;
  if (auto it = problem.preamble.find(language->name); it != problem.preamble.end()) {
    preamble = it->second;
  }
  std::string source;
  std::string file_name = language->source_file;
  std::string stdin_prefix;         // the Python harnesses' header: the submission as data
  CompileRecipe harness_recipe;     // a harness the same for every submission: its own compile
  bool harness_compiles = false;    // the harness reports the submission's compile error
  const sandbox::WarmRuntime* harness_warm = nullptr;  // a runtime with the harness loaded
  std::string main_class = "Main";  // Java's class to run; a harness's is always Main
  std::string harness_error;
  std::optional<ValueType> result_type;      // function mode: what a test's result is compared as
  std::optional<GeneratedSource> generated;  // function and assert modes: the harnessed program
  switch (problem.mode) {
    case problems::Mode::kStdio: {
      ProgramSource program = program_source(
          *language, preamble.empty() ? submission.code : preamble + "\n" + submission.code);
      source = std::move(program.code);
      file_name = std::move(program.file_name);
      if (!program.main_class.empty()) main_class = std::move(program.main_class);
      break;
    }
    case problems::Mode::kFunction: {
      generated = make_function_program(language->name, problem.signature, problem.entry_point,
                                        preamble, submission.code, &harness_error);
      if (!generated) return finish(Verdict::kIE, "function harness: " + harness_error);
      // Every test is checked against the signature before anything runs: a test that does not
      // fit is the problem's defect (IE), and a harness never has a reason of its own to fail,
      // so nothing a harnessed process says about its input can be a verdict.
      result_type = check_function_tests(problem, &harness_error);
      if (!result_type) return finish(Verdict::kIE, harness_error);
      break;
    }
    case problems::Mode::kAssert: {
      generated =
          make_assert_program(language->name, preamble, submission.code, problem.entry_point,
                              options.stop_on_first_failure, &harness_error);
      if (!generated) return finish(Verdict::kIE, "assert harness: " + harness_error);
      break;
    }
  }
  if (generated) {
    source = std::move(generated->source);
    file_name = std::move(generated->file_name);
    stdin_prefix = std::move(generated->stdin_prefix);
    harness_recipe = std::move(generated->compile);
    harness_compiles = generated->reports_compile_errors;
    harness_warm = generated->warm;
  }

  Compiled program = impl_->compiler->compile(
      *language, file_name, source, harness_recipe.argv.empty() ? nullptr : &harness_recipe);
  result.compile = program.info;
  if (!program.internal_error.empty()) return finish(Verdict::kIE, program.internal_error);
  if (!program.info.ok && !harness_recipe.argv.empty()) {
    // The harness is our code: its compile failing is ours, not the submission's.
    return finish(Verdict::kIE, "the harness does not compile: " +
                                    cut_utf8(program.info.stderr_data, kMessageBytes));
  }
  if (!program.info.ok) return finish(Verdict::kCE, "compile error");

  // A custom checker is compiled once per judge() call, through the same cache.
  CustomChecker checker;
  if (problem.checker.type == problems::CheckerSpec::Type::kCustom) {
    checker.language = find_language(problem.checker.language);
    if (checker.language == nullptr) {
      return finish(Verdict::kIE, "checker: unknown language '" + problem.checker.language + "'");
    }
    ProgramSource checker_program = program_source(*checker.language, problem.checker.code);
    checker.main_class = std::move(checker_program.main_class);
    checker.compiled = impl_->compiler->compile(*checker.language, checker_program.file_name,
                                                checker_program.code);
    if (!checker.compiled.internal_error.empty()) {
      return finish(Verdict::kIE, "checker: " + checker.compiled.internal_error);
    }
    if (!checker.compiled.info.ok) {
      return finish(Verdict::kIE, "checker: compile error: " +
                                      cut_utf8(checker.compiled.info.stderr_data, kMessageBytes));
    }
  }

  // Run every test under one test's limits; the check unit gives each its verdict.
  ProgramRun run;
  run.box_dir = program.entry->box_dir();
  run.limits.cpu_ms = time_ms;
  run.limits.memory_bytes = memory_mb * kMiB;
  run.limits.processes = std::max<uint32_t>(run.limits.processes, language->run_processes);
  run.argv = language->run_argv(run.limits.memory_bytes, main_class);
  run.env = concat(base_environment(), language->run_env);
  run.stdin_prefix = std::move(stdin_prefix);
  // Function mode's result lines carry a token; assert mode's records need none (only the
  // evaluator can write them).
  run.token = problem.mode == problems::Mode::kFunction ? make_token() : "";
  run.harness_compiles = harness_compiles;
  run.warm = language->warm_runtime(impl_->config.warm_runtimes);
  if (run.warm && harness_warm) run.warm = harness_warm;
  const TestChecker check(*impl_->box, impl_->config.scratch_parent, problem, options, result_type,
                          checker);
  TestRunOutcome ran = run_tests(*impl_->pool, *impl_->box, problem, options, check, run);

  // The submission's verdict: a compile error its harness reported, else the first failing
  // test's in test order (an IE first), else AC.
  if (ran.compile_error) {
    result.compile.ok = false;
    result.compile.stderr_data = *ran.compile_error;
    return finish(Verdict::kCE, "compile error");
  }
  result.tests = std::move(ran.tests);
  std::optional<size_t> first_failed;
  std::optional<size_t> first_internal;
  for (size_t i = 0; i < result.tests.size(); ++i) {
    const TestResult& test = result.tests[i];
    if (test.verdict == Verdict::kAC) {
      ++result.passed;
    } else {
      if (!first_failed) first_failed = i;
      if (test.verdict == Verdict::kIE && !first_internal) first_internal = i;
    }
  }
  auto describe = [&](size_t i) {
    const TestResult& test = result.tests[i];
    std::string text = "test " + std::to_string(i + 1) + ": " + verdict_name(test.verdict);
    if (!test.message.empty()) text += ": " + test.message;
    return text;
  };
  if (first_internal) return finish(Verdict::kIE, describe(*first_internal));
  if (first_failed) return finish(result.tests[*first_failed].verdict, describe(*first_failed));
  return finish(Verdict::kAC, "");
}

Judge::RunOutput Judge::run(const Submission& submission, const std::string& stdin_data,
                            const sandbox::Limits& limits, const RunFiles& files) {
  RunOutput output;
  const Language* language = find_language(submission.language);
  if (language == nullptr) {
    output.compile.stderr_data = "unknown language '" + submission.language + "'";
    output.run.message = "compile failed";
    return output;
  }
  if (submission.code.size() > kMaxSourceBytes) {
    output.compile.stderr_data = "the source is " + std::to_string(submission.code.size()) +
                                 " bytes; the limit is " + std::to_string(kMaxSourceBytes);
    output.run.message = "compile failed";
    return output;
  }
  ProgramSource source = program_source(*language, submission.code);
  Compiled program = impl_->compiler->compile(*language, source.file_name, source.code);
  output.compile = program.info;
  if (!program.internal_error.empty()) {
    output.compile.ok = false;
    output.compile.stderr_data = program.internal_error;
    output.run.message = "compile failed: " + program.internal_error;
    return output;
  }
  if (!program.info.ok) {
    output.run.message = "compile failed";
    return output;
  }
  sandbox::RunSpec spec;
  spec.argv = language->run_argv(limits.memory_bytes, source.main_class);
  spec.env = concat(base_environment(), language->run_env);
  spec.limits = limits;
  spec.limits.processes = std::max<uint32_t>(limits.processes, language->run_processes);
  spec.stdin_data = stdin_data;
  spec.binds.push_back({program.entry->box_dir(), std::string(kBoxDir), false});
  spec.warm = language->warm_runtime(impl_->config.warm_runtimes);
  std::unique_ptr<RunAreas> areas;
  if (!files.empty()) {
    std::string error;
    areas =
        RunAreas::prepare(files, impl_->config.scratch_parent, limits.tmpfs_bytes, &spec, &error);
    if (!areas) {
      output.run.message = "run files: " + error;
      return output;
    }
  }
  output.run = impl_->box->run(spec);
  if (areas) output.fetched = areas->fetch(files.fetch);
  return output;
}

}  // namespace codejudge::judges
