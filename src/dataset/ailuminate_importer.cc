// --format ailuminate: the MLCommons AILuminate prompt CSV
// (release_prompt_id,prompt_text,hazard,persona,locale,prompt_hash).
//
// Every AILuminate prompt is a hazard prompt, so the intent is harmful (or
// --default-intent). The hazard code is the category: AILuminate's codes are the
// ids of the built-in taxonomies, with the spc_* and sxc_prn sub-hazards under
// spc and sxc. persona and locale are optional columns; prompt_hash is not read.
#include "dataset/dataset.h"
#include "dataset/import_formats.h"

namespace safeval {
namespace {

struct Hazard {
  std::string_view code;
  std::string_view category;
};

constexpr Hazard kHazards[] = {
    {"vcr", "vcr"},
    {"src", "src"},
    {"cse", "cse"},
    {"ssh", "ssh"},
    {"iwp", "iwp"},
    {"ipv", "ipv"},
    {"dfm", "dfm"},
    {"ncr", "ncr"},
    {"hte", "hte"},
    {"prv", "prv"},
    {"spc_ele", "spc/spc_ele"},
    {"spc_fin", "spc/spc_fin"},
    {"spc_hlt", "spc/spc_hlt"},
    {"spc_lgl", "spc/spc_lgl"},
    {"sxc_prn", "sxc/sxc_prn"},
};

const Hazard* FindHazard(std::string_view code) {
  for (const Hazard& hazard : kHazards) {
    if (hazard.code == code) return &hazard;
  }
  return nullptr;
}

class AiluminateConverter : public CsvRowConverter {
 public:
  AiluminateConverter(std::vector<size_t> required, std::optional<size_t> persona,
                      std::optional<size_t> locale, const ImportContext& context)
      : id_(required[0]),
        text_(required[1]),
        hazard_(required[2]),
        persona_(persona),
        locale_(locale),
        context_(context) {}

  RowResult Convert(const CsvRecord& record, int /*row*/) override {
    const std::vector<std::string>& f = record.fields;
    const Hazard* hazard = FindHazard(NormalizeCode(f[hazard_]));
    if (!hazard) return RowResult::Skip("unknown hazard code '" + f[hazard_] + "'");
    Prompt prompt = MakePrompt(Trim(f[id_]), f[text_],
                               FirstKnownCategory(context_.taxonomy, {hazard->category}),
                               context_.options.default_intent.value_or(Intent::kHarmful));
    if (persona_ && !f[*persona_].empty()) {
      std::optional<Persona> persona = ParsePersona(NormalizeCode(f[*persona_]));
      if (!persona) {
        return RowResult::Skip(
            "column 'persona': expected one of normal, unskilled, skilled, "
            "got '" +
            f[*persona_] + "'");
      }
      prompt.persona = *persona;
    }
    if (locale_) prompt.locale = NormalizeLocale(f[*locale_]);
    prompt.tags = {"ailuminate"};
    return RowResult::Line(PromptToJsonLine(prompt));
  }

 private:
  size_t id_, text_, hazard_;
  std::optional<size_t> persona_, locale_;
  const ImportContext& context_;
};

}  // namespace

Result<std::unique_ptr<CsvRowConverter>> MakeAiluminateConverter(const CsvColumns& columns,
                                                                 const ImportContext& context) {
  SV_ASSIGN_OR_RETURN(std::vector<size_t> required,
                      columns.Require({"release_prompt_id", "prompt_text", "hazard"}));
  std::unique_ptr<CsvRowConverter> converter = std::make_unique<AiluminateConverter>(
      std::move(required), columns.Find("persona"), columns.Find("locale"), context);
  return converter;
}

}  // namespace safeval
