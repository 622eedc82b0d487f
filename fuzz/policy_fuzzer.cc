// Policy YAML (src/policy/policy.h Policy::FromYaml) over the safeval-v1 taxonomy. Checks:
// no crash, and a parsed policy answers for every node and intent with a non-empty set.
#include <cstdint>

#include "fuzz/fuzz_util.h"

using namespace safeval;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const Taxonomy& taxonomy = fuzz::FuzzTaxonomy();
  Result<Policy> policy = Policy::FromYaml(fuzz::AsText(data, size), "fuzz.yaml", taxonomy);
  if (!policy.ok()) return 0;
  for (const TaxonomyNode& node : taxonomy.nodes()) {
    for (Intent intent : {Intent::kSafe, Intent::kHarmful, Intent::kAdversarial}) {
      FUZZ_CHECK(!policy->Acceptable(node.path, intent).empty());
    }
    (void)policy->GuidanceFor(node.path);
  }
  return 0;
}
