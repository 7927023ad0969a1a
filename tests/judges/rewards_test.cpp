#include "codejudge/judges/rewards.h"

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace codejudge::judges {
namespace {

ExtractOptions lang(std::string language, bool accept_raw = false) {
  ExtractOptions options;
  options.language = std::move(language);
  options.accept_raw = accept_raw;
  return options;
}

// ---- normalize_language ----

TEST(NormalizeLanguage, Aliases) {
  EXPECT_EQ(normalize_language("py"), "python");
  EXPECT_EQ(normalize_language("Python3"), "python");
  EXPECT_EQ(normalize_language("python"), "python");
  EXPECT_EQ(normalize_language("c++"), "cpp");
  EXPECT_EQ(normalize_language("CPP"), "cpp");
  EXPECT_EQ(normalize_language("js"), "javascript");
  EXPECT_EQ(normalize_language("JavaScript"), "javascript");
  EXPECT_EQ(normalize_language("rs"), "rust");
  EXPECT_EQ(normalize_language("golang"), "go");
  EXPECT_EQ(normalize_language("c"), "c");
  EXPECT_EQ(normalize_language("java"), "java");
  EXPECT_EQ(normalize_language("Haskell"), "haskell");
  EXPECT_EQ(normalize_language(""), "");
}

// ---- extract_code ----

TEST(ExtractCode, LastBlockOfAnyLanguageWhenNoneIsAsked) {
  const std::string completion =
      "First try:\n```python\nprint(1)\n```\nBetter:\n```cpp\nint main() {}\n```\nDone.";
  EXPECT_EQ(extract_code(completion, lang("")), "int main() {}");
}

TEST(ExtractCode, LastBlockInTheAskedLanguage) {
  const std::string completion =
      "```python\nprint(1)\n```\n```python\nprint(2)\n```\n```cpp\nint main() {}\n```\n"
      "Example output:\n```\n2\n```\n";
  EXPECT_EQ(extract_code(completion, lang("python")), "print(2)");
  EXPECT_EQ(extract_code(completion, lang("py")), "print(2)");
  EXPECT_EQ(extract_code(completion, lang("c++")), "int main() {}");
  EXPECT_EQ(extract_code(completion, lang("cpp")), "int main() {}");
  // No rust block: the last untagged block is the best guess.
  EXPECT_EQ(extract_code(completion, lang("rust")), "2");
}

TEST(ExtractCode, InfoStringAliasesAndAttributes) {
  EXPECT_EQ(extract_code("```py\nx = 1\n```", lang("python")), "x = 1");
  EXPECT_EQ(extract_code("```Python3 title=sol.py\nx = 1\n```", lang("python")), "x = 1");
  EXPECT_EQ(extract_code("```js\nlet x;\n```", lang("javascript")), "let x;");
  EXPECT_EQ(extract_code("```javascript\nlet x;\n```", lang("js")), "let x;");
  EXPECT_EQ(extract_code("```rs\nfn main() {}\n```", lang("rust")), "fn main() {}");
  EXPECT_EQ(extract_code("```golang\npackage main\n```", lang("go")), "package main");
  EXPECT_EQ(extract_code("```java\nclass A {}\n```", lang("java")), "class A {}");
  EXPECT_EQ(extract_code("```c\nint x;\n```", lang("c")), "int x;");
  // c is not cpp and java is not javascript.
  EXPECT_EQ(extract_code("```c\nint x;\n```", lang("cpp")), std::nullopt);
  EXPECT_EQ(extract_code("```java\nclass A {}\n```", lang("js")), std::nullopt);
}

// The server chooses a completion's language with this, extract_code takes the block: one scan.
TEST(LastBlockLanguage, FindsTheLastClosedNonBlankBlock) {
  EXPECT_EQ(last_block_language("```py\nx\n```\ntext\n```cpp\nint x;\n```\n"), "cpp");
  EXPECT_EQ(last_block_language("```cpp\nint x;\n```\n```python\nprint(1)\n"), "cpp");
  EXPECT_EQ(last_block_language("```js\nx\n```\n```rust\n\n```"), "javascript");
  EXPECT_EQ(last_block_language("~~~C++ {.numberLines}\nx\n~~~"), "cpp");
  EXPECT_EQ(last_block_language("~~~C++{.numberLines}\nx\n~~~"), "cpp");
  EXPECT_EQ(last_block_language("```\nx\n```"), "");
  EXPECT_EQ(last_block_language("no code"), "");
  ExtractOptions cpp;
  cpp.language = "cpp";
  EXPECT_EQ(extract_code("~~~C++{.numberLines}\nint x;\n~~~", cpp), "int x;");
}

TEST(ExtractCode, TildeFencesAndLongerFences) {
  EXPECT_EQ(extract_code("~~~python\nx = 1\n~~~\n", lang("python")), "x = 1");
  // A longer fence may contain a shorter one.
  EXPECT_EQ(extract_code("````python\ns = '''\n```\n'''\n````", lang("python")),
            "s = '''\n```\n'''");
  // A ~~~ line does not close a ``` block.
  EXPECT_EQ(extract_code("```python\na\n~~~\nb\n```", lang("python")), "a\n~~~\nb");
}

TEST(ExtractCode, KeepsIndentationAndBlankLines) {
  const std::string code = "class Solution:\n    def f(self):\n\n        return 1";
  EXPECT_EQ(extract_code("```python\n" + code + "\n```", lang("python")), code);
  EXPECT_EQ(extract_code("```python\r\nx = 1\r\n```\r\n", lang("python")), "x = 1\r");
}

TEST(ExtractCode, IndentedFenceIsDedented) {
  const std::string completion = "1. Code:\n   ```python\n   def f():\n       return 1\n   ```\n";
  EXPECT_EQ(extract_code(completion, lang("python")), "def f():\n    return 1");
}

TEST(ExtractCode, SkipsBlankAndUnterminatedBlocks) {
  EXPECT_EQ(extract_code("```python\nx = 1\n```\n```python\n\n```", lang("python")), "x = 1");
  // Cut off mid-block: the unterminated block is not code, the earlier one is.
  EXPECT_EQ(extract_code("```python\nx = 1\n```\n```python\ny = 2", lang("python")), "x = 1");
  EXPECT_EQ(extract_code("```python\ny = 2", lang("python")), std::nullopt);
}

TEST(ExtractCode, InlineTripleBackticksAreNotFences) {
  EXPECT_EQ(extract_code("use ```x``` here\n```python\nx = 1\n```", lang("python")), "x = 1");
  EXPECT_EQ(extract_code("use ```x``` here", lang("")), std::nullopt);
}

TEST(ExtractCode, AnswerTags) {
  EXPECT_EQ(extract_code("<think>hmm</think><answer>\nx = 1\n</answer>", lang("python")), "x = 1");
  // The last answer wins.
  EXPECT_EQ(extract_code("<answer>x = 1</answer> no, <answer>x = 2</answer>", lang("")), "x = 2");
  // A fenced block inside the answer gives its content (found as the last block).
  EXPECT_EQ(extract_code("<answer>Here:\n```python\nx = 3\n```\n</answer>", lang("python")),
            "x = 3");
  // An unclosed fence inside the answer: the code is what follows it.
  EXPECT_EQ(extract_code("<answer>\n```python\nx = 4\n</answer>", lang("python")), "x = 4");
  // The answer holds code in another language only.
  EXPECT_EQ(extract_code("<answer>\n```cpp\nint x;\n```\n</answer>", lang("python")), std::nullopt);
  EXPECT_EQ(extract_code("<answer>  </answer>", lang("python")), std::nullopt);
  EXPECT_EQ(extract_code("<answer>x = 1", lang("python")), std::nullopt);  // never closed
}

TEST(ExtractCode, RawOnlyWhenAllowed) {
  EXPECT_EQ(extract_code("  x = 1\n", lang("python")), std::nullopt);
  EXPECT_EQ(extract_code("  x = 1\n", lang("python", true)), "x = 1");
  EXPECT_EQ(extract_code("<think>plan</think>\nx = 1\n", lang("python", true)), "x = 1");
  EXPECT_EQ(extract_code("   \n", lang("python", true)), std::nullopt);
  EXPECT_EQ(extract_code("", lang("python", true)), std::nullopt);
  // A block still wins over raw text.
  EXPECT_EQ(extract_code("text\n```python\nx = 1\n```\nmore", lang("python", true)), "x = 1");
}

TEST(ExtractCode, EmptyCompletion) {
  EXPECT_EQ(extract_code("", lang("")), std::nullopt);
}

// ---- format_reward ----

const FormatOptions kDefaultFormat;

TEST(FormatReward, AcceptsTheR1Shape) {
  EXPECT_EQ(format_reward("<think>plan</think>\n```python\nx = 1\n```", kDefaultFormat), 1.0);
  EXPECT_EQ(
      format_reward("\n  <think>\nplan\n</think>\n\nHere is the code:\n```python\nx = 1\n```\n\n",
                    kDefaultFormat),
      1.0);
  EXPECT_EQ(format_reward("<think>plan</think><answer>\n```python\nx = 1\n```\n</answer>\n",
                          kDefaultFormat),
            1.0);
  EXPECT_EQ(format_reward("<think>a</think>~~~cpp\nint x;\n~~~", kDefaultFormat), 1.0);
}

TEST(FormatReward, TextAfterTheAnswerFails) {
  EXPECT_EQ(
      format_reward("<think>p</think>```python\nx = 1\n```\nThis works because...", kDefaultFormat),
      0.0);
  EXPECT_EQ(
      format_reward("<think>p</think><answer>```python\nx = 1\n```</answer> bye", kDefaultFormat),
      0.0);
  EXPECT_EQ(
      format_reward("<think>p</think><answer>```python\nx = 1\n```\nnote</answer>", kDefaultFormat),
      0.0);
}

TEST(FormatReward, BlockCount) {
  const std::string two = "<think>p</think>```python\na\n```\nand\n```python\nb\n```";
  EXPECT_EQ(format_reward(two, kDefaultFormat), 0.0);
  FormatOptions several;
  several.require_single_block = false;
  EXPECT_EQ(format_reward(two, several), 1.0);
  EXPECT_EQ(format_reward("<think>p</think>just prose", several), 0.0);
  EXPECT_EQ(format_reward("<think>p</think>just prose", kDefaultFormat), 0.0);
  EXPECT_EQ(format_reward("<think>p</think>", kDefaultFormat), 0.0);
}

TEST(FormatReward, ThinkTags) {
  const std::string answer = "```python\nx = 1\n```";
  EXPECT_EQ(format_reward(answer, kDefaultFormat), 0.0);  // missing think
  EXPECT_EQ(format_reward("Sure! <think>p</think>" + answer, kDefaultFormat), 0.0);
  EXPECT_EQ(format_reward("<think>a<think>b</think>c</think>" + answer, kDefaultFormat), 0.0);
  EXPECT_EQ(format_reward("<think>a</think>b</think>" + answer, kDefaultFormat), 0.0);
  EXPECT_EQ(format_reward("<think>a</think><think>b</think>" + answer, kDefaultFormat), 0.0);
  EXPECT_EQ(format_reward("<think>never closed " + answer, kDefaultFormat), 0.0);
  EXPECT_EQ(format_reward("</think>" + answer, kDefaultFormat), 0.0);

  FormatOptions optional_think;
  optional_think.require_think = false;
  EXPECT_EQ(format_reward(answer, optional_think), 1.0);
  EXPECT_EQ(format_reward("<think>p</think>" + answer, optional_think), 1.0);
  EXPECT_EQ(format_reward("stray </think>" + answer, optional_think), 0.0);
}

TEST(FormatReward, UnterminatedFenceFails) {
  EXPECT_EQ(format_reward("<think>p</think>```python\nx = 1\n", kDefaultFormat), 0.0);
  EXPECT_EQ(format_reward("<think>p</think>```python\nx = 1\n```\n```python\ny", kDefaultFormat),
            0.0);
  EXPECT_EQ(format_reward("<think>p</think><answer>```python\nx = 1\n</answer>", kDefaultFormat),
            0.0);
}

TEST(FormatReward, AnswerTagOptions) {
  const std::string tagged = "<think>p</think><answer>\n```python\nx = 1\n```\n</answer>";
  FormatOptions no_tags;
  no_tags.allow_answer_tags = false;
  EXPECT_EQ(format_reward(tagged, no_tags), 0.0);
  EXPECT_EQ(
      format_reward("<think>p</think>Intro <answer>```python\nx\n```</answer>", kDefaultFormat),
      0.0);  // tags must wrap the whole answer
  EXPECT_EQ(format_reward("<think>p</think><answer>```python\nx\n```", kDefaultFormat), 0.0);
  EXPECT_EQ(format_reward("<think>p</think><answer><answer>```python\nx\n```</answer></answer>",
                          kDefaultFormat),
            0.0);
}

TEST(FormatReward, TextBeforeTheBlock) {
  const std::string prose = "<think>p</think>Here you go:\n```python\nx = 1\n```";
  EXPECT_EQ(format_reward(prose, kDefaultFormat), 1.0);
  FormatOptions strict;
  strict.allow_text_around_block = false;
  EXPECT_EQ(format_reward(prose, strict), 0.0);
  EXPECT_EQ(format_reward("<think>p</think>\n\n```python\nx = 1\n```\n", strict), 1.0);
  EXPECT_EQ(format_reward("<think>p</think><answer>\n```python\nx = 1\n```\n</answer>", strict),
            1.0);
}

// ---- compute_reward ----

RewardInput input_of(Verdict verdict, size_t passed, size_t total, bool code_found = true) {
  RewardInput input;
  input.verdict = verdict;
  input.passed = passed;
  input.total = total;
  input.code_found = code_found;
  return input;
}

TEST(ComputeReward, BinaryAccuracy) {
  RewardOptions options;  // binary, weights 1.0 and 0.1
  const Reward ac = compute_reward(input_of(Verdict::kAC, 5, 5), 1.0, options);
  ASSERT_TRUE(ac.reward.has_value());
  EXPECT_DOUBLE_EQ(ac.accuracy, 1.0);
  EXPECT_DOUBLE_EQ(ac.format, 1.0);
  EXPECT_DOUBLE_EQ(*ac.reward, 1.1);
  EXPECT_TRUE(ac.reason.empty());

  const Reward wa = compute_reward(input_of(Verdict::kWA, 4, 5), 1.0, options);
  EXPECT_DOUBLE_EQ(wa.accuracy, 0.0);
  EXPECT_DOUBLE_EQ(*wa.reward, 0.1);
  EXPECT_TRUE(wa.reason.empty());

  // AC with no tests run, or inconsistent counts, is not a pass.
  EXPECT_DOUBLE_EQ(compute_reward(input_of(Verdict::kAC, 0, 0), 0.0, options).accuracy, 0.0);
  EXPECT_DOUBLE_EQ(compute_reward(input_of(Verdict::kAC, 3, 5), 0.0, options).accuracy, 0.0);
  EXPECT_DOUBLE_EQ(compute_reward(input_of(Verdict::kTLE, 5, 5), 0.0, options).accuracy, 0.0);
}

TEST(ComputeReward, FractionAccuracy) {
  RewardOptions options;
  options.accuracy = AccuracyMode::kFraction;
  options.accuracy_weight = 2.0;
  options.format_weight = 0.5;
  const Reward partial = compute_reward(input_of(Verdict::kWA, 3, 4), 0.0, options);
  EXPECT_DOUBLE_EQ(partial.accuracy, 0.75);
  EXPECT_DOUBLE_EQ(*partial.reward, 1.5);
  const Reward full = compute_reward(input_of(Verdict::kAC, 4, 4), 1.0, options);
  EXPECT_DOUBLE_EQ(*full.reward, 2.5);
  const Reward none = compute_reward(input_of(Verdict::kRE, 0, 0), 1.0, options);
  EXPECT_DOUBLE_EQ(none.accuracy, 0.0);
  EXPECT_DOUBLE_EQ(*none.reward, 0.5);
}

TEST(ComputeReward, InternalErrorIsMasked) {
  RewardOptions options;
  options.no_code_penalty = -1.0;
  const Reward ie = compute_reward(input_of(Verdict::kIE, 5, 5), 1.0, options);
  EXPECT_FALSE(ie.reward.has_value());
  EXPECT_DOUBLE_EQ(ie.accuracy, 0.0);
  EXPECT_NE(ie.reason.find("internal error"), std::string::npos) << ie.reason;
}

TEST(ComputeReward, NoCodePenaltyIgnoresTheVerdict) {
  RewardOptions options;
  options.no_code_penalty = -0.5;
  for (Verdict verdict : {Verdict::kAC, Verdict::kIE, Verdict::kCE}) {
    const Reward reward = compute_reward(input_of(verdict, 5, 5, false), 1.0, options);
    ASSERT_TRUE(reward.reward.has_value()) << verdict_name(verdict);
    EXPECT_DOUBLE_EQ(reward.accuracy, 0.0);
    EXPECT_DOUBLE_EQ(*reward.reward, 0.1 - 0.5);
    EXPECT_NE(reward.reason.find("no code"), std::string::npos) << reward.reason;
  }
}

TEST(ComputeReward, CompileErrorPenalty) {
  RewardOptions options;
  options.compile_error_penalty = -0.25;
  options.no_code_penalty = -1.0;  // not applied: code was found
  const Reward ce = compute_reward(input_of(Verdict::kCE, 0, 3), 0.0, options);
  ASSERT_TRUE(ce.reward.has_value());
  EXPECT_DOUBLE_EQ(*ce.reward, -0.25);
  EXPECT_NE(ce.reason.find("compile error"), std::string::npos) << ce.reason;
  options.accuracy = AccuracyMode::kFraction;
  EXPECT_DOUBLE_EQ(*compute_reward(input_of(Verdict::kCE, 0, 3), 1.0, options).reward, 0.1 - 0.25);
}

TEST(AccuracyMode, ParseAndName) {
  EXPECT_EQ(parse_accuracy_mode("binary"), AccuracyMode::kBinary);
  EXPECT_EQ(parse_accuracy_mode("fraction"), AccuracyMode::kFraction);
  EXPECT_EQ(parse_accuracy_mode("Binary"), std::nullopt);
  EXPECT_EQ(parse_accuracy_mode(""), std::nullopt);
  for (AccuracyMode mode : {AccuracyMode::kBinary, AccuracyMode::kFraction}) {
    EXPECT_EQ(parse_accuracy_mode(accuracy_mode_name(mode)), mode);
  }
}

// ---- LeetCodeDataset responses ----

std::vector<std::string> read_responses(const std::string& path) {
  std::vector<std::string> responses;
  FILE* pipe = popen(("gzip -dc '" + path + "'").c_str(), "r");
  if (pipe == nullptr) return responses;
  std::string text;
  char buffer[1 << 16];
  for (size_t n; (n = fread(buffer, 1, sizeof buffer, pipe)) > 0;) text.append(buffer, n);
  pclose(pipe);
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    const auto record = nlohmann::json::parse(text.substr(pos, end - pos), nullptr, false);
    if (record.is_object() && record.contains("response") && record["response"].is_string()) {
      responses.push_back(record["response"].get<std::string>());
    }
    pos = end + 1;
  }
  return responses;
}

class LeetCodeResponses : public testing::TestWithParam<const char*> {};

// Every response is a correct model answer with reasoning and a ```python block. Some records of
// v0.3.1 have an empty response: those have nothing to extract and are counted apart.
TEST_P(LeetCodeResponses, PythonCodeIsExtractedAndFormatIsAnchored) {
  const std::string path =
      std::string(CODEJUDGE_SOURCE_DIR) + "/../shared/datasets/leetcodedataset/" + GetParam();
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "missing " << path;
  const std::vector<std::string> responses = read_responses(path);
  ASSERT_GT(responses.size(), 100u);

  size_t non_empty = 0;
  size_t extracted = 0;
  size_t defines = 0;
  for (const std::string& response : responses) {
    if (response.find_first_not_of(" \t\r\n") == std::string::npos) {
      EXPECT_EQ(extract_code(response, lang("python")), std::nullopt);
      continue;
    }
    ++non_empty;
    const std::optional<std::string> code = extract_code(response, lang("python"));
    if (!code) continue;
    ++extracted;
    // The last block rule takes a trailing usage example over the solution above it; that is
    // rare (one record of v0.3.1), so it is counted, not failed.
    if (code->find("def ") != std::string::npos) ++defines;
    EXPECT_EQ(code->find("```"), std::string::npos) << *code;
    EXPECT_EQ(extract_code(response, lang("py")), code);

    // No <think> in these responses: the R1 format fails, and so does any response with prose
    // after its code when think is optional.
    EXPECT_EQ(format_reward(response, kDefaultFormat), 0.0);
    // Put into the R1 shape, the same material passes.
    const std::string shaped =
        "<think>\n" + response + "\n</think>\n<answer>\n```python\n" + *code + "\n```\n</answer>";
    EXPECT_EQ(format_reward(shaped, kDefaultFormat), 1.0) << shaped;
    EXPECT_EQ(extract_code(shaped, lang("python")), code);
    FormatOptions optional_think;
    optional_think.require_think = false;
    optional_think.require_single_block = false;
    const size_t last_fence = response.rfind("```");
    const bool prose_after =
        response.find_first_not_of(" \t\r\n", last_fence + 3) != std::string::npos;
    if (prose_after) {
      EXPECT_EQ(format_reward(response, optional_think), 0.0);
    }
  }
  const double rate = non_empty == 0 ? 0.0 : static_cast<double>(extracted) / non_empty;
  std::printf(
      "%s: %zu records, %zu non-empty responses, python extracted from %zu (%.1f%%), "
      "%zu of them define a function\n",
      GetParam(), responses.size(), non_empty, extracted, 100.0 * rate, defines);
  EXPECT_GT(non_empty, 100u);
  EXPECT_GE(rate, 0.95);
  EXPECT_GE(static_cast<double>(defines), 0.95 * static_cast<double>(extracted));
}

INSTANTIATE_TEST_SUITE_P(Datasets, LeetCodeResponses,
                         testing::Values("LeetCodeDataset-v0.3.1-test.jsonl.gz",
                                         "LeetCodeDataset-v0.2.0-test.jsonl.gz"));

// ---- the response in an OpenRLHF query ----

// A chat-template prompt whose own example holds a code block (the hack: the response says
// nothing, the prompt's block would be judged).
const std::string kChatPrompt =
    "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\nAdd two "
    "numbers. Example solution:\n```python\nprint(sum(map(int, input().split())))\n```\nNow "
    "write yours.<|im_end|>\n<|im_start|>assistant\n";

TEST(ResponseAfterPrompt, AnExactPrefixLeavesTheRest) {
  EXPECT_EQ(response_after_prompt(kChatPrompt + "I cannot solve this.", kChatPrompt),
            "I cannot solve this.");
  EXPECT_EQ(response_after_prompt("anything", ""), "anything");
  EXPECT_EQ(response_after_prompt("anything", " \n"), "anything");
}

TEST(ResponseAfterPrompt, ARetokenisedPromptIsFoundIgnoringWhitespace) {
  std::string changed = kChatPrompt;
  changed.replace(changed.find("two numbers"), 11, "two  numbers");  // one changed space
  const std::string query = changed + "I cannot solve this.";
  auto response = response_after_prompt(query, kChatPrompt);
  ASSERT_TRUE(response);
  EXPECT_EQ(*response, "I cannot solve this.");
  EXPECT_FALSE(extract_code(*response, {}).has_value());
  // Spaces dropped before punctuation (clean_up_tokenization_spaces) and a trailing newline
  // lost: found all the same.
  std::string cleaned = kChatPrompt;
  cleaned.pop_back();
  EXPECT_EQ(response_after_prompt(cleaned + "ok", kChatPrompt), "ok");
}

TEST(ResponseAfterPrompt, APromptCutFromTheLeftIsFoundByItsEnd) {
  // OpenRLHF keeps the last max_prompt_length tokens of a long prompt; the cut may leave a
  // broken character.
  const std::string query =
      "\xEF\xBF\xBD" + kChatPrompt.substr(kChatPrompt.find("numbers")) + "```python\nprint(3)\n```";
  auto response = response_after_prompt(query, kChatPrompt);
  ASSERT_TRUE(response);
  EXPECT_EQ(*response, "```python\nprint(3)\n```");
}

TEST(ResponseAfterPrompt, ResponseEchoingThePromptsEndOnlyLosesItsOwnText) {
  // The last occurrence counts: a response that repeats the prompt's end cuts itself shorter,
  // which can cost it its own code but never hands it the prompt's.
  const std::string echo = kChatPrompt.substr(kChatPrompt.size() - 80);
  std::string changed = kChatPrompt;
  changed.insert(0, " ");
  auto response = response_after_prompt(changed + "first " + echo + "second", kChatPrompt);
  ASSERT_TRUE(response);
  EXPECT_EQ(*response, "second");
}

TEST(ResponseAfterPrompt, APromptThatIsNotThereIsNotGuessed) {
  // Not a prefix, and its end stands nowhere in the query: no split is sound.
  EXPECT_FALSE(response_after_prompt("```python\nprint(3)\n```", kChatPrompt));
  std::string mangled = kChatPrompt;
  mangled.replace(mangled.rfind("assistant"), 9, "Assistant");
  EXPECT_FALSE(response_after_prompt(mangled + "```python\nprint(3)\n```", kChatPrompt));
  // A short prompt must be there whole.
  EXPECT_FALSE(response_after_prompt("Solve it:", "Solve this:"));
  EXPECT_EQ(response_after_prompt("Solve  this:\nx", "Solve this:"), "\nx");
}

}  // namespace
}  // namespace codejudge::judges
