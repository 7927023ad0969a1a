#include "codejudge/problems/json.h"

#include <cmath>
#include <initializer_list>
#include <set>
#include <utility>

namespace codejudge::problems {
namespace {

using nlohmann::json;

bool fail(std::string* error, std::string message) {
  if (error != nullptr) *error = std::move(message);
  return false;
}

std::string join_path(const std::string& path, std::string_view key) {
  if (path.empty()) return std::string(key);
  return path + "." + std::string(key);
}

// Rejects fields outside `allowed`: a misspelt optional field must not silently become a default.
bool check_fields(const json& object, std::initializer_list<std::string_view> allowed,
                  const std::string& path, std::string* error) {
  for (const auto& item : object.items()) {
    bool known = false;
    for (std::string_view name : allowed) known = known || item.key() == name;
    if (known) continue;
    std::string list;
    for (std::string_view name : allowed) {
      if (!list.empty()) list += ", ";
      list += name;
    }
    return fail(error,
                "unknown field '" + join_path(path, item.key()) + "' (allowed: " + list + ")");
  }
  return true;
}

std::string got(const json& value) {
  return std::string(", got ") + value.type_name();
}

// Absent keys leave *out unchanged.
bool read_string(const json& object, std::string_view key, const std::string& path,
                 std::string* out, std::string* error) {
  auto it = object.find(key);
  if (it == object.end()) return true;
  if (!it->is_string()) {
    return fail(error, join_path(path, key) + ": expected a string" + got(*it));
  }
  *out = it->get<std::string>();
  return true;
}

bool read_uint(const json& value, const std::string& path, uint64_t min, uint64_t max,
               uint64_t* out, std::string* error) {
  if (!value.is_number_integer()) {
    return fail(error, path + ": expected an integer" + got(value));
  }
  if (value.is_number_unsigned()) {
    *out = value.get<uint64_t>();
  } else {
    int64_t signed_value = value.get<int64_t>();
    if (signed_value < 0) return fail(error, path + ": must not be negative");
    *out = static_cast<uint64_t>(signed_value);
  }
  if (*out < min || *out > max) {
    return fail(error,
                path + ": must be between " + std::to_string(min) + " and " + std::to_string(max));
  }
  return true;
}

bool read_tolerance(const json& value, const std::string& path, double* out, std::string* error) {
  if (!value.is_number()) return fail(error, path + ": expected a number" + got(value));
  double number = value.get<double>();
  if (!std::isfinite(number) || number < 0) {
    return fail(error, path + ": must be a finite number >= 0");
  }
  *out = number;
  return true;
}

bool read_language_map(const json& object, std::string_view key, const std::string& path,
                       std::map<std::string, std::string>* out, std::string* error) {
  auto it = object.find(key);
  if (it == object.end()) return true;
  std::string field = join_path(path, key);
  if (!it->is_object()) {
    return fail(error, field + ": expected an object {language: code}" + got(*it));
  }
  out->clear();
  for (const auto& item : it->items()) {
    if (!valid_language(item.key())) {
      std::string known;
      for (const std::string& name : known_languages()) known += (known.empty() ? "" : ", ") + name;
      return fail(error, field + ": unknown language '" + item.key() + "' (known: " + known + ")");
    }
    if (!item.value().is_string()) {
      return fail(error, join_path(field, item.key()) + ": expected a string" + got(item.value()));
    }
    (*out)[item.key()] = item.value().get<std::string>();
  }
  return true;
}

bool read_limits(const json& value, ProblemLimits* limits, std::string* error) {
  if (!value.is_object()) return fail(error, "limits: expected an object" + got(value));
  if (!check_fields(value, {"time_ms", "memory_mb"}, "limits", error)) return false;
  if (auto it = value.find("time_ms"); it != value.end()) {
    if (!read_uint(*it, "limits.time_ms", 1, kMaxTimeMs, &limits->time_ms, error)) return false;
  }
  if (auto it = value.find("memory_mb"); it != value.end()) {
    if (!read_uint(*it, "limits.memory_mb", kMinMemoryMb, kMaxMemoryMb, &limits->memory_mb,
                   error)) {
      return false;
    }
  }
  return true;
}

bool valid_identifier(std::string_view text) {
  if (text.empty() || text.size() > 100) return false;
  auto head = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; };
  if (!head(text[0])) return false;
  for (char c : text) {
    if (!head(c) && !(c >= '0' && c <= '9')) return false;
  }
  return true;
}

// Parses "list[list[int]]" from `pos`; advances pos past the type.
bool parse_value_type(std::string_view text, size_t* pos, int depth) {
  if (depth > 16) return false;
  static constexpr std::string_view kScalars[] = {"int", "long",     "float",   "bool",
                                                  "str", "ListNode", "TreeNode"};
  std::string_view rest = text.substr(*pos);
  if (rest.starts_with("list[")) {
    *pos += 5;
    if (!parse_value_type(text, pos, depth + 1)) return false;
    if (*pos >= text.size() || text[*pos] != ']') return false;
    ++*pos;
    return true;
  }
  for (std::string_view scalar : kScalars) {
    if (rest.starts_with(scalar)) {
      size_t after = *pos + scalar.size();
      // "integer" must not match "int".
      if (after < text.size() && text[after] != ']') continue;
      *pos = after;
      return true;
    }
  }
  return false;
}

// Does a function-mode argument fit its declared type as every harness reads it (the valid()
// of judges/src/harness_*.cpp)? One that does not stops the harness: an IE for any submission.
bool value_fits_type(const json& value, std::string_view type) {
  auto integral = [](const json& v) {
    if (v.is_number_integer()) return true;
    if (!v.is_number_float()) return false;
    const double d = v.get<double>();
    return std::isfinite(d) && std::floor(d) == d;
  };
  auto all_of = [&](auto fits) {
    if (!value.is_array()) return false;
    for (const json& element : value) {
      if (!fits(element)) return false;
    }
    return true;
  };
  if (type.starts_with("list[")) {
    const std::string_view inner = type.substr(5, type.size() - 6);
    return all_of([&](const json& element) { return value_fits_type(element, inner); });
  }
  if (type == "int" || type == "long") return integral(value);
  if (type == "float") return value.is_number();
  if (type == "bool") return value.is_boolean();
  if (type == "str") return value.is_string();
  if (type == "ListNode") return all_of(integral);
  if (type == "TreeNode") {
    return all_of([&](const json& element) { return element.is_null() || integral(element); });
  }
  return false;
}

// Invalid UTF-8 (possible in values built in code) is replaced rather than thrown.
std::string dump_compact(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

json parse_stored(const std::string& text) {
  json value = json::parse(text, nullptr, false);
  if (value.is_discarded()) return nullptr;
  return value;
}

}  // namespace

const std::vector<std::string>& known_languages() {
  // The judges' language table has one entry per name, in this order (docs/ARCHITECTURE.md,
  // "Adding a language"; tests/judges/language_test.cpp checks that the two agree).
  static const std::vector<std::string> kLanguages = {"python",     "cpp",  "c", "java",
                                                      "javascript", "rust", "go"};
  return kLanguages;
}

bool valid_language(std::string_view language) {
  for (const std::string& known : known_languages()) {
    if (known == language) return true;
  }
  return false;
}

bool valid_problem_id(std::string_view id) {
  if (id.empty() || id.size() > 200) return false;
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '/' || c == '-';
    if (!ok) return false;
  }
  return true;
}

