#include "codejudge/problems/importers.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "codejudge/problems/json.h"
#include "import_common.h"
#include "json_scan.h"
#include "text_file.h"

namespace codejudge::problems {
namespace {

struct Format {
  std::string_view name;
  detail::RecordImporter import;
};

constexpr Format kFormats[] = {
    {"humaneval", detail::import_humaneval},
    {"humanevalplus", detail::import_humanevalplus},
    {"mbpp", detail::import_mbpp},
    {"mbppplus", detail::import_mbppplus},
    {"leetcodedataset", detail::import_leetcode},
    {"apps", detail::import_apps},
    {"codecontests", detail::import_codecontests},
};

// JSONL (one record per non-blank line) or one JSON array of records.
bool split_records(std::string_view text, std::vector<detail::RawRecord>* records,
                   std::string* error) {
  size_t first = text.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && text[first] == '[') {
    std::vector<std::string_view> elements;
    if (!detail::json_array_elements(text, &elements)) {
      *error = "the file starts with '[' but is not a JSON array";
      return false;
    }
    for (size_t i = 0; i < elements.size(); ++i) records->push_back({i, 0, elements[i]});
    return true;
  }
  size_t line_number = 0, pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_number;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    records->push_back({records->size(), line_number, line});
  }
  return true;
}

}  // namespace

std::string ImportError::to_string() const {
  std::string where = "record " + std::to_string(record);
  if (line != 0) where += " (line " + std::to_string(line) + ")";
  return where + ": " + reason;
}

const std::vector<std::string>& import_formats() {
  static const std::vector<std::string> kNames = [] {
    std::vector<std::string> names;
    for (const Format& format : kFormats) names.emplace_back(format.name);
    return names;
  }();
  return kNames;
}

ImportResult import_dataset(std::string_view format, const std::string& input_path,
                            const ImportOptions& options) {
  ImportResult result;
  const Format* chosen = nullptr;
  for (const Format& candidate : kFormats) {
    if (candidate.name == format) chosen = &candidate;
  }
  if (chosen == nullptr) {
    result.error = "unknown format '" + std::string(format) +
                   "' (humaneval, humanevalplus, mbpp, mbppplus, leetcodedataset, apps, "
                   "codecontests)";
    return result;
  }
  if (options.time_ms > kMaxTimeMs) {
    result.error = "time_ms: must be at most " + std::to_string(kMaxTimeMs);
    return result;
  }
  std::string text;
  if (!detail::read_text_file(input_path, &text, &result.error)) return result;
  std::vector<detail::RawRecord> records;
  if (!split_records(text, &records, &result.error)) return result;
  for (const detail::RawRecord& record : records) {
    std::string error;
    std::optional<Problem> problem;
    // The importers do not throw by design; this guards the API against a missed case.
    try {
      problem = chosen->import(record, options, &error);
    } catch (const std::exception& e) {
      error = std::string("internal error: ") + e.what();
    }
    if (!problem) {
      result.errors.push_back({record.index, record.line, error});
      continue;
    }
    if (options.time_ms != 0) problem->limits.time_ms = options.time_ms;
    result.problems.push_back(std::move(*problem));
  }
  return result;
}

bool write_jsonl(const std::vector<Problem>& problems, const std::string& path,
                 std::string* error) {
  for (const Problem& problem : problems) {
    std::string problem_error = validate_problem(problem);
    if (!problem_error.empty()) {
      *error = "problem '" + problem.id + "': " + problem_error;
      return false;
    }
  }
  std::string text;
  for (const Problem& problem : problems) {
    text += to_json(problem).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    text += '\n';
  }
  // Written beside the target, synced and renamed, so a failure never leaves a truncated file.
  const std::string temporary = path + ".tmp";
  auto fail = [&](const std::string& what, int fd) {
    *error = what + ": " + std::strerror(errno);
    if (fd >= 0) ::close(fd);
    ::unlink(temporary.c_str());
    return false;
  };
  int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    *error = "cannot write " + temporary + ": " + std::strerror(errno);
    return false;
  }
  for (size_t done = 0; done < text.size();) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail("cannot write " + temporary, fd);
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) return fail("cannot write " + temporary, fd);
  if (::close(fd) != 0) return fail("cannot write " + temporary, -1);
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    return fail("cannot rename " + temporary + " to " + path, -1);
  }
  return true;
}

}  // namespace codejudge::problems
