// safeval report RUN [--format html|json|csv|junit|md] [-o FILE] [--reference REF_RUN]...
//                    [--redact N] [--store PATH]
#include <poll.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>
#include <optional>

#include "cli/command.h"
#include "cli/run_report.h"
#include "store/open_store.h"
#include "metrics/breakdown.h"
#include "metrics/interval.h"
#include "report/report.h"
#include "run/evaluation.h"

namespace safeval {
namespace {

struct ReportFlags {
  std::string run_id;
  std::string store = "runs/safeval.db";
  std::string format;
  std::string out;
  std::vector<std::string> references;
  int64_t redact = -1;  // -1: not given
  std::string by;        // extra breakdowns, e.g. "persona,category:2+intent,tag"
  std::string interval = "wilson";
};

// The report's metric rows plus the breakdowns and interval method asked for.
Result<MetricsOptions> MetricsFromFlags(const ReportFlags& flags) {
  MetricsOptions options = ReportMetricsOptions();
  std::optional<IntervalMethod> method = ParseIntervalMethod(flags.interval);
  if (!method) {
    return Status::InvalidArgument("--interval: expected wilson or exact, got '" + flags.interval + "'");
  }
  options.interval = *method;
  if (!flags.by.empty()) {
    Result<std::vector<Breakdown>> by = ParseBreakdowns(flags.by);
    if (!by.ok()) return by.status().WithContext("--by");
    for (Breakdown& b : *by) options.by.push_back(std::move(b));
  }
  return options;
}

// Where the report goes: both default files into a folder, or one format into a file or stdout.
struct Destination {
  std::optional<std::string> folder;  // results.json + report.html + summary table
  OutputFormat format = OutputFormat::kHtml;
  std::string file;  // empty or "-": stdout
};

bool IsFolder(const std::string& path) {
  return path.ends_with('/') || std::filesystem::is_directory(path);
}

Result<Destination> ChooseDestination(const ReportFlags& flags, const RunRecord& run) {
  Destination d;
  if (flags.format.empty() && (flags.out.empty() || IsFolder(flags.out))) {
    d.folder = flags.out.empty() ? run.output_dir : flags.out;
    return d;
  }
  d.file = flags.out;
  std::optional<OutputFormat> format =
      flags.format.empty() ? OutputFormatForPath(flags.out) : ParseOutputFormat(flags.format);
  if (!format && flags.format.empty()) {
    return Status::InvalidArgument("cannot tell the format of '" + flags.out +
                                   "' from its extension (.html, .json, .csv, .xml, .md); give "
                                   "--format html|json|csv|junit|md");
  }
  if (!format) {
    return Status::InvalidArgument("--format: expected one of html, json, csv, junit, md, got '" +
                                   flags.format + "'");
  }
  d.format = *format;
  return d;
}

// True when stdout is a pipe (or socket) whose reading end is closed, as after `| head -1`:
// poll reports POLLERR on the writing end then. SIGPIPE is ignored (cli.cc), so the write
// itself just fails with EPIPE.
bool StdoutReaderGone() {
  pollfd fd{STDOUT_FILENO, 0, 0};  // no events asked: POLLERR is reported regardless
  return poll(&fd, 1, 0) == 1 && (fd.revents & POLLERR) != 0;
}

// What to make of a failed write to stdout: nothing when its reader went away (standard Unix
// tools end quietly with status 0 there), otherwise the error, e.g. a full disk.
Status StdoutWriteResult(const Status& written, int error) {
  if (written.ok() || error == EPIPE || StdoutReaderGone()) return Status::Ok();
  return Status::IoError("standard output: " + written.message());
}

// `content` to stdout, flushed so that a failed write is seen here and not lost at exit.
Status WriteToStdout(const std::string& content, std::ostream& out) {
  errno = 0;
  out << content;
  out.flush();
  int error = errno;
  if (out) return Status::Ok();
  return StdoutWriteResult(
      Status::IoError(std::string("cannot write the report") +
                      (error != 0 ? std::string(": ") + std::strerror(error) : "")),
      error);
}

// The CSV holds every item: streamed from the store, never held (report/report.h).
Status WriteCsv(const ReportFlags& flags, const Destination& destination, Store& store,
                const RunRecord& run, CliContext& context) {
  for (const std::string& id : flags.references) {
    SV_RETURN_IF_ERROR(store.GetRun(id).status());  // an unknown reference is still an error
  }
  std::optional<size_t> redact;
  if (flags.redact >= 0) redact = static_cast<size_t>(flags.redact);
  if (destination.file.empty() || destination.file == "-") {
    Status streamed = StreamItemsCsv(store, run.id, redact, *context.out);
    // A store error is reported as it is; a failed write to stdout as StdoutWriteResult says.
    if (streamed.ok() || *context.out) return streamed;
    return StdoutWriteResult(streamed, 0);
  }
  SV_RETURN_IF_ERROR(WriteItemsCsvFile(store, run.id, redact, destination.file));
  *context.out << "Report (" << Name(destination.format) << "): " << destination.file << "\n";
  return Status::Ok();
}

Status WriteReport(const ReportFlags& flags, CliContext& context) {
  if (!IsPostgresUrl(flags.store) && !std::filesystem::exists(flags.store)) {
    return Status::NotFound("no store at '" + flags.store + "' (use --store PATH|URL)");
  }
  SV_ASSIGN_OR_RETURN(std::unique_ptr<Store> store, OpenStore(flags.store));
  SV_ASSIGN_OR_RETURN(RunRecord run, store->GetRun(flags.run_id));
  SV_ASSIGN_OR_RETURN(Destination destination, ChooseDestination(flags, run));
  SV_ASSIGN_OR_RETURN(MetricsOptions metrics, MetricsFromFlags(flags));
  if (!destination.folder && destination.format == OutputFormat::kCsv) {
    return WriteCsv(flags, destination, *store, run, context);
  }
  SV_ASSIGN_OR_RETURN(SuiteInputs in, LoadSuiteInputs(run.suite_path));
  SV_ASSIGN_OR_RETURN(ReportData data,
                      LoadReportData(*store, run, flags.references, in.policy.name(), metrics));
  if (flags.redact >= 0) RedactHarmfulResponses(static_cast<size_t>(flags.redact), &data);
  if (destination.folder) {
    return WriteDefaultReports(data, in.taxonomy, *destination.folder, *context.out, context.tty);
  }
  std::string content = RenderReport(destination.format, data, in.taxonomy);
  if (destination.file.empty() || destination.file == "-") return WriteToStdout(content, *context.out);
  SV_RETURN_IF_ERROR(WriteReportFile(destination.file, content));
  *context.out << "Report (" << Name(destination.format) << "): " << destination.file << "\n";
  return Status::Ok();
}

}  // namespace

void SetupReportCommand(CLI::App& sub, CliContext& context) {
  auto flags = std::make_shared<ReportFlags>();
  sub.add_option("run", flags->run_id, "The run's id (see `safeval runs`)")->required();
  sub.add_option("--store", flags->store, "The store: a SQLite file or a postgresql:// URL")->type_name("PATH|URL")->capture_default_str();
  sub.add_option("--format", flags->format,
                 "html, json, csv (items and verdicts), junit (XML) or md (Markdown summary); "
                 "without it and -o: results.json and report.html into the run's folder");
  sub.add_option("-o,--out", flags->out,
                 "File to write (format from --format or the extension; '-' for stdout), or an "
                 "existing folder for results.json and report.html");
  sub.add_option("--reference", flags->references,
                 "A reference run in the same store to grade against (repeatable)");
  sub.add_option(
         "--redact", flags->redact,
         "Show only the first N characters of responses that may be harmful (complies_harmful; "
         "violations or undecided on harmful and adversarial prompts)")
      ->check(CLI::NonNegativeNumber);
  sub.add_option("--by", flags->by,
                 "Extra breakdowns of every rate, e.g. 'persona,locale,tag,category:2+intent' "
                 "(keys: category[:N], intent, persona, technique, locale, tag; '+' combines)");
  sub.add_option("--interval", flags->interval, "wilson, or exact (Clopper-Pearson)")
      ->capture_default_str();
  sub.callback([flags, &context] {
    Status status = WriteReport(*flags, context);
    if (!status.ok()) context.Fail(status);
  });
}

}  // namespace safeval
