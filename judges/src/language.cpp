#include "codejudge/judges/language.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <utility>

#include "embedded_harness.h"
#include "harness_internal.h"

extern char** environ;

namespace codejudge::judges {
namespace {

constexpr uint64_t kMiB = 1ull << 20;
constexpr auto kVersionTimeout = std::chrono::seconds(20);

sandbox::Limits compile_limits(uint64_t memory_bytes, uint32_t processes) {
  sandbox::Limits limits;
  limits.cpu_ms = 20000;
  limits.wall_ms = 40000;
  limits.memory_bytes = memory_bytes;
  limits.processes = processes;
  limits.output_bytes = 64ull << 10;    // diagnostics beyond this are noise
  limits.file_size_bytes = 128 * kMiB;  // the judge keeps at most 64 MiB of artifacts
  limits.tmpfs_bytes = 256 * kMiB;
  limits.open_files = 1024;
  // A compiler that makes no progress for 5 s is blocked for good (a source that includes a pipe
  // of the compiler's own, such as rustc's jobserver at /proc/self/fd/3, waits for input that
  // never comes): a compile error, long before the wall fuse, which is for a host too busy to
  // give the compiler any CPU.
  limits.idle_ms = 5000;
  return limits;
}

// Java: the file and the class to run follow from the code (language.h, program_source).
void java_stand_alone_source(ProgramSource& program) {
  using harness_detail::is_identifier_char;
  using harness_detail::word_at;
  const std::string blanked = harness_detail::blank_comments_and_strings(program.code);
  auto skip_space = [&](size_t pos) {
    while (pos < blanked.size() && std::isspace(static_cast<unsigned char>(blanked[pos]))) ++pos;
    return pos;
  };
  std::string public_class;  // the first public top-level type
  std::string main_class;    // the first top-level type that declares a method main
  std::string declared;      // a top-level type whose body has not opened yet
  std::string inside;        // the top-level type whose body we are in
  bool is_public = false;    // "public" seen in the current top-level declaration
  int depth = 0;
  for (size_t i = 0; i < blanked.size(); ++i) {
    const char c = blanked[i];
    if (c == '{') {
      if (depth++ == 0) inside = std::exchange(declared, "");
      continue;
    }
    if (c == '}') {
      if (depth > 0 && --depth == 0) inside.clear();
      continue;
    }
    if (c == ';' && depth == 0) is_public = false;
    const std::string_view word = word_at(blanked, i);
    if (word.empty()) continue;
    if (depth == 0 && word == "package") {
      size_t end = blanked.find(';', i);
      end = end == std::string::npos ? blanked.size() : end + 1;
      for (size_t k = i; k < end; ++k) {
        if (program.code[k] != '\n') program.code[k] = ' ';
      }
      i = end - 1;
      continue;
    }
    if (depth == 0 && word == "public") {
      is_public = true;
    } else if (depth == 0 &&
               (word == "class" || word == "interface" || word == "enum" || word == "record")) {
      declared = std::string(word_at(blanked, skip_space(i + word.size())));
      if (is_public && public_class.empty()) public_class = declared;
      is_public = false;
    } else if (depth == 1 && word == "main" && !inside.empty() && main_class.empty()) {
      // A method declaration "void main(": the previous word is void, the next token '('.
      size_t before = i;
      while (before > 0 && std::isspace(static_cast<unsigned char>(blanked[before - 1]))) --before;
      const bool after_void = before >= 4 && blanked.compare(before - 4, 4, "void") == 0 &&
                              (before == 4 || !is_identifier_char(blanked[before - 5]));
      const size_t next = skip_space(i + word.size());
      if (after_void && next < blanked.size() && blanked[next] == '(') main_class = inside;
    }
    i += word.size() - 1;
  }
  if (!public_class.empty()) program.file_name = public_class + ".java";
  program.main_class = !public_class.empty() ? public_class
                       : !main_class.empty() ? main_class
                                             : "Main";
}

std::vector<Language> make_languages() {
  std::vector<Language> languages;
  {
    Language l;
    l.name = "python";
    l.aliases = {"py", "python3"};
    l.fence_labels = {"py3"};
    l.source_file = "main.py";
    l.tool = "/usr/bin/python3";
    l.version_argv = {"/usr/bin/python3", "--version"};
    // Syntax check only: compile() runs the parser and the symbol table, so every
    // SyntaxError is found without running the program. Served warm like a run (no -S, which a
    // warm runtime, started with site, cannot honour).
    l.compile_argv = {"/usr/bin/python3", "-c",
                      "import sys\ncompile(open(sys.argv[1],'rb').read(),sys.argv[1],'exec')",
                      "{src}"};
    l.compile_limits = compile_limits(256 * kMiB, 16);
    l.artifacts = {{"main.py", false}};
    l.run_template = {"/usr/bin/python3", "{box}/main.py"};
    l.run_env = {"PYTHONDONTWRITEBYTECODE=1"};
    l.interpreted = true;
    l.function_harness = harness_detail::make_python_function;
    l.assert_harness = harness_detail::make_python_assert;
    l.warm = sandbox::WarmRuntime{
        "python",
        {"/usr/bin/python3", "-c", std::string(harness_detail::embedded_file("warm_python.py"))}};
    languages.push_back(std::move(l));
  }
  {
    Language l;
    l.name = "cpp";
    l.aliases = {"c++", "cxx", "cc"};
    l.fence_labels = {"c++17", "c++20"};
    l.source_file = "main.cpp";
    l.tool = "/usr/bin/g++";
    l.version_argv = {"/usr/bin/g++", "--version"};
    // No -pipe: with it cc1's stdout is a pipe of the compiler's own, which a source could open
    // and read (#include "/dev/stdout"), blocking the compiler on its own output. The sandbox's
    // pipes belong to root: the compiler cannot open them.
    l.compile_argv = {"/usr/bin/g++", "-std=c++20", "-O2", "-o", "main", "{src}"};
    l.compile_limits = compile_limits(1024 * kMiB, 32);
    l.artifacts = {{"main", true}};
    l.run_template = {"{box}/main"};
    l.function_harness = harness_detail::make_cpp_function;
    languages.push_back(std::move(l));
  }
  {
    Language l;
    l.name = "c";
    l.fence_labels = {"h"};
    l.source_file = "main.c";
    l.tool = "/usr/bin/gcc";
    l.version_argv = {"/usr/bin/gcc", "--version"};
    l.compile_argv = {"/usr/bin/gcc", "-std=c17", "-O2", "-o", "main", "{src}", "-lm"};  // no -pipe
    l.compile_limits = compile_limits(1024 * kMiB, 32);
    l.artifacts = {{"main", true}};
    l.run_template = {"{box}/main"};
    languages.push_back(std::move(l));
  }
  {
    Language l;
    l.name = "java";
    l.fence_labels = {"java17"};
    l.source_file = "Main.java";
    l.tool = "/usr/bin/javac";
    l.version_argv = {"/usr/bin/javac", "-version"};
    // javac is a short-lived JVM: C1 only, a serial GC and two CPUs' worth of threads cut its
    // CPU time by a third and keep its thread count independent of the host's core count.
    l.compile_argv = {"/usr/bin/javac",
                      "-J-XX:+UseSerialGC",
                      "-J-XX:TieredStopAtLevel=1",
                      "-J-XX:ActiveProcessorCount=2",
                      "-J-XX:-UsePerfData",
                      "-encoding",
                      "UTF-8",
                      "-d",
                      ".",
                      "{src}"};
    l.compile_limits = compile_limits(1536 * kMiB, 128);
    // Every top-level and nested class of the file lands next to Main.class.
    l.artifacts = {{"*.class", false}};
    // The heap may use the whole memory limit: the JVM's default (a quarter of the cgroup
    // limit) would turn solutions that fit into OutOfMemoryError. The cgroup still enforces
    // the limit on the whole process. -Xss sizes the main thread's stack for deep recursion.
    // SerialGC and one CPU keep startup cheap and the thread count low; perf data off avoids
    // writing /tmp/hsperfdata. -ea: assertions on (see run_argv).
    l.run_template = {"/usr/bin/java",
                      "-ea",
                      "-Xmx{heap_mb}m",
                      "-Xss64m",
                      "-XX:+UseSerialGC",
                      "-XX:ActiveProcessorCount=1",
                      "-XX:-UsePerfData",
                      "-cp",
                      "{box}",
                      "{main_class}"};
    l.run_processes = 64;
    l.needs_cgroups = true;
    l.stand_alone_source = java_stand_alone_source;
    l.function_harness = harness_detail::make_java_function;
    languages.push_back(std::move(l));
  }
  {
    Language l;
    l.name = "javascript";
    l.aliases = {"js", "node", "nodejs"};
    l.fence_labels = {"mjs"};
    l.source_file = "main.js";
    l.tool = "/usr/bin/node";
    l.version_argv = {"/usr/bin/node", "--version"};
    l.compile_argv = {"/usr/bin/node", "--check", "{src}"};
    l.compile_limits = compile_limits(512 * kMiB, 64);
    l.artifacts = {{"main.js", false}};
    l.run_template = {"/usr/bin/node", "{box}/main.js"};
    l.needs_cgroups = true;
    l.interpreted = true;
    l.function_harness = harness_detail::make_javascript_function;
    languages.push_back(std::move(l));
  }
  {
    Language l;
    l.name = "rust";
    l.aliases = {"rs"};
    l.source_file = "main.rs";
    l.tool = "/usr/bin/rustc";
    l.version_argv = {"/usr/bin/rustc", "--version"};
    // Stripping the debug info of std shrinks the binary from ~12 MiB to ~0.5 MiB, which is what
    // the cache stores (panics still print their message). One codegen unit compiles tiny
    // programs with less CPU and fewer threads, and optimises better.
    l.compile_argv = {"/usr/bin/rustc",  "-O", "--edition", "2021", "-C", "strip=debuginfo", "-C",
                      "codegen-units=1", "-o", "main",      "{src}"};
    l.compile_limits = compile_limits(1536 * kMiB, 128);
    l.artifacts = {{"main", true}};
    l.run_template = {"{box}/main"};
    languages.push_back(std::move(l));
  }
  {
    Language l;
    l.name = "go";
    l.aliases = {"golang"};
    l.source_file = "main.go";
    l.tool = "/usr/bin/go";
    l.version_argv = {"/usr/bin/go", "version"};
    l.compile_argv = {"/usr/bin/go", "build", "-o", "main", "{src}"};
    // The build cache and GOPATH must be writable; /tmp is a fresh tmpfs per run, so every
    // compile starts cold (the standard library is precompiled in GOROOT, so this is cheap).
    // GOPROXY=off: there is no network, so fail fast on imports outside std.
    // GOMAXPROCS bounds the threads of go, compile and link whatever the host's core count.
    l.compile_env = {"GOCACHE=/tmp/gocache", "GOPATH=/tmp/go", "GOPROXY=off", "CGO_ENABLED=0",
                     "GOMAXPROCS=2"};
    l.compile_limits = compile_limits(1536 * kMiB, 128);
    l.artifacts = {{"main", true}};
    l.run_template = {"{box}/main"};
    // One P: the garbage collector's parallel workers would otherwise scale with the host's
    // cores, and their CPU time counts against the limit, so verdicts would depend on the host.
    l.run_env = {"GOMAXPROCS=1"};
    l.needs_cgroups = true;
    languages.push_back(std::move(l));
  }
  return languages;
}

std::string to_lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string join(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& part : parts) {
    if (!out.empty()) out += ' ';
    out += part;
  }
  return out;
}

// Runs argv on the host (not sandboxed: it is our own toolchain) and returns the first
// non-empty line of its combined output, or "" when it cannot run or fails.
std::string first_output_line(const std::vector<std::string>& argv) {
  if (argv.empty() || access(argv[0].c_str(), X_OK) != 0) return "";
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return "";
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
  posix_spawn_file_actions_adddup2(&actions, fds[1], 2);
  std::vector<char*> args;
  for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  pid_t pid = -1;
  int rc = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(fds[1]);
  if (rc != 0) {
    close(fds[0]);
    return "";
  }
  std::string output;
  const auto deadline = std::chrono::steady_clock::now() + kVersionTimeout;
  bool timed_out = false;
  while (output.size() < 64 * 1024) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      timed_out = true;
      break;
    }
    pollfd pfd{fds[0], POLLIN, 0};
    int ready = poll(&pfd, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) {
      timed_out = ready == 0;
      break;
    }
    char buffer[4096];
    ssize_t n = read(fds[0], buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    output.append(buffer, static_cast<size_t>(n));
  }
  close(fds[0]);
  if (timed_out) kill(pid, SIGKILL);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (timed_out || !WIFEXITED(status) || WEXITSTATUS(status) != 0) return "";
  size_t start = 0;
  while (start < output.size()) {
    size_t end = output.find('\n', start);
    if (end == std::string::npos) end = output.size();
    std::string line = output.substr(start, end - start);
    while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back()))) {
      line.pop_back();
    }
    if (!line.empty()) return line;
    start = end + 1;
  }
  return "";
}

}  // namespace

