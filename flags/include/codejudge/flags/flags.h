// Command-line flags as a table: each flag names its value, its help and a setter; one walker
// parses argv against the table and one function prints the table as help. `codejudge serve`
// (server/src/config.cpp), the other `codejudge` commands (cli/codejudge/) and `codejudge-train`
// (cli/train/) all parse this way. A leaf library: it links no project code, so every library
// and command may use it without an arrow running back up (docs/ARCHITECTURE.md).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace codejudge::flags {

// Value parsers shared by every table. False with *error ("expected ..., got 'x'") on a bad value.
bool parse_u64(const std::string& text, uint64_t min, uint64_t max, uint64_t* out,
               std::string* error);
bool parse_i64(const std::string& text, int64_t min, int64_t max, int64_t* out, std::string* error);
bool parse_double(const std::string& text, double* out, std::string* error);  // finite only
// "a,,b," -> {"a", "b"}.
std::vector<std::string> split_commas(const std::string& text);

using Setter = std::function<bool(const std::string& value, std::string* error)>;

struct Flag {
  std::string name;        // as typed, dashes included: "--seed", "-o"
  std::string value_name;  // "N", "PATH"; empty: a switch, which takes no value
  std::string help;        // one line (wrapped by help()); says the unit and the default
  Setter set;              // a switch's setter gets ""; false with *error on a bad value
  // Takes every following argument up to the next one that starts with "--" (--problems A B).
  bool several = false;
};

struct Error {
  enum class Kind { kUnknown, kNoValue, kBadValue, kPositional };
  Kind kind = Kind::kUnknown;
  std::string flag;   // as given (the positional argument itself for kPositional)
  std::string value;  // kBadValue: the value that was refused
  std::string why;    // the setter's or the handler's message; kNoValue: "needs a value"
  // "unknown flag --x", "--x needs a value", "--x: <why>", "<why>" (kPositional).
  std::string text() const;
};

// Receives an argument that is not a flag; false with *error when it is not wanted.
using Positional = std::function<bool(const std::string& arg, std::string* error)>;

// Walks args in order: "--flag value", "--flag=value" and switches through the table; other
// arguments go to positional (nullptr: each is an unknown flag). A command that takes "-- CMD"
// splits it off first. Stops at the first error, returning false with *error.
bool parse(const std::vector<std::string>& args, const std::vector<Flag>& table,
           const Positional& positional, Error* error);

// True when args hold --help or -h (before any "--").
bool wants_help(const std::vector<std::string>& args);

// The table as help text: "  --name VALUE" then the help, aligned at column `column` and wrapped
// at 100 characters.
std::string help(const std::vector<Flag>& table, size_t column = 28);

}  // namespace codejudge::flags
