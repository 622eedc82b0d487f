// safeval annotate import ROUND FILE [--store PATH]
// Reads labels into a round. Each non-blank line is either one label
//   {"id" | "index", "annotator", "class", "violation", "quality"?, "note"?, "labelled_at"?}
// or a line of `safeval annotate export` (its "labels" are read; "gold" is ignored, since gold
// labels follow from the labels). Keys starting with "x-" are ignored, other unknown keys are
// errors. An item is named by its plan "index" or its prompt "id" (both: they must agree) and
// must be in the round; an annotator labels an item at most once per file. Every line is
// checked before anything is written: each problem is printed as "FILE:LINE: field 'x': ..."
// and then nothing is saved (exit 2).
// Annotators the store does not know are added without a login: their token hash is that of a
// random token nobody is shown, so no token logs them in until `safeval annotators reset-token`.
// The labels are saved in one transaction (replacing each annotator's earlier label of an
// item), then the round's gold labels are published as verdicts of judge "human".
#include <CLI/CLI.hpp>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>

#include "cli/annotate_command.h"
#include "cli/judge_inputs.h"
#include "core/clock.h"
#include "core/terminal_text.h"
#include "server/annotator_token.h"

namespace safeval {
namespace {

using nlohmann::json;

constexpr size_t kMaxNoteBytes = 2000;

struct ImportFlags {
  std::string round;
  std::string file;
  std::string store = kDefaultStorePath;
};

// Where a value sits, for messages: "labels.jsonl:3: field 'labels[1].class': ".
struct Where {
  std::string line;    // "FILE:LINE"
  std::string prefix;  // "" or "labels[1]."
  std::string Field(const std::string& field) const {
    return line + ": field '" + prefix + field + "': ";
  }
};

class LabelFileReader {
 public:
  LabelFileReader(const AnnotationRound& round, std::map<std::string, int64_t> ids, std::string now)
      : round_(round), ids_(std::move(ids)), now_(std::move(now)) {
    for (int64_t index : round.items) in_round_.insert(index);
  }

  // Every line; each problem goes to `err`. InvalidArgument when there was any.
  Result<std::vector<AnnotationLabel>> Read(const std::string& path, std::ostream& err) {
    SV_ASSIGN_OR_RETURN(LineReader reader, LineReader::Open(path, "labels file"));
    std::string line;
    int64_t bad = 0;
    while (reader.Next(&line)) {
      if (IsBlankLine(line)) continue;
      Status status =
          ReadLine(line, path + ":" + std::to_string(reader.line_number()), reader.line_number());
      if (!status.ok()) {
        err << TerminalText(status.message(), LineBreaks::kKeep) << "\n";
        ++bad;
      }
    }
    SV_RETURN_IF_ERROR(reader.status());
    if (bad > 0) {
      return Status::InvalidArgument(std::to_string(bad) + " bad line" + (bad == 1 ? "" : "s") +
                                     " in " + path + "; no label was saved");
    }
    if (labels_.empty()) return Status::InvalidArgument(path + ": no labels to import");
    return std::move(labels_);
  }

 private:
  Status ReadLine(const std::string& text, const std::string& where, int line) {
    json j;
    try {
      j = json::parse(text);
    } catch (const json::exception&) {
      return Status::InvalidArgument(where + ": not valid JSON");
    }
    if (!j.is_object()) return Status::InvalidArgument(where + ": expected a JSON object");
    const bool exported = j.contains("labels");
    static const std::set<std::string> kLabelKeys = {
        "id", "index", "annotator", "class", "violation", "quality", "note", "labelled_at"};
    static const std::set<std::string> kExportKeys = {
        "round", "run", "index", "id", "category", "intent", "turns", "response", "labels", "gold"};
    SV_RETURN_IF_ERROR(CheckKeys(j, exported ? kExportKeys : kLabelKeys, {where, ""}));
    SV_ASSIGN_OR_RETURN(int64_t index, ItemOf(j, where));
    if (!exported) return AddLabel(j, index, {where, ""}, line);
    if (j.contains("run") && j["run"] != round_.run_id) {
      return Status::InvalidArgument(Where{where, ""}.Field("run") + "the round's run is " +
                                     round_.run_id);
    }
    const json& labels = j["labels"];
    if (!labels.is_array()) {
      return Status::InvalidArgument(Where{where, ""}.Field("labels") + "expected an array");
    }
    for (size_t k = 0; k < labels.size(); ++k) {
      Where at{where, "labels[" + std::to_string(k) + "]."};
      if (!labels[k].is_object()) {
        return Status::InvalidArgument(where + ": field 'labels[" + std::to_string(k) +
                                       "]': expected an object");
      }
      static const std::set<std::string> kKeys = {"annotator", "class", "violation",
                                                  "quality",   "note",  "labelled_at"};
      SV_RETURN_IF_ERROR(CheckKeys(labels[k], kKeys, at));
      SV_RETURN_IF_ERROR(AddLabel(labels[k], index, at, line));
    }
    return Status::Ok();
  }

