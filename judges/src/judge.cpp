#include "codejudge/judges/judge.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <limits>
#include <mutex>
#include <thread>

#include "codejudge/judges/checker.h"
#include "codejudge/judges/harness.h"
#include "codejudge/judges/language.h"
#include "run_areas.h"

namespace codejudge::judges {
namespace {

using Clock = std::chrono::steady_clock;

constexpr uint64_t kMiB = 1ull << 20;
constexpr uint64_t kCompileScratchBytes = 512 * kMiB;  // a ceiling; tmpfs pages are lazy
// All artifacts of one compile together: a bigger program (a huge static array) is a compile
// error, so that one submission cannot fill the cache.
constexpr uint64_t kMaxArtifactBytes = 64 * kMiB;
constexpr size_t kMaxArtifacts = 4096;  // class files of one Java source, say
constexpr size_t kMessageBytes = 1024;  // of a checker's or a sandbox's reason
// A custom checker is the problem's code, not the submission's: generous fixed limits.
constexpr uint64_t kCheckerCpuMs = 10000;
constexpr uint64_t kCheckerMemoryBytes = 1024 * kMiB;
// A batch of harnessed tests stops growing at this much input (the program holds all of it)...
constexpr uint64_t kBatchInputBytes = 8 * kMiB;
// ...and may print up to the sum of its tests' output limits, within this (or the largest one):
// the supervisor holds a run's output in memory. A batch that prints more is rerun per test.
constexpr uint64_t kBatchOutputBytes = 16 * kMiB;

uint64_t elapsed_ms(Clock::time_point start) {
  return static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count());
}

// The last max_bytes of text at most, starting on a UTF-8 sequence boundary.
std::string tail_utf8(std::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  size_t start = text.size() - max_bytes;
  while (start < text.size() && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) ++start;
  return std::string(text.substr(start));
}

// Cuts text to at most max_bytes without splitting a UTF-8 sequence.
std::string cut_utf8(std::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  size_t end = max_bytes;
  // Step back over continuation bytes (10xxxxxx) to the start of the cut sequence.
  size_t back = 0;
  while (end > 0 && back < 4 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) {
    --end;
    ++back;
  }
  return std::string(text.substr(0, end));
}

std::string trim(std::string_view text) {
  size_t begin = 0;
  size_t end = text.size();
  while (begin < end && std::isspace(static_cast<unsigned char>(text[begin]))) ++begin;
  while (end > begin && std::isspace(static_cast<unsigned char>(text[end - 1]))) --end;
  return std::string(text.substr(begin, end - begin));
}

std::vector<std::string> concat(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

bool is_failure(Verdict verdict) {
  return verdict != Verdict::kAC;
}

// The sandbox stopped the run because it waited (slept, blocked, deadlocked) rather than
// computed: the program would wait as long in each later test.
bool waited(const sandbox::Result& run) {
  return run.status == sandbox::Status::kTimeLimit && run.waiting;
}

std::optional<Verdict> verdict_for_status(sandbox::Status status) {
  switch (status) {
    case sandbox::Status::kOk:
      return std::nullopt;
    case sandbox::Status::kRuntimeError:
      return Verdict::kRE;
    case sandbox::Status::kTimeLimit:
      return Verdict::kTLE;
    case sandbox::Status::kMemoryLimit:
      return Verdict::kMLE;
    case sandbox::Status::kOutputLimit:
      return Verdict::kOLE;
    case sandbox::Status::kSecurityError:
      return Verdict::kSE;
    case sandbox::Status::kInternalError:
      return Verdict::kIE;
  }
  return Verdict::kIE;
}

// Runs batches of indexed tasks on a fixed set of threads shared by every judge() call. Batches
// are served round-robin, one task at a time, so a 1000-test submission does not starve the
// one queued behind it.
class WorkerPool {
 public:
  explicit WorkerPool(size_t threads) {
    for (size_t i = 0; i < threads; ++i) threads_.emplace_back([this] { work(); });
  }
  ~WorkerPool() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stopping_ = true;
    }
    wake_.notify_all();
    for (auto& thread : threads_) thread.join();
  }

