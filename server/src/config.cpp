#include "codejudge/server/config.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "codejudge/flags/flags.h"
#include "codejudge/server/log.h"

#ifndef CODEJUDGE_PROBLEMS_DIR
#define CODEJUDGE_PROBLEMS_DIR "problems/bundled"
#endif

namespace codejudge::server {
namespace {

using Setter = bool (*)(ServerConfig*, const std::string&, std::string*);
using Getter = std::string (*)(const ServerConfig&);

// One option: its flag, where its value may also come from, and its text for --help.
struct Option {
  const char* flag;  // without "--"; the env var is CODEJUDGE_<FLAG>, the file key <flag>
  const char* value_name;
  const char* help;  // says the unit
  Setter set;
  Getter show;
  bool list = false;  // --problems takes several values
};

template <typename T, T ServerConfig::*Field, uint64_t Min, uint64_t Max>
bool set_uint(ServerConfig* config, const std::string& text, std::string* error) {
  uint64_t value = 0;
  if (!flags::parse_u64(text, Min, Max, &value, error)) return false;
  config->*Field = static_cast<T>(value);
  return true;
}

template <typename T, T ServerConfig::*Field>
std::string show_uint(const ServerConfig& config) {
  return std::to_string(config.*Field);
}

template <double ServerConfig::*Field>
bool set_double(ServerConfig* config, const std::string& text, std::string* error) {
  return flags::parse_double(text, &(config->*Field), error);
}

template <double ServerConfig::*Field>
std::string show_double(const ServerConfig& config) {
  std::ostringstream out;
  out << config.*Field;
  return out.str();
}

template <std::string ServerConfig::*Field>
bool set_string(ServerConfig* config, const std::string& text, std::string*) {
  config->*Field = text;
  return true;
}

template <std::string ServerConfig::*Field>
std::string show_string(const ServerConfig& config) {
  const std::string& value = config.*Field;
  return value.empty() ? "none" : value;
}

constexpr uint64_t kU16 = 65535;
constexpr uint64_t kBig = 1ull << 40;

const std::vector<Option>& options() {
  static const std::vector<Option> kOptions = {
      {"host", "ADDR", "address to listen on (0.0.0.0 for every interface)",
       set_string<&ServerConfig::host>, show_string<&ServerConfig::host>},
      {"port", "N", "TCP port; 0 picks a free one and logs it",
       set_uint<uint16_t, &ServerConfig::port, 0, kU16>, show_uint<uint16_t, &ServerConfig::port>},
      {"port-file", "FILE", "write the bound port to FILE once listening",
       set_string<&ServerConfig::port_file>, show_string<&ServerConfig::port_file>},
      {"io-threads", "N", "threads serving sockets (judging never runs on them)",
       set_uint<size_t, &ServerConfig::io_threads, 1, 64>,
       show_uint<size_t, &ServerConfig::io_threads>},
      {"max-connections", "N",
       "connections open at once (also capped by the fd limit); beyond it the longest idle "
       "keep-alive connection is closed, else 503",
       set_uint<size_t, &ServerConfig::max_connections, 1, 1000000>,
       show_uint<size_t, &ServerConfig::max_connections>},
      {"problems", "PATH...",
       "problem files or directories (*.jsonl, recursively); env: ':'-separated",
       [](ServerConfig* config, const std::string& text, std::string*) {
         config->problems.push_back(text);
         return true;
       },
       [](const ServerConfig&) { return std::string(CODEJUDGE_PROBLEMS_DIR); }, true},
      {"workers", "N", "sandboxed test runs at once; 0 = number of CPUs",
       set_uint<size_t, &ServerConfig::workers, 0, 4096>,
       show_uint<size_t, &ServerConfig::workers>},
      {"concurrency", "N", "submissions judged at once (compile + tests); 0 = 2 x workers",
       set_uint<size_t, &ServerConfig::concurrency, 0, 4096>,
       show_uint<size_t, &ServerConfig::concurrency>},
      {"queue-size", "N", "submissions that may wait for a slot; beyond it requests get 503",
       set_uint<size_t, &ServerConfig::queue_size, 0, 1000000>,
       show_uint<size_t, &ServerConfig::queue_size>},
      {"cache-dir", "DIR", "compile cache directory (default: the judges' default)",
       set_string<&ServerConfig::cache_dir>, show_string<&ServerConfig::cache_dir>},
      {"cache-mb", "N", "compile cache size, MiB",
       set_uint<uint64_t, &ServerConfig::cache_mb, 1, kBig>,
       show_uint<uint64_t, &ServerConfig::cache_mb>},
      {"max-body-mb", "N", "largest request body, MiB (larger: 413)",
       set_uint<uint64_t, &ServerConfig::max_body_mb, 1, 4096>,
       show_uint<uint64_t, &ServerConfig::max_body_mb>},
      {"max-items", "N", "submissions per batch, completions per rewards call",
       set_uint<size_t, &ServerConfig::max_items, 1, 1000000>,
       show_uint<size_t, &ServerConfig::max_items>},
      {"max-tests", "N", "inline tests per submission",
       set_uint<size_t, &ServerConfig::max_tests, 1, 1000000>,
       show_uint<size_t, &ServerConfig::max_tests>},
      {"max-time-ms", "N", "largest per-test CPU time a request may set, ms",
       set_uint<uint64_t, &ServerConfig::max_time_ms, 1, 600000>,
       show_uint<uint64_t, &ServerConfig::max_time_ms>},
      {"max-memory-mb", "N", "largest per-test memory a request may set, MiB",
       set_uint<uint64_t, &ServerConfig::max_memory_mb, 4, 1 << 20>,
       show_uint<uint64_t, &ServerConfig::max_memory_mb>},
      {"max-output-kb", "N", "largest per-stream output a request may set, KiB",
       set_uint<uint64_t, &ServerConfig::max_output_kb, 1, 1 << 22>,
       show_uint<uint64_t, &ServerConfig::max_output_kb>},
      {"max-run-timeout-s", "N", "largest /run_code run_timeout honoured, seconds (more is capped)",
       set_uint<uint64_t, &ServerConfig::max_run_timeout_s, 1, 3600>,
       show_uint<uint64_t, &ServerConfig::max_run_timeout_s>},
      {"body-budget-mb", "N",
       "request bodies held at once (read, parsed, judged), MiB; a body waits to be read until "
       "it fits",
       set_uint<uint64_t, &ServerConfig::body_budget_mb, 1, 1 << 20>,
       show_uint<uint64_t, &ServerConfig::body_budget_mb>},
      {"parse-budget-mb", "N",
       "estimated memory of the JSON being parsed at once, MiB; a body that alone needs more: 413",
       set_uint<uint64_t, &ServerConfig::parse_budget_mb, 1, 1 << 20>,
       show_uint<uint64_t, &ServerConfig::parse_budget_mb>},
      {"read-timeout-s", "N", "time for a request's headers and body to arrive, seconds",
       set_uint<uint64_t, &ServerConfig::read_timeout_s, 1, 86400>,
       show_uint<uint64_t, &ServerConfig::read_timeout_s>},
      {"idle-timeout-s", "N", "keep-alive idle time between requests, seconds",
       set_uint<uint64_t, &ServerConfig::idle_timeout_s, 1, 86400>,
       show_uint<uint64_t, &ServerConfig::idle_timeout_s>},
      {"write-timeout-s", "N", "time to write a response, seconds",
       set_uint<uint64_t, &ServerConfig::write_timeout_s, 1, 86400>,
       show_uint<uint64_t, &ServerConfig::write_timeout_s>},
      {"drain-timeout-s", "N", "on SIGTERM/SIGINT, how long in-flight work may finish, seconds",
       set_uint<uint64_t, &ServerConfig::drain_timeout_s, 0, 86400>,
       show_uint<uint64_t, &ServerConfig::drain_timeout_s>},
      {"retry-after-s", "N", "Retry-After sent with 503 when the queue is full, seconds",
       set_uint<uint64_t, &ServerConfig::retry_after_s, 0, 3600>,
       show_uint<uint64_t, &ServerConfig::retry_after_s>},
      {"run-code-wait-s", "N",
       "how long a /run_code request may wait to start, seconds; then 504 (verl retries it)",
       set_uint<uint64_t, &ServerConfig::run_code_wait_s, 0, 3600>,
       show_uint<uint64_t, &ServerConfig::run_code_wait_s>},
      {"get-reward-wait-s", "N",
       "how long a /get_reward request may wait for room in the queue, seconds; then 503",
       set_uint<uint64_t, &ServerConfig::get_reward_wait_s, 0, 3600>,
       show_uint<uint64_t, &ServerConfig::get_reward_wait_s>},
      {"warm-runtimes", "on|off",
       "serve python runs from a warm interpreter per sandbox slot (same verdicts, far less "
       "start-up); off: every run starts its interpreter cold",
       [](ServerConfig* config, const std::string& text, std::string* error) {
         if (text != "on" && text != "off") {
           *error = "expected on or off";
           return false;
         }
         config->warm_runtimes = text == "on";
         return true;
       },
       [](const ServerConfig& config) { return std::string(config.warm_runtimes ? "on" : "off"); }},
      {"accuracy", "MODE", "/get_reward accuracy: binary or fraction",
       set_string<&ServerConfig::accuracy>, show_string<&ServerConfig::accuracy>},
      {"accuracy-weight", "X", "/get_reward weight of accuracy",
       set_double<&ServerConfig::accuracy_weight>, show_double<&ServerConfig::accuracy_weight>},
      {"format-weight", "X", "/get_reward weight of the format reward",
       set_double<&ServerConfig::format_weight>, show_double<&ServerConfig::format_weight>},
      {"ie-reward", "X", "/get_reward reward for an internal error (it cannot send null)",
       set_double<&ServerConfig::ie_reward>, show_double<&ServerConfig::ie_reward>},
      {"log-level", "LEVEL", "debug (adds submitted code), info, warn or error",
       set_string<&ServerConfig::log_level>, show_string<&ServerConfig::log_level>},
  };
  return kOptions;
}

std::string env_name(const char* flag) {
  std::string name = "CODEJUDGE_";
  for (const char* p = flag; *p; ++p) {
    name += *p == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(*p)));
  }
  return name;
}

