// safeval runs show RUN [--store PATH]: one run — what it tested, how far it got, and
// for a campaign how the estimates moved batch by batch.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>

#include "cli/command.h"
#include "cli/stored_run.h"
#include "cli/text_table.h"
#include "core/terminal_text.h"
#include "metrics/interval.h"
#include "metrics/percent.h"
#include "store/open_store.h"
#include "store/store.h"
#include "store/work_queue.h"

namespace safeval {
namespace {

struct Progress {
  int64_t items = 0, judged = 0, model_errors = 0, judge_errors = 0, skipped = 0, pending = 0;
  int64_t cached = 0, tokens = 0;
};

std::string Estimate(const CellCount& hazard) {
  if (hazard.items == 0) return "-";
  Interval ci = WilsonInterval(hazard.failures, hazard.items);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s ±%.1f", RateText(static_cast<double>(hazard.failures) /
                                                       static_cast<double>(hazard.items)).c_str(),
                50.0 * (ci.high - ci.low));
  return buf;
}

std::string Allocation(const BatchRecord& batch) {
  std::string out;
  for (const CellCount& c : batch.allocation) {
    if (!out.empty()) out += " ";
    out += c.cell + ":" + std::to_string(c.items);
  }
  return TerminalText(out);
}

// One row per batch; a column per hazard with its failure rate ± the 95% half-width (in
// points) after that batch.
std::string BatchHistory(const std::vector<BatchRecord>& batches) {
  std::vector<std::string> hazards;
  for (const BatchRecord& b : batches)
    for (const CellCount& e : b.estimates)
      if (std::find(hazards.begin(), hazards.end(), e.cell) == hazards.end()) hazards.push_back(e.cell);
  std::vector<std::string> header = {"batch", "strategy", "requests", "tokens"};
  for (const std::string& h : hazards) header.push_back(TerminalText(h));
  header.push_back("allocation (hazard/intent:items)");
  TextTable table(header);
  table.AlignLeft(1);
  table.AlignLeft(header.size() - 1);
  for (const BatchRecord& b : batches) {
    std::vector<std::string> row = {std::to_string(b.number), TerminalText(b.strategy),
                                    std::to_string(b.requests), std::to_string(b.tokens)};
    for (const std::string& h : hazards) {
      std::string cell = "-";
      for (const CellCount& e : b.estimates)
        if (e.cell == h) cell = Estimate(e);
      row.push_back(b.finished_at.empty() ? "(running)" : cell);
    }
    row.push_back(Allocation(b));
    table.AddRow(row);
  }
  return table.Render("  ");
}

// A distributed run's batches and workers (PostgreSQL stores); nothing for other runs. Returns
// whether the run is distributed.
Result<bool> ShowWork(const std::string& store, const std::string& run_id, std::ostream& out) {
  if (!IsPostgresUrl(store)) return false;
  SV_ASSIGN_OR_RETURN(std::unique_ptr<WorkQueue> queue, OpenWorkQueue(store));
  SV_ASSIGN_OR_RETURN(std::vector<WorkBatch> batches, queue->LoadWorkBatches(run_id));
  if (batches.empty()) return false;
  int64_t done = 0, leased = 0, pending = 0, released = 0;
  for (const WorkBatch& b : batches) {
    (b.state == "done" ? done : b.state == "leased" ? leased : pending) += 1;
    if (b.leases > 1) ++released;
  }
  out << "Work     " << batches.size() << " batches: " << done << " done, " << leased
      << " leased, " << pending << " pending"
      << (released ? " (" + std::to_string(released) + " leased again after a lost lease)" : "")
      << "\n";
  for (const WorkBatch& b : batches) {
    if (b.state != "leased") continue;
    out << "  batch " << b.number << " [" << b.first_index << ", " << b.end_index
        << ") leased to " << TerminalText(b.worker) << " until " << TerminalText(b.lease_expires_at)
        << "\n";
  }
  SV_ASSIGN_OR_RETURN(std::vector<WorkerRecord> workers, queue->ListWorkers(run_id));
  out << "Workers  " << workers.size() << "\n";
  if (workers.empty()) return true;
  TextTable table({"worker", "host", "pid", "started", "last seen", "items done"});
  table.AlignLeft(0);
  table.AlignLeft(1);
  table.AlignLeft(3);
  table.AlignLeft(4);
  for (const WorkerRecord& w : workers) {
    table.AddRow({TerminalText(w.id), TerminalText(w.host), std::to_string(w.pid),
                  TerminalText(w.started_at), TerminalText(w.last_seen),
                  std::to_string(w.items_done)});
  }
  out << table.Render("  ");
  return true;
}

}  // namespace

