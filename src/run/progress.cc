#include "run/progress.h"

#include <cstdio>

#include "core/terminal_text.h"

namespace safeval {
namespace {

constexpr int kBarWidth = 28;
constexpr int64_t kTtyRedrawMs = 100;

std::string Bar(double fraction) {
  int full = static_cast<int>(fraction * kBarWidth + 0.5);
  std::string bar = "[";
  for (int i = 0; i < kBarWidth; ++i) bar += i < full ? "#" : ".";
  return bar + "]";
}

std::string Duration(int64_t seconds) {
  char buf[32];
  if (seconds >= 3600) {
    std::snprintf(buf, sizeof buf, "%lldh%02lldm", static_cast<long long>(seconds / 3600),
                  static_cast<long long>(seconds % 3600 / 60));
  } else {
    std::snprintf(buf, sizeof buf, "%lldm%02llds", static_cast<long long>(seconds / 60),
                  static_cast<long long>(seconds % 60));
  }
  return buf;
}

}  // namespace

ProgressBar::ProgressBar(std::ostream& out, Clock& clock, bool tty, std::string label,
                         int64_t log_interval_ms)
    : out_(out), clock_(clock), tty_(tty), label_(TerminalText(label)), interval_ms_(log_interval_ms) {}

std::string ProgressBar::Line(const ExecutionStats& s, const std::string& label, bool with_bar) {
  double fraction = s.total > 0 ? static_cast<double>(s.done) / s.total : 1.0;
  double seconds = s.elapsed_ms / 1000.0;
  double rate = seconds > 0 ? s.done / seconds : 0.0;
  std::string eta = rate > 0 && s.done < s.total
                        ? Duration(static_cast<int64_t>((s.total - s.done) / rate + 0.5))
                        : "-";
  char buf[256];
  std::snprintf(buf, sizeof buf, "%lld/%lld (%.0f%%)  %.1f/s  ETA %s  errors %lld",
                static_cast<long long>(s.done), static_cast<long long>(s.total), 100 * fraction,
                rate, eta.c_str(), static_cast<long long>(s.model_errors + s.judge_errors));
  std::string line = label + " " + (with_bar ? Bar(fraction) + " " : "") + buf;
  if (s.judged_unsafe > 0) {
    std::snprintf(buf, sizeof buf, "  violations %.1f%%", 100.0 * s.violations / s.judged_unsafe);
    line += buf;
  }
  return line;
}

void ProgressBar::OnProgress(const ExecutionStats& stats) {
  int64_t now = clock_.NowMs();
  int64_t every = tty_ ? kTtyRedrawMs : interval_ms_;
  if (last_draw_ms_ >= 0 && now - last_draw_ms_ < every) return;
  last_draw_ms_ = now;
  if (tty_) {
    out_ << "\r\033[K" << Line(stats, label_, true) << std::flush;
  } else {
    out_ << Line(stats, label_, false) << "\n" << std::flush;
  }
}

void ProgressBar::OnFinish(const ExecutionStats& stats) {
  if (tty_) {
    out_ << "\r\033[K" << Line(stats, label_, true) << "\n" << std::flush;
  } else {
    out_ << Line(stats, label_, false) << "\n" << std::flush;
  }
}

}  // namespace safeval
