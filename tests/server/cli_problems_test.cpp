// The real `codejudge problems generate` binary: deterministic files, seeds that matter, a
// held-out split disjoint from training, output the loader and `problems validate` accept, and
// bad arguments or unwritable paths that exit 2 without leaving a file. Also the importer
// options of `codejudge problems import`.
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "codejudge/problems/generator.h"
#include "codejudge/problems/loader.h"

namespace codejudge::server {
namespace {

namespace fs = std::filesystem;

struct Outcome {
  int exit_code = -1;
  std::string out;
  std::string err;
};

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string quote(const std::string& arg) {
  std::string out = "'";
  for (char c : arg) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// A scratch directory per test, removed afterwards.
class CliGenerate : public ::testing::Test {
 protected:
  void SetUp() override {
    char name[] = "/tmp/codejudge-cli-generate-XXXXXX";
    ASSERT_NE(mkdtemp(name), nullptr);
    dir_ = name;
  }
  void TearDown() override {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }

  // Runs `codejudge ARGS...` with stdout and stderr captured.
  Outcome run(const std::vector<std::string>& args) const {
    std::string command = quote(CODEJUDGE_BINARY);
    for (const std::string& arg : args) command += " " + quote(arg);
    const fs::path out = dir_ / ".stdout", err = dir_ / ".stderr";
    command += " >" + quote(out.string()) + " 2>" + quote(err.string()) + " </dev/null";
    int status = std::system(command.c_str());
    Outcome outcome;
    outcome.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    outcome.out = read_file(out);
    outcome.err = read_file(err);
    fs::remove(out);
    fs::remove(err);
    return outcome;
  }

  // `problems generate` into dir/name; the file's text (empty when it failed).
  std::string generate(const std::string& name, std::vector<std::string> args) const {
    std::vector<std::string> full = {"problems", "generate", "-o", path(name)};
    full.insert(full.end(), args.begin(), args.end());
    Outcome outcome = run(full);
    EXPECT_EQ(outcome.exit_code, 0) << outcome.err;
    return read_file(path(name));
  }

  std::string path(const std::string& name) const { return (dir_ / name).string(); }

  // Every file the commands left in the scratch directory.
  std::vector<std::string> files() const {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(dir_)) {
      names.push_back(entry.path().filename().string());
    }
    return names;
  }

  fs::path dir_;
};

std::set<std::string> ids_of(const std::string& jsonl) {
  std::set<std::string> ids;
  for (const problems::Problem& p : problems::parse_problems_jsonl(jsonl, "x.jsonl").problems) {
    ids.insert(p.id);
  }
  return ids;
}

TEST_F(CliGenerate, SameSeedGivesByteIdenticalFiles) {
  std::string a = generate("a.jsonl", {"--count", "40", "--seed", "7"});
  std::string b = generate("b.jsonl", {"--count", "40", "--seed", "7"});
  ASSERT_FALSE(a.empty());
  EXPECT_EQ(a, b);
  // Writing to stdout gives the same bytes, and the message goes to stderr.
  Outcome piped = run({"problems", "generate", "--count", "40", "--seed", "7", "-o", "-"});
  EXPECT_EQ(piped.exit_code, 0) << piped.err;
  EXPECT_EQ(piped.out, a);
  EXPECT_NE(piped.err.find("generated 40 problems (split train, seed 7)"), std::string::npos)
      << piped.err;
  // Only the two files: no .tmp left behind.
  std::vector<std::string> names = files();
  EXPECT_EQ(std::set<std::string>(names.begin(), names.end()),
            (std::set<std::string>{"a.jsonl", "b.jsonl"}));
}

TEST_F(CliGenerate, DifferentSeedsDiffer) {
  std::string a = generate("a.jsonl", {"--count", "40", "--seed", "1"});
  std::string b = generate("b.jsonl", {"--count", "40", "--seed", "2"});
  ASSERT_FALSE(a.empty());
  ASSERT_FALSE(b.empty());
  EXPECT_NE(a, b);
  EXPECT_NE(ids_of(a), ids_of(b));
}

TEST_F(CliGenerate, HeldOutAndTrainIdsAreDisjoint) {
  std::set<std::string> train, held_out;
  for (const char* seed : {"1", "2"}) {
    std::set<std::string> t = ids_of(generate("train.jsonl", {"--count", "200", "--seed", seed}));
    std::set<std::string> h =
        ids_of(generate("heldout.jsonl", {"--count", "40", "--seed", seed, "--split", "heldout"}));
    EXPECT_EQ(t.size(), 200u);
    EXPECT_EQ(h.size(), 40u);
    train.insert(t.begin(), t.end());
    held_out.insert(h.begin(), h.end());
  }
  for (const std::string& id : held_out) EXPECT_EQ(train.count(id), 0u) << id;
  // --split all draws from both, each problem tagged with where it belongs.
  std::string all = generate("all.jsonl", {"--count", "200", "--split", "all"});
  std::set<std::string> tags;
  for (const problems::Problem& p : problems::parse_problems_jsonl(all, "all.jsonl").problems) {
    tags.insert(p.tags.back());
    if (p.tags.back() == "heldout") {
      EXPECT_EQ(train.count(p.id), 0u) << p.id;
    } else {
      EXPECT_EQ(held_out.count(p.id), 0u) << p.id;
    }
  }
  EXPECT_EQ(tags, (std::set<std::string>{"heldout", "train"}));
}

TEST_F(CliGenerate, FiltersAndTestCountsAreHonoured) {
  std::string text =
      generate("f.jsonl", {"--count", "12", "--families", "strings,lists", "--min-difficulty", "2",
                           "--max-difficulty", "3", "--tests", "6", "--public-tests", "3"});
  problems::LoadResult loaded = problems::parse_problems_jsonl(text, "f.jsonl");
  EXPECT_TRUE(loaded.errors.empty());
  ASSERT_EQ(loaded.problems.size(), 12u);
  for (const problems::Problem& p : loaded.problems) {
    EXPECT_TRUE(p.tags[0] == "strings" || p.tags[0] == "lists") << p.id;
    EXPECT_NE(p.difficulty, "easy") << p.id;
    EXPECT_LE(p.tests.size(), 6u) << p.id;
    EXPECT_EQ(p.public_tests, 3u) << p.id;
  }
}

TEST_F(CliGenerate, OutputLoadsAndEveryReferencePasses) {
  std::string text = generate("v.jsonl", {"--count", "5", "--seed", "3"});
  problems::LoadResult loaded = problems::load_problems({path("v.jsonl")});
  EXPECT_TRUE(loaded.errors.empty()) << loaded.errors.front().to_string();
  EXPECT_EQ(loaded.problems.size(), 5u);
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 5);
  Outcome validated = run({"problems", "validate", path("v.jsonl")});
  if (validated.exit_code == 2 &&
      validated.err.find("cannot start the judge") != std::string::npos) {
    GTEST_SKIP() << "the sandbox cannot start here: " << validated.err;
  }
  EXPECT_EQ(validated.exit_code, 0) << validated.out << validated.err;
  EXPECT_NE(validated.out.find("5 passed, 0 failed"), std::string::npos) << validated.out;
}

TEST_F(CliGenerate, FewerThanAskedWritesThemWithAWarning) {
  Outcome outcome = run({"problems", "generate", "--count", "500", "--families", "loops",
                         "--max-difficulty", "1", "-o", path("few.jsonl")});
  EXPECT_EQ(outcome.exit_code, 0) << outcome.err;
  size_t written = ids_of(read_file(path("few.jsonl"))).size();
  EXPECT_GT(written, 0u);
  EXPECT_LT(written, 500u);
  EXPECT_NE(outcome.err.find("warning: generated " + std::to_string(written) + " of 500: "),
            std::string::npos)
      << outcome.err;
  EXPECT_NE(outcome.err.find("distinct"), std::string::npos) << outcome.err;
}

TEST_F(CliGenerate, BadArgumentsExit2AndWriteNothing) {
  const std::string out = path("x.jsonl");
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"--count", "0", "-o", out}, "--count must be at least 1"},
      {{"--count", "five", "-o", out}, "non-negative integer"},
      {{"--count", "5"}, "needs --count N and -o FILE"},
      {{"-o", out}, "needs --count N and -o FILE"},
      {{"--count", "5", "-o"}, "-o needs a value"},
      {{"--count", "5", "-o", out, "--families", "strings,poetry"},
       "unknown family 'poetry' (valid: arithmetic, conditionals, strings, lists, loops, "
       "algorithms)"},
      {{"--count", "5", "-o", out, "--families", "strings,"}, "empty name"},
      {{"--count", "5", "-o", out, "--split", "foo"}, "unknown split 'foo'"},
      {{"--count", "5", "-o", out, "--min-difficulty", "0"}, "--min-difficulty must be 1, 2 or 3"},
      {{"--count", "5", "-o", out, "--max-difficulty", "4"}, "--max-difficulty must be 1, 2 or 3"},
      {{"--count", "5", "-o", out, "--min-difficulty", "3", "--max-difficulty", "2"},
       "is above --max-difficulty"},
      {{"--count", "5", "-o", out, "--tests", "0"}, "--tests must be 1 to 1000"},
      {{"--count", "5", "-o", out, "--tests", "3", "--public-tests", "4"}, "is more than --tests"},
      {{"--count", "5", "-o", out, "--bogus"}, "unexpected argument: --bogus"},
  };
  for (const auto& [args, message] : cases) {
    std::vector<std::string> full = {"problems", "generate"};
    full.insert(full.end(), args.begin(), args.end());
    Outcome outcome = run(full);
    EXPECT_EQ(outcome.exit_code, 2) << message;
    EXPECT_NE(outcome.err.find(message), std::string::npos) << outcome.err;
    EXPECT_NE(outcome.err.find("usage: codejudge problems generate"), std::string::npos)
        << outcome.err;
    EXPECT_TRUE(outcome.out.empty()) << outcome.out;
    EXPECT_TRUE(files().empty()) << message;
  }
}