std::vector<std::string> Language::run_argv(uint64_t memory_bytes,
                                            std::string_view main_class) const {
  const std::vector<std::pair<std::string_view, std::string>> values = {
      {"{box}", std::string(kBoxDir)},
      {"{heap_mb}", std::to_string(std::max<uint64_t>(memory_bytes / kMiB, 16))},
      {"{main_class}", std::string(main_class)}};
  std::vector<std::string> argv = run_template;
  for (std::string& arg : argv) {
    // Values are a path, a number and a Java identifier: none contains a placeholder.
    for (const auto& [placeholder, value] : values) {
      for (size_t at = arg.find(placeholder); at != std::string::npos;
           at = arg.find(placeholder, at + value.size())) {
        arg.replace(at, placeholder.size(), value);
      }
    }
  }
  return argv;
}

std::vector<std::string> Language::compile_command(std::string_view source_file_name) const {
  std::vector<std::string> argv = compile_argv;
  for (auto& arg : argv) {
    if (arg == "{src}") arg = std::string(source_file_name);
  }
  return argv;
}

ProgramSource program_source(const Language& language, std::string code) {
  ProgramSource program{language.source_file, std::move(code), ""};
  if (language.stand_alone_source != nullptr) language.stand_alone_source(program);
  return program;
}

