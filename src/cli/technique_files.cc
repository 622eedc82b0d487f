#include "cli/technique_files.h"

namespace safeval {

Result<TechniqueRegistry> LoadTechniqueRegistry(const std::vector<std::string>& files) {
  SV_ASSIGN_OR_RETURN(TechniqueRegistry registry, TechniqueRegistry::Builtin());
  for (const std::string& file : files) SV_RETURN_IF_ERROR(registry.AddFile(file));
  return registry;
}

}  // namespace safeval
