// Browsing runs: the list (/), one run's report framed by the UI (/runs/{run}) and its live
// progress (/api/runs/{run}/progress). Counts come from Store::ScanItemSummaries (no prompt or
// response is read), so a 100k-item run answers quickly.
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>

#include "core/intent.h"
#include "core/utf8.h"
#include "report/report.h"
#include "server/page_layout.h"
#include "server/pages.h"
#include "server/stored_report.h"

namespace safeval {
namespace {

// What the runs table and the progress endpoint show of a run.
struct RunCounts {
  int64_t total = 0;
  int64_t done = 0;               // items with a result of any outcome but an error
  int64_t pending = 0;            // no result yet
  int64_t errors = 0;             // model_error or judge_error (retried by --resume)
  int64_t judged = 0;             // judged (any class)
  int64_t violations = 0;         // judged with a violation (any intent)
  int64_t unsafe_decided = 0;     // decided harmful / adversarial items: the violation rate's n
  int64_t unsafe_violations = 0;  // and its count
};

Result<RunCounts> CountItems(Store& store, const std::string& run_id) {
  RunCounts c;
  SV_RETURN_IF_ERROR(store.ScanItemSummaries(run_id, [&c](const ItemSummary& s) {
    ++c.total;
    if (!s.has_result) {
      ++c.pending;
      return;
    }
    if (s.outcome == Outcome::kModelError || s.outcome == Outcome::kJudgeError) {
      ++c.errors;
      return;
    }
    ++c.done;
    if (s.outcome != Outcome::kJudged) return;
    ++c.judged;
    c.violations += s.violation;
    if (IsUnsafeIntent(s.intent) && s.cls != ResponseClass::kUndetermined) {
      ++c.unsafe_decided;
      c.unsafe_violations += s.violation;
    }
  }));
  return c;
}

std::string RunPath(const std::string& id) { return "/runs/" + UrlEncode(id); }

std::string ViolationRate(const RunCounts& c) {
  if (c.unsafe_decided == 0) return "\u2013";
  char text[32];
  std::snprintf(
      text, sizeof text, "%.1f%%",
      100.0 * static_cast<double>(c.unsafe_violations) / static_cast<double>(c.unsafe_decided));
  return text;
}

std::string Cell(const std::string& text, const char* css = nullptr) {
  std::string open = css ? "<td class=\"" + std::string(css) + "\">" : "<td>";
  return open + HtmlEscape(SanitizeUtf8(text)) + "</td>";
}

std::string RunRow(const RunRecord& run, const RunCounts& c) {
  return "<tr data-run=\"" + HtmlEscape(run.id) + "\"><td><a href=\"" + RunPath(run.id) +
         "\"><code>" + HtmlEscape(run.id) + "</code></a>" +
         (run.demo ? " <span class=\"badge\">demo</span>" : "") + "</td>" + Cell(run.suite_name) +
         Cell(run.target_name) + "<td><span class=\"status status-" + HtmlEscape(run.status) +
         "\">" + HtmlEscape(run.status) + "</span></td>" + Cell(run.started_at) +
         Cell(std::to_string(c.total), "num") + Cell(ViolationRate(c), "num") + "</tr>\n";
}

// The policy the run was judged under, as its suite snapshot names it ("builtin:default").
std::string PolicyOf(const RunRecord& run) {
  nlohmann::json config = nlohmann::json::parse(run.config_json, nullptr, false);
  if (config.is_object() && config.contains("policy") && config["policy"].is_string())
    return config["policy"].get<std::string>();
  return "";
}

// NotFound as a 404 page, anything else as a 500 page.
WebResponse StatusPage(PageContext& context, const Status& status) {
  return ErrorPage(context, status.code() == StatusCode::kNotFound ? 404 : 500, status.message());
}

std::string ProgressHtml(const RunRecord& run, const RunCounts& c) {
  // app.js polls data-live-url every 2 s while the status field says "running".
  return "<section id=\"progress\" class=\"progress\" data-live-url=\"/api/runs/" +
         UrlEncode(run.id) +
         "/progress\" data-live-while=\"status=running\">"
         "<span class=\"label\">Progress</span> <b data-field=\"done\">" +
         std::to_string(c.done) + "</b> of <b data-field=\"total\">" + std::to_string(c.total) +
         "</b> items done \u00b7 <span data-field=\"errors\">" + std::to_string(c.errors) +
         "</span> errors \u00b7 status <span class=\"status\" data-field=\"status\">" +
         HtmlEscape(run.status) + "</span><a id=\"browse-items\" href=\"" + RunPath(run.id) +
         "/items\">Browse the items</a></section>\n";
}

}  // namespace

WebResponse RunsPage(PageContext& context, const WebRequest&, const PathParams&) {
  Result<std::vector<RunRecord>> runs = context.runs.ListRuns();
  if (!runs.ok()) return StatusPage(context, runs.status());
  std::string body = "<h1>Runs</h1>";
  if (runs->empty()) {
    body +=
        "<p class=\"note\" id=\"no-runs\">No runs in this store yet: run "
        "<code>safeval run SUITE</code> with this store.</p>";
  }
  body +=
      "<table id=\"runs\"><thead><tr><th>Run</th><th>Suite</th><th>Target</th><th>Status</th>"
      "<th>Started</th><th class=\"num\">Items</th><th class=\"num\">Violation rate</th></tr>"
      "</thead><tbody>";
  for (const RunRecord& run : *runs) {
    Result<RunCounts> counts = CountItems(context.runs, run.id);
    if (!counts.ok()) return StatusPage(context, counts.status());
    body += RunRow(run, *counts);
  }
  body += "</tbody></table>";
  return HtmlPage(context, "Runs", std::move(body));
}

WebResponse RunPage(PageContext& context, const WebRequest&, const PathParams& params) {
  Result<RunRecord> run = context.runs.GetRun(params.at(0));
  if (!run.ok()) return StatusPage(context, run.status());
  Result<RunCounts> counts = CountItems(context.runs, run->id);
  if (!counts.ok()) return StatusPage(context, counts.status());
  Result<ReportData> data =
      LoadReportData(context.runs, *run, {}, PolicyOf(*run), context.safeval_version);
  if (!data.ok()) return StatusPage(context, data.status());
  HtmlReportParts report = RenderHtmlReportParts(*data, context.taxonomy);
  // The report's own style sheet, inline (style-src allows it); the UI's style.css uses the
  // same palette and agrees with it on the elements both style.
  std::string body = ProgressHtml(*run, *counts) + "<style>" + report.style +
                     "</style><div class=\"report\" id=\"report\">" + report.body + "</div>";
  return HtmlPage(context, "Run " + run->id, std::move(body));
}

WebResponse RunProgressJson(PageContext& context, const WebRequest&, const PathParams& params) {
  Result<RunRecord> run = context.runs.GetRun(params.at(0));
  if (!run.ok()) {
    nlohmann::json error = {{"error", run.status().message()}};
    return JsonResponse(error.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                        run.status().code() == StatusCode::kNotFound ? 404 : 500);
  }
  Result<RunCounts> c = CountItems(context.runs, run->id);
  if (!c.ok()) return JsonResponse("{\"error\":\"cannot read the run\"}", 500);
  nlohmann::ordered_json json = {{"run", run->id},
                                 {"status", run->status},
                                 {"total", c->total},
                                 {"done", c->done},
                                 {"pending", c->pending},
                                 {"errors", c->errors},
                                 {"violations", c->violations},
                                 {"judged", c->judged}};
  return JsonResponse(json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

}  // namespace safeval