bool valid_return_type(std::string_view type) {
  return type == "void" || valid_value_type(type);
}

bool valid_value_type(std::string_view type) {
  size_t pos = 0;
  return parse_value_type(type, &pos, 0) && pos == type.size();
}

bool valid_entry_point(std::string_view entry_point) {
  if (entry_point.empty() || entry_point.size() > 200) return false;
  // IDENT ["()"] ("." IDENT ["()"])*: enough for "f" and "Solution().f", nothing callable else.
  size_t pos = 0;
  while (true) {
    size_t start = pos;
    while (pos < entry_point.size() && entry_point[pos] != '.' && entry_point[pos] != '(') ++pos;
    if (!valid_identifier(entry_point.substr(start, pos - start))) return false;
    if (entry_point.substr(pos).starts_with("()")) pos += 2;
    if (pos == entry_point.size()) return true;
    if (entry_point[pos] != '.') return false;
    ++pos;
  }
}

std::optional<CheckerSpec> checker_from_json(const json& value, std::string* error) {
  if (!value.is_object()) {
    fail(error, "checker: expected an object" + got(value));
    return std::nullopt;
  }
  if (!check_fields(value, {"type", "abs_tol", "rel_tol", "language", "code"}, "checker", error)) {
    return std::nullopt;
  }
  CheckerSpec checker;
  auto type_it = value.find("type");
  if (type_it == value.end() || !type_it->is_string()) {
    fail(error, "checker.type: required string (exact, lines, tokens, float, unordered, custom)");
    return std::nullopt;
  }
  auto type = parse_checker_type(type_it->get<std::string>());
  if (!type) {
    fail(error, "checker.type: unknown checker '" + type_it->get<std::string>() +
                    "' (exact, lines, tokens, float, unordered, custom)");
    return std::nullopt;
  }
  checker.type = *type;
  if (auto it = value.find("abs_tol"); it != value.end()) {
    if (!read_tolerance(*it, "checker.abs_tol", &checker.abs_tol, error)) return std::nullopt;
  }
  if (auto it = value.find("rel_tol"); it != value.end()) {
    if (!read_tolerance(*it, "checker.rel_tol", &checker.rel_tol, error)) return std::nullopt;
  }
  if (!read_string(value, "language", "checker", &checker.language, error) ||
      !read_string(value, "code", "checker", &checker.code, error)) {
    return std::nullopt;
  }
  if (checker.type == CheckerSpec::Type::kCustom) {
    if (!valid_language(checker.language)) {
      fail(error, "checker.language: a custom checker needs a known language, got '" +
                      checker.language + "'");
      return std::nullopt;
    }
    if (checker.code.empty()) {
      fail(error, "checker.code: a custom checker needs its source code");
      return std::nullopt;
    }
  } else if (!checker.language.empty() || !checker.code.empty()) {
    fail(error, "checker: language and code are only for type custom");
    return std::nullopt;
  }
  return checker;
}

