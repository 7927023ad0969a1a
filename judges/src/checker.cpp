#include "codejudge/judges/checker.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <optional>
#include <utility>
#include <vector>

namespace codejudge::judges {
namespace {

// Values quoted in messages are cut to this many bytes of the original text.
constexpr size_t kMaxShownBytes = 48;
// Parser messages are longer and useful to their end, within reason.
constexpr size_t kMaxErrorBytes = 240;
// Deeper JSON is rejected: comparison and destruction recurse once per level.
constexpr size_t kMaxJsonDepth = 2000;

CheckOutcome accept() {
  return {true, {}};
}
CheckOutcome reject(std::string message) {
  return {false, std::move(message)};
}

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}
bool is_line_trailing_space(char c) {
  return c == ' ' || c == '\t' || c == '\r';
}

// Length of the well-formed UTF-8 sequence at text[pos], or 0. Messages end up in JSON, whose
// serialiser refuses invalid UTF-8, so anything else is escaped byte by byte.
size_t utf8_length(std::string_view text, size_t pos) {
  const auto byte = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(pos);
  size_t length = 0;
  unsigned char low = 0x80;
  unsigned char high = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) low = 0xA0;   // overlong
    if (lead == 0xED) high = 0x9F;  // surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) low = 0x90;   // overlong
    if (lead == 0xF4) high = 0x8F;  // above U+10FFFF
  } else {
    return 0;
  }
  if (pos + length > text.size()) return 0;
  if (byte(pos + 1) < low || byte(pos + 1) > high) return 0;
  for (size_t i = 2; i < length; ++i) {
    if (byte(pos + i) < 0x80 || byte(pos + i) > 0xBF) return 0;
  }
  return length;
}

// text with control and invalid bytes escaped, cut after about max_bytes; cut tells if it was.
std::string escape_prefix(std::string_view text, size_t max_bytes, bool& cut) {
  std::string out;
  size_t pos = 0;
  while (pos < text.size() && pos < max_bytes) {
    const auto c = static_cast<unsigned char>(text[pos]);
    if (c >= 0x20 && c < 0x7F) {
      if (c == '"' || c == '\\') out += '\\';
      out += static_cast<char>(c);
      ++pos;
    } else if (c == '\n') {
      out += "\\n";
      ++pos;
    } else if (c == '\r') {
      out += "\\r";
      ++pos;
    } else if (c == '\t') {
      out += "\\t";
      ++pos;
    } else if (const size_t length = utf8_length(text, pos); length > 0) {
      out.append(text.substr(pos, length));
      pos += length;
    } else {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\x%02X", c);
      out += escaped;
      ++pos;
    }
  }
  cut = pos < text.size();
  return out;
}

std::string escape(std::string_view text, size_t max_bytes) {
  bool cut = false;
  std::string out = escape_prefix(text, max_bytes, cut);
  return cut ? out + "..." : out;
}

std::string quote(std::string_view text) {
  bool cut = false;
  const std::string inner = escape_prefix(text, kMaxShownBytes, cut);
  return '"' + inner + (cut ? "\"..." : "\"");
}

// Whitespace-separated tokens, one at a time.
class TokenCursor {
 public:
  explicit TokenCursor(std::string_view text) : text_(text) {}

  std::optional<std::string_view> next() {
    while (pos_ < text_.size() && is_space(text_[pos_])) ++pos_;
    if (pos_ == text_.size()) return std::nullopt;
    const size_t start = pos_;
    while (pos_ < text_.size() && !is_space(text_[pos_])) ++pos_;
    return text_.substr(start, pos_ - start);
  }

 private:
  std::string_view text_;
  size_t pos_ = 0;
};

// Lines without their trailing spaces, tabs and '\r', trailing blank lines dropped. Trimming
// the whole text's trailing whitespace first is equivalent and keeps this a single pass.
class LineCursor {
 public:
  explicit LineCursor(std::string_view text) : text_(text) {
    size_t end = text_.size();
    while (end > 0 && (is_line_trailing_space(text_[end - 1]) || text_[end - 1] == '\n')) --end;
    text_ = text_.substr(0, end);
    done_ = text_.empty();
  }

