#include "run/client_factory.h"

#include "model/anthropic_client.h"
#include "model/demo_client.h"
#include "model/exec_client.h"
#include "model/http_target_client.h"
#include "model/images_client.h"
#include "model/openai_client.h"

namespace safeval {
namespace {

// What every adapter takes from the suite besides its own fields.
struct Common {
  std::string api_key;  // "" when the target names no api_key_env
  int concurrency = 16;
  uint64_t seed = 0;
  EndpointLimits limits;
};

Result<std::string> ApiKey(const Suite& suite, const TargetConfig& target, const GetEnvFn& getenv) {
  if (target.api_key_env.empty()) return std::string();
  std::optional<std::string> key = getenv ? getenv(target.api_key_env) : std::nullopt;
  if (!key || key->empty()) {
    return Status::InvalidArgument(suite.path + ": target '" + target.name +
                                   "': environment variable " + target.api_key_env +
                                   " (its api_key_env) is not set");
  }
  return *key;
}

EndpointLimits Limits(const TargetConfig& target) {
  EndpointLimits limits;
  limits.requests_per_minute = target.requests_per_minute;
  limits.tokens_per_minute = target.tokens_per_minute;
  limits.circuit_breaker_failures = target.circuit_breaker_failures;
  return limits;
}

// The transport fields the HTTP adapters' options share.
template <typename Options>
void SetTransport(const TargetConfig& target, const Common& c, Options& o) {
  o.api_key = c.api_key;
  o.headers = target.headers;
  o.concurrency = c.concurrency;
  o.timeout_ms = target.timeout_ms;
  o.connect_timeout_ms = target.connect_timeout_ms;
  o.retry.max_attempts = target.max_attempts;
  o.seed = c.seed;
  o.limits = c.limits;
}

// The fields the chat adapters' options (openai, anthropic) share, but max_tokens (optional
// in one, required in the other).
template <typename Options>
void SetChat(const TargetConfig& target, Options& o) {
  o.base_url = target.base_url;
  o.model = target.model;
  o.system_prompt = target.system_prompt;
  o.temperature = target.temperature;
  o.top_p = target.top_p;
  o.stop = target.stop;
}

Result<std::unique_ptr<ModelClient>> MakeOpenAi(const TargetConfig& target, const Common& c,
                                                Clock& clock) {
  OpenAiOptions o;
  SetChat(target, o);
  o.max_tokens = target.max_tokens;
  SetTransport(target, c, o);
  return MakeOpenAiClient(o, clock);
}

Result<std::unique_ptr<ModelClient>> MakeAnthropic(const TargetConfig& target, const Common& c,
                                                   Clock& clock) {
  AnthropicOptions o;
  SetChat(target, o);
  if (target.max_tokens) o.max_tokens = *target.max_tokens;
  SetTransport(target, c, o);
  return MakeAnthropicClient(o, clock);
}

Result<std::unique_ptr<ModelClient>> MakeHttp(const TargetConfig& target, const Common& c,
                                              Clock& clock) {
  HttpTargetOptions o;
  o.url = target.url;
  o.method = target.method;
  o.body_template = target.body_template;
  o.response_paths = target.response_paths;
  o.tool_calls_pointer = target.tool_calls_pointer;
  o.variables = target.variables;
  o.ok_statuses = target.ok_statuses;
  o.system_prompt = target.system_prompt;
  SetTransport(target, c, o);
  return MakeHttpTargetClient(o, clock);
}

Result<std::unique_ptr<ModelClient>> MakeImages(const TargetConfig& target, const Common& c,
                                                Clock& clock) {
  ImagesOptions o;
  o.base_url = target.base_url;
  o.model = target.model;
  o.size = target.image_size;
  o.response_format = target.response_format;
  SetTransport(target, c, o);
  return MakeImagesClient(o, clock);
}

Result<std::unique_ptr<ModelClient>> MakeExec(const TargetConfig& target, const Common& c,
                                              Clock& clock) {
  ExecOptions o;
  o.command = target.command;
  o.system_prompt = target.system_prompt;
  o.concurrency = c.concurrency;
  o.timeout_ms = target.timeout_ms;
  o.max_attempts = target.max_attempts;
  o.limits = c.limits;
  return MakeExecClient(o, clock);
}

}  // namespace

Result<std::unique_ptr<ModelClient>> MakeTargetClient(const Suite& suite,
                                                      const TargetConfig& target,
                                                      std::optional<int> concurrency,
                                                      const GetEnvFn& getenv, Clock& clock) {
  Common c;
  c.concurrency = concurrency.value_or(target.concurrency);
  if (target.type == TargetType::kDemo) return MakeDemoClient(c.concurrency);
  SV_ASSIGN_OR_RETURN(c.api_key, ApiKey(suite, target, getenv));
  c.seed = suite.seed;
  c.limits = Limits(target);
  Result<std::unique_ptr<ModelClient>> client = Status::Internal("unknown target type");
  switch (target.type) {
    case TargetType::kOpenAi:
      client = MakeOpenAi(target, c, clock);
      break;
    case TargetType::kAnthropic:
      client = MakeAnthropic(target, c, clock);
      break;
    case TargetType::kHttp:
      client = MakeHttp(target, c, clock);
      break;
    case TargetType::kExec:
      client = MakeExec(target, c, clock);
      break;
    case TargetType::kImages:
      client = MakeImages(target, c, clock);
      break;
    case TargetType::kDemo:
      break;
  }
  if (!client.ok() && client.status().code() == StatusCode::kInvalidArgument) {
    return Status::InvalidArgument(suite.path + ": target '" + target.name +
                                   "': " + client.status().message());
  }
  return client;
}

}  // namespace safeval
