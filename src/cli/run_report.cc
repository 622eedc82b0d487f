#include "cli/run_report.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <utility>

#include "cli/version.h"
#include "dataset/atomic_output_file.h"
#include "report/report.h"

namespace safeval {
namespace {

constexpr size_t kCsvFlushBytes = 1 << 20;  // StreamItemsCsv writes in pieces of about 1 MB

}  // namespace

std::string SafevalVersionString() {
  return std::string(SafevalVersion()) + " (" + SafevalCommit() + ")";
}

Result<ReportData> LoadReportData(Store& store, const RunRecord& run,
                                  const std::vector<std::string>& reference_ids,
                                  const std::string& policy_name, const MetricsOptions& metrics) {
  return LoadReportData(store, run, reference_ids, policy_name, SafevalVersionString(), metrics);
}

// With the errno of the failed write, e.g. EPIPE (report_command.cc ends quietly on a closed
// pipe) or ENOSPC.
Status CsvWriteError() {
  return Status::IoError(std::string("cannot write the CSV") +
                         (errno != 0 ? std::string(": ") + std::strerror(errno) : ""));
}

Status StreamItemsCsv(Store& store, const std::string& run_id, std::optional<size_t> redact_to,
                      std::ostream& out) {
  std::string buffer(ItemsCsvHeader());
  auto flush = [&buffer, &out]() {
    errno = 0;
    out.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    buffer.clear();
    if (out) return Status::Ok();
    return CsvWriteError();
  };
  SV_RETURN_IF_ERROR(store.ScanItems(run_id, [&](StoredItem&& stored) {
    ReportItem item = ToReportItem(std::move(stored));
    if (redact_to) RedactHarmfulResponse(*redact_to, &item);
    AppendItemCsvRows(item, &buffer);
    return buffer.size() >= kCsvFlushBytes ? flush() : Status::Ok();
  }));
  SV_RETURN_IF_ERROR(flush());
  errno = 0;
  out.flush();
  if (out) return Status::Ok();
  return CsvWriteError();
}

Status WriteItemsCsvFile(Store& store, const std::string& run_id, std::optional<size_t> redact_to,
                         const std::string& path) {
  std::filesystem::path target(path);
  std::error_code ec;
  if (target.has_parent_path()) std::filesystem::create_directories(target.parent_path(), ec);
  SV_ASSIGN_OR_RETURN(std::unique_ptr<AtomicOutputFile> file, AtomicOutputFile::Open(path));
  Status streamed = StreamItemsCsv(store, run_id, redact_to, file->stream());
  // After a failed write (a full disk) Commit fails too, says why and deletes PATH.tmp.
  if (!streamed.ok() && !file->stream()) return file->Commit();
  if (!streamed.ok()) return streamed.WithContext("writing '" + path + "'");
  return file->Commit();
}

Status WriteReportFile(const std::string& path, const std::string& content) {
  std::filesystem::path target(path);
  std::error_code ec;
  if (target.has_parent_path()) std::filesystem::create_directories(target.parent_path(), ec);
  // PATH.tmp renamed over PATH; on a failed write (a full disk) PATH.tmp is deleted and the
  // error names PATH and the reason.
  Result<std::unique_ptr<AtomicOutputFile>> file = AtomicOutputFile::Open(path);
  if (!file.ok()) return Status::IoError(file.status().message());
  (*file)->stream() << content;
  return (*file)->Commit();
}

Status WriteDefaultReports(const ReportData& data, const Taxonomy& taxonomy,
                           const std::string& output_dir, std::ostream& out, bool color) {
  std::filesystem::path dir(output_dir);
  std::string json = (dir / "results.json").string(), html = (dir / "report.html").string();
  SV_RETURN_IF_ERROR(WriteReportFile(json, RenderResultsJson(data)));
  SV_RETURN_IF_ERROR(WriteReportFile(html, RenderHtmlReport(data, taxonomy)));
  out << "\n" << RenderSummaryTable(data, taxonomy, color) << "\n";
  out << "Report:  " << html << "\n";
  out << "Results: " << json << "\n";
  return Status::Ok();
}

Result<Totals> WriteRunReport(Store& store, const RunRecord& run, const Taxonomy& taxonomy,
                              const std::string& policy_name, const std::string& output_dir,
                              std::ostream& out, bool color) {
  SV_ASSIGN_OR_RETURN(ReportData data, LoadReportData(store, run, {}, policy_name));
  SV_RETURN_IF_ERROR(WriteDefaultReports(data, taxonomy, output_dir, out, color));
  return data.totals;
}

Result<Totals> WriteRunReport(LiveReportData&& live, Store& store, const RunRecord& run,
                              const Taxonomy& taxonomy, const std::string& policy_name,
                              const std::string& output_dir, std::ostream& out, bool color) {
  SV_ASSIGN_OR_RETURN(ReportData data,
                      std::move(live).Finish(store, run, policy_name, SafevalVersionString()));
  SV_RETURN_IF_ERROR(WriteDefaultReports(data, taxonomy, output_dir, out, color));
  return data.totals;
}

}  // namespace safeval
