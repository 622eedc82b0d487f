// safeval annotate export ROUND [--output FILE] [--store PATH]
// One JSON line per item of the round, in round order, keys in this order:
//   {"round", "run", "index", "id", "category", "intent",
//    "turns": [{"role", "content", "tool_calls"?: [{"id"?, "name", "arguments"}],
//    "tool_call_id"?}], "response", "labels": [{"annotator", "class", "violation", "quality"?,
//    "note"?, "labelled_at"}], "gold": {"class", "violation", "quality"?, "note"?, "source"} |
//    null}
// ("source": adjudicated | unanimous | single). `safeval annotate import` reads these lines back.
// The run is streamed once; the round's lines are held until written (a round is what people
// label, so it is small). With --output the file appears only when complete.
#include <CLI/CLI.hpp>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/annotate_command.h"
#include "core/terminal_text.h"
#include "dataset/atomic_output_file.h"
#include "store/store.h"

namespace safeval {
namespace {

using nlohmann::ordered_json;

struct ExportFlags {
  std::string round;
  std::string output;  // empty: stdout
  std::string store = kDefaultStorePath;
};

std::string_view SourceName(GoldSource source) {
  switch (source) {
    case GoldSource::kAdjudicated:
      return "adjudicated";
    case GoldSource::kUnanimous:
      return "unanimous";
    case GoldSource::kSingle:
      return "single";
  }
  return "unanimous";
}

ordered_json TurnsJson(const std::vector<Turn>& turns) {
  ordered_json out = ordered_json::array();
  for (const Turn& t : turns) {
    ordered_json turn = {{"role", t.role}, {"content", t.content}};
    if (!t.tool_calls.empty()) {
      ordered_json calls = ordered_json::array();
      for (const ToolCall& c : t.tool_calls) {
        ordered_json call;
        if (!c.id.empty()) call["id"] = c.id;
        call["name"] = c.name;
        call["arguments"] = c.arguments_json;
        calls.push_back(std::move(call));
      }
      turn["tool_calls"] = std::move(calls);
    }
    if (!t.tool_call_id.empty()) turn["tool_call_id"] = t.tool_call_id;
    out.push_back(std::move(turn));
  }
  return out;
}

// What a label and a gold label share: class, violation, quality?, note?.
ordered_json DecisionJson(ResponseClass cls, bool violation, const std::optional<int>& quality,
                          const std::string& note) {
  ordered_json j = {{"class", Name(cls)}, {"violation", violation}};
  if (quality) j["quality"] = *quality;
  if (!note.empty()) j["note"] = note;
  return j;
}

ordered_json LabelsJson(const std::vector<AnnotationLabel>& labels) {
  ordered_json out = ordered_json::array();
  for (const AnnotationLabel& l : labels) {
    ordered_json j = {{"annotator", l.annotator}};
    j.update(DecisionJson(l.cls, l.violation, l.quality, l.note));
    j["labelled_at"] = l.labelled_at;
    out.push_back(std::move(j));
  }
  return out;
}

ordered_json GoldJson(const GoldLabel* gold) {
  if (gold == nullptr) return nullptr;
  ordered_json j = DecisionJson(gold->cls, gold->violation, gold->quality, gold->note);
  j["source"] = SourceName(gold->source);
  return j;
}

struct RoundLabels {
  std::map<int64_t, std::vector<AnnotationLabel>> labels;  // by item index
  std::map<int64_t, GoldLabel> gold;
};

Result<RoundLabels> LoadRoundLabels(AnnotationStore& annotations, const AnnotationRound& round) {
  SV_ASSIGN_OR_RETURN(std::vector<AnnotationLabel> labels, annotations.LoadLabels(round.name));
  SV_ASSIGN_OR_RETURN(std::vector<Adjudication> adjudications,
                      annotations.LoadAdjudications(round.name));
  RoundLabels out;
  for (GoldLabel& g : GoldLabels(round, labels, adjudications)) out.gold[g.item_index] = g;
  for (AnnotationLabel& l : labels) out.labels[l.item_index].push_back(std::move(l));
  return out;
}

std::string ExportLine(const AnnotationRound& round, const StoredItem& item,
                       const RoundLabels& labels) {
  auto found = labels.labels.find(item.index);
  auto gold = labels.gold.find(item.index);
  ordered_json j = {
      {"round", round.name},
      {"run", round.run_id},
      {"index", item.index},
      {"id", item.prompt.id},
      {"category", item.prompt.category.str()},
      {"intent", Name(item.prompt.intent)},
      {"turns", TurnsJson(item.prompt.turns)},
      {"response", item.result ? item.result->response : std::string()},
      {"labels", found == labels.labels.end() ? ordered_json::array() : LabelsJson(found->second)},
      {"gold", GoldJson(gold == labels.gold.end() ? nullptr : &gold->second)}};
  // Stored text is UTF-8; replacing rather than throwing keeps a damaged row from stopping it.
  return j.dump(-1, ' ', false, ordered_json::error_handler_t::replace);
}

// The round's lines in round order.
Result<std::vector<std::string>> ExportLines(Store& runs, const AnnotationRound& round,
                                             const RoundLabels& labels) {
  std::map<int64_t, size_t> position;
  for (size_t i = 0; i < round.items.size(); ++i) position[round.items[i]] = i;
  std::vector<std::string> lines(round.items.size());
  SV_RETURN_IF_ERROR(runs.ScanItems(round.run_id, [&](StoredItem&& item) {
    auto found = position.find(item.index);
    if (found != position.end()) lines[found->second] = ExportLine(round, item, labels);
    return Status::Ok();
  }));
  return lines;
}

Status Export(const ExportFlags& flags, std::ostream& out, std::ostream& err) {
  SV_ASSIGN_OR_RETURN(Stores stores, OpenExistingStores(flags.store));
  SV_ASSIGN_OR_RETURN(AnnotationRound round,
                      LoadRound(*stores.annotations, flags.round, flags.store));
  SV_ASSIGN_OR_RETURN(RoundLabels labels, LoadRoundLabels(*stores.annotations, round));
  SV_ASSIGN_OR_RETURN(std::vector<std::string> lines, ExportLines(*stores.runs, round, labels));
  std::unique_ptr<AtomicOutputFile> file;
  if (!flags.output.empty()) {
    SV_ASSIGN_OR_RETURN(file, AtomicOutputFile::Open(flags.output));
  }
  std::ostream& to = file ? file->stream() : out;
  for (const std::string& line : lines) to << line << "\n";
  if (file) {
    SV_RETURN_IF_ERROR(file->Commit());
  } else if (!out.flush()) {
    return Status::IoError("cannot write the export to stdout");
  }
  size_t labelled = 0;
  for (const auto& [index, item_labels] : labels.labels) labelled += item_labels.size();
  err << "safeval: exported " << lines.size() << " items of round " << round.name << " ("
      << labelled << " labels, " << labels.gold.size() << " gold)"
      << (flags.output.empty() ? "" : " to " + TerminalText(flags.output)) << "\n";
  return Status::Ok();
}

}  // namespace

void SetupAnnotateExportCommand(CLI::App& sub, CliContext& context) {
  auto flags = std::make_shared<ExportFlags>();
  sub.add_option("round", flags->round, "The round")->required();
  sub.add_option("-o,--output", flags->output, "The JSONL file to write (default: stdout)");
  sub.add_option("--store", flags->store, "The store: a SQLite file or a postgresql:// URL")
      ->type_name("PATH|URL")
      ->capture_default_str();
  sub.callback([flags, &context] {
    Status status = Export(*flags, *context.out, *context.err);
    if (!status.ok()) context.Fail(status);
  });
}

}  // namespace safeval
