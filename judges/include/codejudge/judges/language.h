// The language table: one entry per language owns everything judges know about it (names and
// aliases, how it is compiled and run inside the sandbox, which test modes it runs and with which
// harness). Nothing else lists languages: callers ask the table (find_language, mode_supports,
// mode_support_error). Adding a language is one entry in judges/src/language.cpp, its harness
// files if it runs function or assert mode, and its name in problems' vocabulary
// (problems/json.h, known_languages); docs/ARCHITECTURE.md ("Adding a language") says how.
// Paths are absolute host paths that the sandbox mounts read-only (/usr, /bin), so the toolchain
// that compiles is the one whose version we detect on the host.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "codejudge/problems/problem.h"
#include "codejudge/sandbox/sandbox.h"

namespace codejudge::judges {

// Largest source accepted, in bytes: bigger submissions are rejected with a message (CE).
inline constexpr uint64_t kMaxSourceBytes = 1ull << 20;

// Where compiled artifacts are mounted (read-only) when a program runs.
inline constexpr std::string_view kBoxDir = "/box";

// A file to keep from the compile's work directory. A name starting with '*' is a suffix
// pattern ("*.class"); only regular files at the top level of the directory match.
struct ArtifactSpec {
  std::string name;
  bool executable = false;
};

// What a stand-alone program (a stdio submission, /run_code, a checker) is compiled as.
struct ProgramSource {
  std::string file_name;   // the language's source_file, or for Java <its public class>.java
  std::string code;        // Java: with its package declaration blanked out
  std::string main_class;  // Java: the class to run; empty for other languages
};

struct GeneratedSource;  // harness.h
namespace harness_detail {
struct FunctionSpec;  // harness_internal.h
}

struct Language {
  std::string name;                  // canonical, as problem files and responses spell it
  std::vector<std::string> aliases;  // also accepted wherever a language is named
  // Also recognised as a markdown fence's info string (rewards.h, normalize_language), but not as
  // a request's language: "py3", "c++17".
  std::vector<std::string> fence_labels;
  std::string source_file;                // the stdio submission's file name: main.cpp, Main.java
  std::string tool;                       // the host binary whose version keys the compile cache
  std::vector<std::string> version_argv;  // prints the toolchain version (first line used)
  // Compile command run in the work directory; "{src}" is replaced by the source file name.
  // Never empty: interpreted languages get a cheap syntax check so that a syntax error is CE.
  std::vector<std::string> compile_argv;
  std::vector<std::string> compile_env;  // on top of the base environment
  sandbox::Limits compile_limits;
  std::vector<ArtifactSpec> artifacts;  // kept after a successful compile
  // The command that runs the compiled program; in each argument "{box}" becomes kBoxDir,
  // "{heap_mb}" the run's memory limit in MiB (at least 16) and "{main_class}" the class to run.
  std::vector<std::string> run_template;
  std::vector<std::string> run_env;  // on top of the base environment
  uint32_t run_processes = 64;       // processes and threads the runtime needs at least
  // The runtime or its compiler cannot work under the sandbox's per-process rlimit fallback (no
  // usable cgroups): each thread's stack is as large as the stack limit and counts against the
  // memory rlimit. There the judge answers IE for this language rather than blame the source.
  bool needs_cgroups = false;
  // compile_argv only checks the syntax and the source itself runs (SandboxFusion reports no
  // compile_result for these).
  bool interpreted = false;
  // Runs may be served by this warm runtime (JudgeConfig::warm_runtimes); the runtime runs
  // run_template's argv as a cold run would.
  std::optional<sandbox::WarmRuntime> warm;
  // The warm runtime for this language's runs: nullptr without one or when they are off.
  const sandbox::WarmRuntime* warm_runtime(bool enabled) const {
    return enabled && warm ? &*warm : nullptr;
  }
  // Adjusts a stand-alone program, which starts as {source_file, code, ""}: Java names the file
  // and the class to run after the code's classes (program_source). nullptr: nothing to adjust.
  void (*stand_alone_source)(ProgramSource& program) = nullptr;
  // The harnesses that wrap a submission (harness.h). A mode without one is not supported: stdio
  // needs none. make_function_program and make_assert_program call them.
  GeneratedSource (*function_harness)(const harness_detail::FunctionSpec& spec) = nullptr;
  GeneratedSource (*assert_harness)(std::string_view preamble, std::string_view user_code,
                                    std::string_view entry_point,
                                    bool stop_at_first_failure) = nullptr;

  // The command that runs the compiled program from kBoxDir. memory_bytes is the run's
  // memory limit (the JVM sizes its heap from it); main_class is the Java class to run (see
  // program_source). Java always runs with assertions enabled (-ea), as C and C++ compile
  // without NDEBUG and Python runs without -O: tests written as asserts must run.
  std::vector<std::string> run_argv(uint64_t memory_bytes,
                                    std::string_view main_class = "Main") const;
  // compile_argv with "{src}" replaced.
  std::vector<std::string> compile_command(std::string_view source_file_name) const;
};

// Java runs whatever its class is called, as DMOJ and Codeforces do: the public top-level class
// (javac wants the file named after it), else the top-level class that declares main, else
// Main. A package declaration is blanked (spaces, so line numbers stay) so that the classes land
// in the default package, where `java -cp /box` finds them. Other languages pass through.
ProgramSource program_source(const Language& language, std::string code);

// The environment every sandboxed process starts from: PATH, HOME=/tmp, LANG=C.UTF-8.
std::vector<std::string> base_environment();

// The language for a canonical name or an alias (case-insensitive), or nullptr.
const Language* find_language(std::string_view name);

// Whether judges can run `language` (a name or alias) in `mode`: stdio always; function and
// assert where the table gives the language a harness for the mode.
bool mode_supports(problems::Mode mode, std::string_view language);

// Why `language` cannot run in `mode`: "assert mode runs python only; got cpp".
std::string mode_support_error(problems::Mode mode, std::string_view language);

// The entries in a fixed order: the order of problems::known_languages().
const std::vector<Language>& all_languages();

// The canonical names joined for a message: "python, cpp, c, java, javascript, rust, go".
std::string language_list();

// What a completion is judged as when neither the request nor its code names a language.
inline constexpr std::string_view kFallbackLanguage = "python";

// The toolchain's version line (e.g. "g++ (Debian 12.2.0-14) 12.2.0"), detected once per process
// by running version_argv on the host; empty when the toolchain is not installed.
const std::string& toolchain_version(const Language& language);

struct LanguageInfo {
  std::string name;
  std::vector<std::string> aliases;
  std::string version;  // empty when unavailable
  bool available = false;
  std::string compile_command;  // space-joined, for display
  std::string run_command;
};

// For `codejudge languages`: every language with its detected toolchain.
std::vector<LanguageInfo> available_languages();

}  // namespace codejudge::judges
