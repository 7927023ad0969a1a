// Locating raw JSON text without parsing it (private to the problems library). The evalplus
// files hold integers beyond 64 bits and Infinity, which nlohmann::json would round or reject;
// the importers cut those values out as text and let Python's json module read them.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace codejudge::problems::detail {

// The end offset of the JSON value starting at `pos` (after whitespace), or npos.
size_t scan_json_value(std::string_view text, size_t pos);

// The raw texts of the elements of a JSON array.
bool json_array_elements(std::string_view array, std::vector<std::string_view>* elements);

// The raw text of a top-level field of a JSON object (keys without escapes).
std::optional<std::string_view> json_object_field(std::string_view object, std::string_view key);

// The object with the values of `keys` replaced by null, for a strict parser to read the rest.
std::optional<std::string> json_without_fields(std::string_view object,
                                               const std::vector<std::string_view>& keys);

}  // namespace codejudge::problems::detail
