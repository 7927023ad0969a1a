// Rewards for RL training: code extraction from a raw completion, the format reward and the
// combination of a verdict into one scalar. Pure functions: nothing runs here.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "codejudge/judges/verdict.h"

namespace codejudge::judges {

// Canonical language name for a fence info string or a request: a judge language name or alias
// (language.h: "py" -> "python", "c++" -> "cpp", ...) or a fence-only label ("py3", "c++17",
// "mjs", "java17", "h"). Lower-cases; unknown names come back lower-cased as they are.
std::string normalize_language(std::string_view name);

struct ExtractOptions {
  std::string language;     // empty: any language
  bool accept_raw = false;  // no block and no <answer>: use the completion itself
};

// The code in a completion, in order of preference:
//  1. the last closed fenced block (``` or ~~~) whose info string names `language` (aliases
//     normalised); when none does, the last closed block without an info string; when language is
//     empty, the last closed block of any language. Blank blocks are skipped; an unterminated
//     fence is not code (the completion was probably cut off).
//  2. the content of the last <answer>...</answer> (nullopt if it only holds blocks of other
//     languages; an opening fence left unclosed inside it is dropped).
//  3. with accept_raw, the completion after its last </think>, trimmed.
// Block content is returned as written, minus the fence's own indentation.
std::optional<std::string> extract_code(std::string_view completion, const ExtractOptions& options);

// The language named by the info string of the completion's last closed, non-blank fenced
// block, normalised ("py" -> "python"); "" when there is none or it has no info string. The same
// scan as extract_code's, so the two never disagree on a block.
std::string last_block_language(std::string_view completion);

// The response in an OpenRLHF /get_reward query, which is the prompt followed by the response,
// although its prompt part may differ from the prompt that was sent: cut from the left to fit
// the context (OpenRLHF keeps a prompt's last max_prompt_length tokens) or re-tokenised
// (decode(encode(p)) may change spaces). When the query starts with the prompt exactly, the
// response is the rest. Otherwise it is what follows the last place where the prompt's final
// kPromptAnchorBytes non-space bytes (or all of them, for a shorter prompt) stand in the query,
// comparing non-space bytes only: every byte of prompt text in the query comes before that
// place, so no code that stands in the prompt is ever judged. nullopt when they stand nowhere:
// the response cannot then be told from prompt text. A blank prompt leaves the whole query.
inline constexpr size_t kPromptAnchorBytes = 64;
std::optional<std::string_view> response_after_prompt(std::string_view query,
                                                      std::string_view prompt);

struct FormatOptions {
  bool require_think = true;         // starts with <think>...</think> (leading whitespace allowed)
  bool require_single_block = true;  // the answer holds exactly one fenced block (else >= 1)
  bool allow_answer_tags = true;     // the answer may be wrapped in <answer>...</answer>
  bool allow_text_around_block = true;  // prose before the block; never anything after it
};

// 1.0 when the completion has the DeepSeek-R1 shape, else 0.0. Anchored at both ends: the think
// part (exactly one <think> and one </think>, when present or required), then the answer, whose
// last fenced block must be closed and followed by nothing but whitespace (or by </answer> and
// then whitespace).
double format_reward(std::string_view completion, const FormatOptions& options);

enum class AccuracyMode { kBinary, kFraction };

// Inline: clients that only speak to a server name the modes without linking the judges
// (codejudge::judges_types).
inline const char* accuracy_mode_name(AccuracyMode mode) {  // "binary", "fraction"
  return mode == AccuracyMode::kFraction ? "fraction" : "binary";
}
inline std::optional<AccuracyMode> parse_accuracy_mode(std::string_view name) {
  if (name == "binary") return AccuracyMode::kBinary;
  if (name == "fraction") return AccuracyMode::kFraction;
  return std::nullopt;
}

struct RewardOptions {
  AccuracyMode accuracy = AccuracyMode::kBinary;
  double accuracy_weight = 1.0;
  double format_weight = 0.1;
  double no_code_penalty = 0.0;        // added (usually negative) when no code could be extracted
  double compile_error_penalty = 0.0;  // added when the verdict is CE
  FormatOptions format;
  ExtractOptions extract;
};

struct RewardInput {
  Verdict verdict = Verdict::kIE;
  size_t passed = 0;  // tests passed
  size_t total = 0;   // tests run
  bool code_found = true;
};

struct Reward {
  std::optional<double>
      reward;             // nullopt on IE: the trainer masks the sample, never learns from it
  double accuracy = 0.0;  // binary: 1 iff AC and passed == total > 0; fraction: passed / total
  double format = 0.0;
  std::string reason;  // why the reward is null, or which penalty applied
};

// reward = accuracy_weight * accuracy + format_weight * format + penalties. Without code the
// verdict is ignored: accuracy 0 and no_code_penalty.
Reward compute_reward(const RewardInput& input, double format_score, const RewardOptions& options);

}  // namespace codejudge::judges
