#include "codejudge/problems/problem.h"

namespace codejudge::problems {

const char* mode_name(Mode mode) {
  switch (mode) {
    case Mode::kStdio:
      return "stdio";
    case Mode::kFunction:
      return "function";
    case Mode::kAssert:
      return "assert";
  }
  return "stdio";
}

std::optional<Mode> parse_mode(const std::string& name) {
  if (name == "stdio") return Mode::kStdio;
  if (name == "function") return Mode::kFunction;
  if (name == "assert") return Mode::kAssert;
  return std::nullopt;
}

const char* checker_type_name(CheckerSpec::Type type) {
  using Type = CheckerSpec::Type;
  switch (type) {
    case Type::kExact:
      return "exact";
    case Type::kLines:
      return "lines";
    case Type::kTokens:
      return "tokens";
    case Type::kFloat:
      return "float";
    case Type::kUnordered:
      return "unordered";
    case Type::kCustom:
      return "custom";
  }
  return "tokens";
}

std::optional<CheckerSpec::Type> parse_checker_type(const std::string& name) {
  using Type = CheckerSpec::Type;
  if (name == "exact") return Type::kExact;
  if (name == "lines") return Type::kLines;
  if (name == "tokens") return Type::kTokens;
  if (name == "float") return Type::kFloat;
  if (name == "unordered") return Type::kUnordered;
  if (name == "custom") return Type::kCustom;
  return std::nullopt;
}

}  // namespace codejudge::problems
