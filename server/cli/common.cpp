#include <charconv>
#include <cstdio>
#include <iostream>

#include "commands.h"

namespace codejudge::cli {

int usage_error(const std::string& message, const char* usage) {
  std::cerr << "codejudge: " << message << "\n" << usage;
  return 2;
}

bool parse_uint(const std::string& flag, const std::string& text, uint64_t* out,
                std::string* error) {
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, *out);
  if (text.empty() || ec != std::errc() || ptr != end) {
    *error = flag + " needs a non-negative integer, got '" + text + "'";
    return false;
  }
  return true;
}

int parse_limit_flag(const Args& args, size_t* i, sandbox::Limits* limits, std::string* error) {
  const std::string& flag = args[*i];
  struct Spec {
    const char* name;
    uint64_t scale;
    uint64_t min;
  };
  static const std::pair<const char*, Spec> kFlags[] = {
      {"--time-ms", {"--time-ms", 1, 1}},           {"--wall-ms", {"--wall-ms", 1, 1}},
      {"--memory-mb", {"--memory-mb", 1 << 20, 4}}, {"--output-kb", {"--output-kb", 1024, 1}},
      {"--processes", {"--processes", 1, 1}},
  };
  for (const auto& [name, spec] : kFlags) {
    if (flag != name) continue;
    if (*i + 1 >= args.size()) {
      *error = flag + " needs a value";
      return -1;
    }
    uint64_t value = 0;
    if (!parse_uint(flag, args[++*i], &value, error)) return -1;
    if (value < spec.min || value > (uint64_t{1} << 40) / spec.scale) {
      *error = flag + " is out of range";
      return -1;
    }
    value *= spec.scale;
    if (flag == "--time-ms") limits->cpu_ms = value;
    if (flag == "--wall-ms") limits->wall_ms = value;
    if (flag == "--memory-mb") limits->memory_bytes = value;
    if (flag == "--output-kb") limits->output_bytes = value;
    if (flag == "--processes") limits->processes = static_cast<uint32_t>(value);
    return 1;
  }
  return 0;
}

std::string render(const nlohmann::json& json, int indent) {
  return json.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::unique_ptr<sandbox::Sandbox> make_sandbox(const sandbox::Options& options) {
  std::string error;
  auto box = sandbox::Sandbox::create(options, &error);
  if (!box) {
    std::cerr << "codejudge: sandbox unavailable: " << error << "\n";
    return nullptr;
  }
  for (const std::string& warning : box->report().warnings) {
    std::cerr << "codejudge: warning: " << warning << "\n";
  }
  return box;
}

}  // namespace codejudge::cli