  std::optional<std::string_view> next() {
    if (done_) return std::nullopt;
    size_t end = text_.find('\n', pos_);
    if (end == std::string_view::npos) {
      end = text_.size();
      done_ = true;
    }
    std::string_view line = text_.substr(pos_, end - pos_);
    pos_ = end + 1;
    while (!line.empty() && is_line_trailing_space(line.back())) line.remove_suffix(1);
    return line;
  }

 private:
  std::string_view text_;
  size_t pos_ = 0;
  bool done_ = false;
};

// Walks two sequences in step; the first difference, a missing or an extra item rejects.
template <typename Cursor, typename Equal>
CheckOutcome compare_sequences(std::string_view expected, std::string_view actual, const char* unit,
                               Equal equal) {
  Cursor expected_items(expected);
  Cursor actual_items(actual);
  for (size_t index = 1;; ++index) {
    const std::optional<std::string_view> want = expected_items.next();
    const std::optional<std::string_view> got = actual_items.next();
    if (!want && !got) return accept();
    if (want && got && equal(*want, *got)) continue;
    const std::string where = std::string(unit) + " " + std::to_string(index);
    return reject(where + ": expected " + (want ? quote(*want) : "end of output") + ", got " +
                  (got ? quote(*got) : "end of output"));
  }
}

CheckOutcome check_exact(std::string_view expected, std::string_view actual) {
  const auto [want_it, got_it] =
      std::mismatch(expected.begin(), expected.end(), actual.begin(), actual.end());
  if (want_it == expected.end() && got_it == actual.end()) return accept();
  const auto offset = static_cast<size_t>(want_it - expected.begin());
  const size_t line = 1 + static_cast<size_t>(std::count(expected.begin(), want_it, '\n'));
  // Show a little context before the difference, but not from an earlier line.
  const size_t line_start = offset == 0 ? 0 : expected.rfind('\n', offset - 1) + 1;
  const size_t from = std::max(line_start, offset >= 16 ? offset - 16 : 0);
  const std::string where =
      "byte " + std::to_string(offset) + " (line " + std::to_string(line) + ")";
  const std::string want =
      want_it == expected.end() ? "end of output" : quote(expected.substr(from));
  const std::string got = got_it == actual.end() ? "end of output" : quote(actual.substr(from));
  return reject(where + ": expected " + want + ", got " + got);
}

bool equals_ignoring_case(std::string_view text, std::string_view lower) {
  return text.size() == lower.size() &&
         std::equal(text.begin(), text.end(), lower.begin(),
                    [](char a, char b) { return (a >= 'A' && a <= 'Z' ? a - 'A' + 'a' : a) == b; });
}

// A token that is entirely a number: strtod's decimal syntax (sign, decimal or exponent form),
// or nan, inf, infinity in any case with an optional sign (what C's printf and Java write for
// non-finite values; DOMjudge reads them as numbers too). Literals beyond the double range are
// not numbers.
std::optional<double> parse_number(std::string_view token) {
  if (token.empty()) return std::nullopt;
  // from_chars refuses a leading '+', strtod takes it; a second sign is never valid.
  bool negative = false;
  std::string_view unsigned_part = token;
  if (token.front() == '+' || token.front() == '-') {
    negative = token.front() == '-';
    unsigned_part.remove_prefix(1);
    if (unsigned_part.empty() || unsigned_part.front() == '+' || unsigned_part.front() == '-') {
      return std::nullopt;
    }
  }
  if (equals_ignoring_case(unsigned_part, "nan")) return std::numeric_limits<double>::quiet_NaN();
  if (equals_ignoring_case(unsigned_part, "inf") ||
      equals_ignoring_case(unsigned_part, "infinity")) {
    return negative ? -std::numeric_limits<double>::infinity()
                    : std::numeric_limits<double>::infinity();
  }
  if (token.front() == '+') token.remove_prefix(1);
  double value = 0.0;
  const char* end = token.data() + token.size();
  const auto [ptr, ec] = std::from_chars(token.data(), end, value);
  if (ptr != end) return std::nullopt;
  if (ec == std::errc::result_out_of_range) {
    // Underflow is a finite number near zero; strtod tells it apart from overflow.
    const std::string copy(token);
    value = std::strtod(copy.c_str(), nullptr);
  } else if (ec != std::errc()) {
    return std::nullopt;
  }
  if (!std::isfinite(value)) return std::nullopt;
  return value;
}

