// `codejudge serve`: loads the problems, starts the judge, binds the listener and runs the
// I/O threads until SIGTERM or SIGINT, then drains: stop accepting, refuse new work with 503,
// let in-flight requests finish (up to drain_timeout_s), and exit.
#pragma once

#include "codejudge/server/config.h"

namespace codejudge::server {

// Returns the process exit code: 0 after a clean drain, 1 when the drain timed out, 2 when the
// server could not start (bad problems path, sandbox unavailable, port in use).
int run_server(const ServerConfig& config);

}  // namespace codejudge::server