const Option* find_option(std::string_view flag) {
  for (const Option& option : options()) {
    if (flag == option.flag) return &option;
  }
  return nullptr;
}

bool apply(const Option& option, ServerConfig* config, const std::string& value,
           const std::string& source, std::string* error) {
  std::string why;
  if (!option.set(config, value, &why)) {
    *error = source + ": " + why;
    return false;
  }
  return true;
}

bool apply_file(const std::string& path, ServerConfig* config, std::string* error) {
  std::ifstream in(path);
  if (!in) {
    *error = "--config: cannot read " + path;
    return false;
  }
  std::stringstream text;
  text << in.rdbuf();
  nlohmann::json json = nlohmann::json::parse(text.str(), nullptr, false);
  if (json.is_discarded() || !json.is_object()) {
    *error = path + ": expected a JSON object of options";
    return false;
  }
  bool problems_seen = false;
  for (const auto& [key, value] : json.items()) {
    std::string flag = key;
    for (char& c : flag) {
      if (c == '_') c = '-';
    }
    const Option* option = find_option(flag);
    const std::string source = path + ": " + key;
    if (option == nullptr) {
      *error = source + ": unknown option";
      return false;
    }
    std::vector<std::string> values;
    if (option->list && value.is_array()) {
      for (const auto& item : value) {
        if (!item.is_string()) {
          *error = source + ": expected strings";
          return false;
        }
        values.push_back(item.get<std::string>());
      }
    } else if (value.is_string()) {
      values.push_back(value.get<std::string>());
    } else if (value.is_number_unsigned() || value.is_number_float() || value.is_number_integer()) {
      values.push_back(value.dump());
    } else {
      *error = source + ": expected a string or a number";
      return false;
    }
    if (option->list && !problems_seen) {
      config->problems.clear();
      problems_seen = true;
    }
    for (const auto& item : values) {
      if (!apply(*option, config, item, source, error)) return false;
    }
  }
  return true;
}

