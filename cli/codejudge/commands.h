// The codejudge CLI: one function per subcommand, each parsing its flags from a table
// (codejudge/flags/flags.h).
// Exit codes: 0 when the command did its job (a run happened, whatever its status),
// 1 for a non-accepted verdict where a command says so, 2 for usage or internal errors.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "codejudge/flags/flags.h"
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

// Parses args against table (positional: the non-flag arguments, nullptr when there are none).
// Returns -1 to go on, 0 after printing usage for --help, else usage_error()'s 2 with the flag
// error: "unexpected argument: X", "X needs a value", or the setter's own message.
int parse_flags(const Args& args, const std::vector<flags::Flag>& table,
                const flags::Positional& positional, const char* usage);

// A flag's setter that parses a non-negative integer into *out ("FLAG needs a non-negative
// integer, got 'x'" when it is not one); ranges are the command's to check.
flags::Setter uint_setter(const std::string& flag, uint64_t* out);
// A flag's setter that stores the value in *out.
flags::Setter text_setter(std::string* out);
// Takes one positional argument into *out; a second is an error: too_many, or when it is empty
// "unexpected argument: X".
flags::Positional one_positional(std::string* out, const std::string& too_many = "");
// A switch's setter that sets *out.
flags::Setter switch_setter(bool* out, bool value = true);

// The limit flags shared by `sandbox` and `run` (--time-ms, --wall-ms, --memory-mb, --output-kb,
// --processes), appended to table.
void add_limit_flags(std::vector<flags::Flag>* table, sandbox::Limits* limits);

// Serialises for output; invalid UTF-8 in program output is replaced, never an error.
std::string render(const nlohmann::json& json, int indent = -1);

// Creates the sandbox, printing start-up warnings once to stderr; nullptr after an error.
std::unique_ptr<sandbox::Sandbox> make_sandbox(const sandbox::Options& options);

}  // namespace codejudge::cli
