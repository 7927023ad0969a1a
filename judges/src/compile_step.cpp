#include "compile_step.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>

#include <algorithm>

#include "judge_util.h"

namespace codejudge::judges {
namespace {

constexpr uint64_t kCompileScratchBytes = 512 * kMiB;  // a ceiling; tmpfs pages are lazy
// All artifacts of one compile together: a bigger program (a huge static array) is a compile
// error, so that one submission cannot fill the cache.
constexpr uint64_t kMaxArtifactBytes = 64 * kMiB;
constexpr size_t kMaxArtifacts = 4096;  // class files of one Java source, say

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

}  // namespace

CompileOutput Compiler::compile_now(const Language& language, const std::string& file_name,
                                    const std::string& source, const CompileRecipe& recipe) {
  CompileOutput output;
  const auto start = Clock::now();
  std::string error;
  auto scratch = sandbox::ScratchDir::create(scratch_parent_, kCompileScratchBytes, &error);
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
  if (recipe.reads_only) {
    spec.binds.push_back({scratch->path(), "/work", false});
    spec.warm = language.warm_runtime(warm_runtimes_);
  } else {
    spec.work_dir = scratch->path();
  }
  sandbox::Result result = box_.run(spec);
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

Compiled Compiler::compile(const Language& language, const std::string& file_name,
                           const std::string& source, const CompileRecipe* harness_recipe) {
  const CompileRecipe recipe =
      harness_recipe != nullptr
          ? *harness_recipe
          : CompileRecipe{language.compile_command(file_name), language.artifacts,
                          language.interpreted};
  Compiled compiled;
  const auto start = Clock::now();
  const std::string& version = toolchain_version(language);
  if (version.empty()) {
    compiled.internal_error =
        "the " + language.name + " toolchain (" + language.tool + ") is not installed on this host";
    return compiled;
  }
  if (language.needs_cgroups && box_.report().cgroup_version == 0) {
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
  compiled.entry = cache_.get_or_compile(
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

}  // namespace codejudge::judges