std::optional<Signature> signature_from_json(const json& value, std::string* error) {
  if (!value.is_object()) {
    fail(error, "signature: expected an object" + got(value));
    return std::nullopt;
  }
  if (!check_fields(value, {"params", "returns"}, "signature", error)) return std::nullopt;
  Signature signature;
  auto params = value.find("params");
  if (params == value.end() || !params->is_array()) {
    fail(error, "signature.params: required array of {name, type}");
    return std::nullopt;
  }
  std::set<std::string> names;
  for (size_t i = 0; i < params->size(); ++i) {
    const json& param = (*params)[i];
    std::string path = "signature.params[" + std::to_string(i) + "]";
    if (!param.is_object()) {
      fail(error, path + ": expected an object {name, type}" + got(param));
      return std::nullopt;
    }
    if (!check_fields(param, {"name", "type"}, path, error)) return std::nullopt;
    Param parsed;
    if (!read_string(param, "name", path, &parsed.name, error) ||
        !read_string(param, "type", path, &parsed.type, error)) {
      return std::nullopt;
    }
    if (!valid_identifier(parsed.name)) {
      fail(error, path + ".name: expected an identifier, got '" + parsed.name + "'");
      return std::nullopt;
    }
    if (!names.insert(parsed.name).second) {
      fail(error, path + ".name: duplicate parameter '" + parsed.name + "'");
      return std::nullopt;
    }
    if (!valid_value_type(parsed.type)) {
      fail(error, path + ".type: unknown type '" + parsed.type +
                      "' (int, long, float, bool, str, list[T], ListNode, TreeNode)");
      return std::nullopt;
    }
    signature.params.push_back(std::move(parsed));
  }
  auto returns = value.find("returns");
  if (returns == value.end() || !returns->is_string() ||
      !valid_return_type(returns->get<std::string>())) {
    fail(error,
         "signature.returns: required type (int, long, float, bool, str, list[T], ListNode, "
         "TreeNode, or void for a first argument modified in place)");
    return std::nullopt;
  }
  signature.returns = returns->get<std::string>();
  return signature;
}

