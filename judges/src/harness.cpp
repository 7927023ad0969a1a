// Harness API shared by every language: types, entry points, the stdin/stdout protocol, tokens,
// and the text helpers the per-language generators use.
#include "codejudge/judges/harness.h"

#include <sys/random.h>

#include <array>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <random>

#include "harness_internal.h"

namespace codejudge::judges {
namespace {

using harness_detail::is_identifier_char;

bool set_error(std::string* error, std::string message) {
  if (error != nullptr) *error = std::move(message);
  return false;
}

bool valid_identifier(std::string_view text) {
  if (text.empty() || (text[0] >= '0' && text[0] <= '9')) return false;
  for (char c : text) {
    if (!is_identifier_char(c)) return false;
  }
  return true;
}

// One type at text[*pos...]; list nesting is bounded so hostile input cannot recurse deeply.
bool parse_type_at(std::string_view text, size_t* pos, size_t depth, ValueType* out) {
  if (depth > 16) return false;
  std::string_view rest = text.substr(*pos);
  for (std::string_view list : {"list[", "List["}) {
    if (rest.starts_with(list)) {
      *pos += list.size();
      if (!parse_type_at(text, pos, depth + 1, out)) return false;
      if (out->base == ValueType::Kind::kVoid) return false;
      if (*pos >= text.size() || text[*pos] != ']') return false;
      ++*pos;
      ++out->list_depth;
      return true;
    }
  }
  if (rest.starts_with("Optional[")) {
    *pos += 9;
    if (!parse_type_at(text, pos, depth + 1, out)) return false;
    bool node = out->list_depth == 0 && (out->base == ValueType::Kind::kListNode ||
                                         out->base == ValueType::Kind::kTreeNode);
    if (!node || *pos >= text.size() || text[*pos] != ']') return false;
    ++*pos;
    return true;
  }
  static constexpr std::pair<std::string_view, ValueType::Kind> kScalars[] = {
      {"int", ValueType::Kind::kInt},           {"long", ValueType::Kind::kLong},
      {"float", ValueType::Kind::kFloat},       {"double", ValueType::Kind::kFloat},
      {"bool", ValueType::Kind::kBool},         {"boolean", ValueType::Kind::kBool},
      {"str", ValueType::Kind::kStr},           {"string", ValueType::Kind::kStr},
      {"ListNode", ValueType::Kind::kListNode}, {"TreeNode", ValueType::Kind::kTreeNode},
      {"void", ValueType::Kind::kVoid},         {"None", ValueType::Kind::kVoid},
  };
  size_t end = 0;
  while (end < rest.size() && is_identifier_char(rest[end])) ++end;
  for (const auto& [name, kind] : kScalars) {
    if (rest.substr(0, end) == name) {
      *pos += end;
      *out = ValueType{kind, 0};
      return true;
    }
  }
  return false;
}

void append_hex(std::string& out, const unsigned char* bytes, size_t n) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (size_t i = 0; i < n; ++i) {
    out += kHex[bytes[i] >> 4];
    out += kHex[bytes[i] & 15];
  }
}

}  // namespace

std::optional<ValueType> parse_type(std::string_view text, std::string* error) {
  std::string compact;
  for (char c : text) {
    if (c != ' ' && c != '\t') compact += c;
  }
  ValueType type;
  size_t pos = 0;
  if (!parse_type_at(compact, &pos, 0, &type) || pos != compact.size()) {
    set_error(error, "unknown type '" + std::string(text) +
                         "' (int, long, float, bool, str, list[T], ListNode, TreeNode, void)");
    return std::nullopt;
  }
  return type;
}

std::string type_name(const ValueType& type) {
  static constexpr std::array<std::string_view, 8> kNames = {"int", "long",     "float",    "bool",
                                                             "str", "ListNode", "TreeNode", "void"};
  std::string inner(kNames[static_cast<size_t>(type.base)]);
  for (size_t i = 0; i < type.list_depth; ++i) inner = "list[" + inner + "]";
  return inner;
}

