// Making the ModelClient for a suite's target: the model under test, or the
// endpoint of an llm/guard judge. One place, so a judge's endpoint is reached
// exactly like a model under test (same options, keys, retries and seed).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "core/clock.h"
#include "core/status.h"
#include "model/model_client.h"
#include "run/suite.h"

namespace safeval {

// Reads an environment variable (nullopt when unset). Injected by the command
// line: nothing below cli/ reads the environment itself.
using GetEnvFn = std::function<std::optional<std::string>(const std::string&)>;

// The client for `target` of `suite`, with `concurrency` (when set) overriding the
// target's. The API key comes from the variable named by target.api_key_env; an
// unset or empty variable is InvalidArgument "<suite path>: target '<name>':
// environment variable X (its api_key_env) is not set" (for every type with an
// api_key_env: openai, anthropic, http, images). Options the adapter rejects give its
// InvalidArgument prefixed "<suite path>: target '<name>': " (e.g. an exec command not
// found on PATH). The target's requests_per_minute, tokens_per_minute and
// circuit_breaker go into the adapter's EndpointLimits. `clock` must outlive the client.
Result<std::unique_ptr<ModelClient>> MakeTargetClient(const Suite& suite,
                                                      const TargetConfig& target,
                                                      std::optional<int> concurrency,
                                                      const GetEnvFn& getenv, Clock& clock);

}  // namespace safeval
