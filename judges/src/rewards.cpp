#include "codejudge/judges/rewards.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "codejudge/judges/language.h"

namespace codejudge::judges {
namespace {

constexpr std::string_view kThinkOpen = "<think>";
constexpr std::string_view kThinkClose = "</think>";
constexpr std::string_view kAnswerOpen = "<answer>";
constexpr std::string_view kAnswerClose = "</answer>";

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

bool is_blank(std::string_view text) {
  return std::all_of(text.begin(), text.end(), is_space);
}

size_t count_occurrences(std::string_view text, std::string_view needle) {
  size_t count = 0;
  for (size_t pos = text.find(needle); pos != std::string_view::npos;
       pos = text.find(needle, pos + needle.size())) {
    ++count;
  }
  return count;
}

// A fenced code block found by scan_blocks. Positions are offsets into the scanned text.
struct Block {
  std::string language;   // normalised first word of the info string, "" when untagged
  size_t open_begin = 0;  // start of the opening fence line
  size_t content_begin = 0;
  size_t content_end = 0;  // before the newline that ends the last content line
  size_t close_end = 0;    // just after the closing fence line (without its newline)
  size_t indent = 0;       // the opening fence's indentation, removed from content lines
  bool closed = false;
};

struct Fence {
  char marker = '`';
  size_t length = 0;
  size_t indent = 0;
  std::string_view info;
};

// A line that opens a fence: optional indentation, then three or more ` or ~, then the info
// string. Backtick info strings cannot contain backticks (that is inline code on one line).
std::optional<Fence> opening_fence(std::string_view line) {
  Fence fence;
  while (fence.indent < line.size() && (line[fence.indent] == ' ' || line[fence.indent] == '\t')) {
    ++fence.indent;
  }
  line.remove_prefix(fence.indent);
  if (line.empty() || (line.front() != '`' && line.front() != '~')) return std::nullopt;
  fence.marker = line.front();
  while (fence.length < line.size() && line[fence.length] == fence.marker) ++fence.length;
  if (fence.length < 3) return std::nullopt;
  fence.info = trim(line.substr(fence.length));
  if (fence.marker == '`' && fence.info.find('`') != std::string_view::npos) return std::nullopt;
  return fence;
}

bool closes(std::string_view line, const Fence& fence) {
  line = trim(line);
  size_t length = 0;
  while (length < line.size() && line[length] == fence.marker) ++length;
  return length >= fence.length && length == line.size();
}

// All fenced blocks in text, in order, in one pass over its lines. The last may be unclosed.
std::vector<Block> scan_blocks(std::string_view text) {
  std::vector<Block> blocks;
  std::optional<Fence> open;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = text.substr(pos, end - pos);
    if (!open) {
      open = opening_fence(line);
      if (open) {
        Block block;
        // The info string's first word, up to a pandoc attribute block: "c++ {.numberLines}".
        const std::string_view info = open->info;
        const size_t word =
            std::find_if(info.begin(), info.end(), [](char c) { return is_space(c) || c == '{'; }) -
            info.begin();
        block.language = normalize_language(info.substr(0, word));
        block.open_begin = pos;
        block.content_begin = std::min(end + 1, text.size());
        block.content_end = block.content_begin;
        block.close_end = text.size();
        block.indent = open->indent;
        blocks.push_back(std::move(block));
      }
    } else if (closes(line, *open)) {
      Block& block = blocks.back();
      block.content_end = std::max(block.content_begin, pos == 0 ? 0 : pos - 1);
      block.close_end = end;
      block.closed = true;
      open.reset();
    }
    pos = end + 1;
  }
  if (open) blocks.back().content_end = text.size();
  return blocks;
}

// Block content with up to `indent` leading blanks removed from each line, so a block indented
// inside a list item still gives valid Python.
std::string block_content(std::string_view text, const Block& block) {
  const std::string_view content =
      text.substr(block.content_begin, block.content_end - block.content_begin);
  if (block.indent == 0) return std::string(content);
  std::string out;
  out.reserve(content.size());
  size_t pos = 0;
  while (pos <= content.size()) {
    size_t end = content.find('\n', pos);
    if (end == std::string_view::npos) end = content.size();
    std::string_view line = content.substr(pos, end - pos);
    for (size_t i = 0;
         i < block.indent && !line.empty() && (line.front() == ' ' || line.front() == '\t'); ++i) {
      line.remove_prefix(1);
    }
    out.append(line);
    if (end < content.size()) out += '\n';
    pos = end + 1;
  }
  return out;
}

bool usable(std::string_view text, const Block& block) {
  return block.closed &&
         !is_blank(text.substr(block.content_begin, block.content_end - block.content_begin));
}

// Rule 1 of extract_code: the last usable block in the wanted language, else the last untagged.
const Block* pick_block(std::string_view text, const std::vector<Block>& blocks,
                        const std::string& language) {
  const Block* untagged = nullptr;
  for (auto it = blocks.rbegin(); it != blocks.rend(); ++it) {
    if (!usable(text, *it)) continue;
    if (language.empty() || it->language == language) return &*it;
    if (it->language.empty() && untagged == nullptr) untagged = &*it;
  }
  return untagged;
}

// Rule 2 of extract_code: the content of the last <answer>...</answer>.
std::optional<std::string> answer_content(std::string_view completion,
                                          const std::string& language) {
  const size_t close = completion.rfind(kAnswerClose);
  if (close == std::string_view::npos) return std::nullopt;
  const size_t open = completion.substr(0, close).rfind(kAnswerOpen);
  if (open == std::string_view::npos) return std::nullopt;
  const size_t begin = open + kAnswerOpen.size();
  std::string_view inner = completion.substr(begin, close - begin);
  const std::vector<Block> blocks = scan_blocks(inner);
  if (const Block* block = pick_block(inner, blocks, language)) {
    return block_content(inner, *block);
  }
  // Closed blocks that rule 1 did not take hold code in another language.
  if (std::any_of(blocks.begin(), blocks.end(), [](const Block& b) { return b.closed; })) {
    return std::nullopt;
  }
  if (!blocks.empty()) {
    // An opening fence that was never closed: the code is what follows it.
    const Block& block = blocks.back();
    if (!language.empty() && !block.language.empty() && block.language != language) {
      return std::nullopt;
    }
    inner = inner.substr(block.content_begin);
  }
  inner = trim(inner);
  if (inner.empty()) return std::nullopt;
  return std::string(inner);
}

}  // namespace