  static Status CheckKeys(const json& j, const std::set<std::string>& allowed, const Where& at) {
    for (const auto& [key, value] : j.items()) {
      if (key.starts_with("x-") || allowed.count(key) > 0) continue;
      return Status::InvalidArgument(at.Field(key) + "unknown field");
    }
    return Status::Ok();
  }

  // The item a line names by "index" and/or "id".
  Result<int64_t> ItemOf(const json& j, const std::string& where) const {
    const Where at{where, ""};
    std::optional<int64_t> index;
    if (j.contains("index")) {
      if (!j["index"].is_number_integer()) {
        return Status::InvalidArgument(at.Field("index") + "expected an item index (integer)");
      }
      index = j["index"].get<int64_t>();
      if (in_round_.count(*index) == 0) {
        return Status::InvalidArgument(at.Field("index") + "item " + std::to_string(*index) +
                                       " is not in round " + round_.name);
      }
    }
    if (j.contains("id")) {
      if (!j["id"].is_string())
        return Status::InvalidArgument(at.Field("id") + "expected a string");
      const std::string id = j["id"].get<std::string>();
      auto found = ids_.find(id);
      if (found == ids_.end()) {
        return Status::InvalidArgument(at.Field("id") + "no item '" + id + "' in round " +
                                       round_.name);
      }
      if (found->second < 0) {
        return Status::InvalidArgument(at.Field("id") + "several items of round " + round_.name +
                                       " have id '" + id + "': name the item by \"index\"");
      }
      if (index && *index != found->second) {
        return Status::InvalidArgument(at.Field("id") + "'" + id + "' is item " +
                                       std::to_string(found->second) + ", not item " +
                                       std::to_string(*index));
      }
      index = found->second;
    }
    if (!index) return Status::InvalidArgument(where + ": expected \"id\" or \"index\"");
    return *index;
  }

  Status AddLabel(const json& j, int64_t index, const Where& at, int line) {
    AnnotationLabel label;
    label.item_index = index;
    SV_ASSIGN_OR_RETURN(label.annotator, String(j, "annotator", at, true));
    if (Status name = CheckAnnotationName("annotator", label.annotator); !name.ok()) {
      return Status::InvalidArgument(at.Field("annotator") + name.message());
    }
    SV_ASSIGN_OR_RETURN(std::string cls, String(j, "class", at, true));
    std::optional<ResponseClass> parsed = ParseResponseClass(cls);
    if (!parsed || *parsed == ResponseClass::kUndetermined) {
      return Status::InvalidArgument(at.Field("class") +
                                     "expected one of complies_harmful, partial, refuses, "
                                     "deflects, helpful, got '" +
                                     cls + "'");
    }
    label.cls = *parsed;
    if (!j.contains("violation") || !j["violation"].is_boolean()) {
      return Status::InvalidArgument(at.Field("violation") + "expected true or false");
    }
    label.violation = j["violation"].get<bool>();
    if (j.contains("quality") && !j["quality"].is_null()) {
      const json& q = j["quality"];
      if (!q.is_number_integer() || q.get<int64_t>() < 1 || q.get<int64_t>() > 5) {
        return Status::InvalidArgument(at.Field("quality") + "expected an integer from 1 to 5");
      }
      label.quality = q.get<int>();
    }
    SV_ASSIGN_OR_RETURN(label.note, String(j, "note", at, false));
    if (label.note.size() > kMaxNoteBytes) {
      return Status::InvalidArgument(at.Field("note") + "longer than " +
                                     std::to_string(kMaxNoteBytes) + " bytes");
    }
    SV_ASSIGN_OR_RETURN(label.labelled_at, String(j, "labelled_at", at, false));
    if (label.labelled_at.empty()) label.labelled_at = now_;
    auto [seen, inserted] = seen_.emplace(std::make_pair(index, label.annotator), line);
    if (!inserted) {
      return Status::InvalidArgument(at.Field("annotator") + "'" + label.annotator +
                                     "' already labelled item " + std::to_string(index) +
                                     " on line " + std::to_string(seen->second));
    }
    labels_.push_back(std::move(label));
    return Status::Ok();
  }

  static Result<std::string> String(const json& j, const char* key, const Where& at,
                                    bool required) {
    if (!j.contains(key) || (!required && j[key].is_null())) {
      if (required) return Status::InvalidArgument(at.Field(key) + "missing");
      return std::string();
    }
    if (!j[key].is_string()) return Status::InvalidArgument(at.Field(key) + "expected a string");
    return j[key].get<std::string>();
  }