std::optional<EntryPoint> parse_entry_point(std::string_view text, std::string* error) {
  EntryPoint entry;
  size_t dot = text.find("().");
  if (dot == std::string_view::npos) {
    entry.function = std::string(text);
  } else {
    entry.class_name = std::string(text.substr(0, dot));
    entry.function = std::string(text.substr(dot + 3));
    if (!valid_identifier(entry.class_name)) entry.function.clear();
  }
  if (!valid_identifier(entry.function)) {
    set_error(error, "entry point '" + std::string(text) +
                         "' is neither a function name nor Class().method");
    return std::nullopt;
  }
  return entry;
}

std::optional<GeneratedSource> make_function_program(
    std::string_view language, const problems::Signature& signature, std::string_view entry_point,
    std::string_view preamble, std::string_view user_code, std::string* error) {
  const Language* found = find_language(language);
  if (found == nullptr || found->function_harness == nullptr) {
    set_error(error, mode_support_error(problems::Mode::kFunction, language));
    return std::nullopt;
  }
  harness_detail::FunctionSpec spec;
  auto entry = parse_entry_point(entry_point, error);
  if (!entry) return std::nullopt;
  spec.entry = *entry;
  spec.entry_text = std::string(entry_point);
  for (const problems::Param& param : signature.params) {
    std::string type_error;
    auto type = parse_type(param.type, &type_error);
    if (!type) {
      set_error(error, "parameter '" + param.name + "': " + type_error);
      return std::nullopt;
    }
    if (type->base == ValueType::Kind::kVoid) {
      set_error(error, "parameter '" + param.name + "' cannot be void");
      return std::nullopt;
    }
    spec.param_codes.push_back(harness_detail::type_code(*type));
  }
  std::string type_error;
  auto returns = parse_type(signature.returns, &type_error);
  if (!returns) {
    set_error(error, "returns: " + type_error);
    return std::nullopt;
  }
  spec.return_code = harness_detail::type_code(*returns);
  if (spec.return_code == "v" && spec.param_codes.empty()) {
    set_error(error, "a void function must take the argument it modifies");
    return std::nullopt;
  }
  spec.preamble = preamble;
  spec.user_code = user_code;

  GeneratedSource generated = found->function_harness(spec);
  if (generated.file_name.empty()) generated.file_name = found->source_file;
  return generated;
}

std::string function_stdin(std::string_view token,
                           const std::vector<std::string>& argument_arrays_json) {
  std::string out(token);
  out += '\n';
  for (const std::string& array : argument_arrays_json) {
    bool blank = true;
    for (char c : array) {
      if (c == '\n' || c == '\r') {
        out += ' ';
      } else {
        out += c;
        if (c != ' ' && c != '\t') blank = false;
      }
    }
    if (blank) out += "null";
    out += '\n';
  }
  return out;
}

ResultLines parse_result_lines(std::string_view stdout_data, std::string_view token) {
  ResultLines results;
  if (token.empty()) {
    results.trailing = stdout_data;
    return results;
  }
  size_t own_start = 0;  // where the submission's output since the last result line begins
  size_t start = 0;
  while (start < stdout_data.size()) {
    size_t end = stdout_data.find('\n', start);
    if (end == std::string_view::npos) end = stdout_data.size();
    const size_t line_start = start;
    std::string_view line = stdout_data.substr(start, end - start);
    start = end + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.size() <= token.size() + 2 || !line.starts_with(token) || line[token.size()] != ' ') {
      continue;
    }
    std::string_view rest = line.substr(token.size() + 1);
    size_t index = 0;
    auto [ptr, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), index);
    if (ec != std::errc() || ptr == rest.data() || ptr == rest.data() + rest.size() ||
        *ptr != ' ') {
      continue;
    }
    rest.remove_prefix(static_cast<size_t>(ptr - rest.data()) + 1);
    // The harness writes a newline of its own before each result line: not the submission's.
    size_t own_end = line_start;
    if (own_end > own_start && stdout_data[own_end - 1] == '\n') --own_end;
    results.by_index.emplace(
        index, ResultLine{std::string(rest),
                          std::string(stdout_data.substr(own_start, own_end - own_start))});
    own_start = std::min(start, stdout_data.size());
  }
  results.trailing = stdout_data.substr(own_start);
  return results;
}

