// JSON renderings of judge results for the command line.
#pragma once

#include <nlohmann/json.hpp>

#include "codejudge/judges/judge.h"

namespace codejudge::cli {

nlohmann::json compile_json(const judges::CompileInfo& compile);
nlohmann::json judge_result_json(const judges::JudgeResult& result, bool with_outputs);

// A judge with the default cache and sandbox; start-up warnings go to stderr once.
std::unique_ptr<judges::Judge> make_judge(size_t workers = 0);

// Reads a whole file; false with *error when it cannot.
bool read_text_file(const std::string& path, std::string* out, std::string* error);

}  // namespace codejudge::cli