// NaN matches only NaN and an infinity only itself. Between finite numbers the tolerance is
// |a-b| <= max(abs_tol, rel_tol*|expected|); a difference or a bound that overflows to an
// infinity is never within tolerance.
bool numbers_close(double expected, double actual, double abs_tol, double rel_tol) {
  if (std::isnan(expected) || std::isnan(actual)) return std::isnan(expected) && std::isnan(actual);
  if (std::isinf(expected) || std::isinf(actual)) return expected == actual;
  const double diff = std::fabs(expected - actual);
  if (!std::isfinite(diff)) return false;
  double bound = std::max(abs_tol, rel_tol * std::fabs(expected));
  if (!std::isfinite(bound)) bound = std::numeric_limits<double>::max();
  return diff <= bound;
}

CheckOutcome check_unordered(std::string_view expected, std::string_view actual) {
  const auto collect = [](std::string_view text) {
    size_t count = 0;
    for (LineCursor lines(text); lines.next();) ++count;
    std::vector<std::string_view> out;
    out.reserve(count);
    LineCursor lines(text);
    while (const auto line = lines.next()) out.push_back(*line);
    std::sort(out.begin(), out.end());
    return out;
  };
  const std::vector<std::string_view> want = collect(expected);
  const std::vector<std::string_view> got = collect(actual);
  const auto [want_it, got_it] = std::mismatch(want.begin(), want.end(), got.begin(), got.end());
  if (want_it == want.end() && got_it == got.end()) return accept();
  std::string message = "expected " + std::to_string(want.size()) + " lines in any order, got " +
                        std::to_string(got.size());
  // In sorted order the smaller of the two first differing lines is the one in excess.
  if (got_it == got.end() || (want_it != want.end() && *want_it < *got_it)) {
    message += "; missing line " + quote(*want_it);
  } else {
    message += "; unexpected line " + quote(*got_it);
  }
  return reject(std::move(message));
}

// ---- Function-mode values ----

// A parsed JSON value. Integers keep their sign and 64-bit magnitude or, beyond that, their
// digits, so that they compare exactly; an object's members are parsed only to be rejected.
struct Value {
  enum class Kind { kNull, kBool, kInt, kBigInt, kFloat, kString, kArray, kObject };
  Kind kind = Kind::kNull;
  bool boolean = false;
  bool negative = false;     // kInt and kBigInt; never set for zero
  uint64_t magnitude = 0;    // kInt
  double number = 0.0;       // kFloat (NaN and the infinities too), kBigInt's approximation
  std::string text;          // kString; kBigInt's digits; kFloat's literal, for messages
  std::vector<Value> items;  // kArray items, kObject values
};

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

void append_utf8(std::string& out, uint32_t code) {
  if (code < 0x80) {
    out += static_cast<char>(code);
  } else if (code < 0x800) {
    out += static_cast<char>(0xC0 | (code >> 6));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else if (code < 0x10000) {
    out += static_cast<char>(0xE0 | (code >> 12));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (code >> 18));
    out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  }
}

// Strict JSON (RFC 8259: valid UTF-8, no lone surrogates, no leading zeros) plus the tokens
// NaN, Infinity and -Infinity, which the harnesses write for non-finite floats as Python's json
// module does. Nesting is bounded so that hostile output cannot exhaust the stack.
class ValueReader {
 public:
  explicit ValueReader(std::string_view text) : text_(text) {}

  // Fills out, or returns what is wrong.
  std::optional<std::string> read(Value& out) {
    skip_space();
    if (!value(out, 0)) return error_;
    skip_space();
    if (pos_ != text_.size()) {
      fail("unexpected text after the value");
      return error_;
    }
    return std::nullopt;
  }

