#include "python_text.h"

#include <algorithm>

namespace codejudge::problems::detail {
namespace {

bool is_name_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}

bool is_name_char(char c) {
  return is_name_start(c) || (c >= '0' && c <= '9');
}

bool is_string_prefix(std::string_view name) {
  if (name.size() > 2) return false;
  for (char c : name) {
    char lower = static_cast<char>(c | 0x20);
    if (lower != 'r' && lower != 'b' && lower != 'u' && lower != 'f') return false;
  }
  return true;
}

// Scans a string starting at the quote at `pos`; returns the offset after it, or npos.
size_t scan_string(std::string_view source, size_t pos) {
  char quote = source[pos];
  bool triple = source.substr(pos, 3) == std::string(3, quote);
  size_t i = pos + (triple ? 3 : 1);
  while (i < source.size()) {
    char c = source[i];
    if (c == '\\') {
      i += 2;  // also in raw strings a backslash keeps the next quote inside the string
      continue;
    }
    if (!triple && c == '\n') return std::string_view::npos;
    if (c == quote) {
      if (!triple) return i + 1;
      if (source.substr(i, 3) == std::string(3, quote)) return i + 3;
    }
    ++i;
  }
  return std::string_view::npos;
}

bool is_keyword_opening_block(std::string_view word) {
  static constexpr std::string_view kWords[] = {
      "for",     "while",  "if",       "elif",  "else",     "with",   "try",    "except",
      "finally", "def",    "class",    "async", "match",    "case",   "return", "yield",
      "raise",   "global", "nonlocal", "break", "continue", "lambda", "await"};
  return std::find(std::begin(kWords), std::end(kWords), word) != std::end(kWords);
}

bool is_name(const PyToken& token, std::string_view text) {
  return token.kind == PyToken::Kind::kName && token.text == text;
}

bool is_op(const PyToken& token, std::string_view text) {
  return token.kind == PyToken::Kind::kOp && token.text == text;
}

// Calls of a bare name: NAME '(' not after '.', 'def' or 'class'.
bool is_bare_call(const std::vector<PyToken>& tokens, size_t i) {
  if (tokens[i].kind != PyToken::Kind::kName) return false;
  if (i + 1 >= tokens.size() || !is_op(tokens[i + 1], "(")) return false;
  if (i > 0 && (is_op(tokens[i - 1], ".") || is_name(tokens[i - 1], "def") ||
                is_name(tokens[i - 1], "class"))) {
    return false;
  }
  return true;
}

}  // namespace

bool tokenize_python(std::string_view source, std::vector<PyToken>* tokens) {
  tokens->clear();
  int depth = 0;
  size_t i = 0;
  auto push = [&](PyToken::Kind kind, size_t begin, size_t end) {
    tokens->push_back({kind, source.substr(begin, end - begin), begin});
  };
  while (i < source.size()) {
    char c = source[i];
    if (c == ' ' || c == '\t' || c == '\f' || c == '\r') {
      ++i;
    } else if (c == '\\' && i + 1 < source.size() &&
               (source[i + 1] == '\n' || source.substr(i + 1, 2) == "\r\n")) {
      i += source[i + 1] == '\n' ? 2 : 3;
    } else if (c == '#') {
      while (i < source.size() && source[i] != '\n') ++i;
    } else if (c == '\n') {
      if (depth == 0) push(PyToken::Kind::kNewline, i, i + 1);
      ++i;
    } else if (c == '\'' || c == '"') {
      size_t end = scan_string(source, i);
      if (end == std::string_view::npos) return false;
      push(PyToken::Kind::kString, i, end);
      i = end;
    } else if (is_name_start(c)) {
      size_t begin = i;
      while (i < source.size() && is_name_char(source[i])) ++i;
      if (i < source.size() && (source[i] == '\'' || source[i] == '"') &&
          is_string_prefix(source.substr(begin, i - begin))) {
        size_t end = scan_string(source, i);
        if (end == std::string_view::npos) return false;
        push(PyToken::Kind::kString, begin, end);
        i = end;
      } else {
        push(PyToken::Kind::kName, begin, i);
      }
    } else if ((c >= '0' && c <= '9') || (c == '.' && i + 1 < source.size() &&
                                          source[i + 1] >= '0' && source[i + 1] <= '9')) {
      size_t begin = i;
      bool hex = source.substr(i, 2) == "0x" || source.substr(i, 2) == "0X";
      while (i < source.size()) {
        char d = source[i];
        if (is_name_char(d) || d == '.') {
          ++i;
        } else if ((d == '+' || d == '-') && !hex &&
                   (source[i - 1] == 'e' || source[i - 1] == 'E')) {
          ++i;  // exponent sign
        } else {
          break;
        }
      }
      push(PyToken::Kind::kNumber, begin, i);
    } else {
      if (c == '(' || c == '[' || c == '{') ++depth;
      if (c == ')' || c == ']' || c == '}') {
        if (depth == 0) return false;
        --depth;
      }
      push(PyToken::Kind::kOp, i, i + 1);
      ++i;
    }
  }
  return depth == 0;
}

