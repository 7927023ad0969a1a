#include <functional>
#include <iostream>

#include "commands.h"

namespace codejudge::cli {

int usage_error(const std::string& message, const char* usage) {
  std::cerr << "codejudge: " << message << "\n" << usage;
  return 2;
}

int parse_flags(const Args& args, const std::vector<flags::Flag>& table,
                const flags::Positional& positional, const char* usage) {
  if (flags::wants_help(args)) {
    std::cout << usage;
    return 0;
  }
  flags::Error error;
  if (flags::parse(args, table, positional, &error)) return -1;
  switch (error.kind) {
    case flags::Error::Kind::kUnknown:
      return usage_error("unexpected argument: " + error.flag, usage);
    case flags::Error::Kind::kNoValue:
      return usage_error(error.text(), usage);
    case flags::Error::Kind::kBadValue:
    case flags::Error::Kind::kPositional:
      return usage_error(error.why, usage);
  }
  return usage_error(error.text(), usage);
}

flags::Setter uint_setter(const std::string& flag, uint64_t* out) {
  return [flag, out](const std::string& text, std::string* error) {
    if (flags::parse_u64(text, 0, UINT64_MAX, out, error)) return true;
    *error = flag + " needs a non-negative integer, got '" + text + "'";
    return false;
  };
}

flags::Setter text_setter(std::string* out) {
  return [out](const std::string& text, std::string*) {
    *out = text;
    return true;
  };
}

flags::Positional one_positional(std::string* out, const std::string& too_many) {
  return [out, too_many](const std::string& arg, std::string* why) {
    if (out->empty()) {
      *out = arg;
      return true;
    }
    *why = too_many.empty() ? "unexpected argument: " + arg : too_many;
    return false;
  };
}

flags::Setter switch_setter(bool* out, bool value) {
  return [out, value](const std::string&, std::string*) {
    *out = value;
    return true;
  };
}

void add_limit_flags(std::vector<flags::Flag>* table, sandbox::Limits* limits) {
  struct Spec {
    const char* name;
    uint64_t scale;
    uint64_t min;
    std::function<void(uint64_t)> store;
  };
  const Spec specs[] = {
      {"--time-ms", 1, 1, [limits](uint64_t v) { limits->cpu_ms = v; }},
      {"--wall-ms", 1, 1, [limits](uint64_t v) { limits->wall_ms = v; }},
      {"--memory-mb", 1 << 20, 4, [limits](uint64_t v) { limits->memory_bytes = v; }},
      {"--output-kb", 1024, 1, [limits](uint64_t v) { limits->output_bytes = v; }},
      {"--processes", 1, 1, [limits](uint64_t v) { limits->processes = static_cast<uint32_t>(v); }},
  };
  for (const Spec& spec : specs) {
    std::string name = spec.name;
    table->push_back({name, "N", "", [name, spec](const std::string& text, std::string* error) {
                        uint64_t value = 0;
                        if (!uint_setter(name, &value)(text, error)) return false;
                        if (value < spec.min || value > (uint64_t{1} << 40) / spec.scale) {
                          *error = name + " is out of range";
                          return false;
                        }
                        spec.store(value * spec.scale);
                        return true;
                      }});
  }
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