 private:
  bool fail(const std::string& what) {
    error_ = what + " at offset " + std::to_string(pos_);
    return false;
  }
  bool at(char c) const { return pos_ < text_.size() && text_[pos_] == c; }
  bool at_digit() const { return pos_ < text_.size() && is_digit(text_[pos_]); }
  void skip_space() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' ||
                                   text_[pos_] == '\n' || text_[pos_] == '\r')) {
      ++pos_;
    }
  }
  bool word(std::string_view expected) {
    if (text_.substr(pos_, expected.size()) != expected) return fail("invalid literal");
    pos_ += expected.size();
    return true;
  }

  bool value(Value& out, size_t depth) {
    if (pos_ >= text_.size()) return fail("unexpected end of input");
    switch (text_[pos_]) {
      case '[':
        return container(out, depth, false);
      case '{':
        return container(out, depth, true);
      case '"':
        out.kind = Value::Kind::kString;
        return string(out.text);
      case 't':
        out.kind = Value::Kind::kBool;
        out.boolean = true;
        return word("true");
      case 'f':
        out.kind = Value::Kind::kBool;
        return word("false");
      case 'n':
        return word("null");
      case 'N':
        out.kind = Value::Kind::kFloat;
        out.number = std::numeric_limits<double>::quiet_NaN();
        return word("NaN");
      case 'I':
        out.kind = Value::Kind::kFloat;
        out.number = std::numeric_limits<double>::infinity();
        return word("Infinity");
      default:
        return number(out);
    }
  }

  bool container(Value& out, size_t depth, bool object) {
    if (depth >= kMaxJsonDepth) {
      return fail("nesting deeper than " + std::to_string(kMaxJsonDepth) + " levels");
    }
    out.kind = object ? Value::Kind::kObject : Value::Kind::kArray;
    const char close = object ? '}' : ']';
    ++pos_;
    skip_space();
    if (at(close)) {
      ++pos_;
      return true;
    }
    for (;;) {
      if (object) {
        std::string key;
        if (!at('"')) return fail("expected a string key");
        if (!string(key)) return false;
        skip_space();
        if (!at(':')) return fail("expected ':'");
        ++pos_;
        skip_space();
      }
      out.items.emplace_back();
      if (!value(out.items.back(), depth + 1)) return false;
      skip_space();
      if (at(',')) {
        ++pos_;
        skip_space();
      } else if (at(close)) {
        ++pos_;
        return true;
      } else {
        return fail(object ? "expected ',' or '}'" : "expected ',' or ']'");
      }
    }
  }

  bool number(Value& out) {
    const size_t start = pos_;
    const bool negative = at('-');
    if (negative) {
      ++pos_;
      if (text_.substr(pos_, 8) == "Infinity") {
        pos_ += 8;
        out.kind = Value::Kind::kFloat;
        out.number = -std::numeric_limits<double>::infinity();
        return true;
      }
    }
    const size_t digits_start = pos_;
    if (!at_digit()) return fail("invalid value");
    if (at('0')) {
      ++pos_;
    } else {
      while (at_digit()) ++pos_;
    }
    const size_t digits_end = pos_;
    bool integral = true;
    if (at('.')) {
      integral = false;
      ++pos_;
      if (!at_digit()) return fail("expected a digit after '.'");
      while (at_digit()) ++pos_;
    }
    if (at('e') || at('E')) {
      integral = false;
      ++pos_;
      if (at('+') || at('-')) ++pos_;
      if (!at_digit()) return fail("expected an exponent");
      while (at_digit()) ++pos_;
    }
    const std::string_view literal = text_.substr(start, pos_ - start);
    if (integral) {
      const std::string_view digits = text_.substr(digits_start, digits_end - digits_start);
      uint64_t magnitude = 0;
      const auto [ptr, ec] =
          std::from_chars(digits.data(), digits.data() + digits.size(), magnitude);
      if (ec == std::errc() && ptr == digits.data() + digits.size()) {
        out.kind = Value::Kind::kInt;
        out.magnitude = magnitude;
        out.negative = negative && magnitude != 0;
      } else {
        out.kind = Value::Kind::kBigInt;
        out.text = std::string(digits);
        out.negative = negative;
        out.number = std::strtod(std::string(literal).c_str(), nullptr);
      }
      return true;
    }
    // JSON's number syntax is within parse_number's, which refuses what overflows a double.
    const std::optional<double> value = parse_number(literal);
    if (!value) return fail("number beyond the double range");
    out.kind = Value::Kind::kFloat;
    out.number = *value;
    out.text = std::string(literal);
    return true;
  }

  bool hex4(uint32_t& code) {
    if (text_.size() - pos_ < 4) return false;
    code = 0;
    for (int i = 0; i < 4; ++i) {
      const char c = text_[pos_++];
      code <<= 4;
      if (c >= '0' && c <= '9') {
        code |= static_cast<uint32_t>(c - '0');
      } else if (c >= 'a' && c <= 'f') {
        code |= static_cast<uint32_t>(c - 'a' + 10);
      } else if (c >= 'A' && c <= 'F') {
        code |= static_cast<uint32_t>(c - 'A' + 10);
      } else {
        return false;
      }
    }
    return true;
  }

  bool escape(std::string& out) {
    ++pos_;  // the backslash
    if (pos_ >= text_.size()) return fail("unterminated string");
    const char c = text_[pos_++];
    switch (c) {
      case '"':
      case '\\':
      case '/':
        out += c;
        return true;
      case 'b':
        out += '\b';
        return true;
      case 'f':
        out += '\f';
        return true;
      case 'n':
        out += '\n';
        return true;
      case 'r':
        out += '\r';
        return true;
      case 't':
        out += '\t';
        return true;
      case 'u': {
        uint32_t code = 0;
        if (!hex4(code)) return fail("invalid \\u escape");
        if (code >= 0xDC00 && code <= 0xDFFF) return fail("lone surrogate in a string");
        if (code >= 0xD800 && code <= 0xDBFF) {
          uint32_t low = 0;
          if (text_.substr(pos_, 2) != "\\u") return fail("lone surrogate in a string");
          pos_ += 2;
          if (!hex4(low) || low < 0xDC00 || low > 0xDFFF) {
            return fail("lone surrogate in a string");
          }
          code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
        }
        append_utf8(out, code);
        return true;
      }
      default:
        return fail("invalid escape in a string");
    }
  }

  bool string(std::string& out) {
    ++pos_;  // the opening quote
    while (pos_ < text_.size()) {
      const auto c = static_cast<unsigned char>(text_[pos_]);
      if (c == '"') {
        ++pos_;
        return true;
      }
      if (c < 0x20) return fail("control character in a string");
      if (c == '\\') {
        if (!escape(out)) return false;
      } else if (c < 0x80) {
        out += static_cast<char>(c);
        ++pos_;
      } else {
        const size_t length = utf8_length(text_, pos_);
        if (length == 0) return fail("invalid UTF-8 in a string");
        out.append(text_.substr(pos_, length));
        pos_ += length;
      }
    }
    return fail("unterminated string");
  }

  std::string_view text_;
  size_t pos_ = 0;
  std::string error_;
};

