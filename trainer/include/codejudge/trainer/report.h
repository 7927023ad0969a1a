// What a run shows: a one-line progress bar and a self-contained report.html (inline SVG charts
// of the metrics, the evaluations, and sample completions with their verdicts).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace codejudge::trainer {

struct SampleRecord {
  std::string problem_id;
  std::string phase;  // "rl", "eval_before", "eval_after"
  int64_t step = 0;
  std::string completion;
  std::optional<double> reward;
  double accuracy = 0.0;
  double format = 0.0;
  std::string verdict;
  std::string reason;

  nlohmann::json to_json() const;
  static SampleRecord from_json(const nlohmann::json& json);
};

struct ReportData {
  std::string title;
  nlohmann::json config;
  std::vector<nlohmann::json> metrics;  // metrics.jsonl records
  std::vector<nlohmann::json> evals;    // EvalResult::to_json() records with a "label"
  std::vector<SampleRecord> samples;
};

std::string render_report_html(const ReportData& data);

// One line of a chart: metric `key` against "step" over the records of `phase` that have it.
struct ChartSeries {
  std::string label;  // legend text
  std::string key;
  std::string phase;  // "sft", "rl" or "eval"; empty: any training step (not evaluations)
  std::string color;  // CSS colour
};

// An SVG line chart of the series (evaluations drawn as points, being few). A dashed line marks
// `phase_change_step` (where RL started after SFT) when it is above 0; `empty` is what a chart
// without a point says.
std::string svg_chart(const std::string& title, const std::vector<nlohmann::json>& records,
                      const std::vector<ChartSeries>& series, double phase_change_step = 0,
                      const std::string& empty = "no data");

// "[rl] 12/100 |#####-----| reward 0.43 pass 0.31 tok/s 12.3k ETA 1m23s" on stderr: redrawn in
// place on a terminal, one line every few seconds otherwise.
class ProgressBar {
 public:
  explicit ProgressBar(bool enabled);
  void update(const std::string& phase, int64_t step, int64_t total, const nlohmann::json& metrics,
              int64_t done_overall, int64_t total_overall);
  void finish();

 private:
  bool enabled_;
  bool tty_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_line_;
  int64_t first_done_ = -1;
  bool drawn_ = false;
};

std::string format_duration(double seconds);  // "1h02m", "3m05s", "42s"

}  // namespace codejudge::trainer