bool split_logical_lines(std::string_view source, std::vector<PyToken>* tokens,
                         std::vector<LogicalLine>* lines) {
  lines->clear();
  if (!tokenize_python(source, tokens)) return false;
  size_t line_start = 0;
  size_t first = 0;
  for (size_t t = 0; t <= tokens->size(); ++t) {
    bool at_end = t == tokens->size();
    if (!at_end && (*tokens)[t].kind != PyToken::Kind::kNewline) continue;
    size_t line_end = at_end ? source.size() : (*tokens)[t].offset;
    if (at_end && line_start >= source.size()) break;
    LogicalLine line;
    line.text = source.substr(line_start, line_end - line_start);
    line.begin_token = first;
    line.end_token = t;
    size_t indent_end = line.blank() ? line_start : (*tokens)[first].offset;
    line.indent = source.substr(line_start, indent_end - line_start);
    if (line.indent.find_first_not_of(" \t") != std::string_view::npos) {
      // The first token is not on the line's first physical line (a continuation).
      line.indent = line.indent.substr(0, line.indent.find_first_not_of(" \t"));
    }
    lines->push_back(line);
    line_start = line_end + 1;
    first = t + 1;
  }
  return true;
}

std::vector<std::string> split_check_function(std::string_view code, size_t max_tests) {
  std::vector<PyToken> tokens;
  std::vector<LogicalLine> lines;
  if (!split_logical_lines(code, &tokens, &lines)) return {};
  // Exactly one top-level "def check(NAME):" with nothing after the colon.
  size_t def_line = lines.size();
  std::string_view param;
  for (size_t i = 0; i < lines.size(); ++i) {
    const LogicalLine& line = lines[i];
    if (line.blank() || !line.indent.empty()) continue;
    size_t b = line.begin_token;
    if (line.end_token - b < 2 || !is_name(tokens[b], "def") || !is_name(tokens[b + 1], "check")) {
      continue;
    }
    if (def_line != lines.size()) return {};
    if (line.end_token - b != 6 || !is_op(tokens[b + 2], "(") ||
        tokens[b + 3].kind != PyToken::Kind::kName || !is_op(tokens[b + 4], ")") ||
        !is_op(tokens[b + 5], ":")) {
      return {};
    }
    def_line = i;
    param = tokens[b + 3].text;
  }
  if (def_line == lines.size()) return {};

  struct Statement {
    size_t line;
    bool is_case;
  };
  std::vector<Statement> body;
  std::string_view body_indent;
  size_t after_body = lines.size();
  for (size_t i = def_line + 1; i < lines.size(); ++i) {
    const LogicalLine& line = lines[i];
    if (line.blank()) continue;
    if (line.indent.empty()) {
      after_body = i;
      break;
    }
    if (body_indent.empty()) body_indent = line.indent;
    if (line.indent != body_indent) return {};  // a nested block
    const PyToken& head = tokens[line.begin_token];
    if (head.kind == PyToken::Kind::kName && is_keyword_opening_block(head.text)) return {};
    if (is_op(head, "@")) return {};
    bool uses_candidate = false;
    for (size_t t = line.begin_token; t < line.end_token; ++t) {
      if (is_op(tokens[t], ";")) return {};  // several statements on one line
      if (is_name(tokens[t], param) && !(t > 0 && is_op(tokens[t - 1], "."))) {
        uses_candidate = true;
      }
    }
    bool is_assert = is_name(head, "assert");
    if (uses_candidate && !is_assert) return {};  // setup that runs the candidate
    body.push_back({i, is_assert && uses_candidate});
  }
  size_t cases =
      std::count_if(body.begin(), body.end(), [](const Statement& s) { return s.is_case; });
  if (cases < 2) return {};

  size_t groups = (max_tests == 0 || max_tests >= cases) ? cases : max_tests;
  std::string_view prefix = code.substr(0, lines[def_line].text.data() - code.data());
  std::string_view suffix;
  if (after_body < lines.size()) suffix = code.substr(lines[after_body].text.data() - code.data());

  std::vector<std::string> tests;
  size_t case_index = 0;
  size_t group_first_case = 0;
  for (size_t g = 0; g < groups; ++g) {
    // Group g holds cases [group_first_case, group_end): sizes differ by at most one.
    size_t group_end = (g + 1) * cases / groups;
    std::string test(prefix);
    test += lines[def_line].text;
    test += '\n';
    case_index = 0;
    for (const Statement& statement : body) {
      if (statement.is_case) {
        bool in_group = case_index >= group_first_case && case_index < group_end;
        ++case_index;
        if (!in_group) continue;
      }
      test += lines[statement.line].text;
      test += '\n';
      if (case_index == group_end) break;  // setup after the group's last assert is not needed
    }
    if (!suffix.empty()) {
      test += '\n';
      test += suffix;
    }
    if (test.back() != '\n') test += '\n';
    tests.push_back(std::move(test));
    group_first_case = group_end;
  }
  return tests;
}

