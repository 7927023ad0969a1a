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
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& flag = args[i];
    if (flag == "--help" || flag == "-h") {
      std::cout << kGenerateUsage;
      return 0;
    }
    static const char* const kValued[] = {"--count",    "--seed",           "-o",
                                          "--split",    "--min-difficulty", "--max-difficulty",
                                          "--families", "--tests",          "--public-tests"};
    if (std::find(std::begin(kValued), std::end(kValued), flag) == std::end(kValued)) {
      return usage_error("unexpected argument: " + flag, kGenerateUsage);
    }
    if (i + 1 >= args.size()) return usage_error(flag + " needs a value", kGenerateUsage);
    const std::string& value = args[++i];
    uint64_t number = 0;
    if (flag == "-o") {
      if (value.empty()) return usage_error("-o needs a file name", kGenerateUsage);
      output = value;
    } else if (flag == "--split") {
      std::optional<problems::GeneratorSplit> split = problems::parse_generator_split(value);
      if (!split) {
        return usage_error("unknown split '" + value + "' (valid: train, heldout, all)",
                           kGenerateUsage);
      }
      options.split = *split;
    } else if (flag == "--families") {
      options.families.clear();
      if (!parse_families(value, &options.families, &error)) {
        return usage_error(error, kGenerateUsage);
      }
    } else if (!parse_uint(flag, value, &number, &error)) {
      return usage_error(error, kGenerateUsage);
    } else if (flag == "--count") {
      if (number == 0) return usage_error("--count must be at least 1", kGenerateUsage);
      options.count = number;
      have_count = true;
    } else if (flag == "--seed") {
      options.seed = number;
    } else if (flag == "--min-difficulty" || flag == "--max-difficulty") {
      if (number < 1 || number > 3) {
        return usage_error(flag + " must be 1, 2 or 3, got " + value, kGenerateUsage);
      }
      (flag == "--min-difficulty" ? min_difficulty : max_difficulty) = number;
    } else if (flag == "--tests") {
      if (number < 1 || number > kMaxTests) {
        return usage_error("--tests must be 1 to " + std::to_string(kMaxTests) + ", got " + value,
                           kGenerateUsage);
      }
      options.tests = number;
    } else if (flag == "--public-tests") {
      options.public_tests = number;
    }
  }
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
