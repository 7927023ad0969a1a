#include "codejudge/trainer/tokenizer.h"

#include <array>

namespace codejudge::trainer {

namespace {

struct Marker {
  std::string_view text;
  int64_t token;
};

// Longest first, so "```python\n" wins over "```".
constexpr std::array<Marker, 4> kMarkers = {{{"```python\n", Tokenizer::kFenceOpen},
                                             {"</think>", Tokenizer::kThinkClose},
                                             {"<think>", Tokenizer::kThinkOpen},
                                             {"```", Tokenizer::kFence}}};

}  // namespace

std::vector<int64_t> Tokenizer::encode(std::string_view text) {
  std::vector<int64_t> out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    bool matched = false;
    if (text[i] == '<' || text[i] == '`') {
      for (const Marker& marker : kMarkers) {
        if (text.substr(i, marker.text.size()) == marker.text) {
          out.push_back(marker.token);
          i += marker.text.size();
          matched = true;
          break;
        }
      }
    }
    if (!matched) out.push_back(static_cast<unsigned char>(text[i++]));
  }
  return out;
}

std::string Tokenizer::token_text(int64_t token) {
  if (token >= 0 && token < 256) return std::string(1, static_cast<char>(token));
  for (const Marker& marker : kMarkers) {
    if (marker.token == token) return std::string(marker.text);
  }
  return "";
}

std::string Tokenizer::decode(const std::vector<int64_t>& tokens, bool stop_at_eos) {
  std::string out;
  for (int64_t token : tokens) {
    if (token == kEos && stop_at_eos) break;
    out += token_text(token);
  }
  return out;
}

}  // namespace codejudge::trainer
