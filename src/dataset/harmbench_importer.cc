// --format harmbench: the HarmBench behaviours CSV
// (Behavior,FunctionalCategory,SemanticCategory,Tags,ContextString,BehaviorID).
//
// Intent harmful (or --default-intent); id = BehaviorID. A ContextString goes
// before the behaviour, with a blank line between, as HarmBench presents
// contextual behaviours. Tags: "harmbench", "functional:<FunctionalCategory>",
// "semantic:<SemanticCategory>" and each comma-separated entry of Tags.
//
// SemanticCategory → category (the first candidate the taxonomy has):
//   chemical_biological   → iwp           CBRN weapons are AILuminate's iwp.
//   illegal               → ncr           drugs, weapons trade, fraud, theft: non-violent crimes.
//   cybercrime_intrusion  → ncr/cyber, ncr  it covers malware and exploits as well as
//                           intrusion, so the cyber node rather than ncr/cyber/intrusion.
//   harassment_bullying   → hte           AILuminate has no harassment hazard; hate (demeaning
//                           people) is the closest.
//   copyright             → ipv           reproducing protected works.
//   misinformation_disinformation, harmful → not mapped: misinformation is mostly not about a
//                           person (so not dfm) and "harmful" is a grab bag; both take
//                           --default-category, or the row is skipped.
#include "dataset/dataset.h"
#include "dataset/import_formats.h"

namespace safeval {
namespace {

struct SemanticCategory {
  std::string_view name;
  std::vector<std::string_view> categories;  // candidates for FirstKnownCategory
};

const std::vector<SemanticCategory>& SemanticCategories() {
  static const std::vector<SemanticCategory> kTable = {
      {"chemical_biological", {"iwp"}},
      {"illegal", {"ncr"}},
      {"cybercrime_intrusion", {"ncr/cyber", "ncr"}},
      {"harassment_bullying", {"hte"}},
      {"copyright", {"ipv"}},
  };
  return kTable;
}

// Comma-separated entries, trimmed, empty ones dropped.
std::vector<std::string> SplitTags(std::string_view text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(',', start);
    if (end == std::string_view::npos) end = text.size();
    std::string tag = Trim(text.substr(start, end - start));
    if (!tag.empty()) out.push_back(std::move(tag));
    start = end + 1;
  }
  return out;
}

class HarmbenchConverter : public CsvRowConverter {
 public:
  struct Columns {
    size_t behavior, semantic, id;
    std::optional<size_t> functional, tags, context;
  };

  HarmbenchConverter(Columns columns, const ImportContext& context)
      : c_(columns), context_(context) {}

  RowResult Convert(const CsvRecord& record, int /*row*/) override {
    const std::vector<std::string>& f = record.fields;
    std::string semantic = NormalizeCode(f[c_.semantic]);
    std::optional<CategoryPath> category = CategoryOf(semantic);
    if (!category) {
      return RowResult::Skip("SemanticCategory '" + semantic +
                             "' has no category mapping (give --default-category)");
    }
    std::string text = f[c_.behavior];
    if (c_.context && !Trim(f[*c_.context]).empty()) text = f[*c_.context] + "\n\n" + text;
    Prompt prompt = MakePrompt(Trim(f[c_.id]), std::move(text), std::move(*category),
                               context_.options.default_intent.value_or(Intent::kHarmful));
    prompt.tags = {"harmbench"};
    if (c_.functional && !Trim(f[*c_.functional]).empty()) {
      prompt.tags.push_back("functional:" + NormalizeCode(f[*c_.functional]));
    }
    if (!semantic.empty()) prompt.tags.push_back("semantic:" + semantic);
    if (c_.tags) {
      for (std::string& tag : SplitTags(f[*c_.tags])) prompt.tags.push_back(std::move(tag));
    }
    return RowResult::Line(PromptToJsonLine(prompt));
  }

 private:
  std::optional<CategoryPath> CategoryOf(const std::string& semantic) const {
    for (const SemanticCategory& entry : SemanticCategories()) {
      if (entry.name == semantic) return FirstKnownCategory(context_.taxonomy, entry.categories);
    }
    return context_.options.default_category;
  }

  Columns c_;
  const ImportContext& context_;
};

}  // namespace

Result<std::unique_ptr<CsvRowConverter>> MakeHarmbenchConverter(const CsvColumns& columns,
                                                                const ImportContext& context) {
  SV_ASSIGN_OR_RETURN(std::vector<size_t> required,
                      columns.Require({"Behavior", "SemanticCategory", "BehaviorID"}));
  HarmbenchConverter::Columns c{required[0],          required[1],
                                required[2],          columns.Find("FunctionalCategory"),
                                columns.Find("Tags"), columns.Find("ContextString")};
  std::unique_ptr<CsvRowConverter> converter = std::make_unique<HarmbenchConverter>(c, context);
  return converter;
}

}  // namespace safeval