TEST_F(CliGenerate, NothingMatchingIsAnErrorWithNoFile) {
  // A family and difficulty with no template (algorithms has no easy ones today).
  std::string family, difficulty;
  for (const std::string& f : problems::generator_families()) {
    for (int d = 1; d <= 3 && family.empty(); ++d) {
      if (problems::generator_template_count(f, d) == 0) {
        family = f;
        difficulty = std::to_string(d);
      }
    }
  }
  if (family.empty()) GTEST_SKIP() << "every family has templates at every difficulty";
  Outcome outcome =
      run({"problems", "generate", "--count", "5", "--families", family, "--min-difficulty",
           difficulty, "--max-difficulty", difficulty, "-o", path("none.jsonl")});
  EXPECT_EQ(outcome.exit_code, 2) << outcome.err;
  EXPECT_NE(outcome.err.find("no problems generated: no template matches"), std::string::npos)
      << outcome.err;
  EXPECT_TRUE(files().empty());
}

TEST_F(CliGenerate, UnwritablePathExits2WithTheReason) {
  Outcome outcome = run({"problems", "generate", "--count", "3", "-o", "/nonexistent/dir/x.jsonl"});
  EXPECT_EQ(outcome.exit_code, 2);
  EXPECT_NE(
      outcome.err.find("cannot write /nonexistent/dir/x.jsonl.tmp: No such file or directory"),
      std::string::npos)
      << outcome.err;
  EXPECT_FALSE(fs::exists("/nonexistent/dir/x.jsonl"));
  // A directory in the way of the rename: the temporary file is cleaned up.
  fs::create_directory(path("taken.jsonl"));
  fs::create_directory(path("taken.jsonl") + "/inside");
  outcome = run({"problems", "generate", "--count", "3", "-o", path("taken.jsonl")});
  EXPECT_EQ(outcome.exit_code, 2);
  EXPECT_NE(outcome.err.find("cannot rename"), std::string::npos) << outcome.err;
  EXPECT_EQ(files(), std::vector<std::string>{"taken.jsonl"});
}

