#include "cli/evaluation_env.h"

#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "cli/run_report.h"

namespace safeval {
namespace {

// The run's report from its results as they are committed (cli/run_report.h).
class CliLiveRunReport : public LiveRunReport {
 public:
  explicit CliLiveRunReport(CliContext& context) : context_(context) {}
  void Add(const StoredItem& item, const ItemResult& result) override { live_.Add(item, result); }
  Result<Totals> Write(Store& store, const RunRecord& run, const Taxonomy& taxonomy,
                       const Policy& policy) override {
    return WriteRunReport(std::move(live_), store, run, taxonomy, policy.name(), run.output_dir,
                          *context_.out, context_.tty);
  }

 private:
  CliContext& context_;
  LiveReportData live_;
};

}  // namespace

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
  env.live_report = [&context]() -> std::unique_ptr<LiveRunReport> {
    return std::make_unique<CliLiveRunReport>(context);
  };
  return env;
}

}  // namespace safeval