std::optional<std::string_view> first_call_arguments(std::string_view code, std::string_view name) {
  std::vector<PyToken> tokens;
  if (!tokenize_python(code, &tokens)) return std::nullopt;
  for (size_t i = 0; i < tokens.size(); ++i) {
    if (tokens[i].text != name || !is_bare_call(tokens, i)) continue;
    int depth = 0;
    for (size_t j = i + 1; j < tokens.size(); ++j) {
      const PyToken& token = tokens[j];
      if (token.kind != PyToken::Kind::kOp) continue;
      if (token.text == "(" || token.text == "[" || token.text == "{") ++depth;
      if (token.text == ")" || token.text == "]" || token.text == "}") --depth;
      if (depth == 0) {
        size_t begin = tokens[i + 1].offset + 1;
        return code.substr(begin, token.offset - begin);
      }
    }
    return std::nullopt;
  }
  return std::nullopt;
}

std::vector<std::string> called_names(std::string_view code) {
  std::vector<PyToken> tokens;
  std::vector<std::string> names;
  if (!tokenize_python(code, &tokens)) return names;
  for (size_t i = 0; i < tokens.size(); ++i) {
    if (is_bare_call(tokens, i)) names.emplace_back(tokens[i].text);
  }
  return names;
}

std::vector<std::string> defined_functions(std::string_view code) {
  std::vector<PyToken> tokens;
  std::vector<std::string> names;
  if (!tokenize_python(code, &tokens)) return names;
  for (size_t i = 0; i + 1 < tokens.size(); ++i) {
    if (is_name(tokens[i], "def") && tokens[i + 1].kind == PyToken::Kind::kName) {
      names.emplace_back(tokens[i + 1].text);
    }
  }
  return names;
}

bool plausible_python_expression(std::string_view code) {
  std::vector<PyToken> tokens;
  if (!tokenize_python(code, &tokens) || tokens.empty()) return false;
  // Two operands in a row ("Execution timed out") are prose, not an expression; keywords such
  // as "not in" and adjacent string literals are the exceptions.
  static constexpr std::string_view kKeywords[] = {"and",   "or",   "not",  "in",     "is",
                                                   "if",    "else", "for",  "lambda", "async",
                                                   "await", "from", "yield"};
  auto operand = [&](const PyToken& token) {
    if (token.kind == PyToken::Kind::kNumber || token.kind == PyToken::Kind::kString) return true;
    return token.kind == PyToken::Kind::kName &&
           std::find(std::begin(kKeywords), std::end(kKeywords), token.text) == std::end(kKeywords);
  };
  for (size_t i = 1; i < tokens.size(); ++i) {
    bool strings =
        tokens[i - 1].kind == PyToken::Kind::kString && tokens[i].kind == PyToken::Kind::kString;
    if (operand(tokens[i - 1]) && operand(tokens[i]) && !strings) return false;
  }
  for (const PyToken& token : tokens) {
    if (token.kind == PyToken::Kind::kNewline) return false;
    if (token.kind != PyToken::Kind::kNumber) continue;
    std::string_view text = token.text;
    // Python 3 rejects decimal literals with leading zeros ("0001"), except all-zero ones.
    bool all_digits = text.find_first_not_of("0123456789_") == std::string_view::npos;
    if (all_digits && text.size() > 1 && text[0] == '0' &&
        text.find_first_not_of("0_") != std::string_view::npos) {
      return false;
    }
  }
  return true;
}

std::string python_string_literal(std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(text.size() + 2);
  out += '\'';
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '\'':
        out += "\\'";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (byte < 0x20 || byte == 0x7f) {
          out += "\\x";
          out += kHex[byte >> 4];
          out += kHex[byte & 0xf];
        } else {
          out += c;
        }
    }
  }
  out += '\'';
  return out;
}

}  // namespace codejudge::problems::detail
