// End-to-end judging in the real sandbox: every language's verdicts on a small stdio problem,
// function and assert modes, custom checkers, the cache seen through the judge, and the rules
// that reduce test verdicts. Needs root and a working sandbox: if the judge cannot start, every
// test fails (never skips) with the reason.
#include "codejudge/judges/judge.h"

#include <sys/stat.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <ostream>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

#include "codejudge/judges/harness.h"
#include "codejudge/judges/language.h"

namespace codejudge::judges {
namespace {

namespace fs = std::filesystem;
using problems::Mode;
using problems::Problem;

std::string submission_file(const std::string& relative) {
  std::ifstream in(std::string(CODEJUDGE_SOURCE_DIR) + "/tests/judges/submissions/" + relative,
                   std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// The extension of the language's source file (py, cpp, java, ...): how the programs under
// submissions/ are named.
std::string file_extension(const std::string& language) {
  const std::string& source_file = find_language(language)->source_file;
  return source_file.substr(source_file.rfind('.') + 1);
}

// The correct program of `language` for the problem under submissions/<dir>, which must exist
// because the language table says the language runs that problem's mode.
std::string claimed_program(const std::string& dir, const std::string& language) {
  const std::string relative = dir + "/correct." + file_extension(language);
  const std::string code = submission_file(relative);
  if (code.empty()) {
    ADD_FAILURE() << "the language table says " << language << " runs the mode of " << dir
                  << ": add tests/judges/submissions/" << relative;
  }
  return code;
}

// A comment that makes a source unique, so its compile is cold in this run.
std::string unique_comment(const std::string& language) {
  static std::atomic<int> counter{0};
  std::string text = "codejudge test " + make_token() + " " + std::to_string(counter++);
  return language == "python" ? "# " + text + "\n" : "// " + text + "\n";
}

Problem sum_problem() {
  Problem problem;
  problem.id = "sum";
  problem.mode = Mode::kStdio;
  problem.tests = {
      {"1 2\n", "3\n", ""}, {"-5 10\n", "5\n", ""}, {"1000000000000 1\n", "1000000000001\n", ""}};
  problem.limits.time_ms = 2000;
  problem.limits.memory_mb = 256;
  return problem;
}

Problem two_sum_problem() {
  Problem problem;
  problem.id = "two-sum";
  problem.mode = Mode::kFunction;
  problem.entry_point = "Solution().twoSum";
  problem.signature.params = {{"nums", "list[int]"}, {"target", "int"}};
  problem.signature.returns = "list[int]";
  problem.tests = {
      {"[[2,7,11,15],9]", "[0,1]", ""}, {"[[3,2,4],6]", "[1,2]", ""}, {"[[3,3],6]", "[0,1]", ""}};
  return problem;
}

Problem assert_problem() {
  Problem problem;
  problem.id = "add";
  problem.mode = Mode::kAssert;
  problem.entry_point = "add";
  problem.tests = {{"", "", "def check(candidate):\n    assert candidate(2, 3) == 5\n"},
                   {"", "", "assert add(-1, 1) == 0\nassert add(10, 5) == 15\n"}};
  return problem;
}

Problem checker_problem(const std::string& checker_file) {
  Problem problem;
  problem.id = "split";
  problem.mode = Mode::kStdio;
  problem.checker.type = problems::CheckerSpec::Type::kCustom;
  problem.checker.language = "python";
  problem.checker.code = submission_file("checker/" + checker_file);
  problem.tests = {{"10\n", "3 7\n", ""}, {"2\n", "1 1\n", ""}};
  return problem;
}

class JudgeTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    char dir[] = "/tmp/codejudge-judge-test-XXXXXX";
    cache_dir_ = new std::string(mkdtemp(dir));
    JudgeConfig config;
    config.cache_dir = *cache_dir_;
    config.workers = std::max(2u, std::thread::hardware_concurrency());
    error_ = new std::string;
    judge_ = Judge::create(config, error_).release();
  }
  static void TearDownTestSuite() {
    delete judge_;
    judge_ = nullptr;
    std::error_code ec;
    fs::remove_all(*cache_dir_, ec);
    delete cache_dir_;
    delete error_;
  }
  void SetUp() override {
    ASSERT_NE(judge_, nullptr) << "the judge could not start (root and a working sandbox are "
                                  "required): "
                               << *error_;
  }

  static JudgeResult judge(const Problem& problem, const std::string& language,
                           const std::string& code, const JudgeOptions& options = {}) {
    return judge_->judge(problem, Submission{language, code}, options);
  }

  static Judge* judge_;
  static std::string* cache_dir_;
  static std::string* error_;
};

Judge* JudgeTest::judge_ = nullptr;
std::string* JudgeTest::cache_dir_ = nullptr;
std::string* JudgeTest::error_ = nullptr;

std::string describe(const JudgeResult& result) {
  std::string text = std::string(verdict_name(result.verdict)) + " (" + result.message + ")";
  if (!result.compile.stderr_data.empty()) {
    text += "\ncompiler: " + result.compile.stderr_data.substr(0, 2000);
  }
  for (size_t i = 0; i < result.tests.size(); ++i) {
    text += "\n  test " + std::to_string(i + 1) + ": " + verdict_name(result.tests[i].verdict) +
            " " + result.tests[i].message.substr(0, 500);
  }
  return text;
}

// ---- stdio: every language, every kind of submission ------------------------------------------

struct StdioCase {
  std::string language;
  std::string kind;  // file name in submissions/sum
  Verdict expected;
};

void PrintTo(const StdioCase& c, std::ostream* os) {
  *os << c.language << "/" << c.kind << " -> " << verdict_name(c.expected);
}

// A TLE reached its CPU limit, or, on a host too loaded to give it that much CPU in time, the
// wall fuse (3 x CPU + 1 s) stopped it first.
bool stopped_at_a_limit(const TestResult& test, uint64_t cpu_ms) {
  return test.cpu_ms >= cpu_ms ||
         test.message.find("wall time limit exceeded (") != std::string::npos;
}

class StdioVerdicts : public JudgeTest, public ::testing::WithParamInterface<StdioCase> {};

TEST_P(StdioVerdicts, MatchExpected) {
  const StdioCase& c = GetParam();
  const std::string code = submission_file("sum/" + c.kind + "." + file_extension(c.language));
  ASSERT_FALSE(code.empty());
  JudgeOptions options;
  if (c.kind == "slow") options.time_ms = 500;  // a quicker TLE
  options.stop_on_first_failure = c.kind == "slow";
  JudgeResult result = judge(sum_problem(), c.language, code, options);
  EXPECT_EQ(result.verdict, c.expected) << describe(result);
  EXPECT_EQ(result.total, 3u);
  if (c.expected == Verdict::kCE) {
    EXPECT_FALSE(result.compile.ok);
    EXPECT_FALSE(result.compile.stderr_data.empty());
    EXPECT_TRUE(result.tests.empty());
  } else {
    EXPECT_TRUE(result.compile.ok) << result.compile.stderr_data;
  }
  if (c.expected == Verdict::kAC) {
    EXPECT_EQ(result.passed, 3u);
    ASSERT_EQ(result.tests.size(), 3u);
    for (const auto& test : result.tests) EXPECT_EQ(test.exit_code, 0);
  }
  if (c.expected == Verdict::kTLE) {
    ASSERT_FALSE(result.tests.empty());
    EXPECT_TRUE(stopped_at_a_limit(result.tests[0], 500)) << describe(result);
    EXPECT_EQ(result.tests.size(), 1u);  // stop_on_first_failure
  }
  if (c.expected == Verdict::kRE) {
    ASSERT_FALSE(result.tests.empty());
    EXPECT_TRUE(result.tests[0].exit_code != 0 || result.tests[0].signal != 0);
  }
}

std::vector<StdioCase> stdio_cases() {
  std::vector<StdioCase> cases;
  for (const Language& table_entry : all_languages()) {  // every language runs stdio
    const std::string& language = table_entry.name;
    cases.push_back({language, "correct", Verdict::kAC});
    cases.push_back({language, "wrong", Verdict::kWA});
    cases.push_back({language, "crash", Verdict::kRE});
    cases.push_back({language, "slow", Verdict::kTLE});
    cases.push_back({language, "ce", Verdict::kCE});
  }
  return cases;
}

INSTANTIATE_TEST_SUITE_P(AllLanguages, StdioVerdicts, ::testing::ValuesIn(stdio_cases()),
                         [](const ::testing::TestParamInfo<StdioCase>& param_info) {
                           return param_info.param.language + "_" + param_info.param.kind;
                         });

// Cold and cached compile of each language's correct solution (printed for the report).
TEST_F(JudgeTest, CompileTimesColdAndCached) {
  for (const auto& language : all_languages()) {
    const std::string code = unique_comment(language.name) +
                             submission_file("sum/correct." + file_extension(language.name));
    JudgeResult cold = judge(sum_problem(), language.name, code);
    EXPECT_EQ(cold.verdict, Verdict::kAC) << language.name << ": " << describe(cold);
    EXPECT_FALSE(cold.compile.cached);
    JudgeResult warm = judge(sum_problem(), language.name, code);
    EXPECT_EQ(warm.verdict, Verdict::kAC) << language.name << ": " << describe(warm);
    EXPECT_TRUE(warm.compile.cached);
    std::printf(
        "[ compile  ] %-10s cold %5llu ms, cached %3llu ms; judge (3 tests) cold %5llu ms, "
        "cached %5llu ms\n",
        language.name.c_str(), static_cast<unsigned long long>(cold.compile.time_ms),
        static_cast<unsigned long long>(warm.compile.time_ms),
        static_cast<unsigned long long>(cold.wall_ms),
        static_cast<unsigned long long>(warm.wall_ms));
  }
}

// ---- function mode -----------------------------------------------------------------------------

TEST_F(JudgeTest, FunctionModeAcceptsCorrectSolutionsInEveryHarnessLanguage) {
  for (const Language& table_entry : all_languages()) {
    if (!mode_supports(Mode::kFunction, table_entry.name)) continue;
    const std::string& language = table_entry.name;
    const std::string code = claimed_program("two_sum", language);
    ASSERT_FALSE(code.empty());
    JudgeResult result = judge(two_sum_problem(), language, code);
    EXPECT_EQ(result.verdict, Verdict::kAC) << language << ": " << describe(result);
    EXPECT_EQ(result.passed, 3u) << language;
  }
}

TEST_F(JudgeTest, FunctionModeWrongAnswerAndRuntimeError) {
  JudgeOptions options;
  options.return_outputs = true;
  JudgeResult wrong =
      judge(two_sum_problem(), "python", submission_file("two_sum/wrong.py"), options);
  EXPECT_EQ(wrong.verdict, Verdict::kWA) << describe(wrong);
  ASSERT_EQ(wrong.tests.size(), 3u);
  EXPECT_EQ(wrong.tests[0].verdict, Verdict::kWA);
  EXPECT_EQ(wrong.tests[2].verdict, Verdict::kAC);  // [0, n-1] is right for [3,3]
  EXPECT_EQ(wrong.passed, 1u);
  EXPECT_NE(wrong.tests[0].stdout_data.find("debugging output is allowed"), std::string::npos);
  EXPECT_EQ(wrong.tests[0].expected, "[0,1]");

  JudgeResult crash = judge(two_sum_problem(), "python", submission_file("two_sum/crash.py"));
  EXPECT_EQ(crash.verdict, Verdict::kRE) << describe(crash);
  EXPECT_NE(crash.message.find("ValueError"), std::string::npos) << crash.message;
}

TEST_F(JudgeTest, FunctionModeUsesToleranceForFloats) {
  Problem problem;
  problem.mode = Mode::kFunction;
  problem.entry_point = "Solution().half";
  problem.signature.params = {{"x", "int"}};
  problem.signature.returns = "float";
  problem.checker.abs_tol = 1e-3;
  problem.checker.rel_tol = 0;
  problem.tests = {{"[1]", "0.5", ""}, {"[3]", "1.5", ""}};
  JudgeResult close = judge(
      problem, "python", "class Solution:\n    def half(self, x):\n        return x / 2 + 1e-4\n");
  EXPECT_EQ(close.verdict, Verdict::kAC) << describe(close);
  JudgeResult far = judge(problem, "python",
                          "class Solution:\n    def half(self, x):\n        return x / 2 + 1e-2\n");
  EXPECT_EQ(far.verdict, Verdict::kWA) << describe(far);
}

// A float where an integer is declared is WA in every language; a C++ or Java method declared
// double for an integer signature too.
TEST_F(JudgeTest, FunctionModeComparesByTheDeclaredType) {
  Problem problem;
  problem.mode = Mode::kFunction;
  problem.entry_point = "Solution().twice";
  problem.signature.params = {{"x", "long"}};
  problem.signature.returns = "long";
  problem.tests = {{"[500000000000]", "1000000000000", ""}, {"[1]", "2", ""}};
  const std::map<std::string, std::pair<std::string, std::string>> codes = {
      {"python",
       {"class Solution:\n    def twice(self, x):\n        return 2 * x\n",
        "class Solution:\n    def twice(self, x):\n        return float(2 * x)\n"}},
      {"cpp",
       {"class Solution { public: long long twice(long long x) { return 2 * x; } };",
        "class Solution { public: double twice(long long x) { return 2.0 * x; } };"}},
      {"java",
       {"class Solution { long twice(long x) { return 2 * x; } }",
        "class Solution { double twice(long x) { return 2.0 * x; } }"}},
      {"javascript",
       {"var twice = function (x) { return 2 * x; };",
        "var twice = function (x) { return 2 * x + 0.5; };"}},
  };
  for (const auto& [language, pair] : codes) {
    JudgeResult right = judge(problem, language, pair.first);
    EXPECT_EQ(right.verdict, Verdict::kAC) << language << ": " << describe(right);
    JudgeResult wrong = judge(problem, language, pair.second);
    EXPECT_EQ(wrong.verdict, Verdict::kWA) << language << ": " << describe(wrong);
  }
  // Off by a thousand near 10^12 is wrong, whatever the float tolerances.
  JudgeResult off = judge(problem, "python",
                          "class Solution:\n    def twice(self, x):\n"
                          "        return 2 * x + (1000 if x > 10**9 else 0)\n");
  EXPECT_EQ(off.verdict, Verdict::kWA) << describe(off);
}

// A test that does not fit the signature is the problem's defect: an internal error before any
// run, never a verdict on the submission.
TEST_F(JudgeTest, FunctionModeTestsThatDoNotFitTheSignatureAreOurs) {
  const std::string code = submission_file("two_sum/correct.py");
  Problem bad_argument = two_sum_problem();
  bad_argument.tests[1].input = "[[3,2,4],6.5]";
  JudgeResult argument = judge(bad_argument, "python", code);
  EXPECT_EQ(argument.verdict, Verdict::kIE) << describe(argument);
  EXPECT_NE(argument.message.find("test 2"), std::string::npos) << argument.message;
  EXPECT_TRUE(argument.tests.empty());
  Problem bad_expected = two_sum_problem();
  bad_expected.tests[0].expected = "[0,\"1\"]";
  JudgeResult expected = judge(bad_expected, "python", code);
  EXPECT_EQ(expected.verdict, Verdict::kIE) << describe(expected);
  EXPECT_NE(expected.message.find("expected value"), std::string::npos) << expected.message;
}

// The harness's internal-failure marker and exit code, written by submission code, are the
// submission's runtime error: never an internal error (which masks the sample's reward).
TEST_F(JudgeTest, ForgedHarnessFailuresAreRuntimeErrors) {
  const std::map<std::string, std::string> forgers = {
      {"python",
       "import os\nclass Solution:\n    def twoSum(self, nums, target):\n"
       "        os.write(2, b'codejudge-harness: test 0: broken\\n')\n        os._exit(99)\n"},
      {"cpp",
       "class Solution { public: vector<int> twoSum(vector<int>& n, int t) {\n"
       "  fputs(\"codejudge-harness: test 0: broken\\n\", stderr); fflush(stderr); _Exit(99);\n"
       "} };"},
      {"java",
       "class Solution { int[] twoSum(int[] n, int t) {\n"
       "  System.err.println(\"codejudge-harness: test 0: broken\");\n"
       "  Runtime.getRuntime().halt(99); return null; } }"},
      {"javascript",
       "var twoSum = function (n, t) {\n"
       "  require('fs').writeSync(2, 'codejudge-harness: test 0: broken\\n');\n"
       "  process.exit(99);\n};"},
  };
  for (const auto& [language, code] : forgers) {
    JudgeResult result = judge(two_sum_problem(), language, code);
    EXPECT_EQ(result.verdict, Verdict::kRE) << language << ": " << describe(result);
    ASSERT_FALSE(result.tests.empty()) << language;
    EXPECT_EQ(result.tests[0].exit_code, 99) << language;
  }
  // Only the Python harness compiles a submission itself; from a compiled C++ program the
  // compile-error marker is output like any other.
  JudgeResult compile_marker = judge(two_sum_problem(), "cpp",
                                     "class Solution { public: vector<int> twoSum(vector<int>& n, "
                                     "int t) {\n  fputs(\"codejudge-compile-error: x\\n\", "
                                     "stderr); fflush(stderr); _Exit(98);\n} };");
  EXPECT_EQ(compile_marker.verdict, Verdict::kRE) << describe(compile_marker);
  EXPECT_TRUE(compile_marker.compile.ok);
}

// ---- assert mode -------------------------------------------------------------------------------

TEST_F(JudgeTest, AssertModeVerdicts) {
  JudgeResult correct = judge(assert_problem(), "python", submission_file("assert_add/correct.py"));
  EXPECT_EQ(correct.verdict, Verdict::kAC) << describe(correct);
  EXPECT_EQ(correct.passed, 2u);
  JudgeResult wrong = judge(assert_problem(), "python", submission_file("assert_add/wrong.py"));
  EXPECT_EQ(wrong.verdict, Verdict::kWA) << describe(wrong);
  JudgeResult crash = judge(assert_problem(), "python", submission_file("assert_add/crash.py"));
  EXPECT_EQ(crash.verdict, Verdict::kRE) << describe(crash);
  JudgeResult fake = judge(assert_problem(), "python", submission_file("assert_add/fake_pass.py"));
  EXPECT_NE(fake.verdict, Verdict::kAC) << describe(fake);
  EXPECT_NE(fake.verdict, Verdict::kIE) << describe(fake);
  JudgeResult syntax = judge(assert_problem(), "python", "def add(a, b)\n    return a + b\n");
  EXPECT_EQ(syntax.verdict, Verdict::kCE) << describe(syntax);
  EXPECT_FALSE(syntax.compile.ok);
  EXPECT_TRUE(syntax.tests.empty());
  EXPECT_NE(syntax.compile.stderr_data.find("SyntaxError"), std::string::npos)
      << syntax.compile.stderr_data;
  // Function mode too: the harness compiles the submission and reports the error.
  JudgeResult function_syntax =
      judge(two_sum_problem(), "python", "class Solution:\n    def twoSum(self, nums, t)\n");
  EXPECT_EQ(function_syntax.verdict, Verdict::kCE) << describe(function_syntax);
  EXPECT_NE(function_syntax.compile.stderr_data.find("SyntaxError"), std::string::npos);
  JudgeResult java = judge(assert_problem(), "java", "class Main {}");
  EXPECT_EQ(java.verdict, Verdict::kIE);  // a request the judge cannot serve, not a CE
}

// The language table decides which modes a language runs: every language with an assert harness
// passes the assert problem (stdio and function mode: StdioVerdicts and
// FunctionModeAcceptsCorrectSolutionsInEveryHarnessLanguage), and every pair the table does not
// claim is a request the judge cannot serve (IE, with the table's reason), before any compile.
TEST_F(JudgeTest, ModesComeFromTheLanguageTable) {
  for (const Language& table_entry : all_languages()) {
    const std::string& language = table_entry.name;
    if (mode_supports(Mode::kAssert, language)) {
      const std::string code = claimed_program("assert_add", language);
      ASSERT_FALSE(code.empty());
      JudgeResult result = judge(assert_problem(), language, code);
      EXPECT_EQ(result.verdict, Verdict::kAC) << language << ": " << describe(result);
    }
    for (const Problem& problem : {two_sum_problem(), assert_problem()}) {
      if (mode_supports(problem.mode, language)) continue;
      JudgeResult result = judge(problem, language, "no program");
      EXPECT_EQ(result.verdict, Verdict::kIE) << language << ": " << describe(result);
      EXPECT_NE(result.message.find(mode_support_error(problem.mode, language)), std::string::npos)
          << result.message;
      EXPECT_FALSE(result.compile.ok) << language;  // nothing was compiled or run
      EXPECT_TRUE(result.tests.empty()) << language;
    }
  }
}

TEST_F(JudgeTest, AssertModeAcceptsValuesTheOfficialHarnessAccepts) {
  // Results that are not plain built-in values but pass the official tests: QuixBugs' correct
  // flatten and kheapsort are generators consumed by list(...); the rest are standard types.
  Problem problem;
  problem.id = "values";
  problem.mode = Mode::kAssert;
  problem.entry_point = "value";
  problem.tests = {
      {"", "", "assert list(flatten([1, [2, [3, []]], 4])) == [1, 2, 3, 4]\n"},
      {"", "", "assert list(kheapsort([3, 2, 1, 5, 4], 2)) == [1, 2, 3, 4, 5]\n"},
      {"", "", "assert list(value('map')) == [2, 4]\nassert value('map') != [2, 4]\n"},
      {"", "", "assert value('range') == range(3)\n"},
      {"", "", "import fractions\nassert value('fraction') == fractions.Fraction(1, 3)\n"},
      {"", "", "import decimal\nassert value('decimal') == decimal.Decimal('0.1')\n"},
      {"", "", "import datetime\nassert value('date') == datetime.date(2024, 2, 29)\n"},
      {"", "", "assert value('bytearray') == bytearray(b'ab')\n"},
      {"", "", "assert value('keys') == {'a', 'b'}\nassert sorted(value('values')) == [1, 2]\n"},
      {"", "", "assert value('numpy') == 3 and value('numpy') + 1 == 4\n"},
  };
  const std::string code =
      "import datetime, decimal, fractions, heapq\n"
      "def flatten(arr):\n"
      "    for x in arr:\n"
      "        if isinstance(x, list):\n"
      "            for y in flatten(x):\n"
      "                yield y\n"
      "        else:\n"
      "            yield x\n"
      "def kheapsort(arr, k):\n"
      "    heap = arr[:k]\n"
      "    heapq.heapify(heap)\n"
      "    for x in arr[k:]:\n"
      "        yield heapq.heappushpop(heap, x)\n"
      "    while heap:\n"
      "        yield heapq.heappop(heap)\n"
      "def value(kind):\n"
      "    d = {'a': 1, 'b': 2}\n"
      "    if kind == 'numpy':\n"
      "        try:\n"
      "            import numpy\n"
      "            return numpy.int64(3)\n"
      "        except ImportError:\n"
      "            return 3\n"
      "    return {'map': map(lambda x: 2 * x, [1, 2]), 'range': range(3),\n"
      "            'fraction': fractions.Fraction(1, 3), 'decimal': decimal.Decimal('0.1'),\n"
      "            'date': datetime.date(2024, 2, 29), 'bytearray': bytearray(b'ab'),\n"
      "            'keys': d.keys(), 'values': d.values()}[kind]\n";
  JudgeResult result = judge(problem, "python", code);
  EXPECT_EQ(result.verdict, Verdict::kAC) << describe(result);
  EXPECT_EQ(result.passed, problem.tests.size());
}

TEST_F(JudgeTest, AssertModeVerdictsComeOnlyFromTheEvaluator) {
  // The submission prints the evaluator's record format and the old markers, and exits 99 or
  // 98 after the harness's prefixes: never AC, never IE, never CE.
  for (const char* code : {
           "import os\ndef add(a, b):\n    os.write(1, b'cj pass 0 0\\ncj pass 1 0\\n')\n"
           "    return 0\n",
           "import os\ndef add(a, b):\n    os.write(2, b'codejudge-harness: boom\\n')\n"
           "    os._exit(99)\n",
           "import os\ndef add(a, b):\n    os.write(2, b'codejudge-compile-error: x\\n')\n"
           "    os._exit(98)\n",
           "import os, signal\ndef add(a, b):\n    os.kill(os.getppid(), signal.SIGKILL)\n",
       }) {
    JudgeResult result = judge(assert_problem(), "python", code);
    EXPECT_NE(result.verdict, Verdict::kAC) << code << describe(result);
    EXPECT_NE(result.verdict, Verdict::kIE) << code << describe(result);
    EXPECT_NE(result.verdict, Verdict::kCE) << code << describe(result);
  }
}

// ---- language conventions and compiles that the source turns against the compiler -------------

TEST_F(JudgeTest, JavaRunsItsPublicClassWhateverItIsCalled) {
  const std::string body =
      " {\n  public static void main(String[] a) {\n"
      "    java.util.Scanner in = new java.util.Scanner(System.in);\n"
      "    System.out.println(in.nextLong() + in.nextLong());\n  }\n}\n";
  for (const std::string& code : {
           "public class Solution" + body,
           "package contest.round1;\n\npublic class Adder" + body,
           "class Helper {}\nclass Program" + body,  // no public class: the one with main
           "/* public class Fake {} */ final public class Real" + body,
       }) {
    JudgeResult result = judge(sum_problem(), "java", code);
    EXPECT_EQ(result.verdict, Verdict::kAC) << code << "\n" << describe(result);
  }
  ProgramSource program =
      program_source(*find_language("java"), "package a.b;\npublic class Adder" + body);
  EXPECT_EQ(program.file_name, "Adder.java");
  EXPECT_EQ(program.main_class, "Adder");
  EXPECT_EQ(program.code.find("package"), std::string::npos);
  EXPECT_EQ(program_source(*find_language("cpp"), "int main(){}").file_name, "main.cpp");
}

// A sandbox failure at any step of a run (sandbox::Options::inject_fault_at) is the judge's IE,
// in the compile and in the tests alike: never a verdict on the submission.
class SandboxStepFault : public JudgeTest,
                         public ::testing::WithParamInterface<sandbox::RunStep> {};

TEST_P(SandboxStepFault, IsAnInternalErrorInTheCompileAndInTheTests) {
  const std::string code = submission_file("sum/correct.cpp");
  // The healthy judge fills the shared cache, so that the faulty one goes on to the tests.
  ASSERT_EQ(judge(sum_problem(), "cpp", code).verdict, Verdict::kAC);
  JudgeConfig config;
  config.cache_dir = *cache_dir_;
  config.workers = 2;
  config.detect_toolchains_at_start = false;
  config.sandbox.inject_fault_at = GetParam();
  std::string error;
  auto faulty = Judge::create(config, &error);
  ASSERT_NE(faulty, nullptr) << error;
  const std::string step = std::string("sandbox ") + sandbox::run_step_name(GetParam()) + ": ";

  JudgeResult ran = faulty->judge(sum_problem(), Submission{"cpp", code}, {});
  EXPECT_EQ(ran.verdict, Verdict::kIE) << describe(ran);
  EXPECT_TRUE(ran.compile.ok && ran.compile.cached) << describe(ran);
  EXPECT_NE(ran.message.find(step), std::string::npos) << describe(ran);

  JudgeResult compiled =
      faulty->judge(sum_problem(), Submission{"cpp", code + "// not compiled before\n"}, {});
  EXPECT_EQ(compiled.verdict, Verdict::kIE) << describe(compiled);
  EXPECT_NE(compiled.message.find(step), std::string::npos) << describe(compiled);
}

INSTANTIATE_TEST_SUITE_P(EveryStep, SandboxStepFault,
                         ::testing::Values(sandbox::RunStep::kPlan, sandbox::RunStep::kSpawn,
                                           sandbox::RunStep::kHandshake,
                                           sandbox::RunStep::kSupervise,
                                           sandbox::RunStep::kClassify),
                         [](const ::testing::TestParamInfo<sandbox::RunStep>& step) {
                           return std::string(sandbox::run_step_name(step.param));
                         });

// Without usable cgroups (Options::cgroups false here) the sandbox falls back to rlimits. The
// runtimes must still compile and run (an address-space limit once made javac, node and go fail,
// and that was reported as the submission's CE), and memory stays bounded.
TEST(RlimitFallback, WhatCanRunIsBoundedAndTheRestIsOurFailure) {
  char dir[] = "/tmp/codejudge-fallback-test-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  JudgeConfig config;
  config.cache_dir = dir;
  config.workers = 2;
  config.sandbox.cgroups = false;
  std::string error;
  auto judge = Judge::create(config, &error);
  ASSERT_NE(judge, nullptr) << error;
  for (const char* language : {"c", "cpp", "python", "java", "javascript", "go", "rust"}) {
    const std::string code =
        submission_file(std::string("sum/correct.") + file_extension(language));
    JudgeResult result = judge->judge(sum_problem(), Submission{language, code}, {});
    EXPECT_EQ(result.verdict, find_language(language)->needs_cgroups ? Verdict::kIE : Verdict::kAC)
        << language << ": " << describe(result);
  }
  const std::map<std::string, std::string> hogs = {
      {"python", "x = bytearray(1 << 30)\nprint(len(x))\n"},
      {"c",
       "#include <stdio.h>\n#include <stdlib.h>\n#include <string.h>\n"
       "int main(void) { char *p = malloc(1u << 30); if (!p) return 3; memset(p, 1, 1u << 30);\n"
       "  printf(\"%d\\n\", p[12345]); return 0; }\n"},
  };
  for (const auto& [language, code] : hogs) {
    JudgeResult result = judge->judge(sum_problem(), Submission{language, code}, {});
    EXPECT_TRUE(result.verdict == Verdict::kMLE || result.verdict == Verdict::kRE)
        << language << ": " << describe(result);
  }
  judge.reset();
  std::error_code ec;
  fs::remove_all(dir, ec);
}

// Asserts always run: Java with -ea, C and C++ without NDEBUG, Python without -O.
TEST_F(JudgeTest, AssertionsAreAlwaysOn) {
  const std::map<std::string, std::string> codes = {
      {"java",
       "public class Main { public static void main(String[] a) { assert 1 > 2 : \"off\"; } }"},
      {"cpp", "#include <cassert>\nint main() { assert(1 > 2); }"},
      {"c", "#include <assert.h>\nint main(void) { assert(1 > 2); return 0; }"},
      {"python", "assert 1 > 2, 'off'\n"},
  };
  for (const auto& [language, code] : codes) {
    JudgeResult result = judge(sum_problem(), language, code);
    EXPECT_EQ(result.verdict, Verdict::kRE) << language << ": " << describe(result);
  }
  Judge::RunOutput run = judge_->run(Submission{"java", codes.at("java")}, "", sandbox::Limits{});
  EXPECT_EQ(run.run.status, sandbox::Status::kRuntimeError) << run.run.stderr_data;
  EXPECT_NE(run.run.stderr_data.find("AssertionError"), std::string::npos) << run.run.stderr_data;
}

// What a source makes the compiler do is a compile error (cached like any), and quickly: the
// compile does not wait for the 40 s wall fuse.
TEST_F(JudgeTest, CompilesTheSourceTurnsAgainstTheCompilerAreCompileErrors) {
  const std::vector<std::pair<std::string, std::string>> sources = {
      {"cpp", "#include \"/dev/stdout\"\nint main() {}\n"},
      {"c", "#include \"/proc/self/fd/2\"\nint main(void) { return 0; }\n"},
      {"rust", "static D: &[u8] = include_bytes!(\"/proc/self/fd/3\");\nfn main() {}\n"},
      {"go", "package foo\n\nfunc Main() {}\n"},
      {"cpp", "#include \"/usr\"\nint main() {}\n"},
      {"c", "#include \"/dev/zero\"\nint main(void) { return 0; }\n"},
  };
  for (const auto& [language, source] : sources) {
    const std::string code = unique_comment(language) + source;
    const auto start = std::chrono::steady_clock::now();
    JudgeResult first = judge(sum_problem(), language, code);
    const auto seconds =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - start)
            .count();
    EXPECT_EQ(first.verdict, Verdict::kCE) << language << ": " << source << describe(first);
    EXPECT_LT(seconds, 20) << language << ": " << source;  // the idle stop is 5 s, the fuse 40 s
    JudgeResult again = judge(sum_problem(), language, code);
    EXPECT_EQ(again.verdict, Verdict::kCE) << language << ": " << source;
    EXPECT_TRUE(again.compile.cached) << language << ": " << source;
  }
}

// ---- custom checker ----------------------------------------------------------------------------

TEST_F(JudgeTest, CustomCheckerAcceptsAnyValidAnswer) {
  Problem problem = checker_problem("checker.py");
  JudgeResult correct = judge(problem, "cpp", submission_file("checker/correct.cpp"));
  EXPECT_EQ(correct.verdict, Verdict::kAC) << describe(correct);  // "9 1" is not the answer "3 7"
  EXPECT_EQ(correct.passed, 2u);
  JudgeResult wrong = judge(problem, "python", submission_file("checker/wrong.py"));
  EXPECT_EQ(wrong.verdict, Verdict::kWA) << describe(wrong);
  ASSERT_FALSE(wrong.tests.empty());
  EXPECT_NE(wrong.tests[0].message.find("10 + 1 != 10"), std::string::npos)
      << wrong.tests[0].message;
}

TEST_F(JudgeTest, CrashingCheckerIsAnInternalError) {
  Problem problem = checker_problem("crashing_checker.py");
  JudgeResult result = judge(problem, "cpp", submission_file("checker/correct.cpp"));
  EXPECT_EQ(result.verdict, Verdict::kIE) << describe(result);
  EXPECT_NE(result.message.find("checker"), std::string::npos) << result.message;
  // A checker that does not compile is the problem's fault too.
  problem.checker.code = "def broken(:\n";
  JudgeResult broken = judge(problem, "cpp", submission_file("checker/correct.cpp"));
  EXPECT_EQ(broken.verdict, Verdict::kIE) << describe(broken);
}

// ---- limits and reduction rules ----------------------------------------------------------------

TEST_F(JudgeTest, MemoryAndOutputLimitsMapToTheirVerdicts) {
  Problem problem = sum_problem();
  JudgeOptions options;
  options.memory_mb = 64;
  JudgeResult memory = judge(problem, "cpp",
                             "#include <vector>\n#include <cstdio>\nint main() {\n"
                             "  std::vector<char> v(512u << 20, 1);\n"
                             "  std::printf(\"%d\\n\", v[12345]);\n}\n",
                             options);
  EXPECT_EQ(memory.verdict, Verdict::kMLE) << describe(memory);
  JudgeOptions output_options;
  output_options.output_kb = 16;
  JudgeResult output =
      judge(problem, "python", "while True:\n    print('x' * 1000)\n", output_options);
  EXPECT_EQ(output.verdict, Verdict::kOLE) << describe(output);
}

TEST_F(JudgeTest, FirstFailingTestDecidesAndStopOnFirstFailureCutsTheReport) {
  Problem problem = sum_problem();
  problem.tests = {{"1 1\n", "2\n", ""},
                   {"2 2\n", "5\n", ""},  // the expected answer is wrong on purpose
                   {"3 3\n", "6\n", ""},
                   {"4 4\n", "9\n", ""},
                   {"5 5\n", "10\n", ""}};
  const std::string code = submission_file("sum/correct.py");
  JudgeResult all = judge(problem, "python", code);
  EXPECT_EQ(all.verdict, Verdict::kWA);
  EXPECT_EQ(all.tests.size(), 5u);
  EXPECT_EQ(all.passed, 3u);
  EXPECT_EQ(all.message.rfind("test 2: WA", 0), 0u) << all.message;
  JudgeOptions options;
  options.stop_on_first_failure = true;
  JudgeResult stopped = judge(problem, "python", code, options);
  EXPECT_EQ(stopped.verdict, Verdict::kWA);
  ASSERT_EQ(stopped.tests.size(), 2u);
  EXPECT_EQ(stopped.tests[0].verdict, Verdict::kAC);
  EXPECT_EQ(stopped.tests[1].verdict, Verdict::kWA);
  EXPECT_EQ(stopped.passed, 1u);
  EXPECT_EQ(stopped.total, 5u);
}

// ---- batching: several harnessed tests per process ---------------------------------------------

// f(x) per test; the submissions below misbehave on chosen inputs.
Problem identity_problem(size_t tests, uint64_t time_ms) {
  Problem problem;
  problem.id = "identity";
  problem.mode = Mode::kFunction;
  problem.entry_point = "f";
  problem.signature.params = {{"x", "int"}};
  problem.signature.returns = "int";
  problem.limits.time_ms = time_ms;
  for (size_t i = 0; i < tests; ++i) {
    problem.tests.push_back({"[" + std::to_string(i) + "]", std::to_string(i), ""});
  }
  return problem;
}

std::vector<Verdict> verdicts(const JudgeResult& result) {
  std::vector<Verdict> out;
  for (const auto& test : result.tests) out.push_back(test.verdict);
  return out;
}

TEST_F(JudgeTest, BatchedTestsGetTheVerdictsOfLoneRuns) {
  // Test 1 is wrong, 2 raises, 4 loops forever, 6 exits the process quietly, 8 prints 2 MB
  // (over its 1 MiB output limit); the rest pass.
  const std::string code =
      "import os\n"
      "def f(x):\n"
      "    if x == 1: return 7\n"
      "    if x == 2: raise ValueError('two')\n"
      "    if x == 4:\n"
      "        while True: pass\n"
      "    if x == 6: os._exit(0)\n"
      "    if x == 8: print('x' * 2000000)\n"
      "    return x\n";
  const Problem problem = identity_problem(10, 300);
  const std::vector<Verdict> expected = {Verdict::kAC,  Verdict::kWA, Verdict::kRE, Verdict::kAC,
                                         Verdict::kTLE, Verdict::kAC, Verdict::kWA, Verdict::kAC,
                                         Verdict::kOLE, Verdict::kAC};
  for (size_t batch : {1, 3, 64}) {
    JudgeOptions options;
    options.batch_tests = batch;
    JudgeResult result = judge(problem, "python", code, options);
    EXPECT_EQ(verdicts(result), expected) << "batch " << batch << ": " << describe(result);
    EXPECT_EQ(result.verdict, Verdict::kWA) << describe(result);
    EXPECT_EQ(result.passed, 5u);
    ASSERT_EQ(result.tests.size(), 10u);
    EXPECT_NE(result.tests[2].message.find("ValueError: two"), std::string::npos)
        << result.tests[2].message;
    EXPECT_TRUE(stopped_at_a_limit(result.tests[4], 300)) << describe(result);
  }
}

TEST_F(JudgeTest, BatchThatRunsOutOfTimeRerunsTheTestThatWasRunning) {
  // Each test alone takes about 60% of the limit: two in one process exceed it, so the judge
  // must not blame the second test for the first one's time.
  const std::string code =
      "import time\n"
      "def f(x):\n"
      "    end = time.process_time() + 0.24\n"
      "    while time.process_time() < end: pass\n"
      "    return x\n";
  JudgeResult result = judge(identity_problem(4, 400), "python", code);
  EXPECT_EQ(result.verdict, Verdict::kAC) << describe(result);
  EXPECT_EQ(result.passed, 4u);
}

// A program that sleeps holds a worker until the wall clock stops it. After the first test that
// waited it out, the rest are not started (each would wait as long), whatever the batching: the
// submission holds the workers for about one wall-clock limit, not one per test.
TEST_F(JudgeTest, AWaitingProgramHoldsTheWorkersForOneWallLimitNotOnePerTest) {
  const std::string code =
      "import time\n"
      "def f(x):\n"
      "    if x >= 2: time.sleep(10 ** 6)\n"
      "    return x\n";
  // A waiting run is stopped at its CPU limit + 1 s: 1.5 s here.
  const Problem problem = identity_problem(6, 500);
  const std::vector<Verdict> expected = {Verdict::kAC,  Verdict::kAC,  Verdict::kTLE,
                                         Verdict::kTLE, Verdict::kTLE, Verdict::kTLE};
  for (size_t batch : {1, 64}) {
    JudgeOptions options;
    options.batch_tests = batch;
    const auto start = std::chrono::steady_clock::now();
    JudgeResult result = judge(problem, "python", code, options);
    const auto elapsed = std::chrono::steady_clock::now() - start;
    EXPECT_EQ(verdicts(result), expected) << "batch " << batch << ": " << describe(result);
    ASSERT_EQ(result.tests.size(), 6u);
    EXPECT_NE(result.tests[2].message.find("wall time"), std::string::npos) << describe(result);
    for (size_t i = 3; i < 6; ++i) {
      EXPECT_NE(result.tests[i].message.find("not run: test 3"), std::string::npos)
          << describe(result);
    }
    // Four tests of 1.5 s one after another (6 s), plus the batch's own 1.5 s, would exceed it.
    EXPECT_LT(elapsed, std::chrono::milliseconds(6000)) << "batch " << batch;
  }
}

TEST_F(JudgeTest, BatchedTestsShareGlobalsButNotArgumentsOrSolutions) {
  // A global counter sees every earlier test of its process, as on LeetCode; a fresh process per
  // test (batch_tests = 1) does not.
  const std::string code =
      "calls = 0\n"
      "def f(x):\n"
      "    global calls\n"
      "    calls += 1\n"
      "    return x if calls == 1 else -1\n";
  JudgeOptions lone;
  lone.batch_tests = 1;
  EXPECT_EQ(judge(identity_problem(3, 2000), "python", code, lone).verdict, Verdict::kAC);
  JudgeResult shared = judge(identity_problem(3, 2000), "python", code);
  EXPECT_EQ(verdicts(shared), (std::vector<Verdict>{Verdict::kAC, Verdict::kWA, Verdict::kWA}))
      << describe(shared);
  // Assert mode: a fresh Solution per test, and each test's names are its own.
  Problem problem;
  problem.id = "count";
  problem.mode = Mode::kAssert;
  problem.entry_point = "Solution().next";
  problem.tests = {
      {"", "", "def check(candidate):\n    assert candidate(1) == 1\nleak = 1\n"},
      {"", "",
       "assert 'leak' not in globals()\ndef check(candidate):\n    assert candidate(2) == 1\n"}};
  const std::string counting =
      "class Solution:\n"
      "    def __init__(self):\n"
      "        self.calls = 0\n"
      "    def next(self, x):\n"
      "        self.calls += 1\n"
      "        return self.calls\n";
  JudgeResult fresh = judge(problem, "python", counting);
  EXPECT_EQ(fresh.verdict, Verdict::kAC) << describe(fresh);
}

TEST_F(JudgeTest, BatchedOutputsAreSplitPerTest) {
  const std::string code =
      "def f(x):\n"
      "    print('debug', x)\n"
      "    if x == 2: raise KeyError('k')\n"
      "    return x\n";
  JudgeOptions options;
  options.return_outputs = true;
  JudgeResult result = judge(identity_problem(4, 2000), "python", code, options);
  ASSERT_EQ(result.tests.size(), 4u) << describe(result);
  EXPECT_EQ(result.tests[0].stdout_data, "debug 0\n");
  EXPECT_EQ(result.tests[1].stdout_data, "debug 1\n");
  EXPECT_EQ(result.tests[2].verdict, Verdict::kRE);
  EXPECT_EQ(result.tests[2].stdout_data, "debug 2\n");
  EXPECT_NE(result.tests[2].stderr_data.find("KeyError"), std::string::npos);
  EXPECT_EQ(result.tests[3].verdict, Verdict::kAC);
  EXPECT_EQ(result.tests[3].stdout_data, "debug 3\n");
}

TEST_F(JudgeTest, BatchedAssertTestsStopAtTheFirstFailureAndGoOn) {
  Problem problem;
  problem.id = "add";
  problem.mode = Mode::kAssert;
  problem.entry_point = "add";
  problem.tests = {{"", "", "assert add(1, 1) == 2\n"}, {"", "", "assert add(2, 2) == 4\n"},
                   {"", "", "assert add(3, 3) == 7\n"},  // wrong on purpose
                   {"", "", "assert add(4, 4) == 8\n"}, {"", "", "add(None, 1)\n"},
                   {"", "", "assert add(5, 5) == 10\n"}};
  JudgeResult result = judge(problem, "python", "def add(a, b):\n    return a + b\n");
  EXPECT_EQ(verdicts(result), (std::vector<Verdict>{Verdict::kAC, Verdict::kAC, Verdict::kWA,
                                                    Verdict::kAC, Verdict::kRE, Verdict::kAC}))
      << describe(result);
  JudgeOptions stop;
  stop.stop_on_first_failure = true;
  JudgeResult stopped = judge(problem, "python", "def add(a, b):\n    return a + b\n", stop);
  EXPECT_EQ(stopped.tests.size(), 3u) << describe(stopped);
  EXPECT_EQ(stopped.verdict, Verdict::kWA);
}

TEST_F(JudgeTest, ReturnedOutputsAreCutOnUtf8Boundaries) {
  Problem problem = sum_problem();
  problem.tests = {{"", "ééé\n", ""}};
  JudgeOptions options;
  options.return_outputs = true;
  options.output_return_bytes = 3;  // "é" is two bytes: 3 bytes keep one and a half
  JudgeResult result = judge(problem, "python", "print('ééé')\n", options);
  EXPECT_EQ(result.verdict, Verdict::kAC) << describe(result);
  ASSERT_EQ(result.tests.size(), 1u);
  EXPECT_EQ(result.tests[0].stdout_data, "é");
  EXPECT_EQ(result.tests[0].expected, "é");
}

TEST_F(JudgeTest, RejectedRequestsAndOversizedSources) {
  JudgeResult unknown = judge(sum_problem(), "cobol", "DISPLAY 'HI'.");
  EXPECT_EQ(unknown.verdict, Verdict::kIE);
  EXPECT_NE(unknown.message.find("unknown language"), std::string::npos);
  std::string huge = "# " + std::string(kMaxSourceBytes, 'x') + "\n";
  JudgeResult big = judge(sum_problem(), "python", huge);
  EXPECT_EQ(big.verdict, Verdict::kCE);
  EXPECT_NE(big.compile.stderr_data.find("limit"), std::string::npos);
  Problem empty = sum_problem();
  empty.tests.clear();
  EXPECT_EQ(judge(empty, "python", "print(1)\n").verdict, Verdict::kIE);
  JudgeResult no_harness = judge(two_sum_problem(), "go", "package main\nfunc main() {}\n");
  EXPECT_EQ(no_harness.verdict, Verdict::kIE);
}

TEST_F(JudgeTest, OversizedProgramIsACompileError) {
  // 80 MiB of initialised data: the binary is over the 64 MiB the cache keeps per compile.
  JudgeResult result = judge(sum_problem(), "c",
                             "char big[80 << 20] = {1};\n"
                             "int main(int argc, char** argv) { (void)argv; return big[argc]; }\n");
  EXPECT_EQ(result.verdict, Verdict::kCE) << describe(result);
  EXPECT_NE(result.compile.stderr_data.find("larger than 64 MiB"), std::string::npos)
      << result.compile.stderr_data;
}

TEST_F(JudgeTest, EightConcurrentIdenticalSubmissionsCompileOnce) {
  const std::string code = unique_comment("cpp") + submission_file("sum/correct.cpp");
  const CacheStats before = judge_->cache_stats();
  std::vector<std::thread> threads;
  std::atomic<int> accepted{0};
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      if (judge(sum_problem(), "cpp", code).verdict == Verdict::kAC) ++accepted;
    });
  }
  for (auto& thread : threads) thread.join();
  const CacheStats after = judge_->cache_stats();
  EXPECT_EQ(accepted.load(), 8);
  EXPECT_EQ(after.misses - before.misses, 1u);
  EXPECT_EQ(after.hits - before.hits, 7u);
}

