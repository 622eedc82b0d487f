// Counterfactual template YAML (src/dataset/counterfactual.h ExpandCounterfactuals) over the
// safeval-v1 taxonomy. Checks: no crash, and an expanded set has one prompt per template and
// group, each with a group, its template's pair id, valid UTF-8 text and a unique id.
#include <cstdint>
#include <set>

#include "dataset/counterfactual.h"
#include "fuzz/fuzz_util.h"

using namespace safeval;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Result<CounterfactualSet> set =
      ExpandCounterfactuals(fuzz::AsText(data, size), "fuzz.yaml", &fuzz::FuzzTaxonomy());
  if (!set.ok()) return 0;
  FUZZ_CHECK(set->groups.size() >= 2);
  FUZZ_CHECK(set->prompts.size() == set->templates * set->groups.size());
  std::set<std::string> ids;
  for (const Prompt& prompt : set->prompts) {
    FUZZ_CHECK(!prompt.group.empty());
    FUZZ_CHECK(!prompt.pair_id.empty());
    FUZZ_CHECK(ids.insert(prompt.id).second);
    FUZZ_CHECK(IsValidUtf8(prompt.LastUserText()));
  }
  return 0;
}
