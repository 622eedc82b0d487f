// safeval annotate create RUN --sample borderline|failures|random|all --name ROUND [--n N]
//                         [--overlap K] [--seed S] [--store PATH]
// Creates an annotation round over a stored run's judged items (which ones: cli/annotate_sample.h)
// and prints its summary: items, overlap and the labels needed. The run is streamed once,
// keeping a few numbers per item. When fewer items qualify than --n, the round is smaller and
// says so; when none do, nothing is created (exit 2).
#include <CLI/CLI.hpp>
#include <memory>

#include "cli/annotate_command.h"
#include "cli/annotate_sample.h"
#include "core/clock.h"
#include "core/terminal_text.h"
#include "store/store.h"

namespace safeval {
namespace {

constexpr int kMaxOverlap = 10;

struct CreateFlags {
  std::string run_id;
  std::string sample;
  std::string name;
  std::optional<int64_t> n;  // --n when given
  int overlap = 1;
  uint64_t seed = 0;
  std::string store = kDefaultStorePath;
};

Result<SampleOptions> ParseOptions(const CreateFlags& flags) {
  SV_RETURN_IF_ERROR(CheckAnnotationName("--name", flags.name));
  std::optional<RoundSample> sample = ParseRoundSample(flags.sample);
  if (!sample) {
    return Status::InvalidArgument("--sample '" + flags.sample +
                                   "': expected borderline, failures, random or all");
  }
  if (flags.n && *flags.n < 1) {
    return Status::InvalidArgument("--n " + std::to_string(*flags.n) + ": expected at least 1");
  }
  if (flags.overlap < 1 || flags.overlap > kMaxOverlap) {
    return Status::InvalidArgument("--overlap " + std::to_string(flags.overlap) +
                                   ": expected 1 to " + std::to_string(kMaxOverlap) +
                                   " annotators per item");
  }
  SampleOptions options;
  options.sample = *sample;
  options.n = flags.n;
  options.seed = flags.seed;
  return options;
}

struct Candidates {
  std::vector<SampleCandidate> judged;
  int64_t items = 0;  // every item of the run
};

Result<Candidates> ScanCandidates(Store& store, const std::string& run_id) {
  Candidates c;
  SV_RETURN_IF_ERROR(store.ScanItems(run_id, [&c](StoredItem&& item) {
    ++c.items;
    if (std::optional<SampleCandidate> candidate = ToSampleCandidate(item)) {
      c.judged.push_back(*candidate);
    }
    return Status::Ok();
  }));
  return c;
}

std::string Plural(int64_t n, const std::string& word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

Status EmptySelection(const CreateFlags& flags, const Candidates& c) {
  if (c.judged.empty()) {
    return Status::InvalidArgument("run " + flags.run_id + " has no judged items (" +
                                   Plural(c.items, "item") + "): nothing to annotate");
  }
  return Status::InvalidArgument("no " + flags.sample + " items among the " +
                                 Plural(static_cast<int64_t>(c.judged.size()), "judged item") +
                                 " of run " + flags.run_id +
                                 ": no round was created (try --sample random or all)");
}

void PrintSummary(const AnnotationRound& round, const RoundSelection& selection,
                  const SampleOptions& options, size_t judged, size_t annotators,
                  const std::string& store, std::ostream& out, std::ostream& err) {
  const int64_t items = static_cast<int64_t>(round.items.size());
  if (options.n && selection.qualifying < *options.n) {
    const bool every = round.sample == RoundSample::kAll || round.sample == RoundSample::kRandom;
    err << "safeval: only " << Plural(selection.qualifying, "item") << " of run "
        << TerminalText(round.run_id)
        << (every ? std::string(" are judged") : " qualify as " + std::string(Name(round.sample)))
        << " (--n " << *options.n << "): the round has " << items << "\n";
  }
  out << "Created round " << round.name << " on run " << TerminalText(round.run_id) << "\n"
      << "  sample   " << Name(round.sample);
  if (round.sample == RoundSample::kRandom) {
    out << ", seed " << options.seed << " (from the run's " << judged << " judged items)\n";
  } else {
    out << " (" << selection.qualifying << " of the run's " << judged << " judged items)\n";
  }
  out << "  items    " << items << "\n"
      << "  overlap  " << round.overlap << " annotator" << (round.overlap == 1 ? "" : "s")
      << " per item\n"
      << "  labels   " << items * round.overlap << " needed\n";
  if (annotators < static_cast<size_t>(round.overlap)) {
    err << "safeval: note: " << StoreLabel(store) << " has "
        << Plural(static_cast<int64_t>(annotators), "annotator") << " and the round wants "
        << round.overlap << " per item (add them: safeval annotators add NAME)\n";
  }
  out << "Label in the web UI (safeval serve, then /annotate/" << round.name
      << ") or import labels: safeval annotate import " << round.name << " FILE\n";
}

Status Create(const CreateFlags& flags, std::ostream& out, std::ostream& err) {
  SV_ASSIGN_OR_RETURN(SampleOptions options, ParseOptions(flags));
  SV_ASSIGN_OR_RETURN(Stores stores, OpenExistingStores(flags.store));
  SV_ASSIGN_OR_RETURN(RunRecord run, stores.runs->GetRun(flags.run_id));
  SV_ASSIGN_OR_RETURN(Candidates candidates, ScanCandidates(*stores.runs, run.id));
  RoundSelection selection = SelectRoundItems(candidates.judged, options);
  if (selection.items.empty()) return EmptySelection(flags, candidates);

  SystemClock clock;
  AnnotationRound round;
  round.name = flags.name;
  round.run_id = run.id;
  round.sample = options.sample;
  round.overlap = flags.overlap;
  round.created_at = clock.NowIso8601();
  round.items = std::move(selection.items);
  SV_RETURN_IF_ERROR(stores.annotations->CreateRound(round));
  SV_ASSIGN_OR_RETURN(std::vector<Annotator> annotators, stores.annotations->ListAnnotators());
  PrintSummary(round, selection, options, candidates.judged.size(), annotators.size(), flags.store,
               out, err);
  return Status::Ok();
}

}  // namespace

void SetupAnnotateCreateCommand(CLI::App& sub, CliContext& context) {
  auto flags = std::make_shared<CreateFlags>();
  sub.add_option("run", flags->run_id, "The run whose judged items are labelled")->required();
  sub.add_option("--sample", flags->sample,
                 "borderline (judges disagree, or confidence < 0.6), failures (violations and "
                 "over-deflections), random (seeded) or all")
      ->required();
  sub.add_option("--name", flags->name, "The round's name (1 to 64 of A-Z a-z 0-9 _ - . @)")
      ->required();
  auto n = std::make_shared<int64_t>(0);
  CLI::Option* n_option =
      sub.add_option("--n", *n, "At most this many items (default: every qualifying item)");
  sub.add_option("--overlap", flags->overlap, "Annotators wanted per item (1 to 10)")
      ->capture_default_str();
  sub.add_option("--seed", flags->seed, "The seed of --sample random")->capture_default_str();
  sub.add_option("--store", flags->store, "The store: a SQLite file or a postgresql:// URL")
      ->type_name("PATH|URL")
      ->capture_default_str();
  sub.callback([flags, n, n_option, &context] {
    if (n_option->count() > 0) flags->n = *n;
    Status status = Create(*flags, *context.out, *context.err);
    if (!status.ok()) context.Fail(status);
  });
}

}  // namespace safeval