bool tests_from_json(Mode mode, const json& value, std::vector<Test>* tests, std::string* error) {
  if (!value.is_array()) return fail(error, "tests: expected an array" + got(value));
  if (value.empty()) return fail(error, "tests: at least one test is required");
  std::vector<Test> parsed;
  parsed.reserve(value.size());
  for (size_t i = 0; i < value.size(); ++i) {
    const json& item = value[i];
    std::string path = "tests[" + std::to_string(i) + "]";
    if (!item.is_object()) return fail(error, path + ": expected an object" + got(item));
    Test test;
    switch (mode) {
      case Mode::kStdio: {
        if (!check_fields(item, {"input", "output"}, path, error)) return false;
        auto input = item.find("input");
        auto output = item.find("output");
        if (input == item.end() || !input->is_string()) {
          return fail(error, path + ".input: required string (the program's stdin)");
        }
        if (output == item.end() || !output->is_string()) {
          return fail(error, path + ".output: required string (the expected stdout)");
        }
        test.input = input->get<std::string>();
        test.expected = output->get<std::string>();
        break;
      }
      case Mode::kFunction: {
        if (!check_fields(item, {"input", "output"}, path, error)) return false;
        auto input = item.find("input");
        auto output = item.find("output");
        if (input == item.end() || !input->is_array()) {
          return fail(error, path + ".input: required array of arguments");
        }
        if (output == item.end()) {
          return fail(error, path + ".output: required (the expected return value)");
        }
        test.input = dump_compact(*input);
        test.expected = dump_compact(*output);
        break;
      }
      case Mode::kAssert: {
        if (!check_fields(item, {"code"}, path, error)) return false;
        auto code = item.find("code");
        if (code == item.end() || !code->is_string() || code->get<std::string>().empty()) {
          return fail(error, path + ".code: required non-empty string (Python asserts)");
        }
        test.code = code->get<std::string>();
        break;
      }
    }
    parsed.push_back(std::move(test));
  }
  *tests = std::move(parsed);
  return true;
}