void SetupRunsShowCommand(CLI::App& sub, CliContext& context) {
  struct Flags {
    std::string run_id;
    std::string store = "runs/safeval.db";
  };
  auto flags = std::make_shared<Flags>();
  sub.add_option("run", flags->run_id, "The run id (see safeval runs)")->required();
  sub.add_option("--store", flags->store, "The store: a SQLite file or a postgresql:// URL")->type_name("PATH|URL")->capture_default_str();
  sub.callback([flags, &context] {
    Result<std::unique_ptr<Store>> store = OpenExistingStore(flags->store);
    if (!store.ok()) {
      context.Fail(store.status());
      return;
    }
    Result<RunRecord> run = (*store)->GetRun(flags->run_id);
    if (!run.ok()) {
      context.Fail(run.status());
      return;
    }
    Progress p;
    Status scanned = (*store)->ScanItemSummaries(run->id, [&](const ItemSummary& s) {
      ++p.items;
      p.tokens += s.tokens;
      if (!s.has_result) {
        ++p.pending;
        return;
      }
      switch (s.outcome) {
        case Outcome::kJudged: ++p.judged; break;
        case Outcome::kModelError: ++p.model_errors; break;
        case Outcome::kJudgeError: ++p.judge_errors; break;
        case Outcome::kSkipped: ++p.skipped; break;
      }
    });
    if (!scanned.ok()) {
      context.Fail(scanned);
      return;
    }
    Result<std::vector<BatchRecord>> batches = (*store)->LoadBatches(run->id);
    if (!batches.ok()) {
      context.Fail(batches.status());
      return;
    }
    std::ostream& out = *context.out;
    out << "Run      " << TerminalText(run->id) << (run->demo ? "  (DEMO TARGET)" : "") << "\n"
        << "Suite    " << TerminalText(run->suite_name) << "  (" << TerminalText(run->suite_path)
        << ")\n"
        << "Target   " << TerminalText(run->target_name) << "  "
        << TerminalText(run->target_identity) << "\n"
        << "Status   " << TerminalText(run->status) << "  started "
        << TerminalText(run->started_at)
        << (run->finished_at.empty() ? "" : "  finished " + TerminalText(run->finished_at)) << "\n"
        << "Items    " << p.items << ": " << p.judged << " judged, " << p.model_errors
        << " model_error, " << p.judge_errors << " judge_error, " << p.skipped << " skipped, "
        << p.pending << " pending; " << p.tokens << " tokens\n";
    if (batches->empty()) {
      out << "Batches  none recorded\n";
    } else {
      out << "Batches  " << batches->size()
          << " (failure rate per hazard after each batch, ± 95% half-width in points)\n"
          << BatchHistory(*batches);
      if (!batches->back().stop_reason.empty()) {
        out << "Stopped  " << TerminalText(batches->back().stop_reason) << "\n";
      }
    }
    Result<bool> distributed = ShowWork(flags->store, run->id, out);
    if (!distributed.ok()) {
      context.Fail(distributed.status());
      return;
    }
    if (*distributed && run->status == "running") {
      out << "Start more workers with: safeval worker --store " << TerminalText(StoreLabel(flags->store))
          << " --run " << run->id << "\n";
    } else if (run->status != "finished") {
      out << "Continue with: safeval run --resume " << run->id << " --store " << StoreLabel(flags->store)
          << "\n";
    } else if (p.model_errors + p.judge_errors > 0) {
      out << "Redo the failed items with: safeval run --retry-errors " << run->id << " --store "
          << StoreLabel(flags->store) << "\n";
    }
  });
}

}  // namespace safeval
