#include "codejudge/problems/loader.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "test_support.h"

namespace codejudge::problems {
namespace {

using support::data_dir;
using support::ScratchDir;

std::vector<std::string> ids(const std::vector<Problem>& problems) {
  std::vector<std::string> out;
  for (const Problem& problem : problems) out.push_back(problem.id);
  return out;
}

std::vector<std::string> ids(const ProblemPage& page) {
  std::vector<std::string> out;
  for (const Problem* problem : page.problems) out.push_back(problem->id);
  return out;
}

std::string read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(LoadProblems, ReadsADirectoryRecursivelyInSortedOrder) {
  LoadResult result = load_problems({data_dir() + "/set"});
  for (const LoadError& error : result.errors) ADD_FAILURE() << error.to_string();
  // a.jsonl before nested/b.jsonl; notes.txt is not a problem file.
  EXPECT_EQ(ids(result.problems),
            (std::vector<std::string>{"demo/sum", "demo/add", "demo/square"}));
  const Problem& add = result.problems[1];
  EXPECT_EQ(add.mode, Mode::kFunction);
  EXPECT_EQ(add.signature.params.size(), 2u);
  EXPECT_EQ(add.tests[1].input, "[-4,4]");
  EXPECT_EQ(add.limits.time_ms, 1000u);
  EXPECT_EQ(add.checker.type, CheckerSpec::Type::kExact);
  EXPECT_EQ(result.problems[0].public_tests, 1u);
  EXPECT_EQ(result.problems[2].preamble.at("python"), "import math\n");
}

TEST(LoadProblems, ReportsBadLinesWithFileAndLineAndKeepsTheRest) {
  std::string file = data_dir() + "/mixed.jsonl";
  LoadResult result = load_problems({file});
  EXPECT_EQ(ids(result.problems), (std::vector<std::string>{"mixed/ok-1", "mixed/ok-2"}));
  // The kept duplicate is the first one.
  EXPECT_EQ(result.problems[0].tests[0].expected, "hello\n");
  ASSERT_EQ(result.errors.size(), 5u);
  struct Expected {
    size_t line;
    const char* fragment;
  };
  const Expected expected[] = {{2, "invalid JSON"},
                               {3, "unknown field 'tset'"},
                               {4, "tests: at least one"},
                               {5, "signature.params[0].type"},
                               {6, "duplicate id 'mixed/ok-1'"}};
  for (size_t i = 0; i < result.errors.size(); ++i) {
    const LoadError& error = result.errors[i];
    EXPECT_EQ(error.file, file);
    EXPECT_EQ(error.line, expected[i].line) << error.to_string();
    EXPECT_NE(error.reason.find(expected[i].fragment), std::string::npos) << error.to_string();
  }
  EXPECT_EQ(result.errors[4].to_string().rfind(file + ":6: duplicate id", 0), 0u);
  EXPECT_NE(result.errors[4].reason.find(file + ":1"), std::string::npos);
}

TEST(LoadProblems, DuplicatesAcrossFilesKeepTheFirstFile) {
  ScratchDir dir;
  std::string line = R"({"id": "dup/x", "mode": "stdio", "tests": [{"input": "", "output": "A"}]})";
  dir.write("1.jsonl", line + "\n");
  dir.write("2.jsonl", "\n\n" + line + "\n");
  LoadResult result = load_problems({dir.path()});
  ASSERT_EQ(result.problems.size(), 1u);
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_EQ(result.errors[0].file, dir.file("2.jsonl"));
  EXPECT_EQ(result.errors[0].line, 3u);  // blank lines still count
}

TEST(LoadProblems, ReadsGzipFiles) {
  if (!support::have_command("gzip")) GTEST_SKIP() << "gzip not installed";
  ScratchDir dir;
  std::string plain = dir.write("src/set.jsonl", read(data_dir() + "/set/a.jsonl"));
  std::string packed = dir.file("packed/set.jsonl.gz");
  std::filesystem::create_directories(dir.file("packed"));
  ASSERT_EQ(std::system(("gzip -c " + plain + " > " + packed).c_str()), 0);
  LoadResult result = load_problems({dir.file("packed")});
  for (const LoadError& error : result.errors) ADD_FAILURE() << error.to_string();
  EXPECT_EQ(ids(result.problems), (std::vector<std::string>{"demo/sum", "demo/add"}));

  // A corrupt archive is one file-level error, not a crash.
  std::string broken = dir.write("broken/x.jsonl.gz", std::string("\x1f\x8b garbage", 10));
  result = load_problems({broken});
  EXPECT_TRUE(result.problems.empty());
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_EQ(result.errors[0].line, 0u);
  EXPECT_NE(result.errors[0].reason.find("gzip"), std::string::npos);
}

TEST(LoadProblems, MissingPathIsAnError) {
  LoadResult result = load_problems({data_dir() + "/no-such-dir", data_dir() + "/set/a.jsonl"});
  EXPECT_EQ(result.problems.size(), 2u);
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_NE(result.errors[0].to_string().find("no-such-dir: no such file"), std::string::npos);
}

TEST(ParseProblemsJsonl, HandlesCrlfAndBlankLines) {
  std::string text =
      "\r\n"
      R"({"id": "c/1", "mode": "stdio", "tests": [{"input": "", "output": ""}]})"
      "\r\n"
      "   \n"
      R"({"id": "c/1", "mode": "stdio", "tests": [{"input": "", "output": ""}]})";
  LoadResult result = parse_problems_jsonl(text, "inline");
  EXPECT_EQ(result.problems.size(), 1u);
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_EQ(result.errors[0].to_string().rfind("inline:4: duplicate id", 0), 0u);
}

class ProblemSetTest : public ::testing::Test {
 protected:
  void SetUp() override {
    LoadResult result = load_problems({data_dir() + "/set"});
    ASSERT_TRUE(result.errors.empty());
    set_ = ProblemSet(std::move(result.problems));
  }
  ProblemSet set_;
};

TEST_F(ProblemSetTest, FindsById) {
  ASSERT_NE(set_.find("demo/add"), nullptr);
  EXPECT_EQ(set_.find("demo/add")->entry_point, "add");
  EXPECT_EQ(set_.find("demo/ad"), nullptr);
  EXPECT_EQ(set_.size(), 3u);
}

TEST_F(ProblemSetTest, FiltersAndPages) {
  EXPECT_EQ(ids(set_.list({})), (std::vector<std::string>{"demo/sum", "demo/add", "demo/square"}));
  ProblemFilter by_tag;
  by_tag.tag = "functions";
  EXPECT_EQ(ids(set_.list(by_tag)), (std::vector<std::string>{"demo/add", "demo/square"}));
  ProblemFilter by_difficulty;
  by_difficulty.difficulty = "easy";
  EXPECT_EQ(ids(set_.list(by_difficulty)), (std::vector<std::string>{"demo/sum"}));
  ProblemFilter by_prefix;
  by_prefix.id_prefix = "demo/s";
  EXPECT_EQ(ids(set_.list(by_prefix)), (std::vector<std::string>{"demo/sum", "demo/square"}));

  ProblemFilter page;
  page.tag = "math";
  page.offset = 1;
  page.limit = 1;
  ProblemPage result = set_.list(page);
  EXPECT_EQ(ids(result), (std::vector<std::string>{"demo/add"}));
  EXPECT_EQ(result.total, 2u);
  page.offset = 5;
  result = set_.list(page);
  EXPECT_TRUE(result.problems.empty());
  EXPECT_EQ(result.total, 2u);
}

TEST(ProblemSet, KeepsFirstOfDuplicateIdsAndSurvivesCopies) {
  Problem first, second;
  first.id = second.id = "same";
  first.title = "first";
  second.title = "second";
  std::vector<std::string> duplicates;
  ProblemSet set({first, second}, &duplicates);
  EXPECT_EQ(duplicates, (std::vector<std::string>{"same"}));
  ProblemSet copy = set;
  set = ProblemSet();
  ASSERT_NE(copy.find("same"), nullptr);
  EXPECT_EQ(copy.find("same")->title, "first");
}

}  // namespace
}  // namespace codejudge::problems
