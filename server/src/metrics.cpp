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
  std::lock_guard<std::mutex> lock(mu_);
  ++verdicts_[judges::verdict_name(verdict)];
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
  header("codejudge_verdicts_total", "counter", "Submission verdicts.");
  for (const auto& [verdict, count] : verdicts_) {
    out << "codejudge_verdicts_total{verdict=\"" << verdict << "\"} " << count << "\n";
  }
  header("codejudge_test_verdicts_total", "counter", "Per-test verdicts.");
  for (const auto& [verdict, count] : test_verdicts_) {
    out << "codejudge_test_verdicts_total{verdict=\"" << verdict << "\"} " << count << "\n";
  }
  const auto ie = verdicts_.find("IE");
  header("codejudge_internal_errors_total", "counter",
         "Submissions that ended in IE (sandbox or judge failures, never the submission's).");
  out << "codejudge_internal_errors_total " << (ie == verdicts_.end() ? 0 : ie->second) << "\n";
  header("codejudge_rejected_total", "counter", "Requests refused with 503, by reason.");
  for (const auto& [reason, count] : rejected_) {
    out << "codejudge_rejected_total{reason=\"" << reason << "\"} " << count << "\n";
  }
  header("codejudge_queue_depth", "gauge", "Submissions waiting for a job thread.");
  out << "codejudge_queue_depth " << gauges.queue_waiting << "\n";
  header("codejudge_queue_running", "gauge", "Submissions being judged.");
  out << "codejudge_queue_running " << gauges.queue_running << "\n";
  header("codejudge_queue_capacity", "gauge", "Submissions that may wait before 503.");
  out << "codejudge_queue_capacity " << gauges.queue_capacity << "\n";
  header("codejudge_requests_in_flight", "gauge", "Requests received and not yet answered.");
  out << "codejudge_requests_in_flight " << gauges.in_flight << "\n";
  header("codejudge_draining", "gauge", "1 while shutting down.");
  out << "codejudge_draining " << (gauges.draining ? 1 : 0) << "\n";
  header("codejudge_compile_cache_hits_total", "counter", "Compiles served from the cache.");
  out << "codejudge_compile_cache_hits_total " << gauges.cache.hits << "\n";
  header("codejudge_compile_cache_misses_total", "counter", "Compiles run.");
  out << "codejudge_compile_cache_misses_total " << gauges.cache.misses << "\n";
  header("codejudge_compile_cache_evictions_total", "counter", "Cache entries evicted.");
  out << "codejudge_compile_cache_evictions_total " << gauges.cache.evictions << "\n";
  header("codejudge_compile_cache_bytes", "gauge", "Bytes held by the compile cache.");
  out << "codejudge_compile_cache_bytes " << gauges.cache.bytes << "\n";
  return out.str();
}

}  // namespace codejudge::server