std::optional<GeneratedSource> make_assert_program(std::string_view language,
                                                   std::string_view preamble,
                                                   std::string_view user_code,
                                                   std::string_view entry_point,
                                                   bool stop_at_first_failure, std::string* error) {
  const Language* found = find_language(language);
  if (found == nullptr || found->assert_harness == nullptr) {
    set_error(error, mode_support_error(problems::Mode::kAssert, language));
    return std::nullopt;
  }
  if (!parse_entry_point(entry_point, error)) return std::nullopt;
  GeneratedSource generated =
      found->assert_harness(preamble, user_code, entry_point, stop_at_first_failure);
  if (generated.file_name.empty()) generated.file_name = found->source_file;
  return generated;
}

std::string assert_stdin(const std::vector<std::string>& test_codes) {
  std::string out;
  for (const std::string& code : test_codes) {
    out += std::to_string(code.size());
    out += '\n';
    out += code;
  }
  return out;
}

AssertRecords parse_assert_records(std::string_view stdout_data) {
  AssertRecords records;
  const char* const data_end = stdout_data.data() + stdout_data.size();
  size_t pos = 0;
  while (pos < stdout_data.size()) {
    // "cj <kind> <index> <size>\n" and <size> bytes. Only the evaluator writes here; a record
    // cut short (by the output limit) ends the parse.
    size_t end = stdout_data.find('\n', pos);
    if (end == std::string_view::npos || end - pos > 64) break;
    std::string_view line = stdout_data.substr(pos, end - pos);
    if (!line.starts_with("cj ")) break;
    line.remove_prefix(3);
    const size_t space = line.find(' ');
    if (space == std::string_view::npos) break;
    const std::string_view kind = line.substr(0, space);
    const char* const numbers_end = line.data() + line.size();
    size_t index = 0;
    size_t size = 0;
    auto [after_index, ec1] = std::from_chars(line.data() + space + 1, numbers_end, index);
    if (ec1 != std::errc() || after_index == numbers_end || *after_index != ' ') break;
    auto [after_size, ec2] = std::from_chars(after_index + 1, numbers_end, size);
    if (ec2 != std::errc() || after_size != numbers_end) break;
    if (size > static_cast<size_t>(data_end - (stdout_data.data() + end + 1))) break;
    std::string payload(stdout_data.substr(end + 1, size));
    pos = end + 1 + size;
    if (kind == "out") {
      records.output[index] += payload;
    } else if (kind == "pass" || kind == "wa" || kind == "re") {
      const Verdict verdict =
          kind == "pass" ? Verdict::kAC : (kind == "wa" ? Verdict::kWA : Verdict::kRE);
      records.by_index.emplace(index, AssertRecord{verdict, std::move(payload)});
    } else if (kind == "ce") {
      records.compile_error = std::move(payload);
    } else if (kind == "ie") {
      records.internal_error = std::move(payload);
    } else {
      break;
    }
  }
  return records;
}

std::string make_token() {
  std::array<unsigned char, 16> bytes{};
  size_t got = 0;
  while (got < bytes.size()) {
    ssize_t n = getrandom(bytes.data() + got, bytes.size() - got, 0);
    if (n > 0) {
      got += static_cast<size_t>(n);
    } else if (n < 0 && errno != EINTR) {
      break;
    }
  }
  if (got < bytes.size()) {
    // getrandom missing (ENOSYS under an old kernel or a filter): the library's device source.
    std::random_device device;
    for (auto& byte : bytes) byte = static_cast<unsigned char>(device());
  }
  std::string token;
  append_hex(token, bytes.data(), bytes.size());
  return token;
}

namespace harness_detail {

bool is_identifier_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '$';
}

std::string_view word_at(std::string_view blanked_code, size_t pos) {
  if (pos > 0 && is_identifier_char(blanked_code[pos - 1])) return "";
  size_t end = pos;
  while (end < blanked_code.size() && is_identifier_char(blanked_code[end])) ++end;
  return blanked_code.substr(pos, end - pos);
}

std::string type_code(const ValueType& type) {
  static constexpr std::array<char, 8> kCodes = {'i', 'l', 'f', 'b', 's', 'N', 'T', 'v'};
  std::string code(type.list_depth, '[');
  code += kCodes[static_cast<size_t>(type.base)];
  return code;
}

