// The language table: names and aliases, commands, and toolchain detection on this host.
#include "codejudge/judges/language.h"

#include <algorithm>
#include <set>

#include <gtest/gtest.h>

namespace codejudge::judges {
namespace {

TEST(Language, SevenLanguagesWithDistinctNamesAndAliases) {
  const auto& languages = all_languages();
  ASSERT_EQ(languages.size(), 7u);
  std::set<std::string> names;
  for (const auto& language : languages) {
    EXPECT_TRUE(names.insert(language.name).second) << language.name;
    for (const auto& alias : language.aliases) {
      EXPECT_TRUE(names.insert(alias).second) << alias;
    }
    EXPECT_FALSE(language.source_file.empty());
    EXPECT_FALSE(language.compile_argv.empty()) << language.name;
    EXPECT_FALSE(language.artifacts.empty()) << language.name;
  }
  for (const char* expected : {"python", "cpp", "c", "java", "javascript", "rust", "go"}) {
    EXPECT_EQ(names.count(expected), 1u) << expected;
  }
}

TEST(Language, FindsByNameAndAliasCaseInsensitively) {
  struct Case {
    const char* query;
    const char* name;
  };
  for (const Case& c : {Case{"python", "python"}, Case{"py", "python"}, Case{"Python3", "python"},
                        Case{"c++", "cpp"}, Case{"CPP", "cpp"}, Case{"c", "c"},
                        Case{"js", "javascript"}, Case{"node", "javascript"}, Case{"rs", "rust"},
                        Case{"golang", "go"}, Case{"Java", "java"}}) {
    const Language* language = find_language(c.query);
    ASSERT_NE(language, nullptr) << c.query;
    EXPECT_EQ(language->name, c.name) << c.query;
  }
  EXPECT_EQ(find_language("cobol"), nullptr);
  EXPECT_EQ(find_language(""), nullptr);
}

TEST(Language, CompileCommandSubstitutesTheSourceFile) {
  const Language* java = find_language("java");
  ASSERT_NE(java, nullptr);
  auto argv = java->compile_command("Main.java");
  EXPECT_EQ(argv.back(), "Main.java");
  EXPECT_EQ(std::count(argv.begin(), argv.end(), "{src}"), 0);
  const Language* cpp = find_language("cpp");
  ASSERT_NE(cpp, nullptr);
  auto cpp_argv = cpp->compile_command("main.cpp");
  EXPECT_NE(std::find(cpp_argv.begin(), cpp_argv.end(), "main.cpp"), cpp_argv.end());
  EXPECT_NE(std::find(cpp_argv.begin(), cpp_argv.end(), "-std=c++20"), cpp_argv.end());
}

TEST(Language, RunCommandsUseTheBoxAndSizeTheJavaHeap) {
  const Language* java = find_language("java");
  ASSERT_NE(java, nullptr);
  auto argv = java->run_argv(512ull << 20);
  EXPECT_NE(std::find(argv.begin(), argv.end(), "-Xmx512m"), argv.end());
  EXPECT_EQ(argv.back(), "Main");
  EXPECT_EQ(find_language("cpp")->run_argv(1 << 28), std::vector<std::string>{"/box/main"});
  EXPECT_EQ(find_language("python")->run_argv(1 << 28).back(), "/box/main.py");
  EXPECT_EQ(find_language("js")->run_argv(1 << 28).back(), "/box/main.js");
}

TEST(Language, BaseEnvironmentIsMinimal) {
  auto env = base_environment();
  EXPECT_NE(std::find(env.begin(), env.end(), "HOME=/tmp"), env.end());
  EXPECT_NE(std::find(env.begin(), env.end(), "LANG=C.UTF-8"), env.end());
  for (const auto& entry : env) EXPECT_NE(entry.find('='), std::string::npos);
}

// The test machine (and the Docker image) has every toolchain; a missing one is a broken host.
TEST(Language, DetectsEveryToolchainVersion) {
  auto infos = available_languages();
  ASSERT_EQ(infos.size(), 7u);
  for (const auto& info : infos) {
    EXPECT_TRUE(info.available) << info.name << " toolchain missing";
    EXPECT_FALSE(info.version.empty()) << info.name;
    EXPECT_EQ(info.version.find('\n'), std::string::npos);
    EXPECT_FALSE(info.compile_command.empty());
    EXPECT_FALSE(info.run_command.empty());
  }
  EXPECT_NE(toolchain_version(*find_language("cpp")).find("12."), std::string::npos);
  EXPECT_NE(toolchain_version(*find_language("go")).find("go1."), std::string::npos);
  EXPECT_NE(toolchain_version(*find_language("java")).find("javac"), std::string::npos);
  // Detected once: the same object every time.
  EXPECT_EQ(&toolchain_version(*find_language("rust")), &toolchain_version(*find_language("rs")));
}

}  // namespace
}  // namespace codejudge::judges
