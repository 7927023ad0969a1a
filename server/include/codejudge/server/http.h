// The HTTP messages the handlers see: plain structs with no socket and no Beast in them, so the
// API can be tested (and fuzzed) in process. The session converts to and from the wire.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace codejudge::server {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method;  // as sent: "GET", "POST", ...
  std::string target;  // origin form as sent: "/v1/problems?tag=dp&limit=5"
  Headers headers;     // names as sent; looked up case-insensitively
  std::string body;
  std::string remote;  // peer "address:port", for logs; empty in process

  // The first header of that name (case-insensitive), or "" when absent.
  std::string_view header(std::string_view name) const;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  Headers headers;  // besides Content-Type: X-Request-Id, Retry-After, Allow, ...
  std::string body;

  std::string_view header(std::string_view name) const;
};

// The target split into a percent-decoded path and query parameters ('+' is a space in the
// query). False when the target is not origin form ("/...") or has a bad %-escape.
struct Target {
  std::string path;
  std::vector<std::pair<std::string, std::string>> query;
};
bool parse_target(std::string_view target, Target* out);

bool iequals(std::string_view a, std::string_view b);

// The reason phrase for a status code ("Not Found"); "Unknown" for codes we never send.
const char* status_reason(int status);

}  // namespace codejudge::server