std::string describe_double(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "Infinity" : "-Infinity";
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, result.ptr);
}

std::string describe(const Value& value) {
  switch (value.kind) {
    case Value::Kind::kNull:
      return "null";
    case Value::Kind::kBool:
      return value.boolean ? "true" : "false";
    case Value::Kind::kInt:
      return (value.negative ? "-" : "") + std::to_string(value.magnitude);
    case Value::Kind::kBigInt: {
      std::string text = value.text.substr(0, kMaxShownBytes);
      if (text.size() < value.text.size()) text += "...";
      return (value.negative ? "-" : "") + text;
    }
    case Value::Kind::kFloat:
      return value.text.empty() ? describe_double(value.number)
                                : escape(value.text, kMaxShownBytes);
    case Value::Kind::kString:
      return quote(value.text);
    case Value::Kind::kArray:
      return "an array of " + std::to_string(value.items.size()) + " items";
    case Value::Kind::kObject:
      return "an object";
  }
  return "?";
}

bool is_integer(const Value& value) {
  return value.kind == Value::Kind::kInt || value.kind == Value::Kind::kBigInt;
}
bool is_number(const Value& value) {
  return is_integer(value) || value.kind == Value::Kind::kFloat;
}

// An expected integer written as an integral float (3.0, 1e20), as an integer literal.
Value integer_of(const Value& value) {
  if (value.kind != Value::Kind::kFloat) return value;
  Value out;
  const double magnitude = std::fabs(value.number);
  if (magnitude < 18446744073709551616.0) {
    out.kind = Value::Kind::kInt;
    out.magnitude = static_cast<uint64_t>(magnitude);
  } else {
    char buffer[400];
    std::snprintf(buffer, sizeof buffer, "%.0f", magnitude);
    out.kind = Value::Kind::kBigInt;
    out.text = buffer;
  }
  out.negative = value.number < 0 && (out.kind == Value::Kind::kBigInt || out.magnitude != 0);
  return out;
}

