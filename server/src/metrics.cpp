#include "metrics.h"

#include <sstream>

namespace codejudge::server {

void Metrics::observe_request(const std::string& route, int status, double seconds) {
  std::lock_guard<std::mutex> lock(mu_);
  ++requests_[{route, status}];
  Histogram& histogram = latency_[route];
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) {
      ++histogram.counts[i];
      break;
    }
  }
  ++histogram.count;
  histogram.sum += seconds;
}

void Metrics::count_verdict(judges::Verdict verdict) {
  count_verdict(judges::verdict_name(verdict));
}

void Metrics::count_verdict(std::string_view name) {
  std::lock_guard<std::mutex> lock(mu_);
  ++verdicts_[std::string(name)];
}

void Metrics::count_test_verdict(judges::Verdict verdict) {
  std::lock_guard<std::mutex> lock(mu_);
  ++test_verdicts_[judges::verdict_name(verdict)];
}

void Metrics::count_rejected(const std::string& reason) {
  std::lock_guard<std::mutex> lock(mu_);
  ++rejected_[reason];
}

std::string Metrics::render(const Gauges& gauges) const {
  std::ostringstream out;
  auto header = [&](const char* name, const char* type, const char* help) {
    out << "# HELP " << name << " " << help << "\n# TYPE " << name << " " << type << "\n";
  };
  // A metric with one value and no labels.
  auto single = [&](const char* name, const char* type, const char* help, auto value) {
    header(name, type, help);
    out << name << " " << value << "\n";
  };
  std::lock_guard<std::mutex> lock(mu_);
  header("codejudge_http_requests_total", "counter",
         "HTTP requests answered, by route and status.");
  for (const auto& [key, count] : requests_) {
    out << "codejudge_http_requests_total{route=\"" << key.first << "\",status=\"" << key.second
        << "\"} " << count << "\n";
  }
  header("codejudge_http_request_duration_seconds", "histogram",
         "Time from a request's arrival to its response, by route.");
  for (const auto& [route, histogram] : latency_) {
    uint64_t cumulative = 0;
    for (size_t i = 0; i < kBuckets.size(); ++i) {
      cumulative += histogram.counts[i];
      out << "codejudge_http_request_duration_seconds_bucket{route=\"" << route << "\",le=\""
          << kBuckets[i] << "\"} " << cumulative << "\n";
    }
    out << "codejudge_http_request_duration_seconds_bucket{route=\"" << route << "\",le=\"+Inf\"} "
        << histogram.count << "\n";
    out << "codejudge_http_request_duration_seconds_sum{route=\"" << route << "\"} "
        << histogram.sum << "\n";
    out << "codejudge_http_request_duration_seconds_count{route=\"" << route << "\"} "
        << histogram.count << "\n";
  }
  header("codejudge_verdicts_total", "counter",
         "Submission verdicts; /run_code runs count as OK, CE, RE, TLE, MLE, OLE, SE or IE.");
  for (const auto& [verdict, count] : verdicts_) {
    out << "codejudge_verdicts_total{verdict=\"" << verdict << "\"} " << count << "\n";
  }
  header("codejudge_test_verdicts_total", "counter", "Per-test verdicts.");
  for (const auto& [verdict, count] : test_verdicts_) {
    out << "codejudge_test_verdicts_total{verdict=\"" << verdict << "\"} " << count << "\n";
  }
  const auto ie = verdicts_.find("IE");
  single("codejudge_internal_errors_total", "counter",
         "Submissions that ended in IE (sandbox or judge failures, never the submission's).",
         ie == verdicts_.end() ? 0 : ie->second);
  header("codejudge_rejected_total", "counter",
         "Requests refused with 503 (504 on /run_code), by reason.");
  for (const auto& [reason, count] : rejected_) {
    out << "codejudge_rejected_total{reason=\"" << reason << "\"} " << count << "\n";
  }
  single("codejudge_queue_depth", "gauge", "Submissions waiting for a job thread.",
         gauges.queue_waiting);
  single("codejudge_queue_running", "gauge", "Submissions being judged.", gauges.queue_running);
  single("codejudge_queue_capacity", "gauge", "Submissions that may wait before 503.",
         gauges.queue_capacity);
  single("codejudge_queue_waiting_for_room", "gauge",
         "Drop-in requests waiting for room in the queue.", gauges.queue_waiting_for_room);
  single("codejudge_connections", "gauge", "Open client connections.", gauges.connections);
  single("codejudge_connections_shed_total", "counter",
         "Idle keep-alive connections closed to make room for new ones.", gauges.connections_shed);
  single("codejudge_connections_refused_total", "counter",
         "Connections answered 503 at the connection cap.", gauges.connections_refused);
  single("codejudge_accept_errors_total", "counter", "Failed accepts (EMFILE, typically).",
         gauges.accept_errors);
  single("codejudge_body_bytes", "gauge", "Request body bytes held (the body budget in use).",
         gauges.body_bytes);
  single("codejudge_body_waiting", "gauge", "Requests waiting for the body budget.",
         gauges.body_waiting);
  single("codejudge_parse_bytes", "gauge", "Estimated memory of JSON being parsed.",
         gauges.parse_bytes);
  single("codejudge_requests_in_flight", "gauge", "Requests received and not yet answered.",
         gauges.in_flight);
  single("codejudge_draining", "gauge", "1 while shutting down.", gauges.draining ? 1 : 0);
  single("codejudge_compile_cache_hits_total", "counter", "Compiles served from the cache.",
         gauges.cache.hits);
  single("codejudge_compile_cache_misses_total", "counter", "Compiles run.", gauges.cache.misses);
  single("codejudge_compile_cache_evictions_total", "counter", "Cache entries evicted.",
         gauges.cache.evictions);
  single("codejudge_compile_cache_bytes", "gauge", "Bytes held by the compile cache.",
         gauges.cache.bytes);
  return out.str();
}

}  // namespace codejudge::server
