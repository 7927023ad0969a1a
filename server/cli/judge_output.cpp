#include "judge_output.h"

#include <fstream>
#include <iostream>
#include <sstream>

namespace codejudge::cli {
nlohmann::json compile_json(const judges::CompileInfo& compile) {
  return {{"ok", compile.ok},
          {"time_ms", compile.time_ms},
          {"cached", compile.cached},
          {"stderr", compile.stderr_data}};
}

nlohmann::json judge_result_json(const judges::JudgeResult& result, bool with_outputs) {
  nlohmann::json tests = nlohmann::json::array();
  for (const judges::TestResult& t : result.tests) {
    nlohmann::json item = {
        {"verdict", judges::verdict_name(t.verdict)},
        {"time_ms", t.cpu_ms},
        {"wall_ms", t.wall_ms},
        {"memory_kb", t.memory_bytes / 1024},
        {"exit_code", t.exit_code >= 0 ? nlohmann::json(t.exit_code) : nlohmann::json(nullptr)},
        {"signal", t.signal ? nlohmann::json(t.signal) : nlohmann::json(nullptr)},
        {"message", t.message},
    };
    if (with_outputs) {
      item["stdout"] = t.stdout_data;
      item["stderr"] = t.stderr_data;
      item["expected"] = t.expected;
    }
    tests.push_back(std::move(item));
  }
  return {{"verdict", judges::verdict_name(result.verdict)},
          {"passed", result.passed},
          {"total", result.total},
          {"compile", compile_json(result.compile)},
          {"tests", std::move(tests)},
          {"time_ms", result.wall_ms},
          {"message", result.message}};
}

std::unique_ptr<judges::Judge> make_judge(size_t workers) {
  judges::JudgeConfig config;
  config.workers = workers;
  config.detect_toolchains_at_start = false;  // one run: only the languages it uses
  std::string error;
  auto judge = judges::Judge::create(config, &error);
  if (!judge) {
    std::cerr << "codejudge: cannot start the judge: " << error << "\n";
    return nullptr;
  }
  for (const std::string& warning : judge->host().warnings) {
    std::cerr << "codejudge: warning: " << warning << "\n";
  }
  return judge;
}

bool read_text_file(const std::string& path, std::string* out, std::string* error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = "cannot read " + path;
    return false;
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  *out = buffer.str();
  return true;
}

}  // namespace codejudge::cli
