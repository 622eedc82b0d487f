#include "cli/evaluation_env.h"

#include <cstdlib>
#include <optional>
#include <string>

#include "cli/run_report.h"

namespace safeval {

EvaluationEnv CliEvaluationEnv(CliContext& context, Clock& clock) {
  EvaluationEnv env;
  env.clock = &clock;
  env.getenv = [](const std::string& name) -> std::optional<std::string> {
    const char* v = std::getenv(name.c_str());
    return v ? std::optional<std::string>(v) : std::nullopt;
  };
  env.out = context.out;
  env.err = context.err;
  env.tty = context.tty;
  env.cancel = context.cancel;
  env.write_report = [&context](Store& store, const RunRecord& run, const Taxonomy& taxonomy,
                                const Policy& policy) {
    return WriteRunReport(store, run, taxonomy, policy.name(), run.output_dir, *context.out,
                          context.tty);
  };
  return env;
}

}  // namespace safeval