bool integral_float(const Value& value) {
  return value.kind == Value::Kind::kFloat && std::isfinite(value.number) &&
         std::floor(value.number) == value.number;
}

std::optional<double> non_finite_name(const Value& value) {
  if (value.kind != Value::Kind::kString) return std::nullopt;
  if (value.text == "NaN") return std::numeric_limits<double>::quiet_NaN();
  if (value.text == "Infinity") return std::numeric_limits<double>::infinity();
  if (value.text == "-Infinity") return -std::numeric_limits<double>::infinity();
  return std::nullopt;
}

double double_of(const Value& value) {
  if (auto named = non_finite_name(value)) return *named;
  if (value.kind == Value::Kind::kInt) {
    const auto magnitude = static_cast<double>(value.magnitude);
    return value.negative ? -magnitude : magnitude;
  }
  return value.number;
}

// One level of a declared type: `base` under `depth` list levels, or a value of a TreeNode's
// level order (an integer or null).
struct Slot {
  ValueType::Kind base;
  size_t depth = 0;
  bool tree_value = false;

  bool list() const {
    return !tree_value &&
           (depth > 0 || base == ValueType::Kind::kListNode || base == ValueType::Kind::kTreeNode);
  }
  // The type of a list's elements.
  Slot element() const {
    if (depth > 0) return {base, depth - 1};
    if (base == ValueType::Kind::kTreeNode) return {ValueType::Kind::kLong, 0, true};
    return {ValueType::Kind::kLong};
  }
  // A node list with no list level of its own may be written null (the empty list).
  bool empty_node_list() const { return !tree_value && depth == 0 && list(); }
};

Slot slot_of(const ValueType& type) {
  return {type.base, type.list_depth, false};
}

// Why a value does not fit the slot's type, or "": lists are walked element by element, and
// misfit_scalar(value, kind) names what a scalar should have been ("" when it fits). With
// null_is_empty, null stands for an empty ListNode or TreeNode (as expected values may write it).
template <typename ScalarMisfit>
std::string misfit(const Value& value, Slot slot, std::string& path, bool null_is_empty,
                   const ScalarMisfit& misfit_scalar) {
  const auto not_a = [&](std::string_view what) {
    return path + ": " + describe(value) + " is not " + std::string(what);
  };
  if (slot.tree_value && value.kind == Value::Kind::kNull) return "";
  if (slot.list()) {
    if (null_is_empty && slot.empty_node_list() && value.kind == Value::Kind::kNull) return "";
    if (value.kind != Value::Kind::kArray) return not_a("a list");
    const size_t length = path.size();
    for (size_t i = 0; i < value.items.size(); ++i) {
      path += '[' + std::to_string(i) + ']';
      std::string error =
          misfit(value.items[i], slot.element(), path, null_is_empty, misfit_scalar);
      if (!error.empty()) return error;
      path.resize(length);
    }
    return "";
  }
  const std::string_view what = misfit_scalar(value, slot.base);
  return what.empty() ? "" : not_a(what);
}

