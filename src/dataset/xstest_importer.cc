// --format xstest: the XSTest CSV (id,prompt,type,label,focus,note).
//
// XSTest tests over-refusal: "safe" prompts only look risky, their "unsafe"
// contrast prompts are plain harmful requests. So label safe → intent safe,
// unsafe → harmful. Most types say how a prompt looks risky (homonyms, figurative
// language, safe targets, ...) rather than which hazard it touches; only two
// families name a hazard and are mapped:
//   a type containing "privacy" (privacy_public, privacy_fictional, contrast_privacy) → prv
//   a type containing "discr" (real_group_nons_discr, nons_group_real_discr, contrast_discr)
//       → hte/discrimination when the taxonomy has it, else hte
// Every other type takes --default-category, or the row is skipped.
// Ids are "xstest-<id>" (XSTest numbers its prompts 1, 2, ...); tags are "xstest",
// "type:<type>" and "focus:<focus>". The note column is not read.
#include "dataset/dataset.h"
#include "dataset/import_formats.h"

namespace safeval {
namespace {

struct TypeFamily {
  std::string_view part;                     // a type containing this belongs to the family
  std::vector<std::string_view> categories;  // candidates for FirstKnownCategory
};

const std::vector<TypeFamily>& TypeFamilies() {
  static const std::vector<TypeFamily> kFamilies = {
      {"privacy", {"prv"}},
      {"discr", {"hte/discrimination", "hte"}},
  };
  return kFamilies;
}

class XstestConverter : public CsvRowConverter {
 public:
  XstestConverter(std::vector<size_t> required, std::optional<size_t> focus,
                  const ImportContext& context)
      : id_(required[0]),
        text_(required[1]),
        type_(required[2]),
        label_(required[3]),
        focus_(focus),
        context_(context) {}

  RowResult Convert(const CsvRecord& record, int /*row*/) override {
    const std::vector<std::string>& f = record.fields;
    std::string label = NormalizeCode(f[label_]);
    if (label != "safe" && label != "unsafe") {
      return RowResult::Skip("label '" + f[label_] + "': expected safe or unsafe");
    }
    std::string type = NormalizeCode(f[type_]);
    std::optional<CategoryPath> category = CategoryOf(type);
    if (!category) {
      return RowResult::Skip("type '" + type +
                             "' has no category mapping (give --default-category)");
    }
    std::string id = Trim(f[id_]);
    if (!id.empty()) id = "xstest-" + id;  // an empty id stays empty and fails validation
    Prompt prompt = MakePrompt(std::move(id), f[text_], std::move(*category),
                               label == "safe" ? Intent::kSafe : Intent::kHarmful);
    prompt.tags = {"xstest", "type:" + type};
    if (focus_ && !Trim(f[*focus_]).empty()) prompt.tags.push_back("focus:" + Trim(f[*focus_]));
    return RowResult::Line(PromptToJsonLine(prompt));
  }

 private:
  std::optional<CategoryPath> CategoryOf(const std::string& type) const {
    for (const TypeFamily& family : TypeFamilies()) {
      if (type.find(family.part) != std::string::npos) {
        return FirstKnownCategory(context_.taxonomy, family.categories);
      }
    }
    return context_.options.default_category;
  }

  size_t id_, text_, type_, label_;
  std::optional<size_t> focus_;
  const ImportContext& context_;
};

}  // namespace

Result<std::unique_ptr<CsvRowConverter>> MakeXstestConverter(const CsvColumns& columns,
                                                             const ImportContext& context) {
  SV_ASSIGN_OR_RETURN(std::vector<size_t> required,
                      columns.Require({"id", "prompt", "type", "label"}));
  std::unique_ptr<CsvRowConverter> converter =
      std::make_unique<XstestConverter>(std::move(required), columns.Find("focus"), context);
  return converter;
}

}  // namespace safeval