std::string validate_problem(const Problem& problem) {
  if (!valid_problem_id(problem.id)) {
    return "id: expected 1-200 characters from [A-Za-z0-9._/-], got '" + problem.id + "'";
  }
  const std::string& d = problem.difficulty;
  if (!d.empty() && d != "easy" && d != "medium" && d != "hard") {
    return "difficulty: expected easy, medium, hard or empty, got '" + d + "'";
  }
  if (problem.mode != Mode::kStdio) {
    if (problem.entry_point.empty()) {
      return std::string("entry_point: required for mode ") + mode_name(problem.mode);
    }
    if (!valid_entry_point(problem.entry_point)) {
      return "entry_point: expected a name like 'add' or 'Solution().twoSum', got '" +
             problem.entry_point + "'";
    }
  }
  if (problem.mode == Mode::kFunction) {
    if (!valid_return_type(problem.signature.returns)) {
      return "signature: required for mode function, with a valid returns type";
    }
    // The harnesses call a function or a method of a fresh instance, nothing longer.
    const size_t method = problem.entry_point.find("().");
    if (problem.entry_point.find('.', method == std::string::npos ? 0 : method + 3) !=
            std::string::npos ||
        (method == std::string::npos && problem.entry_point.find('(') != std::string::npos)) {
      return "entry_point: function mode calls 'name' or 'Class().name', got '" +
             problem.entry_point + "'";
    }
    if (problem.signature.returns == "void" && problem.signature.params.empty()) {
      return "signature.returns: void means the function modifies its first argument, but it "
             "has none";
    }
  }
  std::set<std::string> names;
  for (size_t i = 0; i < problem.signature.params.size(); ++i) {
    const Param& param = problem.signature.params[i];
    std::string path = "signature.params[" + std::to_string(i) + "]";
    if (!valid_identifier(param.name)) return path + ".name: expected an identifier";
    if (!names.insert(param.name).second) return path + ".name: duplicate parameter";
    if (!valid_value_type(param.type)) return path + ".type: unknown type '" + param.type + "'";
  }
  for (const auto* map : {&problem.starter_code, &problem.reference, &problem.preamble}) {
    for (const auto& [language, code] : *map) {
      if (!valid_language(language)) return "unknown language '" + language + "'";
    }
  }
  if (problem.tests.empty()) return "tests: at least one test is required";
  for (size_t i = 0; i < problem.tests.size(); ++i) {
    const Test& test = problem.tests[i];
    std::string path = "tests[" + std::to_string(i) + "]";
    switch (problem.mode) {
      case Mode::kStdio:
        if (!test.code.empty()) return path + ": stdio tests have input and output, not code";
        break;
      case Mode::kFunction: {
        json input = parse_stored(test.input);
        if (!input.is_array()) return path + ".input: expected a JSON array of arguments";
        if (input.size() != problem.signature.params.size()) {
          return path + ".input: " + std::to_string(input.size()) + " arguments for " +
                 std::to_string(problem.signature.params.size()) + " parameters";
        }
        for (size_t k = 0; k < input.size(); ++k) {
          const Param& param = problem.signature.params[k];
          if (!value_fits_type(input[k], param.type)) {
            return path + ".input[" + std::to_string(k) + "]: not a value of parameter '" +
                   param.name + "' (" + param.type + ")";
          }
        }
        if (json::parse(test.expected, nullptr, false).is_discarded()) {
          return path + ".output: not valid JSON";
        }
        if (!test.code.empty()) return path + ": function tests have input and output, not code";
        break;
      }
      case Mode::kAssert:
        if (test.code.empty()) return path + ".code: required non-empty string";
        if (!test.input.empty() || !test.expected.empty()) {
          return path + ": assert tests have code only";
        }
        break;
    }
  }
  if (problem.public_tests > problem.tests.size()) {
    return "public_tests: " + std::to_string(problem.public_tests) + " exceeds the " +
           std::to_string(problem.tests.size()) + " tests";
  }
  const CheckerSpec& checker = problem.checker;
  if (!std::isfinite(checker.abs_tol) || checker.abs_tol < 0 || !std::isfinite(checker.rel_tol) ||
      checker.rel_tol < 0) {
    return "checker: tolerances must be finite numbers >= 0";
  }
  if (checker.type == CheckerSpec::Type::kCustom) {
    if (!valid_language(checker.language)) return "checker.language: unknown language";
    if (checker.code.empty()) return "checker.code: a custom checker needs its source code";
  } else if (!checker.language.empty() || !checker.code.empty()) {
    return "checker: language and code are only for type custom";
  }
  if (problem.limits.time_ms < 1 || problem.limits.time_ms > kMaxTimeMs) {
    return "limits.time_ms: must be between 1 and " + std::to_string(kMaxTimeMs);
  }
  if (problem.limits.memory_mb < kMinMemoryMb || problem.limits.memory_mb > kMaxMemoryMb) {
    return "limits.memory_mb: must be between " + std::to_string(kMinMemoryMb) + " and " +
           std::to_string(kMaxMemoryMb) + " (the sandbox needs 4 MiB)";
  }
  return "";
}

