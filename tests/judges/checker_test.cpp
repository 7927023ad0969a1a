#include "codejudge/judges/checker.h"

#include <chrono>
#include <string>
#include <vector>

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

// As DOMjudge's comparator: nan, inf and infinity are numbers in any case and with a sign, so a
// correct C program printing "nan" (or glibc's "-nan") matches an expected "NaN".
TEST(CheckFloat, NanAndInfinityAreNumbersInAnyCase) {
  const auto spec = spec_of(Type::kFloat, 1e300, 1e300);
  for (std::string_view nan : {"nan", "NaN", "NAN", "-nan", "+nan"}) {
    EXPECT_TRUE(check_text(spec, "NaN", nan).accepted) << nan;
  }
  for (std::string_view inf : {"inf", "Inf", "INF", "+inf", "infinity", "Infinity"}) {
    EXPECT_TRUE(check_text(spec, "Infinity", inf).accepted) << inf;
  }
  EXPECT_TRUE(check_text(spec, "-inf", "-Infinity").accepted);
  EXPECT_FALSE(check_text(spec, "inf", "-inf").accepted);
  EXPECT_FALSE(check_text(spec, "nan", "inf").accepted);
  EXPECT_FALSE(check_text(spec, "nan", "0").accepted);
  EXPECT_FALSE(check_text(spec, "0", "nan").accepted);
  // A tolerance never reaches an infinity, however large.
  EXPECT_FALSE(check_text(spec, "inf", "1e308").accepted);
  EXPECT_FALSE(check_text(spec, "1e308", "inf").accepted);
  EXPECT_FALSE(check_text(spec, "1e400", "inf").accepted);  // overflow is not a number
  EXPECT_FALSE(check_text(spec, "nanx", "nan").accepted);
  EXPECT_FALSE(check_text(spec, "infinit", "inf").accepted);
}

