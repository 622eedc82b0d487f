// The technique registry the dataset commands use: the built-in templates plus the files
// given with --techniques-file.
#pragma once

#include <string>
#include <vector>

#include "augment/technique_registry.h"
#include "core/status.h"

namespace safeval {

// Fails as TechniqueRegistry::AddFile on the first bad file ("<file>:<line>: field ...").
Result<TechniqueRegistry> LoadTechniqueRegistry(const std::vector<std::string>& files);

}  // namespace safeval
