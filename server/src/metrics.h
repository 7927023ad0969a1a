// Prometheus counters, gauges and histograms for /metrics (text exposition format 0.0.4).
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

#include "codejudge/judges/compile_cache.h"
#include "codejudge/judges/verdict.h"

namespace codejudge::server {

struct Gauges {
  size_t queue_waiting = 0;
  size_t queue_running = 0;
  size_t queue_capacity = 0;
  size_t queue_waiting_for_room = 0;
  size_t in_flight = 0;
  bool draining = false;
  size_t connections = 0;
  uint64_t connections_shed = 0;
  uint64_t connections_refused = 0;
  uint64_t accept_errors = 0;
  uint64_t body_bytes = 0;
  size_t body_waiting = 0;
  uint64_t parse_bytes = 0;
  judges::CacheStats cache;
};

class Metrics {
 public:
  // route: the route's pattern ("/v1/problems/{id}"), or "other" for unknown paths.
  void observe_request(const std::string& route, int status, double seconds);
  void count_verdict(judges::Verdict verdict);
  void count_verdict(std::string_view name);  // /run_code's OK, or a verdict's name
  void count_test_verdict(judges::Verdict verdict);
  // queue_full, start_timeout, busy, draining
  void count_rejected(const std::string& reason);
  std::string render(const Gauges& gauges) const;

 private:
  static constexpr std::array<double, 14> kBuckets = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5,
                                                      1,     2.5,  5,     10,   30,  60,   120};
  struct Histogram {
    std::array<uint64_t, kBuckets.size()> counts{};  // cumulative at render time
    uint64_t count = 0;
    double sum = 0;
  };
  mutable std::mutex mu_;
  std::map<std::pair<std::string, int>, uint64_t> requests_;
  std::map<std::string, Histogram> latency_;
  std::map<std::string, uint64_t> verdicts_;
  std::map<std::string, uint64_t> test_verdicts_;
  std::map<std::string, uint64_t> rejected_;
};

}  // namespace codejudge::server
