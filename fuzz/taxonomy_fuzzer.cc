// Taxonomy YAML (src/taxonomy/taxonomy.h Taxonomy::FromYaml). Checks: no crash, and a
// parsed tree is consistent: parents come first and every node is found by its path.
#include <cstdint>

#include "fuzz/fuzz_util.h"

using namespace safeval;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Result<Taxonomy> taxonomy = Taxonomy::FromYaml(fuzz::AsText(data, size), "fuzz.yaml");
  if (!taxonomy.ok()) return 0;
  const std::vector<TaxonomyNode>& nodes = taxonomy->nodes();
  for (size_t i = 0; i < nodes.size(); ++i) {
    FUZZ_CHECK(nodes[i].parent < static_cast<int>(i));
    FUZZ_CHECK(taxonomy->Find(nodes[i].path) == &nodes[i]);
  }
  (void)taxonomy->Leaves();
  return 0;
}
