// The language table: names and aliases, commands, and toolchain detection on this host.
#include "codejudge/judges/language.h"

#include <algorithm>
#include <cctype>
#include <set>

#include <gtest/gtest.h>

#include "codejudge/judges/harness.h"
#include "codejudge/judges/rewards.h"
#include "codejudge/problems/json.h"

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

std::string upper(std::string text) {
  for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

// Every name, alias and fence label leads to its own entry, in any case; fence labels are not
// request names.
TEST(LanguageTable, EveryNameAliasAndFenceLabelResolvesToItsEntry) {
  std::set<std::string> seen;
  for (const Language& language : all_languages()) {
    EXPECT_EQ(find_language(language.name), &language);
    EXPECT_EQ(find_language(upper(language.name)), &language);
    EXPECT_EQ(normalize_language(language.name), language.name);
    for (const std::string& alias : language.aliases) {
      EXPECT_EQ(find_language(alias), &language) << alias;
      EXPECT_EQ(find_language(upper(alias)), &language) << alias;
      EXPECT_EQ(normalize_language(alias), language.name) << alias;
    }
    for (const std::string& label : language.fence_labels) {
      EXPECT_TRUE(seen.insert(label).second) << label;
      EXPECT_EQ(find_language(label), nullptr) << label;
      EXPECT_EQ(normalize_language(label), language.name) << label;
      EXPECT_EQ(normalize_language(upper(label)), language.name) << label;
    }
  }
  for (const char* label : {"py3", "c++17", "c++20", "mjs", "java17", "h"}) {
    EXPECT_EQ(seen.count(label), 1u) << label;
  }
  EXPECT_EQ(normalize_language("COBOL"), "cobol");  // unknown names come back lower-cased
}

// Problem files name languages by the problems library's vocabulary; the table has exactly one
// entry per name, in its order.
TEST(LanguageTable, HasOneEntryPerNameOfTheProblemFormat) {
  std::vector<std::string> names;
  for (const Language& language : all_languages()) names.push_back(language.name);
  EXPECT_EQ(names, problems::known_languages());
  EXPECT_EQ(language_list(), "python, cpp, c, java, javascript, rust, go");
}

// A mode is supported exactly when the entry has its harness, and generating a program agrees.
TEST(LanguageTable, ModesAreTheHarnessesItOwns) {
  problems::Signature signature;
  signature.params = {{"a", "int"}};
  signature.returns = "int";
  for (const Language& language : all_languages()) {
    EXPECT_TRUE(mode_supports(problems::Mode::kStdio, language.name));
    std::string error;
    auto function = make_function_program(language.name, signature, "f", "", "", &error);
    EXPECT_EQ(function.has_value(), mode_supports(problems::Mode::kFunction, language.name))
        << language.name << ": " << error;
    EXPECT_EQ(function.has_value(), language.function_harness != nullptr) << language.name;
    if (function) {
      EXPECT_FALSE(function->file_name.empty()) << language.name;
    } else {
      EXPECT_EQ(error, mode_support_error(problems::Mode::kFunction, language.name));
    }
    error.clear();
    auto assert_program = make_assert_program(language.name, "", "", "f", false, &error);
    EXPECT_EQ(assert_program.has_value(), mode_supports(problems::Mode::kAssert, language.name))
        << language.name << ": " << error;
    EXPECT_EQ(assert_program.has_value(), language.assert_harness != nullptr) << language.name;
    if (!assert_program) {
      EXPECT_EQ(error, mode_support_error(problems::Mode::kAssert, language.name));
    }
    for (const std::string& alias : language.aliases) {
      for (auto mode :
           {problems::Mode::kStdio, problems::Mode::kFunction, problems::Mode::kAssert}) {
        EXPECT_EQ(mode_supports(mode, alias), mode_supports(mode, language.name)) << alias;
      }
    }
  }
  EXPECT_FALSE(mode_supports(problems::Mode::kStdio, "cobol"));
  // The reason names the mode, the languages that run it and the one asked for.
  EXPECT_EQ(mode_support_error(problems::Mode::kAssert, "cpp"),
            "assert mode runs python only; got cpp");
  EXPECT_EQ(mode_support_error(problems::Mode::kFunction, "c"),
            "function mode runs python, cpp, java and javascript only; got c");
}

// Every placeholder of a run command is filled.
TEST(LanguageTable, RunCommandsHaveNoPlaceholderLeft) {
  for (const Language& language : all_languages()) {
    for (const std::string& arg : language.run_argv(64ull << 20, "Solver")) {
      EXPECT_EQ(arg.find('{'), std::string::npos) << language.name << ": " << arg;
    }
    EXPECT_FALSE(language.run_template.empty()) << language.name;
  }
  auto java = find_language("java")->run_argv(1ull << 20, "Solver");
  EXPECT_NE(std::find(java.begin(), java.end(), "-Xmx16m"), java.end());  // the heap's floor
  EXPECT_EQ(java.back(), "Solver");
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
