#include "codejudge/trainer/prompt.h"

#include <algorithm>

#include "codejudge/trainer/tokenizer.h"

namespace codejudge::trainer {

std::string python_literal(const nlohmann::json& value) {
  using nlohmann::json;
  switch (value.type()) {
    case json::value_t::null:
      return "None";
    case json::value_t::boolean:
      return value.get<bool>() ? "True" : "False";
    case json::value_t::array: {
      std::string out = "[";
      for (size_t i = 0; i < value.size(); ++i) out += (i ? ", " : "") + python_literal(value[i]);
      return out + "]";
    }
    case json::value_t::object: {
      std::string out = "{";
      size_t i = 0;
      for (const auto& [key, item] : value.items()) {
        out += (i++ ? ", " : "") + json(key).dump() + ": " + python_literal(item);
      }
      return out + "}";
    }
    default:
      // Numbers and strings: JSON's spelling is valid Python (ASCII escapes included).
      return value.dump(-1, ' ', true, json::error_handler_t::replace);
  }
}

namespace {

std::string signature_line(const problems::Problem& problem) {
  std::string name = problem.entry_point;
  size_t dot = name.rfind('.');
  if (dot != std::string::npos) name = name.substr(dot + 1);
  std::string out = "def " + name + "(";
  const auto& params = problem.signature.params;
  for (size_t i = 0; i < params.size(); ++i) {
    out += (i ? ", " : "") + params[i].name + ": " + params[i].type;
  }
  return out + ") -> " + problem.signature.returns + "\n";
}

}  // namespace

std::string format_prompt(const problems::Problem& problem, const PromptOptions& options) {
  std::string out = problem.statement;
  if (!out.empty() && out.back() != '\n') out += '\n';
  size_t examples = std::min({options.max_examples, problem.public_tests, problem.tests.size()});
  switch (problem.mode) {
    case problems::Mode::kFunction:
      out += signature_line(problem);
      for (size_t i = 0; i < examples; ++i) {
        const problems::Test& test = problem.tests[i];
        nlohmann::json args = nlohmann::json::parse(test.input, nullptr, false);
        nlohmann::json expected = nlohmann::json::parse(test.expected, nullptr, false);
        if (!args.is_array() || expected.is_discarded()) continue;
        std::string call = problem.entry_point + "(";
        for (size_t j = 0; j < args.size(); ++j) call += (j ? ", " : "") + python_literal(args[j]);
        out += ">>> " + call + ")\n" + python_literal(expected) + "\n";
      }
      break;
    case problems::Mode::kStdio:
      out += "Read standard input, write standard output.\n";
      for (size_t i = 0; i < examples; ++i) {
        out += "Input:\n" + problem.tests[i].input + "Output:\n" + problem.tests[i].expected;
        if (!out.empty() && out.back() != '\n') out += '\n';
      }
      break;
    case problems::Mode::kAssert:
      if (!problem.entry_point.empty()) out += "Define " + problem.entry_point + ".\n";
      break;
  }
  return out;
}

std::string format_target(const problems::Problem& problem) {
  auto it = problem.reference.find("python");
  if (it == problem.reference.end() || it->second.empty()) return "";
  std::string code = it->second;
  if (code.back() != '\n') code += '\n';
  return "<think>\n" + problem.title + "\n</think>\n```python\n" + code + "```";
}

std::vector<int64_t> prompt_tokens(const problems::Problem& problem, const PromptOptions& options) {
  std::vector<int64_t> out = {Tokenizer::kBos};
  std::vector<int64_t> text = Tokenizer::encode(format_prompt(problem, options));
  out.insert(out.end(), text.begin(), text.end());
  return out;
}

std::vector<int64_t> target_tokens(const problems::Problem& problem) {
  std::string target = format_target(problem);
  if (target.empty()) return {};
  std::vector<int64_t> out = Tokenizer::encode(target);
  out.push_back(Tokenizer::kEos);
  return out;
}

}  // namespace codejudge::trainer
