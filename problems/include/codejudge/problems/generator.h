// A synthetic curriculum: original function-mode Python problems from small templates (families:
// arithmetic, conditionals, strings, lists, loops, algorithms), each with tests computed here and
// a reference solution. It gives a small model something learnable; any problem set in our
// format can be used instead.
//
// Every problem has a key (its template, constants and phrasing) and an id derived from the key,
// so the same problem always has the same id. The held-out split is fixed by a hash of the key
// (about one key in five), independent of the seed: train and held-out never share a problem.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "codejudge/problems/problem.h"

namespace codejudge::problems {

enum class GeneratorSplit { kTrain, kHeldOut, kAll };

const char* generator_split_name(GeneratorSplit split);  // "train", "heldout", "all"
std::optional<GeneratorSplit> parse_generator_split(std::string_view name);

struct GeneratorOptions {
  size_t count = 100;
  uint64_t seed = 1;
  // The difficulty knob: templates are rated 1 (easy), 2 (medium) or 3 (hard); only those in
  // [min_difficulty, max_difficulty] are drawn.
  int min_difficulty = 1;
  int max_difficulty = 3;
  std::vector<std::string> families;  // empty: all of generator_families()
  GeneratorSplit split = GeneratorSplit::kTrain;
  size_t tests = 10;        // tests per problem (edge cases first after the public ones)
  size_t public_tests = 2;  // shown as examples in prompts
};

struct GeneratedProblems {
  std::vector<Problem> problems;  // distinct keys, in draw order
  // Why fewer than count came back (the filters leave too few distinct problems), or the first
  // invalid option; empty when count problems were made.
  std::string error;
};

// Deterministic for a given options value. Every problem passes validate_problem().
GeneratedProblems generate_problems(const GeneratorOptions& options);

// "arithmetic", "conditionals", "strings", "lists", "loops", "algorithms".
const std::vector<std::string>& generator_families();

// Number of templates per family and difficulty, for docs and tests.
size_t generator_template_count(const std::string& family, int difficulty);

// One JSON object per line (problems::to_json), ready for the loader.
std::string generated_problems_jsonl(const std::vector<Problem>& problems);

}  // namespace codejudge::problems
