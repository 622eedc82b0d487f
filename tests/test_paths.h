// Paths the integration tests need, fixed at build time by CMakeLists.txt.
#pragma once

#include <string>

namespace safeval::testing {

// The safeval binary built beside the tests.
inline std::string SafevalBinary() { return SAFEVAL_BINARY; }
// The source checkout (for examples/ and data/).
inline std::string SourceDir() { return SAFEVAL_SOURCE_DIR; }

}  // namespace safeval::testing