  const AnnotationRound& round_;
  std::set<int64_t> in_round_;
  std::map<std::string, int64_t> ids_;  // prompt id → index (-1: several items)
  std::string now_;
  std::map<std::pair<int64_t, std::string>, int> seen_;  // (item, annotator) → line
  std::vector<AnnotationLabel> labels_;
};

// Prompt id → item index for the round's items (-1 for an id several of them share).
Result<std::map<std::string, int64_t>> RoundIds(Store& runs, const AnnotationRound& round) {
  SV_ASSIGN_OR_RETURN(std::vector<StoredItem> items, runs.ItemsAt(round.run_id, round.items));
  std::map<std::string, int64_t> ids;
  for (const StoredItem& item : items) {
    auto [found, inserted] = ids.emplace(item.prompt.id, item.index);
    if (!inserted) found->second = -1;
  }
  return ids;
}

// Adds the labels' annotators the store does not know, without a login. Returns their names.
Result<std::vector<std::string>> AddUnknownAnnotators(AnnotationStore& annotations,
                                                      const std::vector<AnnotationLabel>& labels,
                                                      const std::string& now) {
  SV_ASSIGN_OR_RETURN(std::vector<Annotator> known, annotations.ListAnnotators());
  std::set<std::string> names;
  for (const Annotator& a : known) names.insert(a.name);
  std::vector<std::string> added;
  for (const AnnotationLabel& l : labels) {
    if (!names.insert(l.annotator).second) continue;
    // The hash of a token nobody is shown: the annotator exists but cannot log in.
    SV_RETURN_IF_ERROR(
        annotations.AddAnnotator({l.annotator, false, now}, TokenHash(NewAnnotatorToken())));
    added.push_back(l.annotator);
  }
  return added;
}

Status Import(const ImportFlags& flags, std::ostream& out, std::ostream& err) {
  SV_ASSIGN_OR_RETURN(Stores stores, OpenExistingStores(flags.store));
  SV_ASSIGN_OR_RETURN(AnnotationRound round,
                      LoadRound(*stores.annotations, flags.round, flags.store));
  SV_ASSIGN_OR_RETURN(auto ids, RoundIds(*stores.runs, round));
  SystemClock clock;
  const std::string now = clock.NowIso8601();
  LabelFileReader reader(round, std::move(ids), now);
  SV_ASSIGN_OR_RETURN(std::vector<AnnotationLabel> labels, reader.Read(flags.file, err));
  SV_ASSIGN_OR_RETURN(std::vector<std::string> added,
                      AddUnknownAnnotators(*stores.annotations, labels, now));
  SV_RETURN_IF_ERROR(stores.annotations->SaveLabels(round.name, labels));
  SV_ASSIGN_OR_RETURN(int64_t gold,
                      PublishGoldVerdicts(*stores.runs, *stores.annotations, round.name));

  std::set<int64_t> items;
  std::set<std::string> annotators;
  for (const AnnotationLabel& l : labels) {
    items.insert(l.item_index);
    annotators.insert(l.annotator);
  }
  out << "Imported " << labels.size() << " label" << (labels.size() == 1 ? "" : "s") << " of "
      << items.size() << " item" << (items.size() == 1 ? "" : "s") << " by " << annotators.size()
      << " annotator" << (annotators.size() == 1 ? "" : "s") << " into round " << round.name
      << "\n";
  if (!added.empty()) {
    std::string names;
    for (const std::string& n : added) names += (names.empty() ? "" : ", ") + n;
    out << "Added " << added.size() << " annotator" << (added.size() == 1 ? "" : "s")
        << " without a login: " << names
        << " (give one a token: safeval annotators reset-token NAME)\n";
  }
  out << "Published " << gold << " gold label" << (gold == 1 ? "" : "s") << " as verdicts of judge "
      << kGoldJudgeName << " on run " << TerminalText(round.run_id) << "\n";
  return Status::Ok();
}

}  // namespace

void SetupAnnotateImportCommand(CLI::App& sub, CliContext& context) {
  auto flags = std::make_shared<ImportFlags>();
  sub.add_option("round", flags->round, "The round")->required();
  sub.add_option("file", flags->file,
                 "Labels, one JSON object per line: {\"id\"|\"index\", \"annotator\", \"class\", "
                 "\"violation\", \"quality\"?, \"note\"?}, or lines of annotate export")
      ->required();
  sub.add_option("--store", flags->store, "The store: a SQLite file or a postgresql:// URL")
      ->type_name("PATH|URL")
      ->capture_default_str();
  sub.callback([flags, &context] {
    Status status = Import(*flags, *context.out, *context.err);
    if (!status.ok()) context.Fail(status);
  });
}

}  // namespace safeval
