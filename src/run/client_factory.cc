#include "run/client_factory.h"

#include "model/demo_client.h"
#include "model/openai_client.h"

namespace safeval {

Result<std::unique_ptr<ModelClient>> MakeTargetClient(const Suite& suite,
                                                      const TargetConfig& target,
                                                      std::optional<int> concurrency,
                                                      const GetEnvFn& getenv, Clock& clock) {
  int in_flight = concurrency.value_or(target.concurrency);
  if (target.type == TargetType::kDemo) return MakeDemoClient(in_flight);
  OpenAiOptions o;
  o.base_url = target.base_url;
  o.model = target.model;
  if (!target.api_key_env.empty()) {
    std::optional<std::string> key = getenv ? getenv(target.api_key_env) : std::nullopt;
    if (!key || key->empty()) {
      return Status::InvalidArgument(suite.path + ": target '" + target.name +
                                     "': environment variable " + target.api_key_env +
                                     " (its api_key_env) is not set");
    }
    o.api_key = *key;
  }
  o.system_prompt = target.system_prompt;
  o.temperature = target.temperature;
  o.max_tokens = target.max_tokens;
  o.headers = target.headers;
  o.concurrency = in_flight;
  o.timeout_ms = target.timeout_ms;
  o.retry.max_attempts = target.max_attempts;
  o.seed = suite.seed;
  return MakeOpenAiClient(o, clock);
}

}  // namespace safeval
