// The C++ function-mode harness runtime (judges/harness/function_runtime.hpp), unit-tested in its
// own language: the same header that every generated C++ program starts with.
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "function_runtime.hpp"
#include "list_node.hpp"
#include "tree_node.hpp"

namespace {

std::optional<cjh::J> parse(std::string_view text) {
  cjh::J j;
  cjh::Parser parser{text.data(), text.data() + text.size()};
  if (!parser.parse(j)) return std::nullopt;
  return j;
}

template <class T>
std::string written(const T& value, const char* type_code = "") {
  std::string out;
  cjh::w(out, value, type_code);
  return out;
}

TEST(CppHarnessRuntime, ParsesJsonArgumentLines) {
  auto j = parse(R"([7, -3000000000, 2.5, true, null, "a\"\\\n\u00e9\ud83d\ude00", [[]]])");
  ASSERT_TRUE(j);
  ASSERT_EQ(j->t, 'a');
  ASSERT_EQ(j->a.size(), 7u);
  EXPECT_EQ(j->a[0].t, 'i');
  EXPECT_EQ(j->a[1].i, -3000000000LL);
  EXPECT_EQ(j->a[2].t, 'd');
  EXPECT_EQ(j->a[2].d, 2.5);
  EXPECT_TRUE(j->a[3].b);
  EXPECT_EQ(j->a[4].t, 'n');
  EXPECT_EQ(j->a[5].s, "a\"\\\n\xC3\xA9\xF0\x9F\x98\x80");
  EXPECT_EQ(j->a[6].a.at(0).t, 'a');
  for (std::string_view bad : {"[1, 2", "[1,]", "\"a\x01\"", "tru", "[1] 2", "-", "\"\\x\""}) {
    EXPECT_FALSE(parse(bad)) << bad;
  }
}

TEST(CppHarnessRuntime, ChecksArgumentsAgainstTypeCodes) {
  EXPECT_TRUE(cjh::valid(*parse("3"), "i"));
  EXPECT_TRUE(cjh::valid(*parse("3.0"), "l"));
  EXPECT_FALSE(cjh::valid(*parse("3.5"), "i"));
  EXPECT_TRUE(cjh::valid(*parse("3"), "f"));
  EXPECT_FALSE(cjh::valid(*parse("true"), "i"));
  EXPECT_TRUE(cjh::valid(*parse("[[1], []]"), "[[i"));
  EXPECT_FALSE(cjh::valid(*parse("[[1], [\"x\"]]"), "[[i"));
  EXPECT_TRUE(cjh::valid(*parse("[1, null, 2]"), "T"));
  EXPECT_FALSE(cjh::valid(*parse("[1, null, 2]"), "N"));
}

TEST(CppHarnessRuntime, FillsTheSubmissionsOwnParameterTypes) {
  std::vector<int> numbers;
  EXPECT_TRUE(cjh::rd(*parse("[1, -2, 3]"), numbers));
  EXPECT_EQ(numbers, (std::vector<int>{1, -2, 3}));
  int small = 0;
  EXPECT_FALSE(cjh::rd(*parse("1099511627776"), small));  // 2^40 does not fit an int
  long long big = 0;
  EXPECT_TRUE(cjh::rd(*parse("1099511627776"), big));
  char c = 0;
  EXPECT_TRUE(cjh::rd(*parse("\"x\""), c));
  EXPECT_FALSE(cjh::rd(*parse("\"xy\""), c));
  std::vector<bool> flags;
  EXPECT_TRUE(cjh::rd(*parse("[true, false]"), flags));
  EXPECT_EQ(flags, (std::vector<bool>{true, false}));
  ListNode* list = nullptr;
  ASSERT_TRUE(cjh::rd(*parse("[1, 2]"), list));
  ASSERT_NE(list, nullptr);
  EXPECT_EQ(list->next->val, 2);
  TreeNode* tree = nullptr;
  ASSERT_TRUE(cjh::rd(*parse("[1, null, 3]"), tree));
  EXPECT_EQ(tree->left, nullptr);
  EXPECT_EQ(tree->right->val, 3);
}

// A float is written as a float literal (the judge rejects a float where an integer is declared)
// and a non-finite one as NaN, Infinity or -Infinity.
TEST(CppHarnessRuntime, WritesFloatsAsFloats) {
  EXPECT_EQ(written(3.0), "3.0");
  EXPECT_EQ(written(-0.0), "-0.0");
  EXPECT_EQ(written(0.1), "0.1");
  EXPECT_EQ(written(1e16), "1e+16");
  EXPECT_EQ(written(2.5f), "2.5");
  EXPECT_EQ(written(std::numeric_limits<double>::quiet_NaN()), "NaN");
  EXPECT_EQ(written(std::numeric_limits<double>::infinity()), "Infinity");
  EXPECT_EQ(written(-std::numeric_limits<double>::infinity()), "-Infinity");
  EXPECT_EQ(written(std::vector<double>{1, 2.5}, "[f"), "[1.0,2.5]");
  EXPECT_EQ(written(7LL, "l"), "7");
}

TEST(CppHarnessRuntime, WritesOtherResults) {
  EXPECT_EQ(written(1, "b"), "true");
  EXPECT_EQ(written(2, "b"), "2");
  EXPECT_EQ(written(true, "i"), "true");  // the judge rejects a bool where an int is declared
  EXPECT_EQ(written(std::string("a\"\n\x01"), "s"), "\"a\\\"\\n\\u0001\"");
  EXPECT_EQ(written(std::string("\xFF"), "s"), "\"\\ufffd\"");
  EXPECT_EQ(written(std::vector<std::vector<char>>{{'a'}, {}}, "[[s"), "[[\"a\"],[]]");
  auto* tree = new TreeNode(1, nullptr, new TreeNode(3));
  EXPECT_EQ(written(tree, "T"), "[1,null,3]");
  ListNode* empty = nullptr;
  EXPECT_EQ(written(empty, "N"), "[]");
}

}  // namespace