std::string normalize_language(std::string_view name) {
  if (const Language* language = find_language(name)) return language->name;
  std::string lower(name);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  });
  for (const Language& language : all_languages()) {
    for (const std::string& label : language.fence_labels) {
      if (lower == label) return language.name;
    }
  }
  return lower;
}

std::optional<std::string> extract_code(std::string_view completion,
                                        const ExtractOptions& options) {
  const std::string language = normalize_language(options.language);
  const std::vector<Block> blocks = scan_blocks(completion);
  if (const Block* block = pick_block(completion, blocks, language)) {
    return block_content(completion, *block);
  }
  if (auto answer = answer_content(completion, language)) return answer;
  if (!options.accept_raw) return std::nullopt;
  std::string_view raw = completion;
  if (const size_t think_end = raw.rfind(kThinkClose); think_end != std::string_view::npos) {
    raw.remove_prefix(think_end + kThinkClose.size());
  }
  raw = trim(raw);
  if (raw.empty()) return std::nullopt;
  return std::string(raw);
}

std::string last_block_language(std::string_view completion) {
  const std::vector<Block> blocks = scan_blocks(completion);
  for (auto it = blocks.rbegin(); it != blocks.rend(); ++it) {
    if (usable(completion, *it)) return it->language;
  }
  return "";
}

