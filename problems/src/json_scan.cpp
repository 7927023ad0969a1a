#include "json_scan.h"

#include <algorithm>

namespace codejudge::problems::detail {
namespace {

size_t skip_space(std::string_view text, size_t pos) {
  while (pos < text.size() &&
         (text[pos] == ' ' || text[pos] == '\t' || text[pos] == '\n' || text[pos] == '\r')) {
    ++pos;
  }
  return pos;
}

size_t scan_string(std::string_view text, size_t pos) {
  for (size_t i = pos + 1; i < text.size(); ++i) {
    if (text[i] == '\\') {
      ++i;
    } else if (text[i] == '"') {
      return i + 1;
    }
  }
  return std::string_view::npos;
}

struct Field {
  std::string_view key;
  size_t value_begin, value_end;
};

// Walks the top-level fields of an object.
bool object_fields(std::string_view object, std::vector<Field>* fields) {
  size_t pos = skip_space(object, 0);
  if (pos >= object.size() || object[pos] != '{') return false;
  pos = skip_space(object, pos + 1);
  if (pos < object.size() && object[pos] == '}') return true;
  while (pos < object.size()) {
    if (object[pos] != '"') return false;
    size_t key_end = scan_string(object, pos);
    if (key_end == std::string_view::npos) return false;
    std::string_view key = object.substr(pos + 1, key_end - pos - 2);
    pos = skip_space(object, key_end);
    if (pos >= object.size() || object[pos] != ':') return false;
    size_t begin = skip_space(object, pos + 1);
    size_t end = scan_json_value(object, begin);
    if (end == std::string_view::npos) return false;
    fields->push_back({key, begin, end});
    pos = skip_space(object, end);
    if (pos < object.size() && object[pos] == '}') return true;
    if (pos >= object.size() || object[pos] != ',') return false;
    pos = skip_space(object, pos + 1);
  }
  return false;
}

}  // namespace

size_t scan_json_value(std::string_view text, size_t pos) {
  pos = skip_space(text, pos);
  if (pos >= text.size()) return std::string_view::npos;
  char c = text[pos];
  if (c == '"') return scan_string(text, pos);
  if (c == '[' || c == '{') {
    // Depth counting is enough: strings are skipped whole, so brackets inside them do not count.
    size_t depth = 0;
    for (size_t i = pos; i < text.size(); ++i) {
      char d = text[i];
      if (d == '"') {
        i = scan_string(text, i);
        if (i == std::string_view::npos) return i;
        --i;
      } else if (d == '[' || d == '{') {
        ++depth;
      } else if (d == ']' || d == '}') {
        if (--depth == 0) return i + 1;
      }
    }
    return std::string_view::npos;
  }
  // Numbers, literals, and the NaN/Infinity that Python writes.
  size_t end = pos;
  while (end < text.size() && text[end] != ',' && text[end] != ']' && text[end] != '}' &&
         text[end] != ' ' && text[end] != '\n' && text[end] != '\t' && text[end] != '\r') {
    ++end;
  }
  return end == pos ? std::string_view::npos : end;
}

bool json_array_elements(std::string_view array, std::vector<std::string_view>* elements) {
  elements->clear();
  size_t pos = skip_space(array, 0);
  if (pos >= array.size() || array[pos] != '[') return false;
  pos = skip_space(array, pos + 1);
  if (pos < array.size() && array[pos] == ']') return skip_space(array, pos + 1) == array.size();
  while (pos < array.size()) {
    size_t end = scan_json_value(array, pos);
    if (end == std::string_view::npos) return false;
    elements->push_back(array.substr(pos, end - pos));
    pos = skip_space(array, end);
    if (pos < array.size() && array[pos] == ']') return skip_space(array, pos + 1) == array.size();
    if (pos >= array.size() || array[pos] != ',') return false;
    pos = skip_space(array, pos + 1);
  }
  return false;
}

std::optional<std::string_view> json_object_field(std::string_view object, std::string_view key) {
  std::vector<Field> fields;
  if (!object_fields(object, &fields)) return std::nullopt;
  for (const Field& field : fields) {
    if (field.key == key)
      return object.substr(field.value_begin, field.value_end - field.value_begin);
  }
  return std::nullopt;
}

std::optional<std::string> json_without_fields(std::string_view object,
                                               const std::vector<std::string_view>& keys) {
  std::vector<Field> fields;
  if (!object_fields(object, &fields)) return std::nullopt;
  std::string out;
  size_t copied = 0;
  for (const Field& field : fields) {
    if (std::find(keys.begin(), keys.end(), field.key) == keys.end()) continue;
    out.append(object.substr(copied, field.value_begin - copied));
    out += "null";
    copied = field.value_end;
  }
  out.append(object.substr(copied));
  return out;
}

}  // namespace codejudge::problems::detail
