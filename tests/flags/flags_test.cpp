#include "codejudge/flags/flags.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace codejudge::flags {
namespace {

struct Parsed {
  uint64_t count = 0;
  std::string name;
  bool verbose = false;
  std::vector<std::string> paths, positional;
};

std::vector<Flag> table(Parsed* p) {
  return {
      {"--count", "N", "how many",
       [p](const std::string& v, std::string* why) { return parse_u64(v, 1, 10, &p->count, why); }},
      {"--name", "NAME", "a name",
       [p](const std::string& v, std::string*) {
         p->name = v;
         return true;
       }},
      {"--verbose", "", "say more",
       [p](const std::string&, std::string*) {
         p->verbose = true;
         return true;
       }},
      {"--paths", "PATH...", "files",
       [p](const std::string& v, std::string*) {
         p->paths.push_back(v);
         return true;
       },
       true},
  };
}

Positional collect(Parsed* p) {
  return [p](const std::string& arg, std::string* why) {
    if (arg == "bad") *why = "no bad ones";
    p->positional.push_back(arg);
    return why->empty();
  };
}

TEST(Flags, ValuesSwitchesInlineValuesAndPositionals) {
  Parsed p;
  Error error;
  ASSERT_TRUE(
      parse({"--count", "3", "x", "--name=a=b", "--verbose", "y"}, table(&p), collect(&p), &error))
      << error.text();
  EXPECT_EQ(p.count, 3u);
  EXPECT_EQ(p.name, "a=b");
  EXPECT_TRUE(p.verbose);
  EXPECT_EQ(p.positional, (std::vector<std::string>{"x", "y"}));
}

TEST(Flags, SeveralValuesRunToTheNextFlag) {
  Parsed p;
  Error error;
  ASSERT_TRUE(parse({"--paths", "a", "b", "--verbose", "--paths=c"}, table(&p), nullptr, &error));
  EXPECT_EQ(p.paths, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_FALSE(parse({"--paths", "--verbose"}, table(&p), nullptr, &error));
  EXPECT_EQ(error.text(), "--paths needs at least one path");
}

TEST(Flags, EachErrorSaysWhatToFix) {
  Parsed p;
  Error error;
  EXPECT_FALSE(parse({"--colour", "red"}, table(&p), nullptr, &error));
  EXPECT_EQ(error.kind, Error::Kind::kUnknown);
  EXPECT_EQ(error.text(), "unknown flag --colour");
  EXPECT_FALSE(parse({"--colour=red"}, table(&p), nullptr, &error));
  EXPECT_EQ(error.text(), "unknown flag --colour");
  EXPECT_FALSE(parse({"--verbose=yes"}, table(&p), nullptr, &error));
  EXPECT_EQ(error.kind, Error::Kind::kUnknown);
  EXPECT_FALSE(parse({"--name"}, table(&p), nullptr, &error));
  EXPECT_EQ(error.text(), "--name needs a value");
  EXPECT_FALSE(parse({"--count", "11"}, table(&p), nullptr, &error));
  EXPECT_EQ(error.kind, Error::Kind::kBadValue);
  EXPECT_EQ(error.value, "11");
  EXPECT_EQ(error.text(), "--count: must be between 1 and 10");
  EXPECT_FALSE(parse({"--count", "3x"}, table(&p), nullptr, &error));
  EXPECT_EQ(error.text(), "--count: expected a non-negative integer, got '3x'");
  EXPECT_FALSE(parse({"stray"}, table(&p), nullptr, &error));
  EXPECT_EQ(error.text(), "unknown flag stray");
  EXPECT_FALSE(parse({"bad"}, table(&p), collect(&p), &error));
  EXPECT_EQ(error.kind, Error::Kind::kPositional);
  EXPECT_EQ(error.text(), "no bad ones");
}

TEST(Flags, ValueParsers) {
  std::string why;
  int64_t i = 0;
  EXPECT_TRUE(parse_i64("-5", -10, 10, &i, &why));
  EXPECT_EQ(i, -5);
  EXPECT_FALSE(parse_i64("", 0, 1, &i, &why));
  EXPECT_FALSE(parse_i64("2", 0, 1, &i, &why));
  EXPECT_EQ(why, "must be between 0 and 1");
  double d = 0;
  EXPECT_TRUE(parse_double("1e-3", &d, &why));
  EXPECT_DOUBLE_EQ(d, 1e-3);
  EXPECT_FALSE(parse_double("inf", &d, &why));
  EXPECT_FALSE(parse_double("1.5x", &d, &why));
  EXPECT_EQ(split_commas("a,,b,"), (std::vector<std::string>{"a", "b"}));
}

TEST(Flags, HelpFindsHelpBeforeDashDash) {
  EXPECT_TRUE(wants_help({"--count", "1", "-h"}));
  EXPECT_FALSE(wants_help({"--", "--help"}));
}

TEST(Flags, HelpAlignsAndWraps) {
  Parsed p;
  std::string text = help(table(&p), 20);
  EXPECT_NE(text.find("  --count N         how many\n"), std::string::npos) << text;
  EXPECT_NE(text.find("  --verbose         say more\n"), std::string::npos) << text;
  std::string long_help(30, 'x');
  for (int i = 0; i < 5; ++i) long_help += " " + std::string(30, 'y');
  text = help({{"--a-flag-longer-than-the-column", "V", long_help, nullptr}}, 20);
  size_t newline = text.find('\n');
  EXPECT_EQ(text.substr(0, newline), "  --a-flag-longer-than-the-column V");
  for (size_t start = 0, end; (end = text.find('\n', start)) != std::string::npos;
       start = end + 1) {
    EXPECT_LE(end - start, 100u) << text;
  }
}

}  // namespace
}  // namespace codejudge::flags