  // Runs task(i) for every i in [0, count) and returns when all have finished.
  void run_batch(size_t count, const std::function<void(size_t)>& task) {
    if (count == 0) return;
    auto batch = std::make_shared<Batch>();
    batch->task = &task;
    batch->count = count;
    {
      std::lock_guard<std::mutex> lock(mu_);
      queue_.push_back(batch);
    }
    wake_.notify_all();
    std::unique_lock<std::mutex> lock(mu_);
    batch->done_cv.wait(lock, [&] { return batch->finished == batch->count; });
  }

 private:
  struct Batch {
    const std::function<void(size_t)>* task = nullptr;
    size_t count = 0;
    size_t next = 0;
    size_t finished = 0;
    std::condition_variable done_cv;
  };

  void work() {
    std::unique_lock<std::mutex> lock(mu_);
    for (;;) {
      wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, nothing left
      std::shared_ptr<Batch> batch = queue_.front();
      queue_.pop_front();
      size_t index = batch->next++;
      if (batch->next < batch->count) queue_.push_back(batch);
      lock.unlock();
      (*batch->task)(index);
      lock.lock();
      if (++batch->finished == batch->count) batch->done_cv.notify_all();
    }
  }

  std::mutex mu_;
  std::condition_variable wake_;
  std::deque<std::shared_ptr<Batch>> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

// What compiling one source gave: an entry held in use, or an internal error.
struct Compiled {
  std::shared_ptr<const CompileCache::Entry> entry;
  CompileInfo info;
  std::string internal_error;  // non-empty: IE
};

// Lists the top-level regular files of dir ending in suffix, without following symlinks.
std::vector<std::string> files_with_suffix(const std::string& dir, const std::string& suffix) {
  std::vector<std::string> names;
  DIR* d = opendir(dir.c_str());
  if (d == nullptr) return names;
  while (dirent* e = readdir(d)) {
    std::string name = e->d_name;
    if (name.size() < suffix.size() ||
        name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0) {
      continue;
    }
    struct stat st {};
    if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode)) {
      names.push_back(name);
    }
  }
  closedir(d);
  std::sort(names.begin(), names.end());
  return names;
}

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
  std::unique_ptr<WorkerPool> pool;

  // The sandboxed compile of one source, for the cache. Failures of ours go in internal_error.
  CompileOutput compile_now(const Language& language, const std::string& file_name,
                            const std::string& source, const CompileRecipe& recipe) {
    CompileOutput output;
    const auto start = Clock::now();
    std::string error;
    auto scratch = sandbox::ScratchDir::create(config.scratch_parent, kCompileScratchBytes, &error);
    if (!scratch) {
      output.internal_error = "compile: scratch dir: " + error;
      return output;
    }
    if (!scratch->write_file(file_name, source, &error)) {
      output.internal_error = "compile: writing the source: " + error;
      return output;
    }
    sandbox::RunSpec spec;
    spec.argv = recipe.argv;
    spec.env = concat(base_environment(), language.compile_env);
    spec.limits = language.compile_limits;
    spec.work_dir = scratch->path();
    sandbox::Result result = box->run(spec);
    output.time_ms = elapsed_ms(start);
    output.diagnostics = result.stdout_data + result.stderr_data;
    switch (result.status) {
      case sandbox::Status::kOk:
        break;
      case sandbox::Status::kRuntimeError:
        if (result.signal != 0) output.diagnostics += "\ncompiler killed: " + result.message;
        return output;
      case sandbox::Status::kTimeLimit:
        if (result.idle) {
          // Blocked for good on something the source made the compiler open (a pipe of its own
          // under /proc/self/fd): a compile error, as repeatable as any other.
          output.diagnostics += "\nthe compiler was blocked (" + result.message +
                                "): the source makes it read something that never ends";
          return output;
        }
        if (result.cpu_ms < spec.limits.cpu_ms) {
          // The wall fuse with the compiler still making progress: the host was too busy to
          // give it CPU. Not repeatable, so neither cached nor blamed on the submission.
          output.internal_error = "compile: wall-clock timeout (" + result.message + ")";
          return output;
        }
        output.diagnostics += "\ncompilation exceeded the CPU time limit of " +
                              std::to_string(spec.limits.cpu_ms) + " ms";
        return output;
      case sandbox::Status::kMemoryLimit:
        output.diagnostics += "\ncompilation exceeded the memory limit of " +
                              std::to_string(spec.limits.memory_bytes / kMiB) + " MiB";
        return output;
      case sandbox::Status::kOutputLimit:
        output.diagnostics += "\ncompilation exceeded an output limit: " + result.message;
        return output;
      case sandbox::Status::kSecurityError:
        // What a compiler does follows from the source it reads, so a source that makes it do
        // what the policy forbids is a compile error: never an IE that a submission can cause.
        output.diagnostics += "\nthe compiler was stopped by the sandbox: " + result.message;
        return output;
      case sandbox::Status::kInternalError:
        output.internal_error = "compile: sandbox: " + result.message;
        return output;
    }
    uint64_t artifact_bytes = 0;
    for (const auto& spec_artifact : recipe.artifacts) {
      std::vector<std::string> names;
      if (!spec_artifact.name.empty() && spec_artifact.name[0] == '*') {
        names = files_with_suffix(scratch->path(), spec_artifact.name.substr(1));
      } else {
        names.push_back(spec_artifact.name);
      }
      if (names.size() + output.artifacts.size() > kMaxArtifacts) {
        output.diagnostics +=
            "\nthe compiler produced more than " + std::to_string(kMaxArtifacts) + " files";
        output.artifacts.clear();
        return output;
      }
      for (const auto& name : names) {
        struct stat st {};
        const std::string path = scratch->path() + "/" + name;
        if (lstat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
          // The source decides what the compiler writes (a Rust crate_type attribute can
          // rename or suppress the binary): a compile error, not ours.
          output.diagnostics += "\nthe compiler wrote no " + name;
          output.artifacts.clear();
          return output;
        }
        artifact_bytes += static_cast<uint64_t>(st.st_size);
        if (artifact_bytes > kMaxArtifactBytes) {
          output.diagnostics += "\nthe compiled program is larger than " +
                                std::to_string(kMaxArtifactBytes / kMiB) + " MiB";
          output.artifacts.clear();
          return output;
        }
        // read_file refuses symlinks and re-checks the size, so a file swapped since lstat
        // fails here rather than being followed.
        auto data = scratch->read_file(name, kMaxArtifactBytes);
        if (!data) {
          output.internal_error = "compile: reading " + name + " from the scratch dir failed";
          return output;
        }
        if (spec_artifact.executable && !data->starts_with("\x7f"
                                                           "ELF")) {
          // An archive (go build of a package other than main, a Rust library crate) would
          // fail at execve as "Exec format error": it is the source's doing, so a CE.
          output.diagnostics +=
              "\nthe compiler wrote a library, not an executable program"
              " (Go: the file must be package main; Rust: a binary crate)";
          output.artifacts.clear();
          return output;
        }
        output.artifacts.push_back({name, std::move(*data), spec_artifact.executable});
      }
    }
    output.ok = true;
    return output;
  }

  // Compiles with the language's compiler, or with the recipe of a harness that is the same for
  // every submission (python's harnesses are byte-compiled once per interpreter version).
  Compiled compile(const Language& language, const std::string& file_name,
                   const std::string& source, const CompileRecipe* harness_recipe = nullptr) {
    const CompileRecipe recipe =
        harness_recipe != nullptr
            ? *harness_recipe
            : CompileRecipe{language.compile_command(file_name), language.artifacts};
    Compiled compiled;
    const auto start = Clock::now();
    const std::string& version = toolchain_version(language);
    if (version.empty()) {
      compiled.internal_error = "the " + language.name + " toolchain (" + language.tool +
                                ") is not installed on this host";
      return compiled;
    }
    if (language.needs_cgroups && box->report().cgroup_version == 0) {
      compiled.internal_error = language.name +
                                " cannot run on this host: no usable cgroups, and its runtime "
                                "fails under per-process rlimits (see codejudge doctor)";
      return compiled;
    }
    std::string material = "codejudge-compile-v1";
    for (const std::string& part : {language.name, version, file_name}) {
      material += '\0';
      material += part;
    }
    for (const auto& arg : recipe.argv) {
      material += '\0';
      material += arg;
    }
    for (const auto& artifact : recipe.artifacts) {
      material += '\0';
      material += artifact.name;
    }
    for (const auto& env : language.compile_env) {
      material += '\0';
      material += env;
    }
    material += '\0';
    material += source;
    const std::string key = sha256_hex(material);
    std::string error;
    compiled.entry = cache->get_or_compile(
        key, [&] { return compile_now(language, file_name, source, recipe); }, &error);
    compiled.info.time_ms = elapsed_ms(start);
    if (!compiled.entry) {
      compiled.internal_error = error;
      return compiled;
    }
    compiled.info.ok = compiled.entry->ok();
    compiled.info.cached = compiled.entry->cached();
    compiled.info.stderr_data = compiled.entry->diagnostics();
    return compiled;
  }

  struct CheckerRun {
    std::optional<CheckOutcome> outcome;  // nullopt: the checker failed (IE)
    std::string error;
  };

  // Runs a custom checker as `checker /check/input /check/output /check/answer`.
  CheckerRun run_checker(const Language& language, std::string_view main_class,
                         const CompileCache::Entry& checker, std::string_view input,
                         std::string_view output, std::string_view answer) {
    CheckerRun run;
    std::string error;
    const uint64_t bytes = input.size() + output.size() + answer.size() + 4 * kMiB;
    auto scratch = sandbox::ScratchDir::create(config.scratch_parent, bytes, &error);
    if (!scratch) {
      run.error = "checker: scratch dir: " + error;
      return run;
    }
    if (!scratch->write_file("input", std::string(input), &error) ||
        !scratch->write_file("output", std::string(output), &error) ||
        !scratch->write_file("answer", std::string(answer), &error)) {
      run.error = "checker: writing its files: " + error;
      return run;
    }
    sandbox::RunSpec spec;
    spec.argv = concat(language.run_argv(kCheckerMemoryBytes, main_class),
                       {"/check/input", "/check/output", "/check/answer"});
    spec.env = concat(base_environment(), language.run_env);
    spec.limits.cpu_ms = kCheckerCpuMs;
    spec.limits.memory_bytes = kCheckerMemoryBytes;
    spec.limits.processes = std::max<uint32_t>(spec.limits.processes, language.run_processes);
    spec.binds.push_back({checker.box_dir(), std::string(kBoxDir), false});
    spec.binds.push_back({scratch->path(), "/check", false});
    sandbox::Result result = box->run(spec);
    std::string said = trim(result.stderr_data.empty() ? result.stdout_data : result.stderr_data);
    if (result.status == sandbox::Status::kOk) {
      run.outcome = CheckOutcome{true, cut_utf8(said, kMessageBytes)};
    } else if (result.status == sandbox::Status::kRuntimeError && result.signal == 0 &&
               result.exit_code > 0) {
      run.outcome = CheckOutcome{
          false, cut_utf8(said.empty() ? "rejected by the checker" : said, kMessageBytes)};
    } else {
      run.error = std::string("checker failed: ") + sandbox::status_name(result.status) + ": " +
                  cut_utf8(result.message.empty() ? said : result.message, kMessageBytes);
    }
    return run;
  }
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
  }

  Compiled program = impl_->compile(*language, file_name, source,
                                    harness_recipe.argv.empty() ? nullptr : &harness_recipe);
  result.compile = program.info;
  if (!program.internal_error.empty()) return finish(Verdict::kIE, program.internal_error);
  if (!program.info.ok && !harness_recipe.argv.empty()) {
    // The harness is our code: its compile failing is ours, not the submission's.
    return finish(Verdict::kIE, "the harness does not compile: " +
                                    cut_utf8(program.info.stderr_data, kMessageBytes));
  }
  if (!program.info.ok) return finish(Verdict::kCE, "compile error");

  // A custom checker is compiled once per judge() call, through the same cache.
  const Language* checker_language = nullptr;
  std::string checker_main_class;
  Compiled checker;
  if (problem.checker.type == problems::CheckerSpec::Type::kCustom) {
    checker_language = find_language(problem.checker.language);
    if (checker_language == nullptr) {
      return finish(Verdict::kIE, "checker: unknown language '" + problem.checker.language + "'");
    }
    ProgramSource checker_program = program_source(*checker_language, problem.checker.code);
    checker_main_class = std::move(checker_program.main_class);
    checker = impl_->compile(*checker_language, checker_program.file_name, checker_program.code);
    if (!checker.internal_error.empty()) {
      return finish(Verdict::kIE, "checker: " + checker.internal_error);
    }
    if (!checker.info.ok) {
      return finish(Verdict::kIE,
                    "checker: compile error: " + cut_utf8(checker.info.stderr_data, kMessageBytes));
    }
  }

  const bool assert_mode = problem.mode == problems::Mode::kAssert;
  // Function mode's result lines carry a token; assert mode's records need none (only the
  // evaluator can write them).
  const std::string token = problem.mode == problems::Mode::kFunction ? make_token() : "";
  sandbox::Limits limits;
  limits.cpu_ms = time_ms;
  limits.memory_bytes = memory_mb * kMiB;
  limits.processes = std::max<uint32_t>(limits.processes, language->run_processes);
  const auto run_argv = language->run_argv(limits.memory_bytes, main_class);
  const auto run_env = concat(base_environment(), language->run_env);

  std::vector<TestResult> tests(problem.tests.size());
  std::atomic<size_t> first_failure{std::numeric_limits<size_t>::max()};
  // The first test that waited out the wall clock (see waited()). The tests after it are not
  // started: each would hold a worker until the wall clock stopped it too.
  std::atomic<size_t> first_waiting{std::numeric_limits<size_t>::max()};
  auto record_first = [](std::atomic<size_t>& first, size_t index) {
    size_t seen = first.load();
    while (index < seen && !first.compare_exchange_weak(seen, index)) {
    }
  };
  auto record_failure = [&](size_t index) { record_first(first_failure, index); };
  auto skipped = [&](size_t index) {
    return index > first_waiting.load() ||
           (options.stop_on_first_failure && index > first_failure.load());
  };
  auto output_limit_bytes = [&](const problems::Test& test) -> uint64_t {
    if (options.output_kb) return *options.output_kb * 1024;
    return std::max<uint64_t>(kMiB, 2 * test.expected.size() + 4096);
  };

  // The verdict of a test that ran to its end, from what it printed: stdio, its stdout; function
  // mode, its result JSON.
  auto check_printed = [&](size_t index, const std::string& printed, TestResult& out) {
    const problems::Test& test = problem.tests[index];
    if (options.return_outputs) out.expected = cut_utf8(test.expected, options.output_return_bytes);
    std::optional<CheckOutcome> outcome;
    std::string checker_error;
    if (checker_language != nullptr) {
      auto checked = impl_->run_checker(*checker_language, checker_main_class, *checker.entry,
                                        test.input, printed, test.expected);
      outcome = std::move(checked.outcome);
      checker_error = std::move(checked.error);
    } else if (problem.mode == problems::Mode::kFunction) {
      outcome = check_value(test.expected, printed, *result_type, problem.checker.abs_tol,
                            problem.checker.rel_tol);
    } else {
      outcome = check_text(problem.checker, test.expected, printed);
    }
    if (!outcome) {
      out.verdict = Verdict::kIE;
      out.message = checker_error;
    } else {
      out.verdict = outcome->accepted ? Verdict::kAC : Verdict::kWA;
      out.message = outcome->accepted ? "" : outcome->message;
    }
  };

  // The verdict of a batched test whose result line the program printed.
  auto check_result = [&](size_t index, const ResultLine& line, TestResult& out) {
    if (options.return_outputs) {
      out.stdout_data = cut_utf8(line.output, options.output_return_bytes);
    }
    if (line.output.size() + line.value.size() > output_limit_bytes(problem.tests[index])) {
      out.verdict = Verdict::kOLE;
      out.message = "output limit exceeded";
      return;
    }
    check_printed(index, line.value, out);
  };

  // The verdict of an assert-mode test that the evaluator decided.
  auto check_record = [&](size_t index, const AssertRecord& record, const std::string& output,
                          TestResult& out) {
    if (options.return_outputs) {
      out.stdout_data = cut_utf8(output, options.output_return_bytes);
      if (record.verdict != Verdict::kAC) {
        out.stderr_data = cut_utf8(record.message, options.output_return_bytes);
      }
    }
    if (output.size() > output_limit_bytes(problem.tests[index])) {
      out.verdict = Verdict::kOLE;
      out.message = "output limit exceeded";
      return;
    }
    out.verdict = record.verdict;
    if (record.verdict != Verdict::kAC)
      out.message = tail_utf8(trim(record.message), kMessageBytes);
  };

  // A harness that compiles the submission reports its compile error from every process.
  std::mutex compile_error_mu;
  std::optional<std::string> compile_error;
  std::atomic<bool> compile_failed{false};  // no further runs: every one would fail the same way
  auto reported_compile_error = [&](const sandbox::Result& run) {
    return harness_compiles && run.status == sandbox::Status::kRuntimeError && run.signal == 0 &&
           run.exit_code == kCompileErrorExitCode &&
           std::string_view(run.stderr_data).starts_with(kCompileErrorStderrPrefix);
  };

  // The verdict of the test during which the program ended without printing its result.
  auto judge_ending = [&](const sandbox::Result& run, std::string_view own_stdout,
                          TestResult& out) {
    if (reported_compile_error(run)) {
      std::lock_guard lock(compile_error_mu);
      compile_error = trim(run.stderr_data.substr(kCompileErrorStderrPrefix.size()));
      compile_failed = true;
      out.verdict = Verdict::kCE;
      return;
    }
    // A harness's own failure marker (kHarnessExitCode) is no IE here: submission code in the
    // same process can write it too, and the tests were checked against the signature before
    // the run, so whatever the process says, its ending is the submission's.
    if (auto verdict = verdict_for_status(run.status)) {
      out.verdict = *verdict;
      out.message = run.message;
      if (*verdict == Verdict::kRE) {
        // The program's own last words say more than "exit code 1".
        std::string said = trim(run.stderr_data);
        if (!said.empty()) {
          said = tail_utf8(said, kMessageBytes);
          out.message += (out.message.empty() ? "" : ": ") + said;
        }
      }
    } else if (assert_mode) {
      // The evaluator exited cleanly without deciding this test. Only its own "ie" record is an
      // internal error: an ending nobody explained may have been caused by the submission.
      out.verdict = Verdict::kRE;
      out.message = "the run ended without a verdict for this test";
    } else {
      out.verdict = Verdict::kWA;
      out.message = "the function returned no result";
    }
    if (options.return_outputs) {
      out.stdout_data = cut_utf8(own_stdout, options.output_return_bytes);
      out.stderr_data = cut_utf8(run.stderr_data, options.output_return_bytes);
    }
  };

  // The submission's program under one test's limits; callers set output_bytes and stdin.
  auto program_spec = [&] {
    sandbox::RunSpec spec;
    spec.argv = run_argv;
    spec.env = run_env;
    spec.limits = limits;
    spec.binds.push_back({program.entry->box_dir(), std::string(kBoxDir), false});
    return spec;
  };
  // A test's usage is that of the process it ran in.
  auto record_usage = [](const sandbox::Result& run, TestResult& out) {
    out.cpu_ms = run.cpu_ms;
    out.wall_ms = run.wall_ms;
    out.memory_bytes = run.memory_bytes;
    out.exit_code = run.exit_code;
    out.signal = run.signal;
  };

  // A stdio test: its own process, its output checked as text.
  auto run_stdio = [&](size_t index) {
    if (skipped(index)) return;
    const problems::Test& test = problem.tests[index];
    TestResult& out = tests[index];
    sandbox::RunSpec spec = program_spec();
    spec.limits.output_bytes = output_limit_bytes(test);
    spec.stdin_data = test.input;
    sandbox::Result run = impl_->box->run(spec);
    record_usage(run, out);
    if (waited(run)) record_first(first_waiting, index);
    if (run.status != sandbox::Status::kOk) {
      judge_ending(run, run.stdout_data, out);
    } else {
      if (options.return_outputs) {
        out.stdout_data = cut_utf8(run.stdout_data, options.output_return_bytes);
        out.stderr_data = cut_utf8(run.stderr_data, options.output_return_bytes);
      }
      check_printed(index, run.stdout_data, out);
    }
    if (is_failure(out.verdict)) record_failure(index);
  };

  // Harnessed tests [begin, end): batches of them share one process (see kBatch* and the
  // header), under the limits of a single test.
  auto run_harnessed = [&](size_t begin, size_t end) {
    bool one_per_process = options.batch_tests <= 1;
    size_t pos = begin;
    while (pos < end) {
      if (skipped(pos)) return;
      if (compile_failed) return;
      size_t stop = pos + 1;
      uint64_t input_bytes = 0;
      if (!one_per_process) {
        stop = pos;
        while (stop < end && stop - pos < options.batch_tests &&
               (stop == pos || input_bytes < kBatchInputBytes)) {
          const problems::Test& test = problem.tests[stop++];
          input_bytes +=
              problem.mode == problems::Mode::kAssert ? test.code.size() : test.input.size();
        }
      }
      sandbox::RunSpec spec = program_spec();
      uint64_t output_bytes = 0;
      uint64_t largest_output_bytes = 0;
      for (size_t i = pos; i < stop; ++i) {
        output_bytes += output_limit_bytes(problem.tests[i]);
        largest_output_bytes = std::max(largest_output_bytes, output_limit_bytes(problem.tests[i]));
      }
      spec.limits.output_bytes =
          std::max(largest_output_bytes, std::min(output_bytes, kBatchOutputBytes));
      if (assert_mode) {
        std::vector<std::string> codes;
        for (size_t i = pos; i < stop; ++i) codes.push_back(problem.tests[i].code);
        spec.stdin_data = stdin_prefix + assert_stdin(codes);
      } else {
        std::vector<std::string> inputs;
        for (size_t i = pos; i < stop; ++i) inputs.push_back(problem.tests[i].input);
        spec.stdin_data = stdin_prefix + function_stdin(token, inputs);
      }
      sandbox::Result run = impl_->box->run(spec);
      ResultLines results;
      AssertRecords records;
      if (assert_mode) {
        records = parse_assert_records(run.stdout_data);
        if (records.compile_error) {
          std::lock_guard lock(compile_error_mu);
          compile_error = trim(*records.compile_error);
          compile_failed = true;
          return;
        }
      } else {
        results = parse_result_lines(run.stdout_data, token);
      }
      auto has_result = [&](size_t k) {
        return assert_mode ? records.by_index.contains(k) : results.by_index.contains(k);
      };
      // Results count up to the first test without one; a later line cannot be the program's.
      size_t done = 0;
      while (pos + done < stop && has_result(done)) ++done;
      const bool clean = run.status == sandbox::Status::kOk;
      // With a clean exit every printed result stands. Otherwise the last test that ran (the
      // first without a result, or the last one if all printed theirs) takes the ending.
      size_t ended = clean ? pos + done : std::min(pos + done, stop - 1);
      if (assert_mode && records.internal_error) ended = pos + done;  // the failure is ours
      for (size_t i = pos; i < ended; ++i) {
        TestResult& out = tests[i];
        record_usage(run, out);
        if (assert_mode) {
          check_record(i, records.by_index.at(i - pos), records.output[i - pos], out);
        } else {
          check_result(i, results.by_index.at(i - pos), out);
        }
        if (is_failure(out.verdict)) record_failure(i);
      }
      if (assert_mode && records.internal_error && ended < stop) {
        // The evaluator's own report of a failure of ours (the judge's input): IE, and the
        // chunk stops.
        TestResult& out = tests[ended];
        record_usage(run, out);
        out.verdict = Verdict::kIE;
        out.message = cut_utf8(trim(*records.internal_error), kMessageBytes);
        record_failure(ended);
        return;
      }
      if (clean && ended == stop) {
        pos = stop;
        continue;
      }
      // The evaluator stopped after a failing test (asked to, or the submission's process broke
      // down): the tests after it run in a fresh process.
      if (assert_mode && clean && done > 0 &&
          records.by_index.at(done - 1).verdict != Verdict::kAC) {
        pos = ended;
        continue;
      }
      // A limit hit after other tests ran in the same process may be theirs as much as this
      // test's, and a batch's input and output differ from a lone run's: this test runs again,
      // and the rest of the chunk one per process. Only a time limit on the first test of a
      // batch stands (the CPU time was all its own).
      const bool resource = run.status == sandbox::Status::kTimeLimit ||
                            run.status == sandbox::Status::kMemoryLimit ||
                            run.status == sandbox::Status::kOutputLimit;
      const bool shared =
          ended > pos || (run.status != sandbox::Status::kTimeLimit && stop - pos > 1);
      if (resource && shared) {
        one_per_process = true;
        pos = ended;
        continue;
      }
      TestResult& out = tests[ended];
      record_usage(run, out);
      if (waited(run)) record_first(first_waiting, ended);
      std::string own_stdout = results.trailing;
      if (assert_mode) {
        own_stdout = records.output[ended - pos];
      } else if (auto it = results.by_index.find(ended - pos); it != results.by_index.end()) {
        own_stdout = it->second.output + own_stdout;
      }
      judge_ending(run, own_stdout, out);
      if (is_failure(out.verdict)) record_failure(ended);
      pos = ended + 1;
    }
  };

  if (problem.mode == problems::Mode::kStdio) {
    impl_->pool->run_batch(problem.tests.size(), run_stdio);
  } else {
    // Chunks of tests spread over the workers; each chunk runs its batches in order.
    const size_t chunk = std::max<size_t>(options.batch_tests, 1);
    const size_t chunks = (problem.tests.size() + chunk - 1) / chunk;
    impl_->pool->run_batch(chunks, [&](size_t c) {
      run_harnessed(c * chunk, std::min(problem.tests.size(), (c + 1) * chunk));
    });
  }

  if (compile_error) {
    result.compile.ok = false;
    result.compile.stderr_data = *compile_error;
    return finish(Verdict::kCE, "compile error");
  }
  // Decided by the index alone, so that the report does not depend on which tests happened
  // to start before the waiting one ended.
  const size_t waiting = first_waiting.load();
  for (size_t i = waiting + 1; waiting < tests.size() && i < tests.size(); ++i) {
    tests[i] = TestResult{};
    tests[i].verdict = Verdict::kTLE;
    tests[i].message = "not run: test " + std::to_string(waiting + 1) +
                       " waited out the wall-clock limit without computing";
    record_failure(i);
  }
  size_t reported = tests.size();
  if (options.stop_on_first_failure && first_failure.load() < tests.size()) {
    reported = first_failure.load() + 1;
  }
  tests.resize(reported);
  result.tests = std::move(tests);
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
  Compiled program = impl_->compile(*language, source.file_name, source.code);
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