bool validate(ServerConfig* config, std::string* error) {
  if (config->accuracy != "binary" && config->accuracy != "fraction") {
    *error = "accuracy: expected binary or fraction, got '" + config->accuracy + "'";
    return false;
  }
  if (!parse_log_level(config->log_level)) {
    *error = "log-level: expected debug, info, warn or error, got '" + config->log_level + "'";
    return false;
  }
  if (config->body_budget_mb < config->max_body_mb) {
    *error = "body-budget-mb (" + std::to_string(config->body_budget_mb) +
             ") must be at least max-body-mb (" + std::to_string(config->max_body_mb) +
             "): a largest body must fit";
    return false;
  }
  if (config->host.empty()) {
    *error = "host: must not be empty";
    return false;
  }
  if (config->problems.empty()) config->problems = default_problems_paths();
  return true;
}

}  // namespace

std::vector<std::string> default_problems_paths() {
  return {CODEJUDGE_PROBLEMS_DIR};
}

EnvLookup process_env() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

std::string server_config_help() {
  const ServerConfig defaults;
  std::ostringstream out;
  out << "usage: codejudge serve [OPTIONS]\n"
         "Serves the judge HTTP API (docs/API.md). Each option can also be set by the\n"
         "environment variable shown, or by a key of the same name (with '_' or '-') in a JSON\n"
         "file given with --config FILE (or CODEJUDGE_CONFIG); flags override the environment,\n"
         "which overrides the file.\n\n";
  auto row = [&](const std::string& left, const std::string& help, const std::string& def,
                 const std::string& env) {
    out << "  " << left;
    for (size_t i = left.size(); i < 26; ++i) out << ' ';
    if (left.size() >= 26) out << "\n" << std::string(28, ' ');
    out << help << "\n" << std::string(28, ' ') << "default: " << def << "   env: " << env << "\n";
  };
  row("--config FILE", "JSON file of options", "none", "CODEJUDGE_CONFIG");
  for (const Option& option : options()) {
    row(std::string("--") + option.flag + " " + option.value_name, option.help,
        option.show(defaults), env_name(option.flag));
  }
  out << "  --help                    this text\n";
  return out.str();
}