TEST_F(JudgeTest, CompileErrorsAreCached) {
  const std::string code = unique_comment("cpp") + submission_file("sum/ce.cpp");
  JudgeResult first = judge(sum_problem(), "cpp", code);
  JudgeResult second = judge(sum_problem(), "cpp", code);
  EXPECT_EQ(first.verdict, Verdict::kCE);
  EXPECT_EQ(second.verdict, Verdict::kCE);
  EXPECT_FALSE(first.compile.cached);
  EXPECT_TRUE(second.compile.cached);
  EXPECT_EQ(first.compile.stderr_data, second.compile.stderr_data);
  EXPECT_NE(second.compile.stderr_data.find("was not declared"), std::string::npos)
      << second.compile.stderr_data;
}

TEST_F(JudgeTest, RunCompilesAndRunsOnce) {
  sandbox::Limits limits;
  Judge::RunOutput output = judge_->run(
      Submission{"python", "import sys\nprint(sys.stdin.read().upper())\n"}, "hello", limits);
  EXPECT_TRUE(output.compile.ok);
  EXPECT_EQ(output.run.status, sandbox::Status::kOk) << output.run.message;
  EXPECT_EQ(output.run.stdout_data, "HELLO\n");
  Judge::RunOutput broken = judge_->run(Submission{"c", "int main( {"}, "", limits);
  EXPECT_FALSE(broken.compile.ok);
  EXPECT_NE(broken.compile.stderr_data.find("error"), std::string::npos)
      << broken.compile.stderr_data << broken.run.message;
}

// Throughput of trivial stdio submissions (printed for the report): 100 tests each.
TEST_F(JudgeTest, ThroughputOfHundredTests) {
  Problem problem = sum_problem();
  problem.tests.clear();
  for (int i = 0; i < 100; ++i) {
    problem.tests.push_back(
        {std::to_string(i) + " " + std::to_string(2 * i) + "\n", std::to_string(3 * i) + "\n", ""});
  }
  for (const char* language : {"python", "cpp"}) {
    const std::string code =
        submission_file(std::string("sum/correct.") + file_extension(language));
    judge(problem, language, code);  // compile (or hit) outside the measurement
    JudgeResult result = judge(problem, language, code);
    EXPECT_EQ(result.verdict, Verdict::kAC) << describe(result);
    EXPECT_EQ(result.passed, 100u);
    std::printf("[ throughput ] %-6s 100 tests in %llu ms: %.1f tests/s\n", language,
                static_cast<unsigned long long>(result.wall_ms),
                100000.0 / static_cast<double>(std::max<uint64_t>(result.wall_ms, 1)));
  }
}

}  // namespace
}  // namespace codejudge::judges