std::optional<std::string_view> response_after_prompt(std::string_view query,
                                                      std::string_view prompt) {
  if (query.starts_with(prompt)) return query.substr(prompt.size());
  std::string prompt_bytes;  // the prompt's non-space bytes
  for (char c : prompt) {
    if (!is_space(c)) prompt_bytes += c;
  }
  if (prompt_bytes.empty()) return query;
  std::string query_bytes;    // the query's non-space bytes...
  std::vector<size_t> where;  // ...and their offsets in the query
  for (size_t i = 0; i < query.size(); ++i) {
    if (is_space(query[i])) continue;
    query_bytes += query[i];
    where.push_back(i);
  }
  const std::string_view anchor =
      std::string_view(prompt_bytes)
          .substr(prompt_bytes.size() - std::min(prompt_bytes.size(), kPromptAnchorBytes));
  const size_t at = query_bytes.rfind(anchor);
  if (at == std::string::npos) return std::nullopt;
  std::string_view response = query.substr(where[at + anchor.size() - 1] + 1);
  // The prompt's own trailing whitespace (the newline after "assistant"), when it is there.
  size_t last = prompt.size();
  while (last > 0 && is_space(prompt[last - 1])) --last;
  if (response.starts_with(prompt.substr(last))) response.remove_prefix(prompt.size() - last);
  return response;
}

double format_reward(std::string_view completion, const FormatOptions& options) {
  const size_t think_opens = count_occurrences(completion, kThinkOpen);
  const size_t think_closes = count_occurrences(completion, kThinkClose);
  std::string_view answer = trim(completion);
  if (answer.starts_with(kThinkOpen)) {
    if (think_opens != 1 || think_closes != 1) return 0.0;
    answer.remove_prefix(answer.find(kThinkClose) + kThinkClose.size());
  } else if (options.require_think || think_opens != 0 || think_closes != 0) {
    return 0.0;
  }
  answer = trim(answer);

  const size_t answer_opens = count_occurrences(answer, kAnswerOpen);
  const size_t answer_closes = count_occurrences(answer, kAnswerClose);
  if (answer_opens != 0 || answer_closes != 0) {
    if (!options.allow_answer_tags || answer_opens != 1 || answer_closes != 1) return 0.0;
    if (!answer.starts_with(kAnswerOpen) || !answer.ends_with(kAnswerClose)) return 0.0;
    answer =
        answer.substr(kAnswerOpen.size(), answer.size() - kAnswerOpen.size() - kAnswerClose.size());
    answer = trim(answer);
  }

  const std::vector<Block> blocks = scan_blocks(answer);
  if (blocks.empty() || !blocks.back().closed) return 0.0;
  if (options.require_single_block && blocks.size() != 1) return 0.0;
  // Anchored at the end: the answer was trimmed, so the last fence must end it.
  if (blocks.back().close_end != answer.size()) return 0.0;
  if (!options.allow_text_around_block && !is_blank(answer.substr(0, blocks.front().open_begin))) {
    return 0.0;
  }
  return 1.0;
}

Reward compute_reward(const RewardInput& input, double format_score, const RewardOptions& options) {
  Reward result;
  result.format = format_score;
  double penalty = 0.0;
  if (!input.code_found) {
    // Nothing ran, whatever the verdict says.
    penalty = options.no_code_penalty;
    result.reason = "no code found in the completion";
  } else if (input.verdict == Verdict::kIE) {
    result.reason = "internal error: the judge failed, mask this sample";
    return result;
  } else {
    if (options.accuracy == AccuracyMode::kBinary) {
      const bool all_passed = input.total > 0 && input.passed == input.total;
      result.accuracy = input.verdict == Verdict::kAC && all_passed ? 1.0 : 0.0;
    } else if (input.total > 0) {
      const size_t passed = std::min(input.passed, input.total);
      result.accuracy = static_cast<double>(passed) / static_cast<double>(input.total);
    }
    if (input.verdict == Verdict::kCE) {
      penalty = options.compile_error_penalty;
      result.reason = "compile error";
    }
  }
  result.reward =
      options.accuracy_weight * result.accuracy + options.format_weight * result.format + penalty;
  return result;
}

}  // namespace codejudge::judges