std::optional<ServerConfig> parse_server_config(const std::vector<std::string>& args,
                                                const EnvLookup& env, std::string* error,
                                                bool* help) {
  *help = false;
  ServerConfig config;
  // The config file comes first (lowest precedence after the defaults); find it before the rest.
  std::optional<std::string> config_file = env("CODEJUDGE_CONFIG");
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--help" || args[i] == "-h") {
      *help = true;
      return config;
    }
    if (args[i] == "--config") {
      if (i + 1 >= args.size()) {
        *error = "--config needs a value";
        return std::nullopt;
      }
      config_file = args[i + 1];
    } else if (args[i].rfind("--config=", 0) == 0) {
      config_file = args[i].substr(9);
    }
  }
  if (config_file && !apply_file(*config_file, &config, error)) return std::nullopt;

  for (const Option& option : options()) {
    const std::string name = env_name(option.flag);
    std::optional<std::string> value = env(name);
    if (!value) continue;
    if (option.list) {
      config.problems.clear();
      std::stringstream parts(*value);
      std::string part;
      while (std::getline(parts, part, ':')) {
        if (!part.empty()) config.problems.push_back(part);
      }
      continue;
    }
    if (!apply(option, &config, *value, name, error)) return std::nullopt;
  }

  // The command line: every option's flag, --config (read above) and --problems, whose first
  // use replaces the paths from the file or the environment.
  bool problems_from_flags = false;
  std::vector<flags::Flag> table = {
      {"--config", "FILE", "", [](const std::string&, std::string*) { return true; }}};
  for (const Option& option : options()) {
    flags::Setter set = [&config, &option](const std::string& value, std::string* why) {
      return option.set(&config, value, why);
    };
    if (option.list) {
      set = [&config, &problems_from_flags, set](const std::string& value, std::string* why) {
        if (!problems_from_flags) config.problems.clear();
        problems_from_flags = true;
        return set(value, why);
      };
    }
    table.push_back({std::string("--") + option.flag, option.value_name, option.help,
                     std::move(set), option.list});
  }
  flags::Error bad;
  auto positional = [](const std::string& arg, std::string* why) {
    *why = "unexpected argument '" + arg + "'";
    return false;
  };
  if (!flags::parse(args, table, positional, &bad)) {
    *error = bad.text();
    return std::nullopt;
  }
  if (!validate(&config, error)) return std::nullopt;
  return config;
}

}  // namespace codejudge::server