std::optional<Problem> problem_from_json(const json& value, std::string* error) {
  if (!value.is_object()) {
    fail(error, "expected a JSON object" + got(value));
    return std::nullopt;
  }
  if (!check_fields(value,
                    {"id", "title", "statement", "difficulty", "tags", "mode", "entry_point",
                     "signature", "starter_code", "tests", "public_tests", "checker", "limits",
                     "reference", "preamble", "source", "license"},
                    "", error)) {
    return std::nullopt;
  }
  Problem problem;
  auto id = value.find("id");
  if (id == value.end() || !id->is_string()) {
    fail(error, "id: required string");
    return std::nullopt;
  }
  problem.id = id->get<std::string>();
  if (!valid_problem_id(problem.id)) {
    fail(error, "id: expected 1-200 characters from [A-Za-z0-9._/-], got '" + problem.id + "'");
    return std::nullopt;
  }
  auto mode = value.find("mode");
  if (mode == value.end() || !mode->is_string()) {
    fail(error, "mode: required string (stdio, function, assert)");
    return std::nullopt;
  }
  auto parsed_mode = parse_mode(mode->get<std::string>());
  if (!parsed_mode) {
    fail(error, "mode: unknown mode '" + mode->get<std::string>() + "' (stdio, function, assert)");
    return std::nullopt;
  }
  problem.mode = *parsed_mode;
  if (!read_string(value, "title", "", &problem.title, error) ||
      !read_string(value, "statement", "", &problem.statement, error) ||
      !read_string(value, "difficulty", "", &problem.difficulty, error) ||
      !read_string(value, "entry_point", "", &problem.entry_point, error) ||
      !read_string(value, "source", "", &problem.source, error) ||
      !read_string(value, "license", "", &problem.license, error)) {
    return std::nullopt;
  }
  if (auto it = value.find("tags"); it != value.end()) {
    if (!it->is_array()) {
      fail(error, "tags: expected an array of strings" + got(*it));
      return std::nullopt;
    }
    for (size_t i = 0; i < it->size(); ++i) {
      if (!(*it)[i].is_string()) {
        fail(error, "tags[" + std::to_string(i) + "]: expected a string" + got((*it)[i]));
        return std::nullopt;
      }
      problem.tags.push_back((*it)[i].get<std::string>());
    }
  }
  if (auto it = value.find("signature"); it != value.end()) {
    auto signature = signature_from_json(*it, error);
    if (!signature) return std::nullopt;
    problem.signature = std::move(*signature);
  } else if (problem.mode == Mode::kFunction) {
    fail(error, "signature: required for mode function");
    return std::nullopt;
  }
  if (!read_language_map(value, "starter_code", "", &problem.starter_code, error) ||
      !read_language_map(value, "reference", "", &problem.reference, error) ||
      !read_language_map(value, "preamble", "", &problem.preamble, error)) {
    return std::nullopt;
  }
  auto tests = value.find("tests");
  if (tests == value.end()) {
    fail(error, "tests: required non-empty array");
    return std::nullopt;
  }
  if (!tests_from_json(problem.mode, *tests, &problem.tests, error)) return std::nullopt;
  if (auto it = value.find("public_tests"); it != value.end()) {
    uint64_t count = 0;
    if (!read_uint(*it, "public_tests", 0, problem.tests.size(), &count, error)) {
      return std::nullopt;
    }
    problem.public_tests = static_cast<size_t>(count);
  }
  if (auto it = value.find("checker"); it != value.end()) {
    auto checker = checker_from_json(*it, error);
    if (!checker) return std::nullopt;
    problem.checker = std::move(*checker);
  }
  if (auto it = value.find("limits"); it != value.end()) {
    if (!read_limits(*it, &problem.limits, error)) return std::nullopt;
  }
  std::string problem_error = validate_problem(problem);
  if (!problem_error.empty()) {
    fail(error, std::move(problem_error));
    return std::nullopt;
  }
  return problem;
}

