// safeval judge label RUN --annotator NAME --labels FILE.jsonl [--store PATH]
// Stores human labels for a run's items as verdicts of the judge "human:NAME".
// Lines: {"id": "<prompt id>", "class": "...", "rationale": "..."?}. Violation is
// what the run's policy says of that class for the item's category and intent.
// Every line is checked first (unknown ids, items without a judged response,
// ids labelled twice): any problem is reported as file:line and nothing is saved
// (exit 2). Labelling again replaces the annotator's earlier label of an item.
#include <CLI/CLI.hpp>
#include <cctype>
#include <filesystem>
#include <map>
#include <memory>

#include "cli/judge_command.h"
#include "cli/judge_inputs.h"
#include "core/terminal_text.h"
#include "run/evaluation.h"
#include "store/open_store.h"
#include "store/store.h"

namespace safeval {
namespace {

struct LabelFlags {
  std::string run_id;
  std::string annotator;
  std::string labels;
  std::string store = "runs/safeval.db";
};

struct Labels {
  std::vector<std::pair<int64_t, Verdict>> verdicts;
  int64_t agree = 0;  // with the run's deciding judge
};

Status CheckAnnotator(const std::string& name) {
  bool ok = !name.empty() && name.size() <= 64;
  for (char c : name)
    ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.' ||
                c == '@');
  if (ok) return Status::Ok();
  return Status::InvalidArgument("--annotator '" + name +
                                 "': expected 1 to 64 letters, digits, '_', '-', '.' or '@'");
}

class LabelReader {
 public:
  LabelReader(const std::vector<StoredItem>& items, const Policy& policy, std::string judge)
      : policy_(policy), judge_(std::move(judge)) {
    for (const StoredItem& item : items) index_[item.prompt.id] = &item;
  }

  // Reads every line; each problem goes to `err`. InvalidArgument when there was any.
  Result<Labels> Read(const std::string& path, std::ostream& err) {
    SV_ASSIGN_OR_RETURN(LineReader reader, LineReader::Open(path, "labels file"));
    std::string line;
    while (reader.Next(&line)) {
      if (IsBlankLine(line)) continue;
      Status status = Add(line, path, reader.line_number());
      if (!status.ok()) {
        err << TerminalText(status.message(), LineBreaks::kKeep) << "\n";
        ++bad_;
      }
    }
    SV_RETURN_IF_ERROR(reader.status());
    if (bad_ > 0) {
      return Status::InvalidArgument(std::to_string(bad_) + " bad line" + (bad_ == 1 ? "" : "s") +
                                     " in " + path + "; no label was saved");
    }
    return std::move(labels_);
  }

 private:
  Status Add(const std::string& text, const std::string& path, int line) {
    SV_ASSIGN_OR_RETURN(JudgeLine label,
                        ParseJudgeLine(text, path, line, JudgeLineKind::kLabel, nullptr));
    const std::string where = path + ":" + std::to_string(line) + ": field 'id': ";
    auto found = index_.find(label.prompt.id);
    if (found == index_.end()) {
      return Status::InvalidArgument(where + "no item '" + label.prompt.id + "' in this run");
    }
    const StoredItem& item = *found->second;
    if (!item.result || item.result->outcome != Outcome::kJudged) {
      std::string outcome = item.result ? std::string(Name(item.result->outcome)) : "pending";
      return Status::InvalidArgument(where + "item '" + label.prompt.id +
                                     "' has no judged response (" + outcome + ")");
    }
    if (!seen_.emplace(label.prompt.id, line).second) {
      return Status::InvalidArgument(where + "'" + label.prompt.id +
                                     "' is already labelled on line " +
                                     std::to_string(seen_[label.prompt.id]));
    }
    Verdict v = MakeVerdict(item, *label.cls, std::move(label.rationale));
    const std::vector<Verdict>& machine = item.result->verdicts;
    if (!machine.empty() && machine.front().cls == v.cls) ++labels_.agree;
    labels_.verdicts.emplace_back(item.index, std::move(v));
    return Status::Ok();
  }

  Verdict MakeVerdict(const StoredItem& item, ResponseClass cls, std::string rationale) const {
    Verdict v;
    v.judge = judge_;
    v.judge_version = "human";
    v.cls = cls;
    v.violation = policy_.IsViolation(item.prompt.category, item.prompt.intent, cls);
    v.confidence = 1.0;
    v.rationale = std::move(rationale);
    return v;
  }

  const Policy& policy_;
  std::string judge_;
  std::map<std::string, const StoredItem*> index_;  // prompt id → item
  std::map<std::string, int> seen_;                 // labelled id → line
  Labels labels_;
  int64_t bad_ = 0;
};

Status Label(const LabelFlags& flags, std::ostream& out, std::ostream& err) {
  SV_RETURN_IF_ERROR(CheckAnnotator(flags.annotator));
  if (!IsPostgresUrl(flags.store) && !std::filesystem::exists(flags.store)) {
    return Status::NotFound("no store at '" + flags.store + "' (use --store PATH|URL)");
  }
  SV_ASSIGN_OR_RETURN(std::unique_ptr<Store> store, OpenStore(flags.store));
  SV_ASSIGN_OR_RETURN(RunRecord run, store->GetRun(flags.run_id));
  SV_ASSIGN_OR_RETURN(SuiteInputs in, LoadSuiteInputs(run.suite_path));
  SV_ASSIGN_OR_RETURN(std::vector<StoredItem> items, store->LoadItems(run.id));
  const std::string judge = "human:" + flags.annotator;
  LabelReader reader(items, in.policy, judge);
  SV_ASSIGN_OR_RETURN(Labels labels, reader.Read(flags.labels, err));
  SV_RETURN_IF_ERROR(store->SaveVerdicts(run.id, labels.verdicts));
  out << "Saved " << labels.verdicts.size() << " labels of " << judge << " for run " << run.id
      << "; the run's first judge gave the same class to " << labels.agree << " of them.\n";
  return Status::Ok();
}

}  // namespace

void SetupJudgeLabelCommand(CLI::App& sub, CliContext& context) {
  auto flags = std::make_shared<LabelFlags>();
  sub.add_option("run", flags->run_id, "The run whose items are labelled")->required();
  sub.add_option("--annotator", flags->annotator,
                 "Who labelled them; stored as the judge human:NAME")
      ->required();
  sub.add_option("--labels", flags->labels,
                 "Labels, one JSON object per line: {\"id\", \"class\", \"rationale\"?}")
      ->required();
  sub.add_option("--store", flags->store, "The store: a SQLite file or a postgresql:// URL")->type_name("PATH|URL")->capture_default_str();
  sub.callback([flags, &context] {
    Status status = Label(*flags, *context.out, *context.err);
    if (!status.ok()) context.Fail(status);
  });
}

}  // namespace safeval
