#include "codejudge/trainer/report.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <sstream>

namespace codejudge::trainer {

using nlohmann::json;

json SampleRecord::to_json() const {
  return {{"problem_id", problem_id},
          {"phase", phase},
          {"step", step},
          {"completion", completion},
          {"reward", reward ? json(*reward) : json()},
          {"accuracy", accuracy},
          {"format", format},
          {"verdict", verdict},
          {"reason", reason}};
}

SampleRecord SampleRecord::from_json(const json& j) {
  SampleRecord r;
  r.problem_id = j.value("problem_id", "");
  r.phase = j.value("phase", "");
  r.step = j.value("step", int64_t{0});
  r.completion = j.value("completion", "");
  if (j.contains("reward") && j["reward"].is_number()) r.reward = j["reward"].get<double>();
  r.accuracy = j.value("accuracy", 0.0);
  r.format = j.value("format", 0.0);
  r.verdict = j.value("verdict", "");
  r.reason = j.value("reason", "");
  return r;
}

namespace {

std::string escape_html(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string num(double value, int precision = 4) {
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), "%.*g", precision, value);
  return buffer;
}

}  // namespace

std::string svg_chart(const std::string& title, const std::vector<json>& records,
                      const std::string& key) {
  std::vector<std::pair<double, double>> points;
  for (const json& r : records) {
    if (r.value("phase", "") == "eval") continue;
    if (r.contains(key) && r[key].is_number() && r.contains("step") && r["step"].is_number()) {
      double y = r[key].get<double>();
      if (std::isfinite(y)) points.emplace_back(r["step"].get<double>(), y);
    }
  }
  constexpr double kW = 420, kH = 200, kLeft = 48, kRight = 10, kTop = 24, kBottom = 26;
  std::ostringstream svg;
  svg << "<svg xmlns='http://www.w3.org/2000/svg' width='" << kW << "' height='" << kH
      << "' viewBox='0 0 " << kW << " " << kH << "'>";
  svg << "<rect width='100%' height='100%' fill='#fff' stroke='#ccc'/>";
  svg << "<text x='" << kLeft << "' y='16' font-size='13' font-family='sans-serif'>"
      << escape_html(title) << "</text>";
  if (points.empty()) {
    svg << "<text x='" << kW / 2 << "' y='" << kH / 2
        << "' font-size='12' text-anchor='middle' fill='#888'>no data</text></svg>";
    return svg.str();
  }
  double x0 = points.front().first, x1 = points.back().first;
  double y0 = points.front().second, y1 = y0;
  for (const auto& [x, y] : points) {
    x0 = std::min(x0, x);
    x1 = std::max(x1, x);
    y0 = std::min(y0, y);
    y1 = std::max(y1, y);
  }
  if (x1 == x0) x1 = x0 + 1;
  if (y1 == y0) {
    y1 += 0.5;
    y0 -= 0.5;
  }
  auto px = [&](double x) { return kLeft + (x - x0) / (x1 - x0) * (kW - kLeft - kRight); };
  auto py = [&](double y) { return kH - kBottom - (y - y0) / (y1 - y0) * (kH - kTop - kBottom); };
  svg << "<line x1='" << kLeft << "' y1='" << kH - kBottom << "' x2='" << kW - kRight << "' y2='"
      << kH - kBottom << "' stroke='#999'/>";
  svg << "<line x1='" << kLeft << "' y1='" << kTop << "' x2='" << kLeft << "' y2='" << kH - kBottom
      << "' stroke='#999'/>";
  svg << "<text x='" << kLeft - 4 << "' y='" << py(y1) + 4 << "' font-size='10' text-anchor='end'>"
      << num(y1) << "</text>";
  svg << "<text x='" << kLeft - 4 << "' y='" << py(y0) + 4 << "' font-size='10' text-anchor='end'>"
      << num(y0) << "</text>";
  svg << "<text x='" << kLeft << "' y='" << kH - 8 << "' font-size='10'>" << num(x0) << "</text>";
  svg << "<text x='" << kW - kRight << "' y='" << kH - 8
      << "' font-size='10' text-anchor='end'>step " << num(x1) << "</text>";
  svg << "<polyline fill='none' stroke='#2563eb' stroke-width='1.5' points='";
  for (const auto& [x, y] : points) svg << num(px(x), 6) << "," << num(py(y), 6) << " ";
  svg << "'/></svg>";
  return svg.str();
}

