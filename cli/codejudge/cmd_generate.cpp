// `codejudge problems generate`: the synthetic curriculum (codejudge/problems/generator.h) as a
// JSONL problem file, written beside the target and renamed so a failure leaves no partial file.
#include <algorithm>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "codejudge/problems/generator.h"
#include "codejudge/problems/importers.h"
#include "commands.h"

namespace codejudge::cli {
namespace {

constexpr const char* kGenerateUsage =
    "usage: codejudge problems generate --count N -o OUT.jsonl [--seed S]\n"
    "           [--split train|heldout|all] [--min-difficulty D] [--max-difficulty D]\n"
    "           [--families F,F,...] [--tests N] [--public-tests N]\n"
    "  writes N synthetic function-mode python problems, one JSON object a line (-o - for\n"
    "  stdout); the same options and seed always give the same file\n"
    "  --seed S            default 1\n"
    "  --split             train (default), heldout or all; train and heldout never share a\n"
    "                      problem, whatever the seed\n"
    "  --min/max-difficulty  1 (easy) to 3 (hard); default 1 and 3\n"
    "  --families          a comma-separated subset of arithmetic, conditionals, strings,\n"
    "                      lists, loops, algorithms (default all)\n"
    "  --tests N           tests per problem, 1 to 1000 (default 10)\n"
    "  --public-tests N    of those, shown as examples, at most --tests (default 2)\n"
    "  fewer distinct problems than N match the filters: those are written, with a warning\n";

constexpr uint64_t kMaxTests = 1000;

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

// Splits "a,b,c" and checks each name against the generator's families.
bool parse_families(const std::string& text, std::vector<std::string>* out, std::string* error) {
  const std::vector<std::string>& known = problems::generator_families();
  size_t start = 0;
  while (true) {
    size_t comma = text.find(',', start);
    std::string name = text.substr(start, comma == std::string::npos ? comma : comma - start);
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      *error = (name.empty() ? std::string("--families has an empty name")
                             : "unknown family '" + name + "'") +
               " (valid: " + join(known) + ")";
      return false;
    }
    out->push_back(name);
    if (comma == std::string::npos) return true;
    start = comma + 1;
  }
}

}  // namespace

int cmd_generate(const Args& args) {
  problems::GeneratorOptions options;
  std::string output, error;
  bool have_count = false;
  uint64_t min_difficulty = 1, max_difficulty = 3;
  uint64_t count = 0, seed = options.seed, tests = options.tests,
           public_tests = options.public_tests;
  // A number flag whose value must lie in a range, with the message it has always had.
  auto number = [](const std::string& flag, uint64_t* out, auto in_range,
                   const std::string& message) {
    return [flag, out, in_range, message](const std::string& text, std::string* why) {
      if (!uint_setter(flag, out)(text, why)) return false;
      if (in_range(*out)) return true;
      *why = message + text;
      return false;
    };
  };
  auto any = [](uint64_t) { return true; };
  auto difficulty = [](uint64_t d) { return d >= 1 && d <= 3; };
  const std::vector<flags::Flag> table = {
      {"--count", "N", "",
       [&](const std::string& text, std::string* why) {
         if (!uint_setter("--count", &count)(text, why)) return false;
         if (count == 0) *why = "--count must be at least 1";
         have_count = count > 0;
         return have_count;
       }},
      {"--seed", "S", "", uint_setter("--seed", &seed)},
      {"-o", "FILE", "",
       [&output](const std::string& text, std::string* why) {
         if (text.empty()) *why = "-o needs a file name";
         output = text;
         return !text.empty();
       }},
      {"--split", "SPLIT", "",
       [&options](const std::string& text, std::string* why) {
         std::optional<problems::GeneratorSplit> split = problems::parse_generator_split(text);
         if (!split) *why = "unknown split '" + text + "' (valid: train, heldout, all)";
         if (split) options.split = *split;
         return split.has_value();
       }},
      {"--min-difficulty", "D", "",
       number("--min-difficulty", &min_difficulty, difficulty,
              "--min-difficulty must be 1, 2 or 3, got ")},
      {"--max-difficulty", "D", "",
       number("--max-difficulty", &max_difficulty, difficulty,
              "--max-difficulty must be 1, 2 or 3, got ")},
      {"--families", "F,F,...", "",
       [&options](const std::string& text, std::string* why) {
         options.families.clear();
         return parse_families(text, &options.families, why);
       }},
      {"--tests", "N", "",
       number(
           "--tests", &tests, [](uint64_t n) { return n >= 1 && n <= kMaxTests; },
           "--tests must be 1 to " + std::to_string(kMaxTests) + ", got ")},
      {"--public-tests", "N", "", number("--public-tests", &public_tests, any, "")},
  };
  if (int code = parse_flags(args, table, nullptr, kGenerateUsage); code >= 0) return code;
  options.count = count;
  options.seed = seed;
  options.tests = tests;
  options.public_tests = public_tests;
  if (!have_count || output.empty()) {
    return usage_error("problems generate needs --count N and -o FILE", kGenerateUsage);
  }
  if (min_difficulty > max_difficulty) {
    return usage_error("--min-difficulty " + std::to_string(min_difficulty) +
                           " is above --max-difficulty " + std::to_string(max_difficulty),
                       kGenerateUsage);
  }
  if (options.public_tests > options.tests) {
    return usage_error("--public-tests " + std::to_string(options.public_tests) +
                           " is more than --tests " + std::to_string(options.tests),
                       kGenerateUsage);
  }
  options.min_difficulty = static_cast<int>(min_difficulty);
  options.max_difficulty = static_cast<int>(max_difficulty);

  problems::GeneratedProblems made = problems::generate_problems(options);
  if (made.problems.empty()) {
    std::cerr << "codejudge: no problems generated: "
              << (made.error.empty() ? "nothing matches the options" : made.error) << "\n";
    return 2;
  }
  if (made.problems.size() < options.count) {
    std::cerr << "codejudge: warning: generated " << made.problems.size() << " of " << options.count
              << ": " << made.error << "\n";
  }
  if (output == "-") {
    std::cout << problems::generated_problems_jsonl(made.problems) << std::flush;
    if (!std::cout) {
      std::cerr << "codejudge: cannot write to standard output\n";
      return 2;
    }
  } else if (!problems::write_jsonl(made.problems, output, &error)) {
    std::cerr << "codejudge: " << error << "\n";
    return 2;
  }
  std::cerr << "codejudge: generated " << made.problems.size() << " problems (split "
            << problems::generator_split_name(options.split) << ", seed " << options.seed
            << ") into " << (output == "-" ? "standard output" : output) << "\n";
  return 0;
}

}  // namespace codejudge::cli
