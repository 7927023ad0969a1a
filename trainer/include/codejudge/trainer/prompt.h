// Problems as prompts, and reference solutions as SFT targets in the expected completion shape:
// "<think>...</think>" then one ```python block.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "codejudge/problems/problem.h"

namespace codejudge::trainer {

struct PromptOptions {
  size_t max_examples = 2;  // of the problem's public tests
};

// The statement, the Python signature (function mode) and up to max_examples public tests
// written as calls and results, e.g.
//   Return x plus 7.
//   def add_7(x: int) -> int
//   >>> add_7(3)
//   10
std::string format_prompt(const problems::Problem& problem, const PromptOptions& options);

// "<think>\n{title}\n</think>\n```python\n{reference}```"; empty when the problem has no python
// reference.
std::string format_target(const problems::Problem& problem);

// BOS then the prompt's tokens.
std::vector<int64_t> prompt_tokens(const problems::Problem& problem, const PromptOptions& options);

// The target's tokens followed by EOS; empty when there is no target.
std::vector<int64_t> target_tokens(const problems::Problem& problem);

// A JSON value as a Python literal: true -> True, null -> None, strings double-quoted.
std::string python_literal(const nlohmann::json& value);

}  // namespace codejudge::trainer
