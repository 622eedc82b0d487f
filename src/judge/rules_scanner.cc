#include "judge/rules_scanner.h"

#include <hs.h>

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <future>
#include <tuple>

#include "judge/rules_database.h"

namespace safeval {
namespace {

// The whole set's flags (judge/rules_database.cc) with start offsets.
constexpr unsigned kSomFlags = HS_FLAG_CASELESS | HS_FLAG_UTF8 | HS_FLAG_SOM_LEFTMOST;

struct ScratchDeleter {
  void operator()(hs_scratch_t* scratch) const { hs_free_scratch(scratch); }
};
using DatabasePtr = HsDatabasePtr;
using ScratchPtr = std::unique_ptr<hs_scratch_t, ScratchDeleter>;

// One pattern of the second pass: its database with start offsets, and the widest
// match it can make (kUnbounded for patterns such as "first,[^\n]*then").
struct SinglePattern {
  static constexpr size_t kUnbounded = SIZE_MAX;
  DatabasePtr db;
  size_t max_width = kUnbounded;
};

// Checks a pattern with start offsets and measures its widest match; the database itself
// is compiled on the pattern's first match (CompileOne), since most patterns of a large
// set never match a given run and compiling each with start offsets costs about a
// millisecond: the whole built-in set would add a third of a second to every start.
Result<SinglePattern> InspectOne(const PatternSet& set, size_t i, const std::string& origin) {
  const char* regex = set.patterns[i].regex.c_str();
  SinglePattern single;
  hs_expr_info_t* info = nullptr;
  hs_compile_error_t* error = nullptr;
  if (hs_expression_info(regex, kSomFlags, &info, &error) != HS_SUCCESS)
    return VectorscanCompileError(origin, set, static_cast<int>(i), error);
  if (info->max_width != UINT_MAX) single.max_width = info->max_width;
  std::free(info);  // allocated by vectorscan's misc allocator, malloc by default
  return single;
}

// Compiles the pattern's database with start offsets; false when vectorscan cannot.
bool CompileOne(const PatternSet& set, size_t i, SinglePattern& single) {
  hs_database_t* db = nullptr;
  hs_compile_error_t* error = nullptr;
  if (hs_compile(set.patterns[i].regex.c_str(), kSomFlags, HS_MODE_BLOCK, nullptr, &db, &error) !=
      HS_SUCCESS) {
    hs_free_compile_error(error);
    return false;
  }
  single.db.reset(db);
  return true;
}

// Where a pattern's matches end in the first pass; first_end == 0: no match (no
// pattern matches the empty string, which vectorscan rejects at compile time).
struct EndRange {
  size_t first_end = 0;
  size_t last_end = 0;
};

int OnAnyMatch(unsigned id, unsigned long long /*from*/, unsigned long long to, unsigned /*flags*/,
               void* context) {
  EndRange& range = (*static_cast<std::vector<EndRange>*>(context))[id];
  auto end = static_cast<size_t>(to);
  range.first_end = range.first_end == 0 ? end : std::min(range.first_end, end);
  range.last_end = std::max(range.last_end, end);
  return 0;  // keep scanning
}

bool IsContinuationByte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// The window [begin, end) of `text` the second pass scans for one pattern. Every
// match starts at or after first_end - max_width and ends by last_end. The window
// reaches one character past last_end so that an assertion there ("\b") sees the
// next character, and one character before the earliest start so that one at the
// start does too; a match the cut itself creates starts exactly at `begin` (a "^"
// or "\b" there) or ends past last_end, and is dropped. Cuts fall between UTF-8
// characters, as vectorscan requires.
struct Window {
  size_t begin = 0;
  size_t end = 0;
};

Window SecondPassWindow(std::string_view text, const EndRange& range, size_t max_width) {
  Window w;
  w.end = std::min(range.last_end + 1, text.size());
  while (w.end < text.size() && IsContinuationByte(text[w.end])) ++w.end;
  if (max_width != SinglePattern::kUnbounded && range.first_end > max_width) {
    w.begin = range.first_end - max_width - 1;
    while (w.begin > 0 && IsContinuationByte(text[w.begin])) --w.begin;
  }
  return w;
}

struct MatchContext {
  const PatternSpec* spec;
  Window window;
  size_t last_end;
  std::vector<PatternMatch>* matches;
};

int OnMatch(unsigned /*id*/, unsigned long long from, unsigned long long to, unsigned /*flags*/,
            void* context) {
  auto* ctx = static_cast<MatchContext*>(context);
  size_t start = ctx->window.begin + static_cast<size_t>(from);
  size_t end = ctx->window.begin + static_cast<size_t>(to);
  bool artefact_of_cut = (ctx->window.begin > 0 && from == 0) || end > ctx->last_end;
  if (!artefact_of_cut) ctx->matches->push_back({start, end, ctx->spec});
  return 0;  // keep scanning
}

// Vectorscan reports a match at every end offset; merge overlapping matches of
// one pattern so each region counts (and shows as evidence) once.
void MergeOverlaps(std::vector<PatternMatch>& raw, std::vector<PatternMatch>& merged) {
  std::sort(raw.begin(), raw.end(), [](const PatternMatch& a, const PatternMatch& b) {
    return std::tie(a.spec, a.start, a.end) < std::tie(b.spec, b.start, b.end);
  });
  merged.clear();
  for (const PatternMatch& m : raw) {
    if (!merged.empty() && merged.back().spec == m.spec && m.start < merged.back().end) {
      merged.back().end = std::max(merged.back().end, m.end);
    } else {
      merged.push_back(m);
    }
  }
}

}  // namespace

struct RulesScanner::Impl {
  const PatternSet* set = nullptr;
  std::string origin;
  // The whole-set database while it compiles on another thread (Compile::kInBackground);
  // Ready() takes it.
  std::future<Result<DatabasePtr>> compiling;
  Status compile_status;            // of the background compile, once taken
  DatabasePtr all;                  // every pattern, no start offsets
  std::vector<SinglePattern> each;  // per pattern, with start offsets
  ScratchPtr scratch;               // large enough for every database above
  std::vector<EndRange> ends;       // per pattern, from the first pass
  std::vector<PatternMatch> raw;    // second-pass matches before merging (reused)

