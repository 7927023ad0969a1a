// The codejudge CLI: one function per subcommand, each parsing its own flags.
// Exit codes: 0 when the command did its job (a run happened, whatever its status),
// 1 for a non-accepted verdict where a command says so, 2 for usage or internal errors.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "codejudge/sandbox/sandbox.h"

namespace codejudge::cli {

using Args = std::vector<std::string>;

int cmd_sandbox(const Args& args);
int cmd_doctor(const Args& args);
int cmd_run(const Args& args);
int cmd_languages(const Args& args);
int cmd_judge(const Args& args);
int cmd_problems(const Args& args);
int cmd_serve(const Args& args);
int cmd_generate(const Args& args);  // `problems generate`

// Prints "codejudge: message" and the usage text to stderr; returns 2.
int usage_error(const std::string& message, const char* usage);

// Parses a non-negative integer flag value; false (and a message) when it is not one.
bool parse_uint(const std::string& flag, const std::string& text, uint64_t* out,
                std::string* error);

// The limit flags shared by `sandbox` and `run`. Returns 1 when args[*i] was one (consuming
// its value), 0 when it was not, -1 with *error on a bad value.
int parse_limit_flag(const Args& args, size_t* i, sandbox::Limits* limits, std::string* error);

// Serialises for output; invalid UTF-8 in program output is replaced, never an error.
std::string render(const nlohmann::json& json, int indent = -1);

// Creates the sandbox, printing start-up warnings once to stderr; nullptr after an error.
std::unique_ptr<sandbox::Sandbox> make_sandbox(const sandbox::Options& options);

}  // namespace codejudge::cli
