// Small helpers shared by the units of one judge() call (judge.cpp, compile_step.cpp,
// test_check.cpp, test_run.cpp).
#pragma once

#include <cctype>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace codejudge::judges {

using Clock = std::chrono::steady_clock;

inline constexpr uint64_t kMiB = 1ull << 20;
inline constexpr size_t kMessageBytes = 1024;  // of a checker's or a sandbox's reason

inline uint64_t elapsed_ms(Clock::time_point start) {
  return static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count());
}

// The last max_bytes of text at most, starting on a UTF-8 sequence boundary.
inline std::string tail_utf8(std::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  size_t start = text.size() - max_bytes;
  while (start < text.size() && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) ++start;
  return std::string(text.substr(start));
}

// Cuts text to at most max_bytes without splitting a UTF-8 sequence.
inline std::string cut_utf8(std::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  size_t end = max_bytes;
  // Step back over continuation bytes (10xxxxxx) to the start of the cut sequence.
  size_t back = 0;
  while (end > 0 && back < 4 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) {
    --end;
    ++back;
  }
  return std::string(text.substr(0, end));
}

inline std::string trim(std::string_view text) {
  size_t begin = 0;
  size_t end = text.size();
  while (begin < end && std::isspace(static_cast<unsigned char>(text[begin]))) ++begin;
  while (end > begin && std::isspace(static_cast<unsigned char>(text[end - 1]))) --end;
  return std::string(text.substr(begin, end - begin));
}

inline std::vector<std::string> concat(std::vector<std::string> a,
                                       const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

}  // namespace codejudge::judges