std::string render_report_html(const ReportData& data) {
  std::ostringstream html;
  html << "<!doctype html><html><head><meta charset='utf-8'><title>codejudge-train: "
       << escape_html(data.title) << "</title><style>"
       << "body{font-family:sans-serif;margin:24px;color:#222}"
       << ".charts{display:flex;flex-wrap:wrap;gap:12px}"
       << "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px}"
       << "pre{background:#f6f6f6;padding:8px;white-space:pre-wrap;max-height:320px;overflow:auto}"
       << ".AC{color:#15803d}.bad{color:#b91c1c}</style></head><body>";
  html << "<h1>codejudge-train: " << escape_html(data.title) << "</h1>";

  html << "<h2>Evaluation (held-out)</h2>";
  if (data.evals.empty()) {
    html << "<p>No evaluation was run.</p>";
  } else {
    html << "<table><tr><th>when</th><th>step</th><th>problems</th><th>samples</th>"
         << "<th>pass@k</th><th>format</th><th>IE</th></tr>";
    for (const json& e : data.evals) {
      std::string pass;
      if (e.contains("pass_at_k")) {
        for (const auto& [k, v] : e["pass_at_k"].items())
          pass += k + " " + num(v.get<double>(), 3) + " ";
      }
      html << "<tr><td>" << escape_html(e.value("label", "")) << "</td><td>"
           << e.value("step", int64_t{0}) << "</td><td>" << e.value("problems", size_t{0})
           << "</td><td>" << e.value("samples_per_problem", int64_t{0}) << "</td><td>" << pass
           << "</td><td>" << num(e.value("format_rate", 0.0), 3) << "</td><td>"
           << num(e.value("ie_rate", 0.0), 3) << "</td></tr>";
    }
    html << "</table>";
  }

  html << "<h2>Curves</h2><div class='charts'>";
  const std::vector<std::pair<std::string, std::string>> charts = {
      {"SFT / RL loss", "loss"},
      {"reward (mean)", "reward_mean"},
      {"accuracy", "accuracy"},
      {"pass rate", "pass_rate"},
      {"format rate", "format_rate"},
      {"KL to reference", "kl"},
      {"clip fraction", "clip_frac"},
      {"entropy", "entropy"},
      {"completion length", "completion_len"},
      {"zero-variance groups", "zero_var_frac"},
      {"tokens/s", "tokens_per_s"},
      {"learning rate", "lr"}};
  for (const auto& [title, key] : charts) html << svg_chart(title, data.metrics, key);
  html << "</div>";

  html << "<h2>Sample completions</h2>";
  size_t shown = 0;
  for (auto it = data.samples.rbegin(); it != data.samples.rend() && shown < 24; ++it, ++shown) {
    const SampleRecord& s = *it;
    std::string verdict = s.verdict.empty() ? "no code" : s.verdict;
    html << "<h3>" << escape_html(s.phase) << " step " << s.step << ": "
         << escape_html(s.problem_id) << " <span class='" << (s.verdict == "AC" ? "AC" : "bad")
         << "'>" << escape_html(verdict) << "</span> reward "
         << (s.reward ? num(*s.reward, 3) : std::string("null")) << ", format " << num(s.format, 2)
         << "</h3>";
    if (!s.reason.empty()) html << "<p>" << escape_html(s.reason) << "</p>";
    std::string text =
        s.completion.size() > 2000 ? s.completion.substr(0, 2000) + "\n[...]" : s.completion;
    html << "<pre>" << escape_html(text) << "</pre>";
  }

  html << "<h2>Configuration</h2><pre>" << escape_html(data.config.dump(2)) << "</pre>";
  html << "</body></html>\n";
  return html.str();
}

std::string format_duration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "?";
  long s = static_cast<long>(seconds + 0.5);
  char buffer[32];
  if (s >= 3600) {
    std::snprintf(buffer, sizeof(buffer), "%ldh%02ldm", s / 3600, (s % 3600) / 60);
  } else if (s >= 60) {
    std::snprintf(buffer, sizeof(buffer), "%ldm%02lds", s / 60, s % 60);
  } else {
    std::snprintf(buffer, sizeof(buffer), "%lds", s);
  }
  return buffer;
}

ProgressBar::ProgressBar(bool enabled)
    : enabled_(enabled),
      tty_(isatty(STDERR_FILENO) != 0),
      start_(std::chrono::steady_clock::now()),
      last_line_(start_) {}

void ProgressBar::update(const std::string& phase, int64_t step, int64_t total, const json& metrics,
                         int64_t done_overall, int64_t total_overall) {
  if (!enabled_) return;
  auto now = std::chrono::steady_clock::now();
  if (first_done_ < 0) {
    first_done_ = done_overall - 1;
    start_ = now - std::chrono::milliseconds(1);
  }
  bool last = step >= total;
  if (!tty_ && !last && now - last_line_ < std::chrono::seconds(5)) return;
  last_line_ = now;
  double elapsed = std::chrono::duration<double>(now - start_).count();
  int64_t done_here = std::max<int64_t>(1, done_overall - first_done_);
  double eta = elapsed / static_cast<double>(done_here) *
               static_cast<double>(std::max<int64_t>(0, total_overall - done_overall));
  constexpr int kWidth = 20;
  int filled = total > 0 ? static_cast<int>(kWidth * step / total) : kWidth;
  std::string bar(static_cast<size_t>(filled), '#');
  bar += std::string(static_cast<size_t>(kWidth - filled), '-');
  char line[320];
  auto get = [&](const char* key) {
    return metrics.contains(key) && metrics[key].is_number() ? metrics[key].get<double>() : 0.0;
  };
  double tps = get("tokens_per_s");
  if (phase == "rl") {
    std::snprintf(line, sizeof(line),
                  "[rl] %lld/%lld |%s| reward %.3f pass %.3f format %.2f tok/s %.1fk ETA %s",
                  static_cast<long long>(step), static_cast<long long>(total), bar.c_str(),
                  get("reward_mean"), get("pass_rate"), get("format_rate"), tps / 1000.0,
                  format_duration(eta).c_str());
  } else {
    std::snprintf(line, sizeof(line), "[%s] %lld/%lld |%s| loss %.4f tok/s %.1fk ETA %s",
                  phase.c_str(), static_cast<long long>(step), static_cast<long long>(total),
                  bar.c_str(), get("loss"), tps / 1000.0, format_duration(eta).c_str());
  }
  if (tty_) {
    std::cerr << "\r\033[K" << line << std::flush;
    drawn_ = true;
    if (last) {
      std::cerr << "\n";
      drawn_ = false;
    }
  } else {
    std::cerr << line << "\n";
  }
}

void ProgressBar::finish() {
  if (enabled_ && tty_ && drawn_) std::cerr << "\n";
  drawn_ = false;
}

}  // namespace codejudge::trainer
