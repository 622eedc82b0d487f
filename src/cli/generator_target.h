// `--generator FILE:TARGET` of the dataset commands: a target that serves as the generator
// model for translation and generation, from a suite file (one with `datasets:`), a judge
// configuration file (one with `judges:`) or a targets file — `schema_version: 1` and
// `targets:` in suite syntax, nothing else. The client is made exactly like a model under
// test's (key from the environment variable its api_key_env names, retries, concurrency).
// Not thread-safe.
#pragma once

#include <memory>
#include <string>

#include "core/clock.h"
#include "core/status.h"
#include "model/model_client.h"

namespace safeval {

// The client for `spec` ("FILE:TARGET"; the last ':' separates them). Fails with
// InvalidArgument on a spec without TARGET, a file with errors ("<file>:<line>: field ..."),
// a target name the file does not have (the names it has are listed), or a missing API key;
// NotFound on a missing file.
// REQUIRES: `clock` outlives the client.
Result<std::unique_ptr<ModelClient>> MakeGeneratorClient(const std::string& spec, Clock& clock);

}  // namespace safeval
