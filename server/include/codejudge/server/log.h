// Structured logs: one JSON object per line on a stream (stderr by default). Thread-safe.
// Every line has "ts" (UTC, ISO 8601 with ms), "level" and "msg"; callers add fields such as
// "request_id". Submitted source code is only ever logged at debug level.
#pragma once

#include <cstdio>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace codejudge::server {

enum class LogLevel { kDebug, kInfo, kWarn, kError };

const char* log_level_name(LogLevel level);  // "debug", "info", "warn", "error"
std::optional<LogLevel> parse_log_level(std::string_view name);

class Logger {
 public:
  // Writes to `out` (not owned); nullptr discards everything.
  explicit Logger(std::FILE* out = stderr, LogLevel level = LogLevel::kInfo)
      : out_(out), level_(level) {}

  bool enabled(LogLevel level) const { return out_ != nullptr && level >= level_; }
  void log(LogLevel level, std::string_view msg, nlohmann::json fields = nlohmann::json::object());

  void debug(std::string_view msg, nlohmann::json fields = nlohmann::json::object()) {
    log(LogLevel::kDebug, msg, std::move(fields));
  }
  void info(std::string_view msg, nlohmann::json fields = nlohmann::json::object()) {
    log(LogLevel::kInfo, msg, std::move(fields));
  }
  void warn(std::string_view msg, nlohmann::json fields = nlohmann::json::object()) {
    log(LogLevel::kWarn, msg, std::move(fields));
  }
  void error(std::string_view msg, nlohmann::json fields = nlohmann::json::object()) {
    log(LogLevel::kError, msg, std::move(fields));
  }

 private:
  std::mutex mu_;
  std::FILE* out_;
  LogLevel level_;
};

}  // namespace codejudge::server
