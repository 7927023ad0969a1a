#include "codejudge/judges/checker.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <optional>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

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

// A token that is entirely a finite number (strtod syntax: sign, decimal or exponent form).
std::optional<double> parse_finite(std::string_view token) {
  if (token.empty()) return std::nullopt;
  // from_chars refuses a leading '+', strtod takes it; a second sign is never valid.
  if (token.front() == '+') {
    token.remove_prefix(1);
    if (token.empty() || token.front() == '+' || token.front() == '-') return std::nullopt;
  }
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

bool numbers_close(double expected, double actual, double abs_tol, double rel_tol) {
  const double diff = std::fabs(expected - actual);
  return diff <= abs_tol || diff <= rel_tol * std::fabs(expected);
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

// ---- JSON ----

struct JsonNode {
  enum class Kind { kNull, kBool, kInt, kBigInt, kFloat, kString, kArray, kObject };
  Kind kind = Kind::kNull;
  bool boolean = false;
  bool negative = false;  // kInt as sign and magnitude: int64 and uint64 values compare exactly
  uint64_t magnitude = 0;
  double number = 0.0;             // kFloat, and kBigInt's approximation
  std::string text;                // kString, and kBigInt's literal
  std::vector<std::string> keys;   // kObject: sorted, unique, parallel to children
  std::vector<JsonNode> children;  // kArray items or kObject values
};

bool is_number(const JsonNode& node) {
  return node.kind == JsonNode::Kind::kInt || node.kind == JsonNode::Kind::kBigInt ||
         node.kind == JsonNode::Kind::kFloat;
}

// Builds a JsonNode tree from nlohmann's SAX events. The SAX interface hands over the literal
// text of floats, which is how integers too big for 64 bits keep their exact digits.
class TreeBuilder {
 public:
  using json = nlohmann::json;

  bool null() { return add(JsonNode{}); }
  bool boolean(bool value) {
    JsonNode node;
    node.kind = JsonNode::Kind::kBool;
    node.boolean = value;
    return add(std::move(node));
  }
  bool number_integer(json::number_integer_t value) {
    JsonNode node;
    node.kind = JsonNode::Kind::kInt;
    node.negative = value < 0;
    node.magnitude = value < 0 ? 0 - static_cast<uint64_t>(value) : static_cast<uint64_t>(value);
    return add(std::move(node));
  }
  bool number_unsigned(json::number_unsigned_t value) {
    JsonNode node;
    node.kind = JsonNode::Kind::kInt;
    node.magnitude = value;
    return add(std::move(node));
  }
  bool number_float(json::number_float_t value, const json::string_t& literal) {
    JsonNode node;
    node.number = value;
    if (literal.find_first_of(".eE") == std::string::npos) {
      node.kind = JsonNode::Kind::kBigInt;
      node.text = literal;
    } else {
      node.kind = JsonNode::Kind::kFloat;
    }
    return add(std::move(node));
  }
  bool string(json::string_t& value) {
    JsonNode node;
    node.kind = JsonNode::Kind::kString;
    node.text = std::move(value);
    return add(std::move(node));
  }
  bool binary(json::binary_t& /*value*/) { return false; }  // not produced by the text parser
  bool start_object(std::size_t /*size*/) { return open(JsonNode::Kind::kObject); }
  bool key(json::string_t& name) {
    stack_.back()->keys.push_back(std::move(name));
    return true;
  }
  bool end_object() {
    sort_members(*stack_.back());
    stack_.pop_back();
    return true;
  }
  bool start_array(std::size_t /*size*/) { return open(JsonNode::Kind::kArray); }
  bool end_array() {
    stack_.pop_back();
    return true;
  }
  bool parse_error(std::size_t /*position*/, const std::string& /*last_token*/,
                   const nlohmann::detail::exception& error) {
    error_ = error.what();
    return false;
  }

  JsonNode& root() { return root_; }
  const std::string& error() const { return error_; }

 private:
  bool add(JsonNode node) {
    if (stack_.empty()) {
      root_ = std::move(node);
    } else {
      stack_.back()->children.push_back(std::move(node));
    }
    return true;
  }

  // The open container's address stays valid: its parent only grows after it is closed.
  bool open(JsonNode::Kind kind) {
    if (stack_.size() >= kMaxJsonDepth) {
      error_ = "nesting deeper than " + std::to_string(kMaxJsonDepth) + " levels";
      return false;
    }
    JsonNode node;
    node.kind = kind;
    add(std::move(node));
    stack_.push_back(stack_.empty() ? &root_ : &stack_.back()->children.back());
    return true;
  }

  // Sorted keys make comparison a merge; a repeated key keeps its last value, as nlohmann does.
  static void sort_members(JsonNode& node) {
    std::vector<size_t> order(node.keys.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return node.keys[a] < node.keys[b]; });
    std::vector<std::string> keys;
    std::vector<JsonNode> children;
    keys.reserve(order.size());
    children.reserve(order.size());
    for (size_t i = 0; i < order.size(); ++i) {
      const size_t index = order[i];
      if (i + 1 < order.size() && node.keys[order[i + 1]] == node.keys[index]) continue;
      keys.push_back(std::move(node.keys[index]));
      children.push_back(std::move(node.children[index]));
    }
    node.keys = std::move(keys);
    node.children = std::move(children);
  }

  JsonNode root_;
  std::vector<JsonNode*> stack_;
  std::string error_;
};

// Parses text into out; on failure returns the parser's message.
std::optional<std::string> parse_json(std::string_view text, JsonNode& out) {
  TreeBuilder builder;
  try {
    if (!nlohmann::json::sax_parse(text.data(), text.data() + text.size(), &builder)) {
      return builder.error().empty() ? std::string("invalid JSON") : builder.error();
    }
  } catch (const std::exception& error) {
    return std::string(error.what());
  }
  out = std::move(builder.root());
  return std::nullopt;
}

std::string describe(const JsonNode& node) {
  switch (node.kind) {
    case JsonNode::Kind::kNull:
      return "null";
    case JsonNode::Kind::kBool:
      return node.boolean ? "true" : "false";
    case JsonNode::Kind::kInt:
      return (node.negative ? "-" : "") + std::to_string(node.magnitude);
    case JsonNode::Kind::kBigInt: {
      std::string text = node.text.substr(0, kMaxShownBytes);
      if (text.size() < node.text.size()) text += "...";
      return text;
    }
    case JsonNode::Kind::kFloat: {
      char buffer[32];
      const auto result = std::to_chars(buffer, buffer + sizeof buffer, node.number);
      return std::string(buffer, result.ptr);
    }
    case JsonNode::Kind::kString:
      return quote(node.text);
    case JsonNode::Kind::kArray:
      return "an array of " + std::to_string(node.children.size()) + " items";
    case JsonNode::Kind::kObject:
      return "an object with " + std::to_string(node.children.size()) + " keys";
  }
  return "?";
}

double as_double(const JsonNode& node) {
  if (node.kind == JsonNode::Kind::kInt) {
    const auto value = static_cast<double>(node.magnitude);
    return node.negative ? -value : value;
  }
  return node.number;
}

bool json_numbers_equal(const JsonNode& want, const JsonNode& got, double abs_tol, double rel_tol) {
  using Kind = JsonNode::Kind;
  const bool want_integer = want.kind != Kind::kFloat;
  const bool got_integer = got.kind != Kind::kFloat;
  if (want_integer && got_integer) {
    if (want.kind != got.kind) return false;  // one fits in 64 bits, the other does not
    if (want.kind == Kind::kBigInt) return want.text == got.text;
    return want.negative == got.negative && want.magnitude == got.magnitude;
  }
  return numbers_close(as_double(want), as_double(got), abs_tol, rel_tol);
}

void append_key(std::string& path, const std::string& key) {
  const bool plain = !key.empty() && std::all_of(key.begin(), key.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
  if (plain) {
    path += '.';
    path += key;
  } else {
    path += '[' + quote(key) + ']';
  }
}

// The first difference as "path: expected X, got Y", or nullopt when equal.
std::optional<std::string> compare_json(const JsonNode& want, const JsonNode& got,
                                        std::string& path, double abs_tol, double rel_tol) {
  using Kind = JsonNode::Kind;
  const auto differ = [&]() {
    return path + ": expected " + describe(want) + ", got " + describe(got);
  };
  if (is_number(want) || is_number(got)) {
    if (!is_number(want) || !is_number(got)) return differ();
    if (!json_numbers_equal(want, got, abs_tol, rel_tol)) return differ();
    return std::nullopt;
  }
  if (want.kind != got.kind) return differ();
  switch (want.kind) {
    case Kind::kNull:
      return std::nullopt;
    case Kind::kBool:
      if (want.boolean != got.boolean) return differ();
      return std::nullopt;
    case Kind::kString:
      if (want.text != got.text) return differ();
      return std::nullopt;
    case Kind::kArray: {
      if (want.children.size() != got.children.size()) return differ();
      const size_t length = path.size();
      for (size_t i = 0; i < want.children.size(); ++i) {
        path += '[' + std::to_string(i) + ']';
        auto difference = compare_json(want.children[i], got.children[i], path, abs_tol, rel_tol);
        if (difference) return difference;
        path.resize(length);
      }
      return std::nullopt;
    }
    case Kind::kObject: {
      const auto [want_key, got_key] =
          std::mismatch(want.keys.begin(), want.keys.end(), got.keys.begin(), got.keys.end());
      if (want_key != want.keys.end() || got_key != got.keys.end()) {
        if (got_key == got.keys.end() || (want_key != want.keys.end() && *want_key < *got_key)) {
          return path + ": missing key " + quote(*want_key);
        }
        return path + ": unexpected key " + quote(*got_key);
      }
      const size_t length = path.size();
      for (size_t i = 0; i < want.children.size(); ++i) {
        append_key(path, want.keys[i]);
        auto difference = compare_json(want.children[i], got.children[i], path, abs_tol, rel_tol);
        if (difference) return difference;
        path.resize(length);
      }
      return std::nullopt;
    }
    default:
      return differ();  // numbers were handled above
  }
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
            const std::optional<double> want_value = parse_finite(want);
            const std::optional<double> got_value = want_value ? parse_finite(got) : std::nullopt;
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

CheckOutcome check_json(std::string_view expected_json, std::string_view actual_json,
                        double abs_tol, double rel_tol) {
  JsonNode want;
  if (auto error = parse_json(expected_json, want)) {
    return reject("expected value is malformed JSON: " + escape(*error, kMaxErrorBytes));
  }
  JsonNode got;
  if (auto error = parse_json(actual_json, got)) {
    return reject("output is not valid JSON: " + escape(*error, kMaxErrorBytes));
  }
  std::string path = "$";
  if (auto difference = compare_json(want, got, path, abs_tol, rel_tol)) {
    return reject(std::move(*difference));
  }
  return accept();
}

}  // namespace codejudge::judges