std::optional<Problem> problem_from_json_text(std::string_view text, std::string* error) {
  json value = json::parse(text, nullptr, false);
  if (value.is_discarded()) {
    // Parse again with exceptions on, inside, for the parser's message (it has the byte offset).
    try {
      json ignored = json::parse(text);
    } catch (const json::exception& e) {
      fail(error, std::string("invalid JSON: ") + e.what());
      return std::nullopt;
    }
    fail(error, "invalid JSON");
    return std::nullopt;
  }
  return problem_from_json(value, error);
}

json to_json(const CheckerSpec& checker) {
  json out = {{"type", checker_type_name(checker.type)},
              {"abs_tol", checker.abs_tol},
              {"rel_tol", checker.rel_tol}};
  if (checker.type == CheckerSpec::Type::kCustom) {
    out["language"] = checker.language;
    out["code"] = checker.code;
  }
  return out;
}

json to_json(const Signature& signature) {
  json params = json::array();
  for (const Param& param : signature.params) {
    params.push_back({{"name", param.name}, {"type", param.type}});
  }
  return {{"params", std::move(params)}, {"returns", signature.returns}};
}

json to_json(Mode mode, const Test& test) {
  switch (mode) {
    case Mode::kStdio:
      return {{"input", test.input}, {"output", test.expected}};
    case Mode::kFunction:
      return {{"input", parse_stored(test.input)}, {"output", parse_stored(test.expected)}};
    case Mode::kAssert:
      return {{"code", test.code}};
  }
  return json::object();
}

json to_json(const Problem& problem) {
  json out = json::object();
  out["id"] = problem.id;
  if (!problem.title.empty()) out["title"] = problem.title;
  if (!problem.statement.empty()) out["statement"] = problem.statement;
  if (!problem.difficulty.empty()) out["difficulty"] = problem.difficulty;
  if (!problem.tags.empty()) out["tags"] = problem.tags;
  out["mode"] = mode_name(problem.mode);
  if (!problem.entry_point.empty()) out["entry_point"] = problem.entry_point;
  if (problem.mode == Mode::kFunction || !problem.signature.params.empty() ||
      !problem.signature.returns.empty()) {
    out["signature"] = to_json(problem.signature);
  }
  if (!problem.starter_code.empty()) out["starter_code"] = problem.starter_code;
  json tests = json::array();
  for (const Test& test : problem.tests) tests.push_back(to_json(problem.mode, test));
  out["tests"] = std::move(tests);
  out["public_tests"] = problem.public_tests;
  out["checker"] = to_json(problem.checker);
  out["limits"] = {{"time_ms", problem.limits.time_ms}, {"memory_mb", problem.limits.memory_mb}};
  if (!problem.reference.empty()) out["reference"] = problem.reference;
  if (!problem.preamble.empty()) out["preamble"] = problem.preamble;
  if (!problem.source.empty()) out["source"] = problem.source;
  if (!problem.license.empty()) out["license"] = problem.license;
  return out;
}

json public_view(const Problem& problem) {
  json out = to_json(problem);
  out.erase("reference");
  json tests = json::array();
  for (size_t i = 0; i < problem.public_tests && i < problem.tests.size(); ++i) {
    tests.push_back(to_json(problem.mode, problem.tests[i]));
  }
  out["tests"] = std::move(tests);
  out["test_count"] = problem.tests.size();
  // A custom checker's source can give the answer away; solvers only need to know it exists.
  out["checker"].erase("code");
  return out;
}

}  // namespace codejudge::problems