std::vector<std::string> base_environment() {
  return {"PATH=/usr/local/bin:/usr/bin:/bin", "HOME=/tmp", "LANG=C.UTF-8", "TMPDIR=/tmp"};
}

const std::vector<Language>& all_languages() {
  static const std::vector<Language> languages = make_languages();
  return languages;
}

const Language* find_language(std::string_view name) {
  const std::string lowered = to_lower(name);
  for (const auto& language : all_languages()) {
    if (language.name == lowered) return &language;
    for (const auto& alias : language.aliases) {
      if (alias == lowered) return &language;
    }
  }
  return nullptr;
}

const std::string& toolchain_version(const Language& language) {
  // One slot per language, filled on first use; call_once makes concurrent first calls wait.
  struct Slot {
    std::once_flag once;
    std::string version;
  };
  static std::map<std::string, std::unique_ptr<Slot>> slots = [] {
    std::map<std::string, std::unique_ptr<Slot>> map;
    for (const auto& l : all_languages()) map[l.name] = std::make_unique<Slot>();
    return map;
  }();
  static const std::string kEmpty;
  auto it = slots.find(language.name);
  if (it == slots.end()) return kEmpty;
  Slot& slot = *it->second;
  std::call_once(slot.once, [&] { slot.version = first_output_line(language.version_argv); });
  return slot.version;
}

