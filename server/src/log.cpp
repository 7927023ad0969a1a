#include "codejudge/server/log.h"

#include <chrono>
#include <ctime>

namespace codejudge::server {
namespace {

std::string utc_now() {
  using namespace std::chrono;
  const auto now = system_clock::now();
  const std::time_t seconds = system_clock::to_time_t(now);
  const auto ms = duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char date[32];
  std::strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S", &tm);
  char text[48];
  std::snprintf(text, sizeof(text), "%s.%03dZ", date, static_cast<int>(ms));
  return text;
}

}  // namespace

const char* log_level_name(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return "debug";
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kWarn:
      return "warn";
    case LogLevel::kError:
      return "error";
  }
  return "info";
}

std::optional<LogLevel> parse_log_level(std::string_view name) {
  for (LogLevel level : {LogLevel::kDebug, LogLevel::kInfo, LogLevel::kWarn, LogLevel::kError}) {
    if (name == log_level_name(level)) return level;
  }
  if (name == "warning") return LogLevel::kWarn;
  return std::nullopt;
}

void Logger::log(LogLevel level, std::string_view msg, nlohmann::json fields) {
  if (!enabled(level)) return;
  // ts, level and msg first (nlohmann sorts object keys), then the caller's fields.
  const auto replace = nlohmann::json::error_handler_t::replace;
  std::string text = "{\"ts\":\"" + utc_now() + "\",\"level\":\"" + log_level_name(level) +
                     "\",\"msg\":" + nlohmann::json(msg).dump(-1, ' ', false, replace);
  if (fields.is_object() && !fields.empty()) {
    // Submitted code and program output are arbitrary bytes: invalid UTF-8 is replaced.
    std::string rest = fields.dump(-1, ' ', false, replace);
    text += ',';
    text.append(rest, 1, std::string::npos);
  } else {
    text += '}';
  }
  text += '\n';
  std::lock_guard<std::mutex> lock(mu_);
  std::fwrite(text.data(), 1, text.size(), out_);
  std::fflush(out_);
}

}  // namespace codejudge::server
