// The socket side: a listener that owns the acceptor and one session per connection that owns
// its stream (Boost.Beast). Sessions read one request at a time, so pipelined requests are
// answered in order; every read and write has a deadline and every parser a body limit.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "codejudge/server/app.h"
#include "codejudge/server/config.h"

namespace codejudge::server {

class HttpServer {
 public:
  HttpServer(App* app, const ServerConfig& config, Logger* logger);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and listens on config.host:config.port. False with *error when it cannot.
  bool listen(std::string* error);
  uint16_t port() const;

  // Serves on config.io_threads threads until SIGTERM or SIGINT, then drains: closes the
  // acceptor, lets the App refuse new work, waits for every request being handled or written
  // (at most drain_timeout_s), and returns 0, or 1 when the drain timed out.
  int run();

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace codejudge::server
