#include "api.h"

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <limits>
#include <memory>

#include <openssl/evp.h>

#include "codejudge/judges/language.h"
#include "codejudge/problems/json.h"
#include "codejudge/server/wire.h"

namespace codejudge::server::api {
namespace {

using problems::Mode;
using problems::Problem;

Error bad(const std::string& field, const std::string& what, int status = 400,
          const char* code = "bad_request") {
  Error error;
  error.status = status;
  error.code = code;
  error.field = field;
  error.message = field.empty() ? what : field + ": " + what;
  return error;
}

// Errors from problems/json.h start with a field path relative to the object they parsed.
Error from_problems(const std::string& prefix, const std::string& message) {
  Error error;
  error.message = prefix + message;
  size_t colon = message.find(": ");
  if (colon != std::string::npos && message.find(' ') > colon) {
    error.field = prefix + message.substr(0, colon);
  }
  return error;
}

std::string join(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& name : names) out += (out.empty() ? "" : ", ") + name;
  return out;
}

bool check_fields(const json& object, std::initializer_list<const char*> allowed,
                  const std::string& prefix, Error* error) {
  for (const auto& item : object.items()) {
    bool known = false;
    for (const char* name : allowed) known = known || item.key() == name;
    if (!known) {
      std::vector<std::string> names(allowed.begin(), allowed.end());
      *error = bad(prefix + item.key(), "unknown field (expected one of: " + join(names) + ")");
      return false;
    }
  }
  return true;
}

const json* find(const json& object, const char* key) {
  auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

bool read_bool(const json& object, const char* key, const std::string& prefix, bool* out,
               Error* error) {
  const json* value = find(object, key);
  if (value == nullptr) return true;
  if (!value->is_boolean()) {
    *error = bad(prefix + key, std::string("expected true or false, got ") + value->type_name());
    return false;
  }
  *out = value->get<bool>();
  return true;
}

bool read_uint(const json& value, const std::string& field, uint64_t min, uint64_t max,
               uint64_t* out, Error* error) {
  if (!value.is_number_integer() ||
      (value.is_number_integer() && !value.is_number_unsigned() && value.get<int64_t>() < 0)) {
    *error = bad(field, "expected an integer between " + std::to_string(min) + " and " +
                            std::to_string(max));
    return false;
  }
  uint64_t number = value.get<uint64_t>();
  if (number < min || number > max) {
    *error = bad(field, "must be between " + std::to_string(min) + " and " + std::to_string(max) +
                            ", got " + std::to_string(number));
    return false;
  }
  *out = number;
  return true;
}

bool read_double(const json& object, const char* key, const std::string& prefix, double* out,
                 Error* error) {
  const json* value = find(object, key);
  if (value == nullptr) return true;
  if (!value->is_number() || !std::isfinite(value->get<double>())) {
    *error = bad(prefix + key, "expected a finite number");
    return false;
  }
  *out = value->get<double>();
  return true;
}

// A supported, installed language from a request field.
const judges::Language* read_language(const json& value, const std::string& field, Error* error) {
  if (!value.is_string()) {
    *error = bad(field, "expected a language name such as \"python\" or \"cpp\"");
    return nullptr;
  }
  const std::string name = value.get<std::string>();
  const judges::Language* language = judges::find_language(name);
  if (language == nullptr) language = judges::find_language(judges::normalize_language(name));
  if (language == nullptr) {
    *error =
        bad(field, "unknown language '" + name + "' (supported: " + judges::language_list() + ")");
    return nullptr;
  }
  if (judges::toolchain_version(*language).empty()) {
    *error = bad(field, "'" + language->name + "' is not installed on this server");
    return nullptr;
  }
  return language;
}

bool decode_limits(const json& object, const std::string& prefix, const Caps& caps,
                   judges::JudgeOptions* options, Error* error) {
  const json* limits = find(object, "limits");
  if (limits == nullptr) return true;
  const std::string path = prefix + "limits";
  if (!limits->is_object()) {
    *error = bad(path, "expected an object with time_ms, memory_mb, output_kb");
    return false;
  }
  if (!check_fields(*limits, {"time_ms", "memory_mb", "output_kb"}, path + ".", error)) {
    return false;
  }
  uint64_t value = 0;
  if (const json* v = find(*limits, "time_ms")) {
    if (!read_uint(*v, path + ".time_ms", 1, caps.max_time_ms, &value, error)) return false;
    options->time_ms = value;
  }
  if (const json* v = find(*limits, "memory_mb")) {
    if (!read_uint(*v, path + ".memory_mb", 4, caps.max_memory_mb, &value, error)) return false;
    options->memory_mb = value;
  }
  if (const json* v = find(*limits, "output_kb")) {
    if (!read_uint(*v, path + ".output_kb", 1, caps.max_output_kb, &value, error)) return false;
    options->output_kb = value;
  }
  return true;
}

constexpr std::initializer_list<const char*> kInlineFields = {"mode", "tests", "entry_point",
                                                              "signature", "checker"};

// The problem a request refers to: problem_id, or inline mode/tests/entry_point/signature/checker.
bool decode_problem(const json& object, const problems::ProblemSet& problems, const Caps& caps,
                    const std::string& prefix, JudgeTask* task, Error* error) {
  bool has_inline = false;
  for (const char* key : kInlineFields) has_inline = has_inline || object.contains(key);
  if (const json* id = find(object, "problem_id")) {
    if (has_inline) {
      *error = bad(prefix + "problem_id", "give either problem_id or inline tests, not both");
      return false;
    }
    if (!id->is_string()) {
      *error = bad(prefix + "problem_id", "expected a string");
      return false;
    }
    const Problem* problem = problems.find(id->get<std::string>());
    if (problem == nullptr) {
      *error = bad(prefix + "problem_id", "unknown problem '" + id->get<std::string>() + "'", 404,
                   "not_found");
      return false;
    }
    // Not owned: the problem set outlives every task.
    task->problem = std::shared_ptr<const Problem>(std::shared_ptr<const Problem>(), problem);
    task->revealed_tests = std::min(problem->public_tests, problem->tests.size());
    return true;
  }
  if (!has_inline) {
    *error = bad(prefix + "problem_id", "required: a problem id, or inline tests (mode, tests)");
    return false;
  }
  auto problem = std::make_shared<Problem>();
  problem->id = "inline";
  if (const json* mode = find(object, "mode")) {
    std::optional<Mode> parsed;
    if (mode->is_string()) parsed = problems::parse_mode(mode->get<std::string>());
    if (!parsed) {
      *error = bad(prefix + "mode", "expected \"stdio\", \"function\" or \"assert\"");
      return false;
    }
    problem->mode = *parsed;
  }
  const json* tests = find(object, "tests");
  if (tests == nullptr) {
    *error = bad(prefix + "tests", "required with inline problems (a non-empty array)");
    return false;
  }
  if (tests->is_array() && tests->size() > caps.max_tests) {
    *error = bad(prefix + "tests", std::to_string(tests->size()) + " tests; at most " +
                                       std::to_string(caps.max_tests) + " per submission");
    return false;
  }
  std::string why;
  if (!problems::tests_from_json(problem->mode, *tests, &problem->tests, &why)) {
    *error = from_problems(prefix, why);
    return false;
  }
  if (const json* entry = find(object, "entry_point")) {
    if (!entry->is_string()) {
      *error = bad(prefix + "entry_point", "expected a string such as \"Solution().twoSum\"");
      return false;
    }
    problem->entry_point = entry->get<std::string>();
  }
  if (const json* signature = find(object, "signature")) {
    auto parsed = problems::signature_from_json(*signature, &why);
    if (!parsed) {
      *error = from_problems(prefix, why);
      return false;
    }
    problem->signature = std::move(*parsed);
  }
  if (const json* checker = find(object, "checker")) {
    auto parsed = problems::checker_from_json(*checker, &why);
    if (!parsed) {
      *error = from_problems(prefix, why);
      return false;
    }
    problem->checker = std::move(*parsed);
  }
  problem->public_tests = problem->tests.size();
  std::string invalid = problems::validate_problem(*problem);
  if (!invalid.empty()) {
    *error = from_problems(prefix, invalid);
    return false;
  }
  task->revealed_tests = problem->tests.size();
  task->problem = std::move(problem);
  return true;
}

bool check_mode(const JudgeTask& task, const std::string& language, const std::string& field,
                Error* error) {
  if (judges::mode_supports(task.problem->mode, language)) return true;
  *error = bad(field, judges::mode_support_error(task.problem->mode, language));
  return false;
}

// The rewards item fields besides completion: problem_id or inline problem, language, limits.
std::optional<RewardItem> decode_reward_item(const json& object,
                                             const problems::ProblemSet& problems, const Caps& caps,
                                             const std::string& prefix,
                                             const std::string& completion,
                                             const judges::Language* default_language,
                                             const judges::RewardOptions& options, Error* error) {
  RewardItem item;
  JudgeTask task;
  if (!decode_problem(object, problems, caps, prefix, &task, error)) return std::nullopt;
  std::string language;  // empty: judges choose from the completion
  if (const json* value = find(object, "language")) {
    const judges::Language* found = read_language(*value, prefix + "language", error);
    if (found == nullptr) return std::nullopt;
    language = found->name;
  } else if (default_language != nullptr) {
    language = default_language->name;
  }
  if (!language.empty() && !check_mode(task, language, prefix + "language", error)) {
    return std::nullopt;
  }
  if (!decode_limits(object, prefix, caps, &task.options, error)) return std::nullopt;
  item.prepared =
      judges::prepare_completion(*task.problem, completion, language, options, task.options);
  if (item.prepared.submission) {
    // The code moves to the task (a completion may be large); prepared keeps that there was some.
    task.submission = std::move(*item.prepared.submission);
    task.options = item.prepared.judge_options;
    item.task = std::move(task);
  }
  return item;
}

bool decode_reward_options(const json& body, judges::RewardOptions* options, Error* error) {
  if (const json* accuracy = find(body, "accuracy")) {
    std::optional<judges::AccuracyMode> mode;
    if (accuracy->is_string()) mode = judges::parse_accuracy_mode(accuracy->get<std::string>());
    if (!mode) {
      *error = bad("accuracy", "expected \"binary\" or \"fraction\"");
      return false;
    }
    options->accuracy = *mode;
  }
  if (const json* weights = find(body, "weights")) {
    if (!weights->is_object()) {
      *error = bad("weights", "expected an object {\"accuracy\": 1.0, \"format\": 0.1}");
      return false;
    }
    if (!check_fields(*weights, {"accuracy", "format"}, "weights.", error)) return false;
    if (!read_double(*weights, "accuracy", "weights.", &options->accuracy_weight, error) ||
        !read_double(*weights, "format", "weights.", &options->format_weight, error)) {
      return false;
    }
  }
  if (const json* penalties = find(body, "penalties")) {
    if (!penalties->is_object()) {
      *error = bad("penalties", "expected an object {\"no_code\": x, \"compile_error\": y}");
      return false;
    }
    if (!check_fields(*penalties, {"no_code", "compile_error"}, "penalties.", error)) return false;
    if (!read_double(*penalties, "no_code", "penalties.", &options->no_code_penalty, error) ||
        !read_double(*penalties, "compile_error", "penalties.", &options->compile_error_penalty,
                     error)) {
      return false;
    }
  }
  if (const json* format = find(body, "format")) {
    if (!format->is_object()) {
      *error = bad("format", "expected an object of format options");
      return false;
    }
    if (!check_fields(*format,
                      {"require_think", "require_single_block", "allow_answer_tags",
                       "allow_text_around_block"},
                      "format.", error)) {
      return false;
    }
    judges::FormatOptions& f = options->format;
    if (!read_bool(*format, "require_think", "format.", &f.require_think, error) ||
        !read_bool(*format, "require_single_block", "format.", &f.require_single_block, error) ||
        !read_bool(*format, "allow_answer_tags", "format.", &f.allow_answer_tags, error) ||
        !read_bool(*format, "allow_text_around_block", "format.", &f.allow_text_around_block,
                   error)) {
      return false;
    }
  }
  return read_bool(body, "accept_raw", "", &options->extract.accept_raw, error);
}

}  // namespace

json error_json(const Error& error) {
  json inner = {{"code", error.code}, {"message", error.message}};
  if (!error.field.empty()) inner["field"] = error.field;
  return json{{"error", std::move(inner)}};
}

namespace {
bool ends_scalar(char c) {
  switch (c) {
    case ',':
    case ']':
    case '}':
    case ':':
    case ' ':
    case '\t':
    case '\r':
    case '\n':
      return true;
    default:
      return false;
  }
}
}  // namespace

JsonSize measure_json(std::string_view text) {
  // Upper estimates of what libstdc++ and nlohmann allocate (malloc chunk headers included):
  // an array element is a 16-byte json in a vector that may have doubled; an object member is a
  // map node (tree links, key string, json); a string value or a container is a heap object;
  // string contents past the 15 bytes kept inline live on the heap; and the lexer's token
  // buffer grows (doubling) to the longest string while the parse runs.
  constexpr uint64_t kArraySlot = 32, kMemberNode = 96, kTopSlot = 16;
  constexpr uint64_t kStringObject = 48, kContainerObject = 64, kInlineChars = 15, kHeapChars = 24;
  JsonSize size;
  // Per open container: true for an object. expect_key: an object's next string is a key.
  std::vector<bool> objects;
  bool expect_key = false;
  uint64_t longest_string = 0;
  auto value = [&](uint64_t own_bytes) {
    ++size.values;
    size.memory_bytes += own_bytes + (objects.empty()  ? kTopSlot
                                      : objects.back() ? kMemberNode
                                                       : kArraySlot);
  };
  const size_t n = text.size();
  for (size_t i = 0; i < n; ++i) {
    const char c = text[i];
    if (c == '"') {
      size_t end = i + 1;
      for (;;) {
        end = text.find_first_of("\\\"", end);
        if (end == std::string_view::npos || text[end] == '"') break;
        end += 2;  // an escape: skip the escaped character
      }
      if (end == std::string_view::npos) end = n;
      const uint64_t length = end - i - 1;
      longest_string = std::max(longest_string, length);
      const uint64_t chars = length > kInlineChars ? length + kHeapChars : 0;
      if (expect_key) {
        size.memory_bytes += chars;
        expect_key = false;
      } else {
        value(kStringObject + chars);
      }
      i = end;
    } else if (c == '{' || c == '[') {
      value(kContainerObject);
      objects.push_back(c == '{');
      expect_key = c == '{';
      size.depth = std::max(size.depth, objects.size());
      if (size.depth > kMaxJsonDepth) break;
    } else if (c == '}' || c == ']') {
      if (!objects.empty()) objects.pop_back();
      expect_key = false;
    } else if (c == ',') {
      expect_key = !objects.empty() && objects.back();
    } else if (c != ':' && c != ' ' && c != '\t' && c != '\n' && c != '\r') {
      value(0);  // a number or a literal: skip to its end
      while (i + 1 < n && !ends_scalar(text[i + 1])) ++i;
    }
  }
  size.memory_bytes += 2 * longest_string;
  return size;
}

std::optional<json> parse_body(std::string_view body, Error* error, const JsonSize* measured) {
  // Refuse deep nesting before nlohmann recurses into it.
  const size_t depth = measured != nullptr ? measured->depth : measure_json(body).depth;
  if (depth > kMaxJsonDepth) {
    *error = bad("body", "JSON nested deeper than " + std::to_string(kMaxJsonDepth) + " levels");
    return std::nullopt;
  }
  json value = json::parse(body, nullptr, false);
  if (value.is_discarded()) {
    std::string why = "invalid JSON";
    try {
      json ignored = json::parse(body);
      (void)ignored;
    } catch (const json::exception& e) {
      why = std::string("invalid JSON: ") + e.what();
    }
    *error = bad("body", why, 400, "invalid_json");
    return std::nullopt;
  }
  if (!value.is_object()) {
    *error = bad("body", std::string("expected a JSON object, got ") + value.type_name());
    return std::nullopt;
  }
  return value;
}

Caps caps_from(const ServerConfig& config) {
  Caps caps;
  caps.max_items = config.max_items;
  caps.max_tests = config.max_tests;
  caps.max_time_ms = config.max_time_ms;
  caps.max_memory_mb = config.max_memory_mb;
  caps.max_output_kb = config.max_output_kb;
  caps.max_run_timeout_ms = config.max_run_timeout_s * 1000;
  return caps;
}

std::optional<JudgeTask> decode_submission(const json& body, const problems::ProblemSet& problems,
                                           const Caps& caps, const std::string& prefix,
                                           Error* error) {
  if (!body.is_object()) {
    *error =
        bad(prefix.empty() ? "body" : prefix.substr(0, prefix.size() - 1), "expected an object");
    return std::nullopt;
  }
  if (!check_fields(body,
                    {"language", "code", "problem_id", "mode", "tests", "entry_point", "signature",
                     "checker", "limits", "stop_on_first_failure", "return_outputs", "batch_tests"},
                    prefix, error)) {
    return std::nullopt;
  }
  JudgeTask task;
  const json* language = find(body, "language");
  if (language == nullptr) {
    *error = bad(prefix + "language", "required (" + judges::language_list() + ")");
    return std::nullopt;
  }
  const judges::Language* found = read_language(*language, prefix + "language", error);
  if (found == nullptr) return std::nullopt;
  const json* code = find(body, "code");
  if (code == nullptr || !code->is_string()) {
    *error = bad(prefix + "code", "required string (the source code)");
    return std::nullopt;
  }
  if (code->get_ref<const std::string&>().size() > judges::kMaxSourceBytes) {
    *error = bad(prefix + "code", "the source is " +
                                      std::to_string(code->get_ref<const std::string&>().size()) +
                                      " bytes; at most " + std::to_string(judges::kMaxSourceBytes));
    return std::nullopt;
  }
  if (!decode_problem(body, problems, caps, prefix, &task, error)) return std::nullopt;
  if (!check_mode(task, found->name, prefix + "language", error)) return std::nullopt;
  if (!decode_limits(body, prefix, caps, &task.options, error)) return std::nullopt;
  if (!read_bool(body, "stop_on_first_failure", prefix, &task.options.stop_on_first_failure,
                 error) ||
      !read_bool(body, "return_outputs", prefix, &task.options.return_outputs, error)) {
    return std::nullopt;
  }
  if (const json* batch = find(body, "batch_tests")) {
    uint64_t value = 0;
    if (!read_uint(*batch, prefix + "batch_tests", 1, 1024, &value, error)) return std::nullopt;
    task.options.batch_tests = value;
  }
  task.submission.language = found->name;
  task.submission.code = code->get<std::string>();
  return task;
}

std::optional<std::vector<BatchItem>> decode_batch(const json& body,
                                                   const problems::ProblemSet& problems,
                                                   const Caps& caps, Error* error) {
  if (!check_fields(body, {"submissions"}, "", error)) return std::nullopt;
  const json* submissions = find(body, "submissions");
  if (submissions == nullptr || !submissions->is_array()) {
    *error = bad("submissions", "required array of submissions");
    return std::nullopt;
  }
  if (submissions->size() > caps.max_items) {
    *error = bad("submissions", std::to_string(submissions->size()) + " submissions; at most " +
                                    std::to_string(caps.max_items) + " per request");
    return std::nullopt;
  }
  std::vector<BatchItem> items(submissions->size());
  for (size_t i = 0; i < submissions->size(); ++i) {
    const std::string prefix = "submissions[" + std::to_string(i) + "].";
    items[i].task = decode_submission((*submissions)[i], problems, caps, prefix, &items[i].error);
  }
  return items;
}

json encode_judge_result(const judges::JudgeResult& result, const JudgeTask& task) {
  return wire::judge_result_json(result, {task.revealed_tests, task.options.return_outputs});
}

std::optional<RewardBatch> decode_rewards(const json& body, const problems::ProblemSet& problems,
                                          const Caps& caps, Error* error) {
  if (!check_fields(
          body, {"items", "accuracy", "weights", "penalties", "format", "accept_raw", "language"},
          "", error)) {
    return std::nullopt;
  }
  RewardBatch batch;
  if (!decode_reward_options(body, &batch.options, error)) return std::nullopt;
  const judges::Language* default_language = nullptr;
  if (const json* language = find(body, "language")) {
    default_language = read_language(*language, "language", error);
    if (default_language == nullptr) return std::nullopt;
  }
  const json* items = find(body, "items");
  if (items == nullptr || !items->is_array()) {
    *error = bad("items", "required array of {completion, problem_id or inline tests}");
    return std::nullopt;
  }
  if (items->size() > caps.max_items) {
    *error = bad("items", std::to_string(items->size()) + " items; at most " +
                              std::to_string(caps.max_items) + " per request");
    return std::nullopt;
  }
  batch.items.resize(items->size());
  for (size_t i = 0; i < items->size(); ++i) {
    const std::string prefix = "items[" + std::to_string(i) + "].";
    const json& object = (*items)[i];
    RewardItem& item = batch.items[i];
    Error item_error;
    if (!object.is_object()) {
      item.error = bad(prefix.substr(0, prefix.size() - 1), "expected an object");
      continue;
    }
    if (!check_fields(object,
                      {"completion", "language", "problem_id", "mode", "tests", "entry_point",
                       "signature", "checker", "limits"},
                      prefix, &item_error)) {
      item.error = item_error;
      continue;
    }
    const json* completion = find(object, "completion");
    if (completion == nullptr || !completion->is_string()) {
      item.error = bad(prefix + "completion", "required string (the model's raw output)");
      continue;
    }
    auto decoded =
        decode_reward_item(object, problems, caps, prefix, completion->get<std::string>(),
                           default_language, batch.options, &item_error);
    if (decoded) {
      item = std::move(*decoded);
    } else {
      item.error = item_error;
    }
  }
  return batch;
}

std::optional<RewardBatch> decode_get_reward(const json& body, const problems::ProblemSet& problems,
                                             const Caps& caps, const ServerConfig& config,
                                             Error* error) {
  // OpenRLHF may send more fields in later versions: unknown ones are ignored here.
  const json* query = find(body, "query");
  if (query == nullptr || !query->is_array()) {
    *error = bad("query", "required array of strings (prompt + completion)");
    return std::nullopt;
  }
  if (query->size() > caps.max_items) {
    *error = bad("query", std::to_string(query->size()) + " items; at most " +
                              std::to_string(caps.max_items) + " per request");
    return std::nullopt;
  }
  const json* prompts = find(body, "prompts");
  if (prompts != nullptr && !prompts->is_null() &&
      (!prompts->is_array() || prompts->size() != query->size())) {
    *error = bad("prompts", "expected an array of strings as long as query");
    return std::nullopt;
  }
  const json* labels = find(body, "labels");
  if (labels == nullptr || !labels->is_array() || labels->size() != query->size()) {
    *error = bad("labels", "required array as long as query (problem ids, or inline problems)");
    return std::nullopt;
  }
  RewardBatch batch;
  auto mode = judges::parse_accuracy_mode(config.accuracy);
  batch.options.accuracy = mode.value_or(judges::AccuracyMode::kBinary);
  batch.options.accuracy_weight = config.accuracy_weight;
  batch.options.format_weight = config.format_weight;
  batch.items.resize(query->size());
  for (size_t i = 0; i < query->size(); ++i) {
    const std::string index = "[" + std::to_string(i) + "]";
    RewardItem& item = batch.items[i];
    const json& text = (*query)[i];
    if (!text.is_string()) {
      item.error = bad("query" + index, "expected a string");
      continue;
    }
    std::string completion = text.get<std::string>();
    if (prompts != nullptr && !prompts->is_null()) {
      const json& prompt = (*prompts)[i];
      if (!prompt.is_string()) {
        item.error = bad("prompts" + index, "expected a string");
        continue;
      }
      // The query is the prompt followed by the response; only the response is scored, and
      // when the prompt cannot be found in the query nothing is: the whole query would hold
      // the prompt's own code blocks.
      auto response =
          judges::response_after_prompt(completion, prompt.get_ref<const std::string&>());
      if (!response) {
        item.reason =
            "the prompt is not in the query (its last " +
            std::to_string(judges::kPromptAnchorBytes) +
            " non-space bytes are missing), so the response cannot be told from the prompt";
        continue;
      }
      completion = std::string(*response);
    }
    const json& label = (*labels)[i];
    json spec;
    if (label.is_string() && !label.get_ref<const std::string&>().empty() &&
        label.get_ref<const std::string&>().front() == '{') {
      Error parse_error;
      auto parsed = parse_body(label.get<std::string>(), &parse_error);
      if (!parsed) {
        item.error = bad("labels" + index, parse_error.message);
        continue;
      }
      spec = std::move(*parsed);
    } else if (label.is_string()) {
      spec = {{"problem_id", label}};
    } else if (label.is_object()) {
      spec = label;
    } else {
      item.error = bad("labels" + index, "expected a problem id or an inline problem object");
      continue;
    }
    Error item_error;
    if (!check_fields(spec,
                      {"problem_id", "language", "mode", "tests", "entry_point", "signature",
                       "checker", "limits"},
                      "labels" + index + ".", &item_error)) {
      item.error = item_error;
      continue;
    }
    auto decoded = decode_reward_item(spec, problems, caps, "labels" + index + ".", completion,
                                      nullptr, batch.options, &item_error);
    if (decoded) {
      item = std::move(*decoded);
    } else {
      item.error = item_error;
    }
  }
  return batch;
}

judges::Reward reward_of(const RewardItem& item, const judges::JudgeResult* result,
                         const judges::RewardOptions& options) {
  if (item.error) {
    judges::Reward reward;
    reward.reason = item.error->message;
    return reward;
  }
  judges::Reward reward = judges::score_prepared(item.prepared, result, options).reward;
  if (!item.reason.empty()) reward.reason = item.reason;
  return reward;
}

json encode_reward_item(const RewardItem& item, const judges::JudgeResult* result,
                        const judges::Reward& reward) {
  json out = json::object();
  out["reward"] = reward.reward ? json(*reward.reward) : json(nullptr);
  if (item.error) {
    out["error"] = error_json(*item.error)["error"];
    return out;
  }
  out["accuracy"] = reward.accuracy;
  out["format"] = reward.format;
  out["extracted"] = item.prepared.submission.has_value();
  if (result != nullptr) {
    out["verdict"] = judges::verdict_name(result->verdict);
    out["passed"] = result->passed;
    out["total"] = result->total;
    out["language"] = item.task->submission.language;
  } else {
    out["verdict"] = nullptr;
    out["passed"] = 0;
    out["total"] = 0;
  }
  if (!reward.reason.empty()) out["reason"] = reward.reason;
  return out;
}

namespace {

// SandboxFusion's files travel as base64 (Python's b64encode: no line breaks).
std::optional<std::string> decode_base64(std::string_view text) {
  std::string out(text.size() / 4 * 3 + 3, '\0');
  std::unique_ptr<EVP_ENCODE_CTX, decltype(&EVP_ENCODE_CTX_free)> ctx(EVP_ENCODE_CTX_new(),
                                                                      EVP_ENCODE_CTX_free);
  if (!ctx || text.size() > static_cast<size_t>(std::numeric_limits<int>::max())) {
    return std::nullopt;
  }
  EVP_DecodeInit(ctx.get());
  int n = 0, tail = 0;
  if (EVP_DecodeUpdate(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &n,
                       reinterpret_cast<const unsigned char*>(text.data()),
                       static_cast<int>(text.size())) < 0 ||
      EVP_DecodeFinal(ctx.get(), reinterpret_cast<unsigned char*>(out.data()) + n, &tail) != 1) {
    return std::nullopt;
  }
  out.resize(static_cast<size_t>(n + tail));
  return out;
}

std::string encode_base64(std::string_view data) {
  std::string out(4 * ((data.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(data.data()),
                                static_cast<int>(data.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

}  // namespace

std::optional<RunCodeTask> decode_run_code(const json& body, const Caps& caps, Error* error) {
  // SandboxFusion's RunCodeRequest. Fields we do not know are ignored, as pydantic does.
  RunCodeTask task;
  const json* code = find(body, "code");
  if (code == nullptr || !code->is_string()) {
    *error = bad("code", "required string");
    return std::nullopt;
  }
  const json* language = find(body, "language");
  if (language == nullptr) {
    *error = bad("language", "required");
    return std::nullopt;
  }
  const judges::Language* found = read_language(*language, "language", error);
  if (found == nullptr) return std::nullopt;
  task.submission.language = found->name;
  task.submission.code = code->get<std::string>();
  task.compiled_language = !found->interpreted;
  if (const json* stdin_value = find(body, "stdin"); stdin_value && !stdin_value->is_null()) {
    if (!stdin_value->is_string()) {
      *error = bad("stdin", "expected a string or null");
      return std::nullopt;
    }
    task.stdin_data = stdin_value->get<std::string>();
  }
  double run_timeout_s = 10;
  if (!read_double(body, "run_timeout", "", &run_timeout_s, error)) return std::nullopt;
  double compile_timeout_s = 10;
  if (!read_double(body, "compile_timeout", "", &compile_timeout_s, error)) return std::nullopt;
  if (run_timeout_s <= 0) {
    *error = bad("run_timeout", "must be positive (seconds)");
    return std::nullopt;
  }
  // SandboxFusion's run_timeout is wall time in seconds: our CPU limit and wall fuse both take
  // it, capped at --max-run-timeout-s (said in the message of a run that hits the cap).
  const double cap_ms = static_cast<double>(caps.max_run_timeout_ms);
  task.timeout_capped = run_timeout_s * 1000.0 > cap_ms;
  const double run_ms = std::min(run_timeout_s * 1000.0, cap_ms);
  task.limits.cpu_ms = std::max<uint64_t>(1, static_cast<uint64_t>(run_ms));
  task.limits.wall_ms = task.limits.cpu_ms;
  uint64_t memory_mb = std::min<uint64_t>(1024, caps.max_memory_mb);
  if (const json* memory = find(body, "memory_limit_MB"); memory && !memory->is_null()) {
    // pydantic accepts 512.0 for an int field; so do we.
    if (!memory->is_number() || !std::isfinite(memory->get<double>()) ||
        std::abs(memory->get<double>()) > 1e12) {
      *error = bad("memory_limit_MB", "expected an integer (MiB; -1 for the server default)");
      return std::nullopt;
    }
    const auto value = static_cast<int64_t>(memory->get<double>());
    if (value > 0)
      memory_mb = std::clamp<uint64_t>(static_cast<uint64_t>(value), 4, caps.max_memory_mb);
  }
  task.limits.memory_bytes = memory_mb << 20;
  task.limits.output_bytes = std::min<uint64_t>(caps.max_output_kb, 16 * 1024) << 10;
  if (const json* files = find(body, "files"); files && !files->is_null()) {
    if (!files->is_object()) {
      *error = bad("files", "expected an object from path to base64 contents");
      return std::nullopt;
    }
    for (const auto& [path, contents] : files->items()) {
      if (contents.is_null()) continue;  // SandboxFusion skips a file given as null
      std::optional<std::string> data;
      if (contents.is_string()) data = decode_base64(contents.get_ref<const std::string&>());
      if (!data) {
        *error = bad("files", "'" + path + "': expected base64 contents or null");
        return std::nullopt;
      }
      task.files.place.emplace_back(path, std::move(*data));
    }
  }
  if (const json* fetch = find(body, "fetch_files"); fetch && !fetch->is_null()) {
    if (!fetch->is_array()) {
      *error = bad("fetch_files", "expected an array of paths");
      return std::nullopt;
    }
    for (const json& path : *fetch) {
      if (!path.is_string()) {
        *error = bad("fetch_files", "expected an array of paths");
        return std::nullopt;
      }
      task.files.fetch.push_back(path.get<std::string>());
    }
  }
  if (std::string why; !judges::check_run_files(task.files, &why)) {
    *error = bad(task.files.place.empty() ? "fetch_files" : "files", why);
    return std::nullopt;
  }
  return task;
}

namespace {
// Judge::run reports a compile error as status IE with the message "compile failed", and a
// compile step that itself failed (ours) as "compile failed: <why>".
bool compile_failed(const sandbox::Result& run) {
  return run.status == sandbox::Status::kInternalError &&
         run.message.rfind("compile failed", 0) == 0;
}
bool compile_ie(const sandbox::Result& run) {
  return compile_failed(run) && run.message != "compile failed";
}
}  // namespace

const char* run_verdict(const judges::Judge::RunOutput& output) {
  if (compile_failed(output.run) && !compile_ie(output.run)) return "CE";
  return sandbox::status_name(output.run.status);
}

json encode_run_code(const RunCodeTask& task, const judges::Judge::RunOutput& output) {
  // SandboxFusion's RunCodeResponse: status Success | Failed | SandboxError, and per command
  // status Finished | TimeLimitExceeded | Error with execution_time in seconds.
  json out = {{"status", "Success"},          {"message", ""},
              {"compile_result", nullptr},    {"run_result", nullptr},
              {"executor_pod_name", nullptr}, {"files", json::object()}};
  const judges::CompileInfo& compile = output.compile;
  const sandbox::Result& run = output.run;
  if (compile_ie(run)) {
    out["status"] = "SandboxError";
    out["message"] = run.message;
    return out;
  }
  json compile_result = {{"status", "Finished"},
                         {"execution_time", static_cast<double>(compile.time_ms) / 1000.0},
                         {"return_code", compile.ok ? 0 : 1},
                         {"stdout", ""},
                         {"stderr", compile.stderr_data}};
  if (compile_failed(run)) {
    out["status"] = "Failed";
    out["message"] = "compile error";
    if (task.compiled_language) {
      out["compile_result"] = std::move(compile_result);
    } else {
      // An interpreter reports a syntax error when it runs: SandboxFusion has no compile step.
      compile_result["execution_time"] = 0.0;
      out["run_result"] = std::move(compile_result);
    }
    return out;
  }
  if (task.compiled_language) out["compile_result"] = std::move(compile_result);
  json run_result = {{"status", "Finished"},
                     {"execution_time", static_cast<double>(run.wall_ms) / 1000.0},
                     {"return_code", nullptr},
                     {"stdout", run.stdout_data},
                     {"stderr", run.stderr_data}};
  if (run.exit_code >= 0) {
    run_result["return_code"] = run.exit_code;
  } else if (run.signal != 0) {
    run_result["return_code"] = -run.signal;  // Python's convention for a killed child
  }
  switch (run.status) {
    case sandbox::Status::kOk:
      break;
    case sandbox::Status::kTimeLimit:
      run_result["status"] = "TimeLimitExceeded";
      out["status"] = "Failed";
      break;
    case sandbox::Status::kInternalError:
      run_result["status"] = "Error";
      out["status"] = "SandboxError";
      break;
    default:
      out["status"] = "Failed";
      if (run_result["return_code"].is_null() || run_result["return_code"] == 0) {
        run_result["return_code"] = 1;  // a failed run never reports success
      }
      break;
  }
  if (run.status != sandbox::Status::kOk) {
    out["message"] = std::string(sandbox::status_name(run.status)) +
                     (run.message.empty() ? "" : ": " + run.message);
    if (run.status == sandbox::Status::kTimeLimit && task.timeout_capped) {
      out["message"] = out["message"].get<std::string>() + " (run_timeout capped at " +
                       std::to_string(task.limits.wall_ms / 1000) + " s by --max-run-timeout-s)";
    }
  }
  out["run_result"] = std::move(run_result);
  for (const auto& [path, data] : output.fetched) out["files"][path] = encode_base64(data);
  return out;
}

}  // namespace codejudge::server::api
