// Reading whole data files, transparently gunzipping them (private to the problems library).
#pragma once

#include <string>

namespace codejudge::problems::detail {

// Reads `path` into *text; gzip data (detected by its magic bytes) is decompressed by running
// `gzip -dc`, which keeps zlib out of our dependencies.
bool read_text_file(const std::string& path, std::string* text, std::string* error);

}  // namespace codejudge::problems::detail