TEST(CheckFloat, ToleranceThatOverflowsIsNotInfinite) {
  // rel_tol * |expected| overflows to infinity, and so does the difference: never a match.
  const auto spec = spec_of(Type::kFloat, 0.0, 10.0);
  EXPECT_FALSE(check_text(spec, "1.7e308", "-1.7e308").accepted);
  EXPECT_TRUE(check_text(spec, "1.7e308", "1e308").accepted);
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

// ---- function-mode values, by declared type ----

ValueType type_of(std::string_view text) {
  std::string error;
  auto type = parse_type(text, &error);
  EXPECT_TRUE(type) << text << ": " << error;
  return type.value_or(ValueType{});
}

bool value_equal(std::string_view expected, std::string_view actual, std::string_view type,
                 double abs_tol = 1e-6, double rel_tol = 1e-6) {
  const CheckOutcome outcome = check_value(expected, actual, type_of(type), abs_tol, rel_tol);
  expect_consistent(outcome);
  return outcome.accepted;
}

TEST(CheckValue, Scalars) {
  EXPECT_TRUE(value_equal("1", "1", "int"));
  EXPECT_TRUE(value_equal("\"abc\"", " \"abc\"\n", "str"));
  EXPECT_TRUE(value_equal("true", "true", "bool"));
  EXPECT_FALSE(value_equal("true", "false", "bool"));
  EXPECT_FALSE(value_equal("\"abc\"", "\"ABC\"", "str"));
  EXPECT_FALSE(value_equal("\"1\"", "1", "str"));
  EXPECT_FALSE(value_equal("1", "\"1\"", "int"));
  EXPECT_FALSE(value_equal("1", "null", "int"));
  EXPECT_FALSE(value_equal("[]", "{}", "list[int]"));
  EXPECT_FALSE(value_equal("1", "{\"a\": 1}", "int"));
}

TEST(CheckValue, BoolIsNeverANumber) {
  EXPECT_FALSE(value_equal("true", "1", "bool"));
  EXPECT_FALSE(value_equal("1", "true", "int"));
  EXPECT_FALSE(value_equal("0", "false", "long"));
  EXPECT_FALSE(value_equal("[0]", "[false]", "list[int]"));
  EXPECT_FALSE(value_equal("1.0", "true", "float"));
}

TEST(CheckValue, IntegersCompareExactlyAtAnySize) {
  EXPECT_TRUE(value_equal("-5", "-5", "int"));
  EXPECT_FALSE(value_equal("1000000000000", "1000000000001", "long", 1, 1));
  // Off by a thousand near 10^12 is wrong, whatever the tolerances say.
  EXPECT_FALSE(value_equal("1000000000000", "1000000001000", "long", 1e-6, 1e-6));
  EXPECT_TRUE(value_equal("18446744073709551615", "18446744073709551615", "long"));
  EXPECT_FALSE(value_equal("18446744073709551615", "18446744073709551614", "long"));
  EXPECT_TRUE(value_equal("-9223372036854775808", "-9223372036854775808", "long"));
  EXPECT_FALSE(value_equal("9223372036854775807", "-9223372036854775807", "long"));
  EXPECT_TRUE(value_equal("0", "-0", "int"));
  EXPECT_TRUE(
      value_equal("123456789012345678901234567890", "123456789012345678901234567890", "long"));
  EXPECT_FALSE(
      value_equal("123456789012345678901234567890", "123456789012345678901234567891", "long"));
  EXPECT_FALSE(
      value_equal("-123456789012345678901234567890", "123456789012345678901234567890", "long"));
  EXPECT_FALSE(value_equal("18446744073709551615", "18446744073709551616", "long"));
}

// A float where an integer is declared is a wrong answer, integral or not, in every nesting.
TEST(CheckValue, AFloatWhereAnIntegerIsDeclaredIsWrong) {
  for (std::string_view type : {"int", "long"}) {
    EXPECT_FALSE(value_equal("3", "3.0", type)) << type;
    EXPECT_FALSE(value_equal("3", "3e0", type)) << type;
    EXPECT_FALSE(value_equal("3", "3.5", type)) << type;
    EXPECT_FALSE(value_equal("3", "2.5", type, 1, 1)) << type;
    EXPECT_FALSE(value_equal("3", "NaN", type)) << type;
    EXPECT_FALSE(value_equal("3", "Infinity", type)) << type;
  }
  EXPECT_FALSE(value_equal("1000000000000", "1000000000000.5", "long"));
  EXPECT_FALSE(value_equal("[1, 2]", "[1, 2.0]", "list[int]"));
  EXPECT_FALSE(value_equal("[[1], [2]]", "[[1], [2.0]]", "list[list[long]]"));
  EXPECT_FALSE(value_equal("[1, 2]", "[1, 2.0]", "ListNode"));
  EXPECT_FALSE(value_equal("[1, null, 2]", "[1, null, 2.0]", "TreeNode"));
  const CheckOutcome outcome = check_value("3", "3.0", type_of("int"), 1e-6, 1e-6);
  EXPECT_EQ(outcome.message, "$: expected 3, got 3.0 (a float where an integer is declared)");
  // The expected value may be written as an integral float: it stands for the integer.
  EXPECT_TRUE(value_equal("3.0", "3", "int"));
  EXPECT_TRUE(value_equal("1e20", "100000000000000000000", "long"));
  EXPECT_FALSE(value_equal("3.0", "3.0", "int"));
}

TEST(CheckValue, FloatsWithTolerance) {
  EXPECT_TRUE(value_equal("2", "2.0", "float"));
  EXPECT_TRUE(value_equal("2.0", "2", "float"));  // C++ and JavaScript may print 3 for 3.0
  EXPECT_TRUE(value_equal("[1, 2.5]", "[1.0, 2.5000001]", "list[float]"));
  EXPECT_FALSE(value_equal("2", "2.5", "float"));
  EXPECT_TRUE(value_equal("0.1", "1e-1", "float"));
  EXPECT_TRUE(value_equal("1e12", "1000000500000", "float", 1e-6, 1e-6));
  EXPECT_FALSE(value_equal("1e12", "1000002000000", "float", 1e-6, 1e-6));
  EXPECT_FALSE(value_equal("0.5", "0.6", "float", 0.05, 0.0));
  EXPECT_TRUE(value_equal("0.5", "0.54", "float", 0.05, 0.0));
  EXPECT_TRUE(value_equal("123456789012345678901234567890", "1.2345678901234568e29", "float"));
  EXPECT_FALSE(value_equal("1.5", "\"1.5\"", "float"));
  EXPECT_FALSE(value_equal("1.5", "null", "float"));
}

// NaN matches only an expected NaN, an infinity only the same infinity, and no tolerance turns
// into an infinity. Expected values write them as strings (JSON has no NaN); harnesses print the
// tokens NaN, Infinity and -Infinity.
TEST(CheckValue, NonFiniteFloats) {
  EXPECT_TRUE(value_equal("\"NaN\"", "NaN", "float"));
  EXPECT_TRUE(value_equal("\"Infinity\"", "Infinity", "float"));
  EXPECT_TRUE(value_equal("\"-Infinity\"", "-Infinity", "float"));
  EXPECT_TRUE(value_equal("[1.5, \"NaN\"]", "[1.5, NaN]", "list[float]"));
  EXPECT_FALSE(value_equal("\"NaN\"", "1.5", "float"));
  EXPECT_FALSE(value_equal("1.5", "NaN", "float", 1e300, 1e300));
  EXPECT_FALSE(value_equal("\"Infinity\"", "-Infinity", "float"));
  EXPECT_FALSE(value_equal("\"Infinity\"", "NaN", "float"));
  EXPECT_FALSE(value_equal("1e308", "Infinity", "float", 1e300, 1e300));
  EXPECT_FALSE(value_equal("\"Infinity\"", "1e308", "float", 1e300, 1e300));
  EXPECT_FALSE(value_equal("1.7e308", "-1.7e308", "float", 0, 10));  // the difference overflows
  EXPECT_FALSE(value_equal("\"NaN\"", "\"NaN\"", "float"));          // a string is not a float
  EXPECT_FALSE(value_equal("\"NaN\"", "null", "float"));
  // The tokens are numbers only where a float is declared.
  EXPECT_FALSE(value_equal("\"NaN\"", "NaN", "str"));
}

TEST(CheckValue, ListsAndNodes) {
  EXPECT_TRUE(value_equal("[[1,2],[3],[]]", "[[1, 2], [3], []]", "list[list[int]]"));
  EXPECT_FALSE(value_equal("[[1,2],[3]]", "[[1,2],[4]]", "list[list[int]]"));
  EXPECT_FALSE(value_equal("[1,2,3]", "[1,2]", "list[int]"));
  EXPECT_FALSE(value_equal("[1,2]", "[1,2,3]", "list[int]"));
  EXPECT_FALSE(value_equal("[1,2]", "[2,1]", "list[int]"));
  EXPECT_FALSE(value_equal("[1]", "1", "list[int]"));
  EXPECT_TRUE(value_equal("[\"a\", \"b\"]", "[\"a\",\"b\"]", "list[str]"));
  EXPECT_TRUE(value_equal("[1, null, 2]", "[1,null,2]", "TreeNode"));
  EXPECT_FALSE(value_equal("[1, null, 2]", "[1, 0, 2]", "TreeNode"));
  EXPECT_FALSE(value_equal("[1, 2]", "[1, null]", "ListNode"));
  // An expected null node is the empty list the harnesses print.
  EXPECT_TRUE(value_equal("null", "[]", "TreeNode"));
  EXPECT_TRUE(value_equal("null", "[]", "ListNode"));
  EXPECT_FALSE(value_equal("null", "null", "ListNode"));
}

TEST(CheckValue, MessagesGiveThePath) {
  const auto type = type_of("list[list[int]]");
  const CheckOutcome nested = check_value("[[1,2],[3,4]]", "[[1,2],[3,5]]", type, 0, 0);
  EXPECT_EQ(nested.message, "$[1][1]: expected 4, got 5");
  const CheckOutcome length = check_value("[1,2,3]", "[1,2]", type_of("list[int]"), 0, 0);
  EXPECT_EQ(length.message, "$: expected an array of 3 items, got an array of 2 items");
}

TEST(CheckValue, MalformedInputIsRejectedWithAMessage) {
  const CheckOutcome actual = check_value("[1,2]", "[1,2", type_of("list[int]"), 0, 0);
  EXPECT_FALSE(actual.accepted);
  EXPECT_NE(actual.message.find("output is not valid JSON"), std::string::npos) << actual.message;
  const CheckOutcome expected = check_value("[1,", "[1]", type_of("list[int]"), 0, 0);
  EXPECT_FALSE(expected.accepted);
  EXPECT_NE(expected.message.find("expected value is malformed"), std::string::npos)
      << expected.message;
  const CheckOutcome misfit = check_value("\"x\"", "1", type_of("int"), 0, 0);
  EXPECT_FALSE(misfit.accepted);
  EXPECT_NE(misfit.message.find("does not fit"), std::string::npos) << misfit.message;
  EXPECT_FALSE(value_equal("1", "", "int"));
  EXPECT_FALSE(value_equal("1", "1 2", "int"));  // trailing content
  EXPECT_FALSE(value_equal("[1]", "[1]]", "list[int]"));
  EXPECT_FALSE(value_equal("1", "01", "int"));  // no leading zeros in JSON
  EXPECT_FALSE(value_equal("1", "+1", "int"));
  EXPECT_FALSE(value_equal("1.5", "1.", "float"));
  EXPECT_FALSE(value_equal("1.5", ".5", "float"));
  EXPECT_FALSE(value_equal("\"a\"", "'a'", "str"));
  EXPECT_FALSE(value_equal("1.5", "1e400", "float"));        // beyond double range
  EXPECT_FALSE(value_equal("\"\xFF\"", "\"\xFF\"", "str"));  // invalid UTF-8 in strings
  EXPECT_FALSE(value_equal("\"a\"", "\"\\ud800\"", "str"));  // a lone surrogate
  EXPECT_FALSE(value_equal("\"a\"", "\"a\x01\"", "str"));    // a raw control character
  EXPECT_TRUE(value_equal("\"\\u00e9\\ud83d\\ude00\"", "\"\xC3\xA9\xF0\x9F\x98\x80\"", "str"));
  EXPECT_FALSE(value_equal("1", "nan", "float"));  // only the exact token spellings
}

TEST(CheckValue, DeepNestingIsRejectedNotACrash) {
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  const CheckOutcome outcome = check_value("[]", deep, type_of("list[int]"), 0, 0);
  EXPECT_FALSE(outcome.accepted);
  EXPECT_NE(outcome.message.find("nesting"), std::string::npos) << outcome.message;
}

TEST(CheckValue, LargeArraysInLinearTime) {
  std::string array = "[";
  for (int i = 0; i < 1000000; ++i) {
    if (i > 0) array += ',';
    array += std::to_string(i);
  }
  array += ']';
  const auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(value_equal(array, array, "list[long]"));
  EXPECT_LT(std::chrono::steady_clock::now() - start, kHugeBudget);
}

TEST(CheckValue, ExpectedValuesMustFitTheDeclaredType) {
  EXPECT_EQ(expected_value_error("3", type_of("int")), "");
  EXPECT_EQ(expected_value_error("3.0", type_of("long")), "");
  EXPECT_EQ(expected_value_error("\"NaN\"", type_of("float")), "");
  EXPECT_EQ(expected_value_error("null", type_of("TreeNode")), "");
  EXPECT_EQ(expected_value_error("[1, null]", type_of("TreeNode")), "");
  EXPECT_NE(expected_value_error("3.5", type_of("int")), "");
  EXPECT_NE(expected_value_error("\"3\"", type_of("int")), "");
  EXPECT_NE(expected_value_error("[1, null]", type_of("ListNode")), "");
  EXPECT_NE(expected_value_error("[[1]]", type_of("list[int]")), "");
  EXPECT_NE(expected_value_error("\"nan\"", type_of("float")), "");
  EXPECT_NE(expected_value_error("1", type_of("bool")), "");
  EXPECT_NE(expected_value_error("[1,", type_of("list[int]")), "");
  const std::string message = expected_value_error("[1, \"x\"]", type_of("list[int]"));
  EXPECT_NE(message.find("$[1]"), std::string::npos) << message;
}

// What the host lets through must be what every harness accepts (their own checks then never
// fail, so no harness has a reason to report an internal error).
TEST(CheckValue, ArgumentsMustFitEveryHarness) {
  const std::vector<ValueType> params = {type_of("int"), type_of("list[float]"), type_of("str"),
                                         type_of("TreeNode")};
  EXPECT_EQ(arguments_error(R"([1, [1.5, 2, -3e2], "x", [1, null, 2]])", params), "");
  EXPECT_EQ(arguments_error(R"([3.0, [], "", []])", params), "");  // an integral float is an int
  EXPECT_EQ(arguments_error(R"([-9223372036854775808, [], "", []])", params), "");
  for (std::string bad : {
           std::string("[1, [], \"x\"]"),                       // arity
           std::string("{\"a\": 1}"),                           // not an array
           std::string("null"),                                 // an empty test line
           std::string("[1.5, [], \"\", []]"),                  // a non-integral int
           std::string("[9223372036854775808, [], \"\", []]"),  // beyond 64 bits
           std::string("[1e19, [], \"\", []]"),                 // an integral float too big
           std::string("[1, [NaN], \"\", []]"),                 // no non-finite arguments
           std::string("[1, [1e400], \"\", []]"),               // overflow
           std::string("[1, [true], \"\", []]"),                // a bool is not a number
           std::string("[1, [], 3, []]"),                       // a number is not a string
           std::string("[1, [], \"\\ud800\", []]"),             // a lone surrogate
           std::string("[1, [], \"\", [1, \"2\"]]"),            // a tree of strings
           std::string("[1, [], \"\", null]"),                  // a tree must be a list
           std::string("[1, [], \"\", []] x"),                  // trailing text
       }) {
    EXPECT_NE(arguments_error(bad, params), "") << bad;
  }
  const std::string message = arguments_error(R"([1, [1.5, "x"], "", []])", params);
  EXPECT_NE(message.find("argument 1[1]"), std::string::npos) << message;
  EXPECT_NE(message.find("list[float]"), std::string::npos) << message;
}

}  // namespace
}  // namespace codejudge::judges
