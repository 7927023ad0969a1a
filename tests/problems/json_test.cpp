#include "codejudge/problems/json.h"

#include <gtest/gtest.h>

namespace codejudge::problems {
namespace {

using nlohmann::json;

json minimal_stdio() {
  return {{"id", "t/one"}, {"mode", "stdio"}, {"tests", {{{"input", "1\n"}, {"output", "1\n"}}}}};
}

std::string parse_error(const json& value) {
  std::string error;
  auto problem = problem_from_json(value, &error);
  EXPECT_FALSE(problem.has_value());
  return error;
}

TEST(ModeNames, RoundTripAndRejectUnknown) {
  for (Mode mode : {Mode::kStdio, Mode::kFunction, Mode::kAssert}) {
    EXPECT_EQ(parse_mode(mode_name(mode)), mode);
  }
  EXPECT_STREQ(mode_name(Mode::kFunction), "function");
  EXPECT_FALSE(parse_mode("Stdio").has_value());
  using Type = CheckerSpec::Type;
  for (Type type :
       {Type::kExact, Type::kLines, Type::kTokens, Type::kFloat, Type::kUnordered, Type::kCustom}) {
    EXPECT_EQ(parse_checker_type(checker_type_name(type)), type);
  }
  EXPECT_STREQ(checker_type_name(Type::kUnordered), "unordered");
  EXPECT_FALSE(parse_checker_type("fuzzy").has_value());
}

TEST(ProblemJson, MinimalStdioGetsDefaults) {
  std::string error;
  auto problem = problem_from_json(minimal_stdio(), &error);
  ASSERT_TRUE(problem) << error;
  EXPECT_EQ(problem->id, "t/one");
  EXPECT_EQ(problem->mode, Mode::kStdio);
  ASSERT_EQ(problem->tests.size(), 1u);
  EXPECT_EQ(problem->tests[0].input, "1\n");
  EXPECT_EQ(problem->tests[0].expected, "1\n");
  EXPECT_EQ(problem->checker.type, CheckerSpec::Type::kTokens);
  EXPECT_EQ(problem->public_tests, 0u);
  EXPECT_EQ(problem->limits.time_ms, ProblemLimits{}.time_ms);
}

TEST(ProblemJson, FullProblemRoundTrips) {
  json input = {
      {"id", "t/Full_1.x"},
      {"title", "Full"},
      {"statement", "Add numbers."},
      {"difficulty", "hard"},
      {"tags", {"math", "arrays"}},
      {"mode", "function"},
      {"entry_point", "Solution().add"},
      {"signature",
       {{"params",
         {{{"name", "xs"}, {"type", "list[list[long]]"}}, {{"name", "t"}, {"type", "TreeNode"}}}},
        {"returns", "list[float]"}}},
      {"starter_code", {{"python", "class Solution: ..."}, {"cpp", "// todo"}}},
      {"tests",
       {{{"input", {{{1, 2}}, {3, nullptr}}}, {"output", {1.5, 2}}},
        {{"input", {json::array(), json::array()}}, {"output", json::array()}}}},
      {"public_tests", 1},
      {"checker",
       {{"type", "custom"},
        {"abs_tol", 0.25},
        {"rel_tol", 0},
        {"language", "cpp"},
        {"code", "int main() {}"}}},
      {"limits", {{"time_ms", 1500}, {"memory_mb", 512}}},
      {"reference", {{"python", "ref"}}},
      {"preamble", {{"java", "import java.util.*;"}}},
      {"source", "hand written"},
      {"license", "MIT"},
  };
  std::string error;
  auto problem = problem_from_json(input, &error);
  ASSERT_TRUE(problem) << error;
  EXPECT_EQ(problem->tests[0].input, "[[[1,2]],[3,null]]");
  EXPECT_EQ(problem->tests[0].expected, "[1.5,2]");
  EXPECT_EQ(problem->signature.params[1].type, "TreeNode");
  EXPECT_EQ(problem->checker.type, CheckerSpec::Type::kCustom);
  EXPECT_EQ(problem->checker.abs_tol, 0.25);
  EXPECT_EQ(problem->limits.memory_mb, 512u);

  json output = to_json(*problem);
  EXPECT_EQ(output, input);
  auto again = problem_from_json(output, &error);
  ASSERT_TRUE(again) << error;
  EXPECT_EQ(to_json(*again), output);
}

TEST(ProblemJson, AssertProblemRoundTripsThroughText) {
  json input = {{"id", "t/assert"},
                {"mode", "assert"},
                {"entry_point", "f"},
                {"tests", {{{"code", "assert f() == 1\n"}}}}};
  std::string error;
  auto problem = problem_from_json_text(input.dump(), &error);
  ASSERT_TRUE(problem) << error;
  EXPECT_EQ(problem->tests[0].code, "assert f() == 1\n");
  auto again = problem_from_json_text(to_json(*problem).dump(), &error);
  ASSERT_TRUE(again) << error;
  EXPECT_EQ(to_json(*again), to_json(*problem));
}

struct BadCase {
  const char* name;
  json patch;                  // merged into a valid function-mode problem
  const char* expected_error;  // a fragment of the message
};

json valid_function_problem() {
  return {{"id", "t/fn"},
          {"mode", "function"},
          {"entry_point", "f"},
          {"signature", {{"params", {{{"name", "x"}, {"type", "int"}}}}, {"returns", "int"}}},
          {"tests", {{{"input", {1}}, {"output", 2}}}}};
}

TEST(ProblemJson, RejectsBadFieldsWithTheirNames) {
  const BadCase cases[] = {
      {"typo at top level", {{"tset", 1}}, "unknown field 'tset'"},
      {"id charset", {{"id", "bad id!"}}, "id:"},
      {"id type", {{"id", 7}}, "id: required string"},
      {"mode", {{"mode", "interactive"}}, "mode: unknown mode 'interactive'"},
      {"difficulty", {{"difficulty", "extreme"}}, "difficulty"},
      {"tags", {{"tags", {"a", 1}}}, "tags[1]"},
      {"entry point", {{"entry_point", "os.system('x')"}}, "entry_point"},
      {"missing signature", {{"signature", nullptr}}, "signature"},
      {"param type",
       {{"signature", {{"params", {{{"name", "x"}, {"type", "list[int"}}}}, {"returns", "int"}}}},
       "signature.params[0].type"},
      {"param typo",
       {{"signature", {{"params", {{{"name", "x"}, {"typ", "int"}}}}, {"returns", "int"}}}},
       "unknown field 'signature.params[0].typ'"},
      {"duplicate param",
       {{"signature",
         {{"params", {{{"name", "x"}, {"type", "int"}}, {{"name", "x"}, {"type", "int"}}}},
          {"returns", "int"}}}},
       "duplicate parameter"},
      {"returns",
       {{"signature", {{"params", json::array()}, {"returns", "none"}}}},
       "signature.returns"},
      {"argument count",
       {{"tests", {{{"input", {1, 2}}, {"output", 3}}}}},
       "tests[0].input: 2 arguments"},
      {"input not array", {{"tests", {{{"input", 1}, {"output", 3}}}}}, "tests[0].input"},
      {"missing output", {{"tests", {{{"input", {1}}}}}}, "tests[0].output"},
      {"empty tests", {{"tests", json::array()}}, "tests: at least one"},
      {"public tests", {{"public_tests", 2}}, "public_tests"},
      {"negative public tests", {{"public_tests", -1}}, "public_tests"},
      {"language key", {{"starter_code", {{"cobol", "x"}}}}, "unknown language 'cobol'"},
      {"reference value", {{"reference", {{"python", 3}}}}, "reference.python"},
      {"checker type", {{"checker", {{"type", "fuzzy"}}}}, "checker.type"},
      {"checker tolerance", {{"checker", {{"type", "float"}, {"abs_tol", -1}}}}, "checker.abs_tol"},
      {"custom without code",
       {{"checker", {{"type", "custom"}, {"language", "python"}}}},
       "checker.code"},
      {"custom language",
       {{"checker", {{"type", "custom"}, {"language", "perl"}, {"code", "1"}}}},
       "checker.language"},
      {"code on builtin checker",
       {{"checker", {{"type", "exact"}, {"code", "x"}}}},
       "only for type custom"},
      {"time limit", {{"limits", {{"time_ms", 0}}}}, "limits.time_ms"},
      {"memory limit", {{"limits", {{"memory_mb", 100000}}}}, "limits.memory_mb"},
      // Each of these would make every run an internal error: refused at load.
      {"memory under the sandbox's floor",
       {{"limits", {{"memory_mb", 3}}}},
       "limits.memory_mb: must be between 4"},
      {"dotted function entry point", {{"entry_point", "a.b"}}, "entry_point: function mode"},
      {"called function entry point", {{"entry_point", "f()"}}, "entry_point: function mode"},
      {"method of a method", {{"entry_point", "A().b().f"}}, "entry_point: function mode"},
      {"void without an argument to modify",
       {{"signature", {{"params", json::array()}, {"returns", "void"}}}},
       "signature.returns: void"},
      {"argument of another type",
       {{"tests", {{{"input", {"one"}}, {"output", 2}}}}},
       "tests[0].input[0]: not a value of parameter 'x' (int)"},
      {"fractional int", {{"tests", {{{"input", {1.5}}, {"output", 2}}}}}, "tests[0].input[0]"},
      {"limits typo", {{"limits", {{"time", 10}}}}, "unknown field 'limits.time'"},
  };
  for (const BadCase& bad : cases) {
    json value = valid_function_problem();
    value.merge_patch(bad.patch);
    std::string error = parse_error(value);
    EXPECT_NE(error.find(bad.expected_error), std::string::npos)
        << bad.name << ": got '" << error << "'";
  }
  // The unpatched problem is valid, so each failure above comes from its patch.
  std::string error;
  EXPECT_TRUE(problem_from_json(valid_function_problem(), &error)) << error;
}

// Arguments are checked against their types as the harnesses read them: what passes here runs.
TEST(ProblemJson, FunctionArgumentsFitTheirTypes) {
  json problem = valid_function_problem();
  problem["signature"] = {{"params",
                           {{{"name", "a"}, {"type", "int"}},
                            {{"name", "b"}, {"type", "long"}},
                            {{"name", "c"}, {"type", "float"}},
                            {{"name", "d"}, {"type", "bool"}},
                            {{"name", "e"}, {"type", "str"}},
                            {{"name", "f"}, {"type", "list[list[int]]"}},
                            {{"name", "g"}, {"type", "ListNode"}},
                            {{"name", "h"}, {"type", "TreeNode"}}}},
                          {"returns", "void"}};
  const json fits = {3.0, int64_t{1} << 40,        2,      true,
                     "x", {{1, 2}, json::array()}, {1, 2}, {1, nullptr, 2}};
  problem["tests"] = {{{"input", fits}, {"output", 0}}};
  std::string error;
  EXPECT_TRUE(problem_from_json(problem, &error)) << error;
  const std::pair<size_t, json> misfits[] = {{0, "3"},    {2, true},         {3, 1},    {4, 1},
                                             {5, {1, 2}}, {6, {1, nullptr}}, {7, {"a"}}};
  for (const auto& [index, value] : misfits) {
    json bad = problem;
    bad["tests"][0]["input"][index] = value;
    EXPECT_NE(parse_error(bad).find("tests[0].input[" + std::to_string(index) + "]"),
              std::string::npos)
        << value.dump() << ": " << parse_error(bad);
  }
}

TEST(ProblemJson, ModeSpecificTestShapes) {
  json stdio = minimal_stdio();
  stdio["tests"] = {{{"code", "assert True"}}};
  EXPECT_NE(parse_error(stdio).find("unknown field 'tests[0].code'"), std::string::npos);
  json assert_problem = {{"id", "t/a"}, {"mode", "assert"}, {"tests", {{{"code", "assert 1"}}}}};
  EXPECT_NE(parse_error(assert_problem).find("entry_point"), std::string::npos);
  assert_problem["entry_point"] = "f";
  assert_problem["tests"] = {{{"code", ""}}};
  EXPECT_NE(parse_error(assert_problem).find("tests[0].code"), std::string::npos);
}

TEST(ProblemJson, RejectsInvalidJsonTextAndNonObjects) {
  std::string error;
  EXPECT_FALSE(problem_from_json_text("{\"id\": ", &error));
  EXPECT_NE(error.find("invalid JSON"), std::string::npos);
  EXPECT_FALSE(problem_from_json_text("[1, 2]", &error));
  EXPECT_NE(error.find("expected a JSON object"), std::string::npos);
}

TEST(CheckerJson, ParsesAloneForInlineRequests) {
  std::string error;
  auto checker = checker_from_json({{"type", "float"}, {"abs_tol", 1e-3}}, &error);
  ASSERT_TRUE(checker) << error;
  EXPECT_EQ(checker->type, CheckerSpec::Type::kFloat);
  EXPECT_DOUBLE_EQ(checker->abs_tol, 1e-3);
  EXPECT_DOUBLE_EQ(checker->rel_tol, CheckerSpec{}.rel_tol);
  EXPECT_EQ(to_json(*checker)["type"], "float");
  EXPECT_FALSE(checker_from_json(json::array(), &error));
  EXPECT_FALSE(checker_from_json({{"abs_tol", 1}}, &error));
  EXPECT_NE(error.find("checker.type"), std::string::npos);
}

TEST(SignatureJson, TypeGrammar) {
  for (const char* type : {"int", "long", "float", "bool", "str", "ListNode", "TreeNode",
                           "list[int]", "list[list[str]]", "list[TreeNode]"}) {
    EXPECT_TRUE(valid_value_type(type)) << type;
  }
  for (const char* type : {"", "integer", "list", "list[]", "list[int", "list[int]]", "List[int]",
                           "list[list[int]", "dict[str]", " int", "intx"}) {
    EXPECT_FALSE(valid_value_type(type)) << type;
  }
  std::string error;
  auto signature = signature_from_json(
      {{"params", {{{"name", "head"}, {"type", "ListNode"}}}}, {"returns", "list[int]"}}, &error);
  ASSERT_TRUE(signature) << error;
  EXPECT_EQ(signature->params[0].name, "head");
  EXPECT_EQ(to_json(*signature)["returns"], "list[int]");
}

TEST(TestsJson, StoresFunctionValuesAsCompactJson) {
  std::vector<problems::Test> tests;
  std::string error;
  ASSERT_TRUE(tests_from_json(
      Mode::kFunction, json::parse(R"([{"input": [ [1, 2], "a b" ], "output": {"k": [true]}}])"),
      &tests, &error))
      << error;
  ASSERT_EQ(tests.size(), 1u);
  EXPECT_EQ(tests[0].input, R"([[1,2],"a b"])");
  EXPECT_EQ(tests[0].expected, R"({"k":[true]})");
  // A failed parse leaves the previous tests alone.
  EXPECT_FALSE(tests_from_json(Mode::kStdio, json::parse(R"([{"input": "x"}])"), &tests, &error));
  EXPECT_NE(error.find("tests[0].output"), std::string::npos);
  EXPECT_EQ(tests.size(), 1u);
}

TEST(EntryPoints, AcceptNamesAndSolutionMethodsOnly) {
  for (const char* ok : {"add", "_f2", "Solution().twoSum", "mod.func", "A().b().c"}) {
    EXPECT_TRUE(valid_entry_point(ok)) << ok;
  }
  for (const char* bad :
       {"", "1f", "f(1)", "os.system('ls')", "a..b", "a.", "f()()", "a b", "__import__('os')"}) {
    EXPECT_FALSE(valid_entry_point(bad)) << bad;
  }
}

TEST(PublicView, HidesReferencesHiddenTestsAndCheckerCode) {
  json input = valid_function_problem();
  input["tests"] = {{{"input", {1}}, {"output", 2}},
                    {{"input", {5}}, {"output", 6}},
                    {{"input", {7}}, {"output", 8}}};
  input["public_tests"] = 2;
  input["reference"] = {{"python", "def f(x): return x + 1"}};
  input["checker"] = {{"type", "custom"}, {"language", "python"}, {"code", "secret"}};
  std::string error;
  auto problem = problem_from_json(input, &error);
  ASSERT_TRUE(problem) << error;
  json view = public_view(*problem);
  EXPECT_FALSE(view.contains("reference"));
  ASSERT_EQ(view["tests"].size(), 2u);
  EXPECT_EQ(view["tests"][1]["input"], json({5}));
  EXPECT_EQ(view["test_count"], 3);
  EXPECT_EQ(view["checker"]["type"], "custom");
  EXPECT_FALSE(view["checker"].contains("code"));
  EXPECT_EQ(view["entry_point"], "f");
  problem->public_tests = 0;
  EXPECT_TRUE(public_view(*problem)["tests"].empty());
}

}  // namespace
}  // namespace codejudge::problems
