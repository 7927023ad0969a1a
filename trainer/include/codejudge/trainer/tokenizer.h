// A byte-level tokenizer: every byte is a token (so nothing is out of vocabulary), plus a few
// special tokens. Four of them stand for the text markers of the expected completion shape, so
// the model emits "<think>" or a fence as one token; decode() writes them back as their text.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace codejudge::trainer {

class Tokenizer {
 public:
  static constexpr int64_t kPad = 256;
  static constexpr int64_t kBos = 257;
  static constexpr int64_t kEos = 258;
  static constexpr int64_t kThinkOpen = 259;   // "<think>"
  static constexpr int64_t kThinkClose = 260;  // "</think>"
  static constexpr int64_t kFenceOpen = 261;   // "```python\n"
  static constexpr int64_t kFence = 262;       // "```"
  // 263 rounded up to a multiple of 8, which tensor cores like; id 263 is never produced.
  static constexpr int64_t kVocabSize = 264;

  // Bytes to tokens; the marker texts become their single tokens (longest match first).
  static std::vector<int64_t> encode(std::string_view text);
  // Tokens to text. Markers become their text; PAD and BOS are dropped; decoding stops at the
  // first EOS when stop_at_eos.
  static std::string decode(const std::vector<int64_t>& tokens, bool stop_at_eos = true);
  // The text of one token ("" for PAD/BOS/EOS and unused ids).
  static std::string token_text(int64_t token);
};

}  // namespace codejudge::trainer
