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

// An axis label short enough for the chart's margin: 20400 as "20.4k", 0.002139 as "0.00214".
std::string tick(double value) {
  if (std::fabs(value) >= 1e4) return num(value / 1000.0, 3) + "k";
  return num(value, 3);
}

}  // namespace

std::string svg_chart(const std::string& title, const std::vector<json>& records,
                      const std::vector<ChartSeries>& series, double phase_change_step,
                      const std::string& empty) {
  struct Line {
    const ChartSeries* series;
    std::vector<std::pair<double, double>> points;
  };
  std::vector<Line> lines;
  bool any = false;
  double x0 = 0, x1 = 0, y0 = 0, y1 = 0;
  for (const ChartSeries& s : series) {
    Line line{&s, {}};
    for (const json& r : records) {
      std::string phase = r.value("phase", "");
      if (s.phase.empty() ? phase == "eval" : phase != s.phase) continue;
      if (!r.contains(s.key) || !r[s.key].is_number() || !r.contains("step") ||
          !r["step"].is_number()) {
        continue;
      }
      double x = r["step"].get<double>(), y = r[s.key].get<double>();
      if (!std::isfinite(y)) continue;
      if (!any) x0 = x1 = x, y0 = y1 = y;
      any = true;
      x0 = std::min(x0, x), x1 = std::max(x1, x), y0 = std::min(y0, y), y1 = std::max(y1, y);
      line.points.emplace_back(x, y);
    }
    lines.push_back(std::move(line));
  }
  constexpr double kW = 420, kH = 210, kLeft = 54, kRight = 10, kTop = 34, kBottom = 26;
  std::ostringstream svg;
  svg << "<svg xmlns='http://www.w3.org/2000/svg' width='" << kW << "' height='" << kH
      << "' viewBox='0 0 " << kW << " " << kH << "'>";
  svg << "<rect width='100%' height='100%' fill='#fff' stroke='#ccc'/>";
  svg << "<text x='" << kLeft << "' y='15' font-size='13' font-family='sans-serif'>"
      << escape_html(title) << "</text>";
  double legend_x = kLeft;
  for (const Line& line : lines) {
    if (lines.size() < 2) break;
    svg << "<rect x='" << legend_x << "' y='21' width='10' height='4' fill='" << line.series->color
        << "'/><text x='" << legend_x + 13 << "' y='27' font-size='10' font-family='sans-serif'>"
        << escape_html(line.series->label) << "</text>";
    legend_x += 22 + 6.0 * static_cast<double>(line.series->label.size());
  }
  if (!any) {
    svg << "<text x='" << kW / 2 << "' y='" << kH / 2
        << "' font-size='12' text-anchor='middle' fill='#888'>" << escape_html(empty)
        << "</text></svg>";
    return svg.str();
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
      << tick(y1) << "</text>";
  svg << "<text x='" << kLeft - 4 << "' y='" << py(y0) + 4 << "' font-size='10' text-anchor='end'>"
      << tick(y0) << "</text>";
  svg << "<text x='" << kLeft << "' y='" << kH - 8 << "' font-size='10'>" << num(x0) << "</text>";
  svg << "<text x='" << kW - kRight << "' y='" << kH - 8
      << "' font-size='10' text-anchor='end'>step " << num(x1) << "</text>";
  if (phase_change_step > x0 && phase_change_step <= x1) {
    double x = px(phase_change_step);
    svg << "<line x1='" << num(x, 6) << "' y1='" << kTop << "' x2='" << num(x, 6) << "' y2='"
        << kH - kBottom << "' stroke='#aaa' stroke-dasharray='4 3'/><text x='" << num(x + 3, 6)
        << "' y='" << kTop + 10 << "' font-size='9' fill='#888'>RL</text>";
  }
  for (const Line& line : lines) {
    if (line.points.empty()) continue;
    const std::string& color = line.series->color;
    if (line.series->phase == "eval" || line.points.size() == 1) {
      for (const auto& [x, y] : line.points) {
        svg << "<circle cx='" << num(px(x), 6) << "' cy='" << num(py(y), 6) << "' r='3' fill='"
            << color << "'><title>" << escape_html(line.series->label) << " " << num(y, 3)
            << " at step " << num(x) << "</title></circle>";
      }
    }
    if (line.points.size() > 1) {
      svg << "<polyline fill='none' stroke='" << color << "' stroke-width='1.5' points='";
      for (const auto& [x, y] : line.points) svg << num(px(x), 6) << "," << num(py(y), 6) << " ";
      svg << "'/>";
    }
  }
  svg << "</svg>";
  return svg.str();
}

namespace {

std::string percent(const json& record, const std::string& key) {
  if (!record.contains(key) || !record[key].is_number()) return "&ndash;";
  return num(100.0 * record[key].get<double>(), 3) + "%";
}

// The held-out results as one table: a row per evaluation.
void eval_table(std::ostringstream& html, const std::vector<json>& evals) {
  html << "<table><tr><th>when</th><th>step</th><th>problems</th><th>greedy pass@1</th>"
       << "<th>sampled</th><th>pass@k (sampled)</th><th>format</th><th>IE</th></tr>";
  for (const json& e : evals) {
    std::string pass;
    if (e.contains("pass_at_k")) {
      for (const auto& [k, v] : e["pass_at_k"].items())
        pass += k + " " + num(100.0 * v.get<double>(), 3) + "% ";
    }
    std::string sampled = "&ndash;";
    if (e.value("samples_per_problem", int64_t{0}) > 0) {
      sampled = "n=" + std::to_string(e.value("samples_per_problem", int64_t{0})) +
                ", T=" + num(e.value("temperature", 0.0), 3);
    }
    html << "<tr><td>" << escape_html(e.value("label", "")) << "</td><td>"
         << e.value("step", int64_t{0}) << "</td><td>" << e.value("problems", size_t{0})
         << "</td><td><b>" << percent(e, "greedy_pass@1") << "</b></td><td>" << sampled
         << "</td><td><b>" << (pass.empty() ? "&ndash;" : pass) << "</b></td><td>"
         << percent(e, "format_rate") << "</td><td>" << percent(e, "ie_rate") << "</td></tr>";
  }
  html << "</table>";
}

}  // namespace

std::string render_report_html(const ReportData& data) {
  std::ostringstream html;
  html << "<!doctype html><html><head><meta charset='utf-8'><title>codejudge-train: "
       << escape_html(data.title) << "</title><style>"
       << "body{font-family:sans-serif;margin:24px;color:#222;max-width:1320px}"
       << ".charts{display:flex;flex-wrap:wrap;gap:12px}"
       << "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px}"
       << "pre{background:#f6f6f6;padding:8px;white-space:pre-wrap;max-height:320px;overflow:auto;"
       << "margin:4px 0 14px}.sample{font-size:14px;margin:10px 0 0}"
       << ".AC{color:#15803d;font-weight:bold}.bad{color:#b91c1c;font-weight:bold}"
       << ".meta{color:#555}</style></head><body>";
  html << "<h1>codejudge-train: " << escape_html(data.title) << "</h1>";
  size_t sft_steps = 0, rl_steps = 0;
  double rl_start = 0;
  for (const json& m : data.metrics) {
    std::string phase = m.value("phase", "");
    if (phase == "sft") ++sft_steps;
    if (phase == "rl") {
      if (rl_steps++ == 0 && m.contains("step") && m["step"].is_number())
        rl_start = m["step"].get<double>() - 0.5;
    }
  }
  html << "<p class='meta'>" << escape_html(data.config.value("mode", std::string("?")))
       << " &middot; " << sft_steps << " SFT steps &middot; " << rl_steps
       << " RL steps &middot; seed " << data.config.value("seed", 0) << "</p>";
  if (sft_steps == 0) rl_start = 0;  // no phase change to mark

  html << "<h2>Held-out evaluation</h2>";
  if (data.evals.empty()) {
    html << "<p>No evaluation was run.</p>";
  } else {
    eval_table(html, data.evals);
  }

  html << "<h2>Curves</h2><div class='charts'>";
  const std::string blue = "#2563eb", orange = "#ea580c", green = "#16a34a", grey = "#6b7280";
  const std::vector<std::pair<std::string, std::vector<ChartSeries>>> charts = {
      {"held-out pass@1",
       {{"greedy", "greedy_pass@1", "eval", blue}, {"sampled", "pass@1", "eval", orange}}},
      {"reward (mean of the RL batch)", {{"reward", "reward_mean", "rl", blue}}},
      {"RL batch pass rate", {{"pass rate", "pass_rate", "rl", blue}}},
      {"format rate",
       {{"RL batch", "format_rate", "rl", blue}, {"held-out", "format_rate", "eval", orange}}},
      {"KL to the reference (k3)", {{"KL", "kl", "rl", blue}}},
      {"entropy (nats per token)", {{"entropy", "entropy", "rl", blue}}},
      {"completion length (tokens)", {{"length", "completion_len", "rl", blue}}},
      {"SFT loss", {{"loss", "loss", "sft", blue}}},
      {"RL policy loss", {{"loss", "loss", "rl", blue}}},
      {"clipped tokens",
       {{"ratio clip", "clip_frac", "rl", blue}, {"dual clip", "dual_clip_frac", "rl", orange}}},
      {"groups without reward variance", {{"share", "zero_var_frac", "rl", blue}}},
      {"null rewards (IE)", {{"share", "ie_frac", "rl", blue}}},
      {"tokens/s",
       {{"SFT", "tokens_per_s", "sft", blue},
        {"RL gen", "gen_tokens_per_s", "rl", orange},
        {"RL train", "train_tokens_per_s", "rl", green}}},
      {"learning rate", {{"lr", "lr", "", grey}}}};
  // Without a KL term (--beta 0, the default) no reference policy is kept to measure it against.
  double beta = 0.0;
  if (data.config.contains("rl") && data.config["rl"].is_object())
    beta = data.config["rl"].value("beta", 0.0);
  for (const auto& [title, series] : charts) {
    bool kl = series.front().key == "kl";
    html << svg_chart(title, data.metrics, series, rl_start,
                      kl && beta == 0.0 ? "not measured: --beta 0 keeps no reference" : "no data");
  }
  html << "</div>";

  html << "<h2>Sample completions</h2><p class='meta'>The latest first: held-out completions "
       << "(greedy) from each evaluation and the first completion of some RL groups.</p>";
  size_t shown = 0;
  for (auto it = data.samples.rbegin(); it != data.samples.rend() && shown < 24; ++it, ++shown) {
    const SampleRecord& s = *it;
    std::string verdict = s.verdict.empty() ? "no code" : s.verdict;
    html << "<p class='sample'><b>" << escape_html(s.phase) << "</b> step " << s.step
         << " &middot; " << escape_html(s.problem_id) << " &middot; <span class='"
         << (s.verdict == "AC" ? "AC" : "bad") << "'>" << escape_html(verdict)
         << "</span> &middot; reward " << (s.reward ? num(*s.reward, 3) : std::string("null"))
         << " &middot; format " << num(s.format, 2);
    if (!s.reason.empty())
      html << " &middot; <span class='meta'>" << escape_html(s.reason) << "</span>";
    html << "</p>";
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
