// safeval annotate status ROUND [--json] [--store PATH]
// A round's progress — labels per annotator (and what is left in their queue), items with no,
// some or all of their `overlap` labels — and the agreement between annotators over classes and
// over violation (metrics/agreement.h: Fleiss' kappa, Krippendorff's alpha, observed agreement,
// Cohen's kappa per pair), the items whose labels disagree, the adjudicated ones and the gold
// labels. --json prints the same numbers as one document (undefined statistics are null).
#include <CLI/CLI.hpp>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/annotate_command.h"
#include "cli/text_table.h"
#include "core/terminal_text.h"
#include "metrics/agreement.h"

namespace safeval {
namespace {

using nlohmann::ordered_json;

struct StatusFlags {
  std::string round;
  bool json = false;
  std::string store = kDefaultStorePath;
};

struct AnnotatorProgress {
  std::string name;
  int64_t labels = 0;  // items of the round this annotator labelled
  int64_t queue = 0;   // items they have not labelled that still want labels
};

struct RoundStatus {
  AnnotationRound round;
  int64_t labels = 0;
  int64_t items_none = 0, items_partial = 0, items_complete = 0;
  std::vector<AnnotatorProgress> annotators;  // every annotator of the store, then other labellers
  AgreementReport classes;
  AgreementReport violation;
  int64_t disagreements = 0;
  int64_t adjudicated = 0;
  int64_t gold = 0;
};

std::vector<AnnotatorProgress> Progress(
    const AnnotationRound& round, const std::vector<Annotator>& annotators,
    const std::map<int64_t, std::vector<AnnotationLabel>>& by_item) {
  std::map<std::string, AnnotatorProgress> progress;
  for (const Annotator& a : annotators) progress[a.name].name = a.name;
  for (const auto& [index, labels] : by_item)
    for (const AnnotationLabel& l : labels) progress[l.annotator].name = l.annotator;
  for (auto& [name, p] : progress) {
    for (int64_t index : round.items) {
      auto found = by_item.find(index);
      const std::vector<AnnotationLabel> none;
      const std::vector<AnnotationLabel>& labels = found == by_item.end() ? none : found->second;
      bool mine = false;
      for (const AnnotationLabel& l : labels) mine = mine || l.annotator == name;
      if (mine) {
        ++p.labels;
      } else if (static_cast<int>(labels.size()) < round.overlap) {
        ++p.queue;
      }
    }
  }
  std::vector<AnnotatorProgress> out;
  for (auto& [name, p] : progress) out.push_back(std::move(p));
  return out;
}

Result<RoundStatus> Measure(AnnotationStore& annotations, const StatusFlags& flags) {
  RoundStatus s;
  SV_ASSIGN_OR_RETURN(s.round, LoadRound(annotations, flags.round, flags.store));
  SV_ASSIGN_OR_RETURN(std::vector<AnnotationLabel> labels, annotations.LoadLabels(s.round.name));
  SV_ASSIGN_OR_RETURN(std::vector<Adjudication> adjudications,
                      annotations.LoadAdjudications(s.round.name));
  SV_ASSIGN_OR_RETURN(std::vector<Annotator> annotators, annotations.ListAnnotators());
  std::map<int64_t, std::vector<AnnotationLabel>> by_item;
  std::vector<Rating> class_ratings, violation_ratings;
  for (const AnnotationLabel& l : labels) {
    by_item[l.item_index].push_back(l);
    class_ratings.push_back({l.item_index, l.annotator, std::string(Name(l.cls))});
    violation_ratings.push_back({l.item_index, l.annotator, l.violation ? "yes" : "no"});
  }
  s.labels = static_cast<int64_t>(labels.size());
  for (int64_t index : s.round.items) {
    auto found = by_item.find(index);
    size_t n = found == by_item.end() ? 0 : found->second.size();
    if (n == 0) {
      ++s.items_none;
    } else if (n < static_cast<size_t>(s.round.overlap)) {
      ++s.items_partial;
    } else {
      ++s.items_complete;
    }
    if (n > 0 && LabelsDisagree(found->second)) ++s.disagreements;
  }
  s.annotators = Progress(s.round, annotators, by_item);
  s.classes = MeasureAgreement(class_ratings);
  s.violation = MeasureAgreement(violation_ratings);
  s.adjudicated = static_cast<int64_t>(adjudications.size());
  s.gold = static_cast<int64_t>(GoldLabels(s.round, labels, adjudications).size());
  return s;
}

ordered_json Optional(const std::optional<double>& value) {
  return value ? ordered_json(*value) : ordered_json(nullptr);
}

ordered_json AgreementJson(const AgreementReport& r) {
  ordered_json pairs = ordered_json::array();
  for (const PairAgreement& p : r.pairs) {
    pairs.push_back({{"annotator_a", p.rater_a},
                     {"annotator_b", p.rater_b},
                     {"items", p.items},
                     {"observed", p.observed},
                     {"cohen_kappa", Optional(p.kappa)}});
  }
  return {{"items_multiply_labelled", r.items_multiply_rated},
          {"observed", Optional(r.observed)},
          {"fleiss_kappa", Optional(r.fleiss_kappa)},
          {"krippendorff_alpha", Optional(r.krippendorff_alpha)},
          {"pairwise", pairs}};
}

ordered_json StatusJson(const RoundStatus& s) {
  ordered_json annotators = ordered_json::array();
  for (const AnnotatorProgress& p : s.annotators) {
    annotators.push_back({{"name", p.name}, {"labels", p.labels}, {"queue", p.queue}});
  }
  const int64_t items = static_cast<int64_t>(s.round.items.size());
  return {{"round", s.round.name},
          {"run", s.round.run_id},
          {"sample", Name(s.round.sample)},
          {"overlap", s.round.overlap},
          {"items", items},
          {"labels", s.labels},
          {"labels_needed", items * s.round.overlap},
          {"items_by_labels",
           {{"none", s.items_none}, {"partial", s.items_partial}, {"complete", s.items_complete}}},
          {"annotators", annotators},
          {"class_agreement", AgreementJson(s.classes)},
          {"violation_agreement", AgreementJson(s.violation)},
          {"disagreements", s.disagreements},
          {"adjudicated", s.adjudicated},
          {"gold", s.gold}};
}

std::string Kappa(const std::optional<double>& kappa) {
  std::string words(DescribeKappa(kappa));
  return FormatAgreement(kappa) + (words.empty() ? "" : " (" + words + ")");
}

void PrintAgreement(const std::string& what, const AgreementReport& r, std::ostream& out) {
  out << "Agreement on " << what << " (" << r.items_multiply_rated
      << " items labelled twice or more)\n"
      << "  observed " << FormatAgreement(r.observed) << "   Fleiss' kappa "
      << Kappa(r.fleiss_kappa) << "   Krippendorff's alpha "
      << FormatAgreement(r.krippendorff_alpha) << "\n";
  if (r.pairs.empty()) return;
  TextTable table({"annotators", "items", "observed", "Cohen's kappa"});
  for (const PairAgreement& p : r.pairs) {
    table.AddRow({TerminalText(p.rater_a) + " / " + TerminalText(p.rater_b),
                  std::to_string(p.items), FormatAgreement(p.observed), Kappa(p.kappa)});
  }
  out << table.Render("  ");
}

void PrintStatus(const RoundStatus& s, std::ostream& out) {
  const int64_t items = static_cast<int64_t>(s.round.items.size());
  out << "Round " << s.round.name << " on run " << TerminalText(s.round.run_id) << " ("
      << Name(s.round.sample) << ", overlap " << s.round.overlap << ")\n"
      << "Items    " << items << ": " << s.items_complete << " complete, " << s.items_partial
      << " partly labelled, " << s.items_none << " without labels\n"
      << "Labels   " << s.labels << " of " << items * s.round.overlap << " needed\n";
  if (!s.annotators.empty()) {
    TextTable table({"annotator", "labels", "queue"});
    for (const AnnotatorProgress& p : s.annotators) {
      table.AddRow({TerminalText(p.name), std::to_string(p.labels), std::to_string(p.queue)});
    }
    out << table.Render("  ");
  }
  PrintAgreement("classes", s.classes, out);
  PrintAgreement("violation", s.violation, out);
  out << "Disagreements " << s.disagreements << " (" << s.adjudicated
      << " adjudicated)   Gold labels " << s.gold << "\n";
}

Status ShowStatus(const StatusFlags& flags, std::ostream& out) {
  SV_ASSIGN_OR_RETURN(Stores stores, OpenExistingStores(flags.store));
  SV_ASSIGN_OR_RETURN(RoundStatus status, Measure(*stores.annotations, flags));
  if (flags.json) {
    out << StatusJson(status).dump(2) << "\n";
  } else {
    PrintStatus(status, out);
  }
  return Status::Ok();
}

}  // namespace

void SetupAnnotateStatusCommand(CLI::App& sub, CliContext& context) {
  auto flags = std::make_shared<StatusFlags>();
  sub.add_option("round", flags->round, "The round")->required();
  sub.add_flag("--json", flags->json, "Print the numbers as one JSON document");
  sub.add_option("--store", flags->store, "The store: a SQLite file or a postgresql:// URL")
      ->type_name("PATH|URL")
      ->capture_default_str();
  sub.callback([flags, &context] {
    Status status = ShowStatus(*flags, *context.out);
    if (!status.ok()) context.Fail(status);
  });
}

}  // namespace safeval