// What a bool or string value (or one of an unknown kind) should have been, or "".
const char* other_misfit(const Value& value, ValueType::Kind kind) {
  switch (kind) {
    case ValueType::Kind::kBool:
      return value.kind == Value::Kind::kBool ? "" : "a bool";
    case ValueType::Kind::kStr:
      return value.kind == Value::Kind::kString ? "" : "a string";
    default:
      return "a value of a known type";
  }
}

// Why an expected value cannot be compared as the slot's type, or "".
std::string expected_misfit(const Value& want, Slot slot, std::string& path) {
  return misfit(want, slot, path, true, [](const Value& value, ValueType::Kind kind) {
    switch (kind) {
      case ValueType::Kind::kInt:
      case ValueType::Kind::kLong:
        return is_integer(value) || integral_float(value) ? "" : "an integer";
      case ValueType::Kind::kFloat:
        return is_number(value) || non_finite_name(value) ? "" : "a float";
      default:
        return other_misfit(value, kind);
    }
  });
}

struct Tolerance {
  double abs_tol;
  double rel_tol;
};

// The first difference as "path: expected X, got Y", or nullopt when got matches want. want
// fits the slot (expected_misfit said so).
std::optional<std::string> compare_typed(const Value& want, const Value& got, Slot slot,
                                         std::string& path, const Tolerance& tolerance) {
  const auto differ = [&](std::string_view note = "") {
    return path + ": expected " + describe(want) + ", got " + describe(got) + std::string(note);
  };
  if (slot.tree_value && (want.kind == Value::Kind::kNull || got.kind == Value::Kind::kNull)) {
    if (want.kind != got.kind) return differ();
    return std::nullopt;
  }
  if (slot.list()) {
    static const Value kEmpty = [] {
      Value empty;
      empty.kind = Value::Kind::kArray;
      return empty;
    }();
    const Value& items = want.kind == Value::Kind::kNull ? kEmpty : want;
    if (got.kind != Value::Kind::kArray || items.items.size() != got.items.size()) {
      return path + ": expected " + describe(items) + ", got " + describe(got);
    }
    const size_t length = path.size();
    for (size_t i = 0; i < items.items.size(); ++i) {
      path += '[' + std::to_string(i) + ']';
      auto difference =
          compare_typed(items.items[i], got.items[i], slot.element(), path, tolerance);
      if (difference) return difference;
      path.resize(length);
    }
    return std::nullopt;
  }
  switch (slot.base) {
    case ValueType::Kind::kInt:
    case ValueType::Kind::kLong: {
      if (got.kind == Value::Kind::kFloat) {
        return differ(" (a float where an integer is declared)");
      }
      if (!is_integer(got)) return differ();
      const Value expected = integer_of(want);
      const bool same = expected.kind == got.kind && expected.negative == got.negative &&
                        (expected.kind == Value::Kind::kInt ? expected.magnitude == got.magnitude
                                                            : expected.text == got.text);
      if (!same) return differ();
      return std::nullopt;
    }
    case ValueType::Kind::kFloat:
      if (!is_number(got) ||
          !numbers_close(double_of(want), double_of(got), tolerance.abs_tol, tolerance.rel_tol)) {
        return differ();
      }
      return std::nullopt;
    case ValueType::Kind::kBool:
      if (got.kind != Value::Kind::kBool || got.boolean != want.boolean) return differ();
      return std::nullopt;
    case ValueType::Kind::kStr:
      if (got.kind != Value::Kind::kString || got.text != want.text) return differ();
      return std::nullopt;
    default:
      return differ();
  }
}