std::string fill_template(std::string_view text,
                          const std::vector<std::pair<std::string_view, std::string>>& values) {
  std::string out;
  out.reserve(text.size());
  size_t pos = 0;
  while (pos < text.size()) {
    size_t at = text.find('@', pos);
    if (at == std::string_view::npos) break;
    out.append(text.substr(pos, at - pos));
    bool replaced = false;
    for (const auto& [name, value] : values) {
      if (text.substr(at, name.size()) == name) {
        out += value;
        pos = at + name.size();
        replaced = true;
        break;
      }
    }
    if (!replaced) {
      out += '@';
      pos = at + 1;
    }
  }
  out.append(text.substr(std::min(pos, text.size())));
  return out;
}

std::string blank_comments_and_strings(std::string_view code) {
  std::string out(code);
  const size_t n = code.size();
  auto blank = [&](size_t from, size_t to) {
    for (size_t k = from; k < to && k < n; ++k) {
      if (out[k] != '\n') out[k] = ' ';
    }
  };
  size_t i = 0;
  while (i < n) {
    char c = code[i];
    if (c == '/' && i + 1 < n && code[i + 1] == '/') {
      size_t end = code.find('\n', i);
      if (end == std::string_view::npos) end = n;
      blank(i, end);
      i = end;
    } else if (c == '/' && i + 1 < n && code[i + 1] == '*') {
      size_t end = code.find("*/", i + 2);
      end = end == std::string_view::npos ? n : end + 2;
      blank(i, end);
      i = end;
    } else if (c == '"' && code.substr(i, 3) == "\"\"\"") {
      // A Java text block.
      size_t end = code.find("\"\"\"", i + 3);
      end = end == std::string_view::npos ? n : end + 3;
      blank(i, end);
      i = end;
    } else if (c == '"' && i > 0 && code[i - 1] == 'R' &&
               (i == 1 || !is_identifier_char(code[i - 2]) || code[i - 2] == '8' ||
                code[i - 2] == 'u' || code[i - 2] == 'U' || code[i - 2] == 'L')) {
      // A C++ raw string R"delim( ... )delim".
      size_t open = code.find('(', i);
      size_t end = n;
      if (open != std::string_view::npos && open - i <= 17) {
        std::string close = ")" + std::string(code.substr(i + 1, open - i - 1)) + "\"";
        size_t at = code.find(close, open);
        if (at != std::string_view::npos) end = at + close.size();
      }
      blank(i, end);
      i = end;
    } else if (c == '"' || c == '`' || c == '\'') {
      // Ordinary strings stop at the end of the line (so a stray quote cannot swallow the
      // file); a '\'' not closed on its line is a C++ digit separator, not a char.
      size_t k = i + 1;
      bool closed = false;
      while (k < n) {
        if (code[k] == '\\') {
          k += 2;
          continue;
        }
        if (code[k] == c) {
          closed = true;
          break;
        }
        if (code[k] == '\n' && c != '`') break;
        ++k;
      }
      if (c == '\'' && !closed) {
        ++i;
        continue;
      }
      size_t end = closed ? k + 1 : std::min(k, n);
      blank(i, end);
      i = end;
    } else {
      ++i;
    }
  }
  return out;
}

bool declares(std::string_view blanked_code, std::string_view name,
              const std::vector<std::string_view>& keywords) {
  for (std::string_view keyword : keywords) {
    size_t pos = 0;
    while ((pos = blanked_code.find(keyword, pos)) != std::string_view::npos) {
      size_t after = pos + keyword.size();
      bool word_start = pos == 0 || !is_identifier_char(blanked_code[pos - 1]);
      pos = after;
      if (!word_start || after >= blanked_code.size() || is_identifier_char(blanked_code[after])) {
        continue;
      }
      while (after < blanked_code.size() &&
             (blanked_code[after] == ' ' || blanked_code[after] == '\t' ||
              blanked_code[after] == '\n' || blanked_code[after] == '\r')) {
        ++after;
      }
      if (blanked_code.substr(after, name.size()) != name) continue;
      size_t end = after + name.size();
      if (end < blanked_code.size() && is_identifier_char(blanked_code[end])) continue;
      // "struct ListNode;" only declares the name: the definition must still come from us.
      while (end < blanked_code.size() &&
             (blanked_code[end] == ' ' || blanked_code[end] == '\t' || blanked_code[end] == '\n' ||
              blanked_code[end] == '\r')) {
        ++end;
      }
      if (end < blanked_code.size() && blanked_code[end] == ';') continue;
      return true;
    }
  }
  return false;
}

}  // namespace harness_detail
}  // namespace codejudge::judges
