#include "codejudge/judges/checker.h"

#include <chrono>
#include <string>

#include <gtest/gtest.h>

namespace codejudge::judges {
namespace {

using Type = problems::CheckerSpec::Type;

problems::CheckerSpec spec_of(Type type, double abs_tol = 1e-6, double rel_tol = 1e-6) {
  problems::CheckerSpec spec;
  spec.type = type;
  spec.abs_tol = abs_tol;
  spec.rel_tol = rel_tol;
  return spec;
}

bool accepts(Type type, std::string_view expected, std::string_view actual) {
  return check_text(spec_of(type), expected, actual).accepted;
}

// Rejections always say why; acceptances say nothing.
void expect_consistent(const CheckOutcome& outcome) {
  EXPECT_EQ(outcome.accepted, outcome.message.empty()) << outcome.message;
}

// ---- exact ----

TEST(CheckExact, AcceptsIdenticalBytesOnly) {
  EXPECT_TRUE(accepts(Type::kExact, "1 2\n3\n", "1 2\n3\n"));
  EXPECT_TRUE(accepts(Type::kExact, "", ""));
  EXPECT_FALSE(accepts(Type::kExact, "1 2\n3\n", "1 2\n3"));
  EXPECT_FALSE(accepts(Type::kExact, "1 2\n3", "1 2\n3\n"));
  EXPECT_FALSE(accepts(Type::kExact, "a\nb\n", "a\r\nb\r\n"));
  EXPECT_FALSE(accepts(Type::kExact, "Yes", "yes"));
  EXPECT_FALSE(accepts(Type::kExact, "abc", ""));
  EXPECT_FALSE(accepts(Type::kExact, "", "abc"));
}

TEST(CheckExact, MessageLocatesTheFirstDifference) {
  const CheckOutcome outcome =
      check_text(spec_of(Type::kExact), "line1\nabcdef\n", "line1\nabcxef\n");
  ASSERT_FALSE(outcome.accepted);
  EXPECT_NE(outcome.message.find("byte 9"), std::string::npos) << outcome.message;
  EXPECT_NE(outcome.message.find("line 2"), std::string::npos) << outcome.message;
  // Context starts at the beginning of the differing line, not on line 1.
  EXPECT_NE(outcome.message.find("\"abcdef\\n\""), std::string::npos) << outcome.message;
  EXPECT_NE(outcome.message.find("\"abcxef\\n\""), std::string::npos) << outcome.message;

  const CheckOutcome shorter = check_text(spec_of(Type::kExact), "abc", "ab");
  EXPECT_NE(shorter.message.find("got end of output"), std::string::npos) << shorter.message;
}

// ---- lines ----

TEST(CheckLines, IgnoresTrailingWhitespaceAndTrailingBlankLines) {
  EXPECT_TRUE(accepts(Type::kLines, "a b\nc\n", "a b  \nc\t\n\n\n"));
  EXPECT_TRUE(accepts(Type::kLines, "a b\nc\n", "a b\r\nc\r\n"));
  EXPECT_TRUE(accepts(Type::kLines, "a b\nc", "a b\nc\n"));
  EXPECT_TRUE(accepts(Type::kLines, "", "\n\n  \n"));
  EXPECT_TRUE(accepts(Type::kLines, "", ""));
}

TEST(CheckLines, LeadingWhitespaceAndInnerSpacingMatter) {
  EXPECT_FALSE(accepts(Type::kLines, "a b\n", " a b\n"));
  EXPECT_FALSE(accepts(Type::kLines, "a b\n", "a  b\n"));
  EXPECT_FALSE(accepts(Type::kLines, "a\nb\n", "a\n\nb\n"));  // an inner blank line counts
  EXPECT_FALSE(accepts(Type::kLines, "a\n", "A\n"));
}

TEST(CheckLines, RejectsPrefixesAndExtraLines) {
  const CheckOutcome missing = check_text(spec_of(Type::kLines), "1\n2\n3\n", "1\n2\n");
  EXPECT_FALSE(missing.accepted);
  EXPECT_NE(missing.message.find("line 3"), std::string::npos) << missing.message;
  EXPECT_NE(missing.message.find("end of output"), std::string::npos) << missing.message;
  const CheckOutcome extra = check_text(spec_of(Type::kLines), "1\n2\n", "1\n2\n3\n");
  EXPECT_FALSE(extra.accepted);
  EXPECT_NE(extra.message.find("expected end of output"), std::string::npos) << extra.message;
  EXPECT_FALSE(accepts(Type::kLines, "1\n", ""));
  EXPECT_FALSE(accepts(Type::kLines, "", "1\n"));
}

TEST(CheckLines, MessageNamesTheLine) {
  const CheckOutcome outcome = check_text(spec_of(Type::kLines), "x\ny\nz\n", "x\nY\nz\n");
  ASSERT_FALSE(outcome.accepted);
  EXPECT_EQ(outcome.message, "line 2: expected \"y\", got \"Y\"");
}

// ---- tokens ----

TEST(CheckTokens, WhitespaceLayoutDoesNotMatter) {
  EXPECT_TRUE(accepts(Type::kTokens, "1 2 3\n", "1\n2\t3"));
  EXPECT_TRUE(accepts(Type::kTokens, "1 2 3\n", "  1   2 3  \r\n\r\n"));
  EXPECT_TRUE(accepts(Type::kTokens, "", "  \n\t"));
  EXPECT_TRUE(accepts(Type::kTokens, "", ""));
}

TEST(CheckTokens, CaseSensitiveAndExactTokens) {
  EXPECT_FALSE(accepts(Type::kTokens, "YES", "yes"));
  EXPECT_FALSE(accepts(Type::kTokens, "12", "1 2"));
  EXPECT_FALSE(accepts(Type::kTokens, "1.0", "1"));  // not numeric here
}

TEST(CheckTokens, RejectsPrefixAndExtra) {
  EXPECT_FALSE(accepts(Type::kTokens, "1 2 3", "1 2"));
  EXPECT_FALSE(accepts(Type::kTokens, "1 2", "1 2 3"));
  EXPECT_FALSE(accepts(Type::kTokens, "1", ""));
  EXPECT_FALSE(accepts(Type::kTokens, "", "1"));
  const CheckOutcome outcome = check_text(spec_of(Type::kTokens), "a b c", "a b d");
  EXPECT_EQ(outcome.message, "token 3: expected \"c\", got \"d\"");
}

TEST(CheckTokens, LongValuesAreTruncatedInMessages) {
  const std::string expected(10000, 'a');
  const std::string actual(10000, 'b');
  const CheckOutcome outcome = check_text(spec_of(Type::kTokens), expected, actual);
  ASSERT_FALSE(outcome.accepted);
  EXPECT_LT(outcome.message.size(), 200u);
  EXPECT_NE(outcome.message.find("..."), std::string::npos);
}

TEST(CheckTokens, MessagesStayValidUtf8) {
  // A cut through a multi-byte character or raw invalid bytes must not reach the message as is.
  std::string expected(47, 'a');
  expected += "\xC3\xA9\xC3\xA9";  // é é straddling the 48-byte cut
  const std::string actual = "\xFF\xFE";
  const CheckOutcome outcome = check_text(spec_of(Type::kTokens), expected, actual);
  ASSERT_FALSE(outcome.accepted);
  EXPECT_NE(outcome.message.find("\\xFF\\xFE"), std::string::npos) << outcome.message;
  EXPECT_NE(outcome.message.find("\xC3\xA9"), std::string::npos) << outcome.message;
  EXPECT_EQ(outcome.message.find('\xFF'), std::string::npos);
}

// ---- float ----

TEST(CheckFloat, WithinAbsoluteTolerance) {
  const auto spec = spec_of(Type::kFloat, 1e-6, 0.0);
  EXPECT_TRUE(check_text(spec, "0.333333", "0.3333334").accepted);
  EXPECT_TRUE(check_text(spec, "1.5 2.5", "1.5000001 2.4999999").accepted);
  EXPECT_FALSE(check_text(spec, "0.333333", "0.3334").accepted);
  EXPECT_TRUE(check_text(spec, "0", "-0.0000001").accepted);
}

TEST(CheckFloat, RelativeToleranceOnLargeNumbers) {
  const auto spec = spec_of(Type::kFloat, 1e-6, 1e-6);
  // 1e12 * 1e-6 = 1e6 of slack, far beyond the absolute tolerance.
  EXPECT_TRUE(check_text(spec, "1000000000000", "1000000500000").accepted);
  EXPECT_FALSE(check_text(spec, "1000000000000", "1000002000000").accepted);
  // The relative tolerance is taken from the expected value.
  EXPECT_FALSE(check_text(spec_of(Type::kFloat, 0.0, 1e-6), "0", "1e-9").accepted);
}

TEST(CheckFloat, ExponentNotationAndSigns) {
  const auto spec = spec_of(Type::kFloat);
  EXPECT_TRUE(check_text(spec, "1e3", "1000.0").accepted);
  EXPECT_TRUE(check_text(spec, "1.5E-3", "0.0015").accepted);
  EXPECT_TRUE(check_text(spec, "+2", "2").accepted);
  EXPECT_TRUE(check_text(spec, ".5", "0.5").accepted);
  EXPECT_TRUE(check_text(spec, "-1e-400", "0").accepted);  // underflow is a finite tiny number
  EXPECT_FALSE(check_text(spec, "1e3", "1e4").accepted);
  EXPECT_FALSE(check_text(spec, "1", "+-1").accepted);
  EXPECT_FALSE(check_text(spec, "1", "0x1").accepted);  // no hex: tokens parse fully as decimal
}

TEST(CheckFloat, NonNumbersMustMatchExactly) {
  const auto spec = spec_of(Type::kFloat);
  EXPECT_TRUE(check_text(spec, "Case #1: 0.5", "Case #1: 0.5000001").accepted);
  EXPECT_FALSE(check_text(spec, "Case #1: 0.5", "case #1: 0.5").accepted);
  EXPECT_FALSE(check_text(spec, "YES", "1").accepted);
  EXPECT_FALSE(check_text(spec, "1", "1.0abc").accepted);
  EXPECT_FALSE(check_text(spec, "1.0abc", "1.0").accepted);
}

TEST(CheckFloat, NanAndInfinityOnlyMatchTheSameText) {
  const auto spec = spec_of(Type::kFloat, 1e300, 1e300);
  EXPECT_TRUE(check_text(spec, "nan", "nan").accepted);
  EXPECT_TRUE(check_text(spec, "inf", "inf").accepted);
  EXPECT_FALSE(check_text(spec, "nan", "NaN").accepted);
  EXPECT_FALSE(check_text(spec, "nan", "0").accepted);
  EXPECT_FALSE(check_text(spec, "inf", "1e308").accepted);
  EXPECT_FALSE(check_text(spec, "1e308", "inf").accepted);
  EXPECT_FALSE(check_text(spec, "1e400", "inf").accepted);  // overflow is not a finite number
}

TEST(CheckFloat, TokenCountsMustMatch) {
  const auto spec = spec_of(Type::kFloat);
  EXPECT_FALSE(check_text(spec, "1.0 2.0", "1.0").accepted);
  EXPECT_FALSE(check_text(spec, "1.0", "1.0 2.0").accepted);
  EXPECT_TRUE(check_text(spec, "", "").accepted);
  const CheckOutcome outcome = check_text(spec, "1.0 2.0 3.0", "1.0 2.0 3.5");
  EXPECT_EQ(outcome.message, "token 3: expected \"3.0\", got \"3.5\"");
}

// ---- unordered ----

TEST(CheckUnordered, AnyOrderOfLines) {
  EXPECT_TRUE(accepts(Type::kUnordered, "a\nb\nc\n", "c\na\nb\n"));
  EXPECT_TRUE(accepts(Type::kUnordered, "a\nb\nc\n", "c  \r\na\nb\n\n\n"));
  EXPECT_TRUE(accepts(Type::kUnordered, "", ""));
  EXPECT_FALSE(accepts(Type::kUnordered, "a b\n", "b a\n"));  // lines, not tokens
  EXPECT_FALSE(accepts(Type::kUnordered, "a\n", " a\n"));
}

TEST(CheckUnordered, DuplicatesCount) {
  EXPECT_TRUE(accepts(Type::kUnordered, "x\nx\ny\n", "x\ny\nx\n"));
  const CheckOutcome missing = check_text(spec_of(Type::kUnordered), "x\nx\ny\n", "x\ny\ny\n");
  ASSERT_FALSE(missing.accepted);
  EXPECT_NE(missing.message.find("missing line \"x\""), std::string::npos) << missing.message;
  const CheckOutcome extra = check_text(spec_of(Type::kUnordered), "x\ny\n", "x\ny\nz\n");
  ASSERT_FALSE(extra.accepted);
  EXPECT_NE(extra.message.find("unexpected line \"z\""), std::string::npos) << extra.message;
  EXPECT_FALSE(accepts(Type::kUnordered, "x\ny\n", "y\n"));
  EXPECT_FALSE(accepts(Type::kUnordered, "x\n", ""));
}

// ---- custom ----

TEST(CheckCustom, IsLeftToTheJudge) {
  const CheckOutcome outcome = check_text(spec_of(Type::kCustom), "1", "1");
  EXPECT_FALSE(outcome.accepted);
  EXPECT_EQ(outcome.message, "custom checker must be run by the judge");
}

TEST(CheckText, MessagesMatchTheOutcome) {
  for (Type type : {Type::kExact, Type::kLines, Type::kTokens, Type::kFloat, Type::kUnordered}) {
    expect_consistent(check_text(spec_of(type), "1 2\n3\n", "1 2\n3\n"));
    expect_consistent(check_text(spec_of(type), "1 2\n3\n", "1 2\n4\n"));
    expect_consistent(check_text(spec_of(type), "1 2\n3\n", ""));
  }
}

// ---- huge inputs ----

// A quadratic checker would need hours on these sizes; linear ones take well under a second.
constexpr auto kHugeBudget = std::chrono::seconds(20);

std::string numbers_text(size_t bytes) {
  std::string text;
  text.reserve(bytes + 16);
  for (size_t i = 0; text.size() < bytes; ++i) {
    text += std::to_string(i % 1000003);
    text += (i % 8 == 7) ? '\n' : ' ';
  }
  return text;
}

TEST(CheckHuge, HundredMegabytesOfTokensInLinearTime) {
  const std::string expected = numbers_text(100u << 20);
  std::string actual = expected;
  const auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(check_text(spec_of(Type::kTokens), expected, actual).accepted);
  actual.back() = 'x';  // the difference is at the very end
  EXPECT_FALSE(check_text(spec_of(Type::kTokens), expected, actual).accepted);
  // A prefix is still rejected at the end of a huge output.
  EXPECT_FALSE(check_text(spec_of(Type::kTokens), expected,
                          std::string_view(expected).substr(0, expected.size() - 9))
                   .accepted);
  EXPECT_LT(std::chrono::steady_clock::now() - start, kHugeBudget);
}

TEST(CheckHuge, OtherModesInLinearTime) {
  const std::string expected = numbers_text(16u << 20);
  const auto start = std::chrono::steady_clock::now();
  for (Type type : {Type::kExact, Type::kLines, Type::kFloat, Type::kUnordered}) {
    EXPECT_TRUE(check_text(spec_of(type), expected, expected).accepted);
  }
  std::string one_line(16u << 20, 'a');  // one enormous line and token
  EXPECT_TRUE(accepts(Type::kLines, one_line, one_line));
  EXPECT_TRUE(accepts(Type::kFloat, one_line, one_line));
  std::string other = one_line;
  other.back() = 'b';
  EXPECT_FALSE(accepts(Type::kLines, one_line, other));
  EXPECT_FALSE(accepts(Type::kExact, one_line, other));
  EXPECT_LT(std::chrono::steady_clock::now() - start, kHugeBudget);
}

TEST(CheckHuge, ManyTrailingBlankLines) {
  const std::string actual = "1\n" + std::string(32u << 20, '\n');
  const auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(accepts(Type::kLines, "1\n", actual));
  EXPECT_TRUE(accepts(Type::kUnordered, "1\n", actual));
  EXPECT_LT(std::chrono::steady_clock::now() - start, kHugeBudget);
}

// ---- JSON ----

bool json_equal(std::string_view expected, std::string_view actual, double abs_tol = 1e-6,
                double rel_tol = 1e-6) {
  const CheckOutcome outcome = check_json(expected, actual, abs_tol, rel_tol);
  expect_consistent(outcome);
  return outcome.accepted;
}

TEST(CheckJson, Scalars) {
  EXPECT_TRUE(json_equal("1", "1"));
  EXPECT_TRUE(json_equal("\"abc\"", " \"abc\"\n"));
  EXPECT_TRUE(json_equal("null", "null"));
  EXPECT_TRUE(json_equal("true", "true"));
  EXPECT_FALSE(json_equal("true", "false"));
  EXPECT_FALSE(json_equal("\"abc\"", "\"ABC\""));
  EXPECT_FALSE(json_equal("\"1\"", "1"));
  EXPECT_FALSE(json_equal("null", "0"));
  EXPECT_FALSE(json_equal("null", "[]"));
  EXPECT_FALSE(json_equal("[]", "{}"));
}

TEST(CheckJson, BoolIsNeverANumber) {
  EXPECT_FALSE(json_equal("true", "1"));
  EXPECT_FALSE(json_equal("1", "true"));
  EXPECT_FALSE(json_equal("false", "0"));
  EXPECT_FALSE(json_equal("[0]", "[false]"));
}

TEST(CheckJson, IntegersCompareExactly) {
  EXPECT_TRUE(json_equal("-5", "-5"));
  EXPECT_FALSE(json_equal("1000000000000", "1000000000001", 1e-6, 1e-6));
  EXPECT_TRUE(json_equal("18446744073709551615", "18446744073709551615"));
  EXPECT_FALSE(json_equal("18446744073709551615", "18446744073709551614"));
  EXPECT_TRUE(json_equal("-9223372036854775808", "-9223372036854775808"));
  EXPECT_FALSE(json_equal("9223372036854775807", "-9223372036854775807"));
  EXPECT_TRUE(json_equal("0", "-0"));
}

TEST(CheckJson, IntAndFloatCompareNumerically) {
  EXPECT_TRUE(json_equal("2", "2.0"));
  EXPECT_TRUE(json_equal("2.0", "2"));
  EXPECT_TRUE(json_equal("[1, 2.5]", "[1.0, 2.5000001]"));
  EXPECT_FALSE(json_equal("2", "2.5"));
  EXPECT_TRUE(json_equal("0.1", "1e-1"));
  EXPECT_TRUE(json_equal("1e12", "1000000500000", 1e-6, 1e-6));  // relative tolerance
  EXPECT_FALSE(json_equal("1e12", "1000002000000", 1e-6, 1e-6));
  EXPECT_FALSE(json_equal("0.5", "0.6", 0.05, 0.0));
  EXPECT_TRUE(json_equal("0.5", "0.54", 0.05, 0.0));
}

// Integers past 64 bits: nlohmann would hand them over as lossy doubles, which would make
// ...890 and ...891 "equal". We keep their literal text and compare it exactly.
TEST(CheckJson, BigIntegersCompareByTheirText) {
  EXPECT_TRUE(json_equal("123456789012345678901234567890", "123456789012345678901234567890"));
  EXPECT_FALSE(json_equal("123456789012345678901234567890", "123456789012345678901234567891"));
  EXPECT_FALSE(json_equal("-123456789012345678901234567890", "123456789012345678901234567890"));
  EXPECT_TRUE(json_equal("[123456789012345678901234567890, -99999999999999999999999]",
                         "[123456789012345678901234567890, -99999999999999999999999]"));
  // Against a float they compare as numbers, like any integer.
  EXPECT_TRUE(json_equal("123456789012345678901234567890", "1.2345678901234568e29"));
  // One fits in 64 bits and the other does not: different integers.
  EXPECT_FALSE(json_equal("18446744073709551615", "18446744073709551616"));
}

TEST(CheckJson, NestedArraysAndObjects) {
  EXPECT_TRUE(json_equal("[[1,2],[3,[4,5]],[]]", "[[1, 2], [3, [4, 5]], []]"));
  EXPECT_FALSE(json_equal("[[1,2],[3,[4,5]]]", "[[1,2],[3,[4,6]]]"));
  EXPECT_FALSE(json_equal("[1,2,3]", "[1,2]"));
  EXPECT_FALSE(json_equal("[1,2]", "[1,2,3]"));
  EXPECT_FALSE(json_equal("[1,2]", "[2,1]"));
  EXPECT_TRUE(json_equal(R"({"a": 1, "b": [true, null]})", R"({"b": [true, null], "a": 1.0})"));
  EXPECT_FALSE(json_equal(R"({"a": 1})", R"({"a": 1, "b": 2})"));
  EXPECT_FALSE(json_equal(R"({"a": 1, "b": 2})", R"({"a": 1})"));
  EXPECT_FALSE(json_equal(R"({"a": 1})", R"({"A": 1})"));
}

TEST(CheckJson, MessagesGiveThePath) {
  const CheckOutcome nested = check_json("[[1,2],[3,[4,5]]]", "[[1,2],[3,[4,6]]]", 0, 0);
  EXPECT_EQ(nested.message, "$[1][1][1]: expected 5, got 6");
  const CheckOutcome length = check_json("[1,2,3]", "[1,2]", 0, 0);
  EXPECT_EQ(length.message, "$: expected an array of 3 items, got an array of 2 items");
  const CheckOutcome key = check_json(R"({"a": {"x y": 1}})", R"({"a": {"x y": "1"}})", 0, 0);
  EXPECT_EQ(key.message, "$.a[\"x y\"]: expected 1, got \"1\"");
  const CheckOutcome missing = check_json(R"({"a": 1, "b": 2})", R"({"a": 1})", 0, 0);
  EXPECT_EQ(missing.message, "$: missing key \"b\"");
  const CheckOutcome unexpected = check_json(R"({"a": 1})", R"({"a": 1, "c": 2})", 0, 0);
  EXPECT_EQ(unexpected.message, "$: unexpected key \"c\"");
}

TEST(CheckJson, MalformedInputIsRejectedWithAMessage) {
  const CheckOutcome actual = check_json("[1,2]", "[1,2", 0, 0);
  EXPECT_FALSE(actual.accepted);
  EXPECT_NE(actual.message.find("output is not valid JSON"), std::string::npos) << actual.message;
  const CheckOutcome expected = check_json("[1,", "[1]", 0, 0);
  EXPECT_FALSE(expected.accepted);
  EXPECT_NE(expected.message.find("expected value is malformed"), std::string::npos)
      << expected.message;
  EXPECT_FALSE(json_equal("1", ""));
  EXPECT_FALSE(json_equal("1", "1 2"));  // trailing content
  EXPECT_FALSE(json_equal("[1]", "[1]]"));
  EXPECT_FALSE(json_equal("1", "NaN"));
  EXPECT_FALSE(json_equal("\"a\"", "'a'"));
  EXPECT_FALSE(json_equal("1", "1e400"));            // beyond double range
  EXPECT_FALSE(json_equal("\"\xFF\"", "\"\xFF\""));  // invalid UTF-8 in strings
}

TEST(CheckJson, DeepNestingIsRejectedNotACrash) {
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  const CheckOutcome outcome = check_json("[]", deep, 0, 0);
  EXPECT_FALSE(outcome.accepted);
  EXPECT_NE(outcome.message.find("nesting"), std::string::npos) << outcome.message;
  const std::string fine = std::string(500, '[') + std::string(500, ']');
  EXPECT_TRUE(json_equal(fine, fine));
}

TEST(CheckJson, LargeArraysInLinearTime) {
  std::string array = "[";
  for (int i = 0; i < 1000000; ++i) {
    if (i > 0) array += ',';
    array += std::to_string(i);
  }
  array += ']';
  const auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(json_equal(array, array));
  EXPECT_LT(std::chrono::steady_clock::now() - start, kHugeBudget);
}

}  // namespace
}  // namespace codejudge::judges