// `problems import` runs in the same scratch directory.
using CliImport = CliGenerate;

// A HumanEval-shaped record whose check() has three asserts.
constexpr const char* kHumanEvalRecord =
    R"({"task_id": "HumanEval/7", "prompt": "def inc(x):\n", )"
    R"("canonical_solution": "    return x + 1\n", "entry_point": "inc", )"
    R"("test": "def check(candidate):\n    assert candidate(1) == 2\n    )"
    R"(assert candidate(2) == 3\n    assert candidate(-1) == 0\n"})";

TEST_F(CliImport, OptionsShapeTheTestsAndLimits) {
  { std::ofstream(path("he.jsonl")) << kHumanEvalRecord << "\n"; }
  auto import = [&](std::vector<std::string> extra) {
    std::vector<std::string> args = {"problems",       "import", "--format",       "humaneval",
                                     path("he.jsonl"), "-o",     path("out.jsonl")};
    args.insert(args.end(), extra.begin(), extra.end());
    Outcome outcome = run(args);
    EXPECT_EQ(outcome.exit_code, 0) << outcome.err;
    auto set = problems::parse_problems_jsonl(read_file(path("out.jsonl")), "out.jsonl");
    EXPECT_EQ(set.problems.size(), 1u);
    return set.problems.empty() ? problems::Problem{} : set.problems[0];
  };
  EXPECT_EQ(import({}).tests.size(), 3u);
  EXPECT_EQ(import({"--no-split"}).tests.size(), 1u);
  EXPECT_EQ(import({"--max-split-tests", "2"}).tests.size(), 2u);
  EXPECT_EQ(import({"--time-ms", "777"}).limits.time_ms, 777u);
}

TEST_F(CliImport, BadOptionValuesExit2AndWriteNothing) {
  { std::ofstream(path("he.jsonl")) << kHumanEvalRecord << "\n"; }
  for (const std::vector<std::string>& bad :
       std::vector<std::vector<std::string>>{{"--chunk-size", "0"},
                                             {"--max-split-tests", "x"},
                                             {"--time-ms", "60001"},
                                             {"--time-ms", "0"},
                                             {"--split-everything"}}) {
    std::vector<std::string> args = {"problems",       "import", "--format",       "humaneval",
                                     path("he.jsonl"), "-o",     path("out.jsonl")};
    args.insert(args.end(), bad.begin(), bad.end());
    Outcome outcome = run(args);
    EXPECT_EQ(outcome.exit_code, 2) << bad[0];
    EXPECT_NE(outcome.err.find(bad[0]), std::string::npos) << outcome.err;
    EXPECT_FALSE(fs::exists(path("out.jsonl"))) << bad[0];
  }
}

}  // namespace
}  // namespace codejudge::server
