// Progress of a run, for people: on a terminal a live bar redrawn in place
// (done/total, requests per second, ETA, errors, running violation rate);
// elsewhere (CI logs, pipes) one plain line every few seconds.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>

#include "core/clock.h"
#include "run/executor.h"

namespace safeval {

class ProgressBar : public ProgressSink {
 public:
  // `label` starts every line, e.g. the target's name. Writes to `out`, which must outlive this.
  ProgressBar(std::ostream& out, Clock& clock, bool tty, std::string label,
              int64_t log_interval_ms = 5000);
  void OnProgress(const ExecutionStats& stats) override;
  void OnFinish(const ExecutionStats& stats) override;

  // The text of one status line (no newline or carriage return); exposed for tests.
  static std::string Line(const ExecutionStats& stats, const std::string& label, bool with_bar);

 private:
  std::ostream& out_;
  Clock& clock_;
  bool tty_;
  std::string label_;
  int64_t interval_ms_;
  int64_t last_draw_ms_ = -1;
};

}  // namespace safeval
