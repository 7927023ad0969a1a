// The synthetic curriculum: deterministic, valid problems, a fixed held-out split disjoint from
// training, filters honoured, and (through the real judge) every template's Python reference
// passes its own tests while a constant answer does not.
#include "codejudge/problems/generator.h"

#include <filesystem>
#include <map>
#include <set>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "codejudge/judges/judge.h"
#include "codejudge/problems/json.h"
#include "codejudge/problems/loader.h"

namespace codejudge::problems {
namespace {

GeneratorOptions options(size_t count, uint64_t seed, GeneratorSplit split) {
  GeneratorOptions o;
  o.count = count;
  o.seed = seed;
  o.split = split;
  return o;
}

TEST(Generator, DeterministicValidAndLoadable) {
  GeneratedProblems a = generate_problems(options(200, 3, GeneratorSplit::kTrain));
  GeneratedProblems b = generate_problems(options(200, 3, GeneratorSplit::kTrain));
  GeneratedProblems c = generate_problems(options(200, 4, GeneratorSplit::kTrain));
  ASSERT_EQ(a.problems.size(), 200u) << a.error;
  EXPECT_TRUE(a.error.empty());
  std::string text = generated_problems_jsonl(a.problems);
  EXPECT_EQ(text, generated_problems_jsonl(b.problems));
  EXPECT_NE(text, generated_problems_jsonl(c.problems));
  LoadResult loaded = parse_problems_jsonl(text, "generated.jsonl");
  EXPECT_TRUE(loaded.errors.empty()) << loaded.errors.front().to_string();
  ASSERT_EQ(loaded.problems.size(), 200u);
  std::set<std::string> ids;
  for (const Problem& p : a.problems) {
    EXPECT_TRUE(ids.insert(p.id).second) << "duplicate id " << p.id;
    EXPECT_EQ(validate_problem(p), "") << p.id;
    EXPECT_EQ(p.mode, Mode::kFunction);
    EXPECT_EQ(p.source, "codejudge-synthetic");
    EXPECT_EQ(p.license, "MIT");
    EXPECT_EQ(p.public_tests, 2u);
    EXPECT_GE(p.tests.size(), 3u) << p.id;
    EXPECT_TRUE(p.reference.count("python")) << p.id;
    EXPECT_EQ(p.id.rfind("synth/", 0), 0u);
  }
}

TEST(Generator, HeldOutSplitIsFixedAndDisjoint) {
  std::set<std::string> train, held_out;
  for (uint64_t seed : {1u, 2u, 3u}) {
    for (const Problem& p :
         generate_problems(options(300, seed, GeneratorSplit::kTrain)).problems) {
      train.insert(p.id);
    }
    for (const Problem& p :
         generate_problems(options(60, seed, GeneratorSplit::kHeldOut)).problems) {
      held_out.insert(p.id);
      EXPECT_EQ(p.tags.back(), "heldout");
    }
  }
  EXPECT_GT(held_out.size(), 60u);
  for (const std::string& id : held_out) EXPECT_EQ(train.count(id), 0u) << id;
  // The split of "all" agrees: each problem lands where its tag says.
  for (const Problem& p : generate_problems(options(300, 9, GeneratorSplit::kAll)).problems) {
    if (p.tags.back() == "heldout") {
      EXPECT_EQ(train.count(p.id), 0u) << p.id;
    } else {
      EXPECT_EQ(held_out.count(p.id), 0u) << p.id;
    }
  }
}

TEST(Generator, FiltersAndErrors) {
  GeneratorOptions o = options(40, 1, GeneratorSplit::kAll);
  o.families = {"strings"};
  o.max_difficulty = 1;
  GeneratedProblems made = generate_problems(o);
  ASSERT_FALSE(made.problems.empty());
  for (const Problem& p : made.problems) {
    EXPECT_EQ(p.tags[0], "strings");
    EXPECT_EQ(p.difficulty, "easy");
  }
  o.families = {"nonsense"};
  EXPECT_NE(generate_problems(o).error.find("unknown family"), std::string::npos);
  o.families = {};
  o.min_difficulty = 3;
  o.max_difficulty = 2;
  EXPECT_FALSE(generate_problems(o).error.empty());
  // Asking for more distinct problems than a narrow filter holds says so.
  GeneratorOptions narrow = options(50, 1, GeneratorSplit::kTrain);
  narrow.families = {"loops"};
  narrow.max_difficulty = 1;
  GeneratedProblems few = generate_problems(narrow);
  EXPECT_LT(few.problems.size(), 50u);
  EXPECT_NE(few.error.find("distinct"), std::string::npos);
  for (const std::string& family : generator_families()) {
    size_t templates = 0;
    for (int d = 1; d <= 3; ++d) templates += generator_template_count(family, d);
    EXPECT_GE(templates, 5u) << family;
  }
}

// One problem per template (tag[1] names it).
std::vector<Problem> one_per_template() {
  std::map<std::string, Problem> by_template;
  for (const Problem& p : generate_problems(options(2000, 11, GeneratorSplit::kAll)).problems) {
    by_template.emplace(p.tags[1], p);
  }
  std::vector<Problem> out;
  for (auto& [name, p] : by_template) out.push_back(p);
  return out;
}

TEST(Generator, EveryTemplatesReferencePassesAndAConstantFails) {
  std::vector<Problem> problems = one_per_template();
  size_t templates = 0;
  for (const std::string& family : generator_families()) {
    for (int d = 1; d <= 3; ++d) templates += generator_template_count(family, d);
  }
  ASSERT_EQ(problems.size(), templates);
  char pattern[] = "/tmp/codejudge-generator-test-XXXXXX";
  std::string dir = mkdtemp(pattern);
  judges::JudgeConfig config;
  config.cache_dir = dir;
  config.workers = 2;
  std::string error;
  auto judge = judges::Judge::create(config, &error);
  ASSERT_TRUE(judge) << "the judge could not start (root and a working sandbox are required): "
                     << error;
  std::vector<judges::JudgeResult> results(problems.size());
  std::vector<std::thread> threads;
  for (size_t t = 0; t < 2; ++t) {
    threads.emplace_back([&, t] {
      for (size_t i = t; i < problems.size(); i += 2) {
        results[i] = judge->judge(problems[i],
                                  judges::Submission{"python", problems[i].reference.at("python")},
                                  judges::JudgeOptions{});
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (size_t i = 0; i < problems.size(); ++i) {
    EXPECT_EQ(results[i].verdict, judges::Verdict::kAC)
        << problems[i].id << ": " << results[i].message << "\n"
        << problems[i].reference.at("python");
    // Tests that a constant answer could pass would teach nothing: outputs must differ.
    std::set<std::string> outputs;
    for (const problems::Test& test : problems[i].tests) outputs.insert(test.expected);
    EXPECT_GE(outputs.size(), 2u) << problems[i].id;
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace codejudge::problems