  // Keeps the whole-set database and allocates the scratch space for it.
  Status Adopt(DatabasePtr db) {
    all = std::move(db);
    hs_scratch_t* space = nullptr;
    bool ok = hs_alloc_scratch(all.get(), &space) == HS_SUCCESS;
    scratch.reset(space);
    if (!ok) return Status::Internal(origin + ": vectorscan could not allocate scratch space");
    return Status::Ok();
  }

  // Waits for a background compile once; Ok at once for a set compiled in Create.
  const Status& Ready() {
    if (!compiling.valid()) return compile_status;
    Result<DatabasePtr> db = compiling.get();
    compile_status = db.ok() ? Adopt(std::move(db).value()) : db.status();
    return compile_status;
  }

  // The pattern's start-offset database, compiled on first use, with the scratch grown to fit.
  bool EnsureCompiled(size_t i) {
    if (each[i].db) return true;
    if (!CompileOne(*set, i, each[i])) return false;
    hs_scratch_t* space = scratch.release();
    bool ok = hs_alloc_scratch(each[i].db.get(), &space) == HS_SUCCESS;  // grows it to fit
    scratch.reset(space);
    return ok;
  }

  bool ScanOne(std::string_view text, size_t i) {
    if (!EnsureCompiled(i)) return false;
    Window window = SecondPassWindow(text, ends[i], each[i].max_width);
    MatchContext context{&set->patterns[i], window, ends[i].last_end, &raw};
    return hs_scan(each[i].db.get(), text.data() + window.begin,
                   static_cast<unsigned>(window.end - window.begin), 0, scratch.get(), &OnMatch,
                   &context) == HS_SUCCESS;
  }
};

RulesScanner::RulesScanner(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
RulesScanner::~RulesScanner() = default;

Result<std::unique_ptr<RulesScanner>> RulesScanner::Create(const PatternSet& set,
                                                           const std::string& origin, Compile when,
                                                           const PrebuiltDatabase* prebuilt) {
  auto impl = std::make_unique<Impl>();
  impl->set = &set;
  impl->origin = origin;
  for (size_t i = 0; i < set.patterns.size(); ++i) {
    SV_ASSIGN_OR_RETURN(SinglePattern single, InspectOne(set, i, origin));
    impl->each.push_back(std::move(single));
  }
  HsDatabasePtr loaded = prebuilt ? LoadWholeSet(set, *prebuilt) : nullptr;
  if (loaded) {
    SV_RETURN_IF_ERROR(impl->Adopt(std::move(loaded)));
  } else if (when == Compile::kInBackground) {
    impl->compiling =
        std::async(std::launch::async, [&set, origin] { return CompileWholeSet(set, origin); });
  } else {
    SV_ASSIGN_OR_RETURN(DatabasePtr all, CompileWholeSet(set, origin));
    SV_RETURN_IF_ERROR(impl->Adopt(std::move(all)));
  }
  impl->ends.resize(set.patterns.size());
  return std::unique_ptr<RulesScanner>(new RulesScanner(std::move(impl)));
}

bool RulesScanner::Scan(std::string_view text, std::vector<PatternMatch>& matches) {
  Impl& s = *impl_;
  matches.clear();
  s.raw.clear();
  if (!s.Ready().ok()) return false;
  // hs_scan takes an unsigned length; a response past 4 GiB is judged on its start.
  text = text.substr(0, std::min<size_t>(text.size(), UINT_MAX));
  std::fill(s.ends.begin(), s.ends.end(), EndRange{});
  if (hs_scan(s.all.get(), text.data(), static_cast<unsigned>(text.size()), 0, s.scratch.get(),
              &OnAnyMatch, &s.ends) != HS_SUCCESS)
    return false;
  for (size_t i = 0; i < s.ends.size(); ++i) {
    if (s.ends[i].last_end > 0 && !s.ScanOne(text, i)) return false;
  }
  MergeOverlaps(s.raw, matches);
  return true;
}

}  // namespace safeval
