#include "codejudge/flags/flags.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <sstream>

namespace codejudge::flags {

namespace {

// from_chars over the whole text, then the range; `expected` names the kind of number.
template <typename T>
bool parse_integer(const std::string& text, T min, T max, T* out, std::string* error,
                   const char* expected) {
  T value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end) {
    *error = std::string("expected ") + expected + ", got '" + text + "'";
    return false;
  }
  if (value < min || value > max) {
    *error = "must be between " + std::to_string(min) + " and " + std::to_string(max);
    return false;
  }
  *out = value;
  return true;
}

}  // namespace

bool parse_u64(const std::string& text, uint64_t min, uint64_t max, uint64_t* out,
               std::string* error) {
  return parse_integer(text, min, max, out, error, "a non-negative integer");
}

bool parse_i64(const std::string& text, int64_t min, int64_t max, int64_t* out,
               std::string* error) {
  return parse_integer(text, min, max, out, error, "an integer");
}

bool parse_double(const std::string& text, double* out, std::string* error) {
  char* end = nullptr;
  double value = std::strtod(text.c_str(), &end);
  if (text.empty() || end != text.c_str() + text.size() || !std::isfinite(value)) {
    *error = "expected a finite number, got '" + text + "'";
    return false;
  }
  *out = value;
  return true;
}

std::vector<std::string> split_commas(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, ',');) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

std::string Error::text() const {
  switch (kind) {
    case Kind::kUnknown:
      return "unknown flag " + flag;
    case Kind::kNoValue:
      return flag + " " + why;
    case Kind::kBadValue:
      return flag + ": " + why;
    case Kind::kPositional:
      return why;
  }
  return why;
}

namespace {

bool is_flag(const std::string& arg) {
  return arg.size() > 1 && arg[0] == '-';
}

const Flag* find(const std::vector<Flag>& table, const std::string& name) {
  for (const Flag& flag : table) {
    if (flag.name == name) return &flag;
  }
  return nullptr;
}

// "needs a value", or for a flag of several values "needs at least one path" (from "PATH...").
std::string missing(const Flag& flag) {
  if (!flag.several) return "needs a value";
  std::string noun;
  for (char c : flag.value_name) {
    if (c != '.') noun += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return "needs at least one " + noun;
}

bool set(const Flag& flag, const std::string& value, Error* error) {
  std::string why;
  if (flag.set(value, &why)) return true;
  *error = {Error::Kind::kBadValue, flag.name, value, why};
  return false;
}

}  // namespace

bool parse(const std::vector<std::string>& args, const std::vector<Flag>& table,
           const Positional& positional, Error* error) {
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (!is_flag(arg)) {
      if (!positional) {
        *error = {Error::Kind::kUnknown, arg, "", ""};
        return false;
      }
      std::string why;
      if (!positional(arg, &why)) {
        *error = {Error::Kind::kPositional, arg, "", why};
        return false;
      }
      continue;
    }
    std::string name = arg;
    std::optional<std::string> inline_value;
    if (size_t eq = arg.find('='); arg.rfind("--", 0) == 0 && eq != std::string::npos) {
      name = arg.substr(0, eq);
      inline_value = arg.substr(eq + 1);
    }
    const Flag* flag = find(table, name);
    if (flag == nullptr || (flag->value_name.empty() && inline_value)) {
      *error = {Error::Kind::kUnknown, name, "", ""};
      return false;
    }
    if (flag->value_name.empty()) {
      if (!set(*flag, "", error)) return false;
      continue;
    }
    if (flag->several) {
      size_t taken = 0;
      if (inline_value) {
        if (!set(*flag, *inline_value, error)) return false;
        ++taken;
      }
      for (; i + 1 < args.size() && args[i + 1].rfind("--", 0) != 0; ++taken) {
        if (!set(*flag, args[++i], error)) return false;
      }
      if (taken == 0) {
        *error = {Error::Kind::kNoValue, name, "", missing(*flag)};
        return false;
      }
      continue;
    }
    if (!inline_value && i + 1 >= args.size()) {
      *error = {Error::Kind::kNoValue, name, "", missing(*flag)};
      return false;
    }
    if (!set(*flag, inline_value ? *inline_value : args[++i], error)) return false;
  }
  return true;
}

bool wants_help(const std::vector<std::string>& args) {
  for (const std::string& arg : args) {
    if (arg == "--") return false;
    if (arg == "--help" || arg == "-h") return true;
  }
  return false;
}

std::string help(const std::vector<Flag>& table, size_t column) {
  constexpr size_t kWidth = 100;
  std::ostringstream out;
  for (const Flag& flag : table) {
    std::string left = "  " + flag.name;
    if (!flag.value_name.empty()) left += " " + flag.value_name;
    out << left;
    size_t at = left.size();
    if (at + 2 > column) {
      out << "\n";
      at = 0;
    }
    out << std::string(column - at, ' ');
    at = column;
    std::istringstream words(flag.help);
    bool first = true;
    for (std::string word; words >> word; first = false) {
      if (!first && at + 1 + word.size() > kWidth) {
        out << "\n" << std::string(column, ' ');
        at = column;
      } else if (!first) {
        out << ' ';
        ++at;
      }
      out << word;
      at += word.size();
    }
    out << "\n";
  }
  return out.str();
}

}  // namespace codejudge::flags
