// The outside world an evaluation gets from the command line (run and worker): the system
// clock, the process environment, the context's streams, terminal and cancel flag, and a report
// writer that writes report.html and results.json into the run's folder (WriteRunReport).
#pragma once

#include "cli/command.h"
#include "core/clock.h"
#include "run/evaluation.h"

namespace safeval {

// `clock` and `context` must outlive the returned env.
EvaluationEnv CliEvaluationEnv(CliContext& context, Clock& clock);

}  // namespace safeval