std::vector<LanguageInfo> available_languages() {
  std::vector<LanguageInfo> infos;
  for (const auto& language : all_languages()) {
    LanguageInfo info;
    info.name = language.name;
    info.aliases = language.aliases;
    info.version = toolchain_version(language);
    info.available = !info.version.empty();
    info.compile_command = join(language.compile_command(language.source_file));
    info.run_command = join(language.run_argv(256 * kMiB));
    infos.push_back(std::move(info));
  }
  return infos;
}

bool mode_supports(problems::Mode mode, std::string_view language) {
  const Language* found = find_language(language);
  if (found == nullptr) return false;
  switch (mode) {
    case problems::Mode::kStdio:
      return true;
    case problems::Mode::kFunction:
      return found->function_harness != nullptr;
    case problems::Mode::kAssert:
      return found->assert_harness != nullptr;
  }
  return false;
}

std::string mode_support_error(problems::Mode mode, std::string_view language) {
  std::vector<std::string> names;
  for (const auto& known : all_languages()) {
    if (mode_supports(mode, known.name)) names.push_back(known.name);
  }
  std::string list;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) list += i + 1 == names.size() ? " and " : ", ";
    list += names[i];
  }
  return std::string(problems::mode_name(mode)) + " mode runs " + list + " only; got " +
         std::string(language);
}

std::string language_list() {
  std::string list;
  for (const auto& language : all_languages()) {
    if (!list.empty()) list += ", ";
    list += language.name;
  }
  return list;
}

}  // namespace codejudge::judges