// Why an argument would be refused by some function harness, or "" (see arguments_error).
std::string argument_misfit(const Value& argument, Slot slot, std::string& path) {
  return misfit(argument, slot, path, false, [](const Value& value, ValueType::Kind kind) {
    switch (kind) {
      case ValueType::Kind::kInt:
      case ValueType::Kind::kLong: {
        // The C++ and Java harnesses hold integers in 64 bits.
        constexpr uint64_t kMaxMagnitude = uint64_t{1} << 63;
        const bool fits = value.kind == Value::Kind::kInt &&
                          value.magnitude <= kMaxMagnitude - (value.negative ? 0 : 1);
        const bool integral = integral_float(value) && std::fabs(value.number) < 9.2e18;
        return fits || integral ? "" : "an integer of 64 bits";
      }
      case ValueType::Kind::kFloat:
        return value.kind == Value::Kind::kInt || (is_number(value) && std::isfinite(value.number))
                   ? ""
                   : "a finite number";
      default:
        return other_misfit(value, kind);
    }
  });
}

}  // namespace

CheckOutcome check_text(const problems::CheckerSpec& spec, std::string_view expected,
                        std::string_view actual) {
  using Type = problems::CheckerSpec::Type;
  switch (spec.type) {
    case Type::kExact:
      return check_exact(expected, actual);
    case Type::kLines:
      return compare_sequences<LineCursor>(
          expected, actual, "line", [](std::string_view a, std::string_view b) { return a == b; });
    case Type::kTokens:
      return compare_sequences<TokenCursor>(
          expected, actual, "token", [](std::string_view a, std::string_view b) { return a == b; });
    case Type::kFloat:
      return compare_sequences<TokenCursor>(
          expected, actual, "token", [&spec](std::string_view want, std::string_view got) {
            const std::optional<double> want_value = parse_number(want);
            const std::optional<double> got_value = want_value ? parse_number(got) : std::nullopt;
            if (want_value && got_value) {
              return numbers_close(*want_value, *got_value, spec.abs_tol, spec.rel_tol);
            }
            return want == got;
          });
    case Type::kUnordered:
      return check_unordered(expected, actual);
    case Type::kCustom:
      return reject("custom checker must be run by the judge");
  }
  return reject("unknown checker type");
}

CheckOutcome check_value(std::string_view expected_json, std::string_view actual_json,
                         const ValueType& type, double abs_tol, double rel_tol) {
  Value want;
  if (auto error = ValueReader(expected_json).read(want)) {
    return reject("expected value is malformed JSON: " + escape(*error, kMaxErrorBytes));
  }
  std::string path = "$";
  if (std::string misfit = expected_misfit(want, slot_of(type), path); !misfit.empty()) {
    return reject("expected value does not fit the declared type " + type_name(type) + ": " +
                  misfit);
  }
  Value got;
  if (auto error = ValueReader(actual_json).read(got)) {
    return reject("output is not valid JSON: " + escape(*error, kMaxErrorBytes));
  }
  if (auto difference = compare_typed(want, got, slot_of(type), path, {abs_tol, rel_tol})) {
    return reject(std::move(*difference));
  }
  return accept();
}

std::string expected_value_error(std::string_view expected_json, const ValueType& type) {
  Value want;
  if (auto error = ValueReader(expected_json).read(want)) {
    return "malformed JSON: " + escape(*error, kMaxErrorBytes);
  }
  std::string path = "$";
  std::string misfit = expected_misfit(want, slot_of(type), path);
  return misfit.empty() ? "" : misfit + " (declared " + type_name(type) + ")";
}

std::string arguments_error(std::string_view arguments_json, const std::vector<ValueType>& params) {
  Value arguments;
  if (auto error = ValueReader(arguments_json).read(arguments)) {
    return "malformed JSON: " + escape(*error, kMaxErrorBytes);
  }
  if (arguments.kind != Value::Kind::kArray || arguments.items.size() != params.size()) {
    return "expected an array of " + std::to_string(params.size()) + " arguments, got " +
           describe(arguments);
  }
  for (size_t i = 0; i < params.size(); ++i) {
    std::string path = "argument " + std::to_string(i);
    std::string misfit = argument_misfit(arguments.items[i], slot_of(params[i]), path);
    if (!misfit.empty()) return misfit + " (declared " + type_name(params[i]) + ")";
  }
  return "";
}

}  // namespace codejudge::judges
