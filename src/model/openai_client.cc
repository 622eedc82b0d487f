#include "model/openai_client.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <string_view>
#include <utility>

#include "core/utf8.h"
#include "model/curl_runner.h"

namespace safeval {
namespace {

using nlohmann::json;

constexpr int kMaxConcurrency = 4096;

std::string StripTrailingSlashes(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

bool HasLineBreak(std::string_view text) { return text.find_first_of("\r\n") != text.npos; }

Status ValidateBaseUrl(const std::string& url) {
  std::string_view rest = url;
  if (rest.starts_with("https://")) {
    rest.remove_prefix(8);
  } else if (rest.starts_with("http://")) {
    rest.remove_prefix(7);
  } else {
    return Status::InvalidArgument("base_url must start with http:// or https://, got \"" + url +
                                   "\"");
  }
  std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
  if (authority.empty()) return Status::InvalidArgument("base_url has no host: \"" + url + "\"");
  if (authority.find('@') != authority.npos) {
    // Never echo it: the part before '@' is a credential.
    return Status::InvalidArgument(
        "base_url must not contain credentials (user:password@); use api_key or headers");
  }
  if (url.find_first_of(" \t\r\n") != url.npos) {
    return Status::InvalidArgument("base_url contains whitespace: \"" + url + "\"");
  }
  return Status::Ok();
}

Status ValidateHeaders(const std::map<std::string, std::string>& headers) {
  for (const auto& [name, value] : headers) {
    if (name.empty() || name.find(':') != name.npos || HasLineBreak(name) ||
        name.find_first_of(" \t") != name.npos) {
      return Status::InvalidArgument("headers: invalid header name \"" + name + "\"");
    }
    if (HasLineBreak(value)) {
      return Status::InvalidArgument("headers: the value of \"" + name +
                                     "\" contains a line break");
    }
  }
  return Status::Ok();
}

std::vector<std::string> HeaderLines(const OpenAiOptions& options) {
  std::vector<std::string> lines = {"Content-Type: application/json"};
  if (!options.api_key.empty()) lines.push_back("Authorization: Bearer " + options.api_key);
  for (const auto& [name, value] : options.headers) lines.push_back(name + ": " + value);
  return lines;
}

// Secrets that must never reach an error: the key, and values of credential-like headers.
std::vector<std::string> Secrets(const OpenAiOptions& options) {
  std::vector<std::string> secrets;
  if (!options.api_key.empty()) secrets.push_back(options.api_key);
  for (const auto& [name, value] : options.headers) {
    std::string lower = name;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    bool credential = lower == "authorization" || lower.find("key") != lower.npos ||
                      lower.find("token") != lower.npos || lower.find("secret") != lower.npos;
    if (credential && !value.empty()) secrets.push_back(value);
  }
  return secrets;
}

std::string EncodeChatRequest(const OpenAiOptions& options, const ModelRequest& request) {
  json messages = json::array();
  if (!options.system_prompt.empty()) {
    messages.push_back(json::object({{"role", "system"}, {"content", options.system_prompt}}));
  }
  for (const Turn& turn : request.conversation) {
    messages.push_back(json::object({{"role", turn.role}, {"content", turn.content}}));
  }
  json body = json::object({{"model", options.model}, {"messages", std::move(messages)}});
  if (options.temperature) body["temperature"] = *options.temperature;
  if (options.max_tokens) body["max_tokens"] = *options.max_tokens;
  // `replace`: a stray invalid byte in a prompt becomes U+FFFD instead of an exception.
  return body.dump(-1, ' ', false, json::error_handler_t::replace);
}

int TokenCount(const json& usage, const char* field) {
  auto it = usage.find(field);
  if (it == usage.end() || !it->is_number_integer()) return -1;
  int64_t n = it->get<int64_t>();
  if (n < 0) return -1;
  return static_cast<int>(std::min<int64_t>(n, std::numeric_limits<int>::max()));
}

// The message an endpoint put in {"error": {"message": ...}} (or {"error": "..."}).
std::string ErrorObjectMessage(const json& error) {
  if (error.is_string()) return error.get<std::string>();
  if (error.is_object()) {
    auto it = error.find("message");
    if (it != error.end() && it->is_string()) return it->get<std::string>();
  }
  return error.dump(-1, ' ', false, json::error_handler_t::replace);
}

Result<const json*> FindMessageContent(const json& doc) {
  auto choices = doc.find("choices");
  if (choices == doc.end() || !choices->is_array() || choices->empty()) {
    return Status::InvalidArgument("no choices[0] in the reply");
  }
  const json& choice = (*choices)[0];
  auto message = choice.is_object() ? choice.find("message") : choice.end();
  if (!choice.is_object() || message == choice.end() || !message->is_object()) {
    return Status::InvalidArgument("no choices[0].message in the reply");
  }
  auto content = message->find("content");
  if (content == message->end()) {
    return Status::InvalidArgument("no choices[0].message.content in the reply");
  }
  if (content->is_null()) {
    return Status::InvalidArgument("choices[0].message.content is null");
  }
  if (!content->is_string()) {
    return Status::InvalidArgument("choices[0].message.content is not a string");
  }
  return &*content;
}

Result<DecodedReply> DecodeChatReply(std::string_view body) {
  try {
    json doc = json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (doc.is_discarded()) return Status::InvalidArgument("the body is not JSON");
    if (!doc.is_object()) return Status::InvalidArgument("the body is not a JSON object");
    if (auto error = doc.find("error"); error != doc.end() && !error->is_null()) {
      return Status::InvalidArgument("the endpoint returned an error: " +
                                     ErrorObjectMessage(*error));
    }
    SV_ASSIGN_OR_RETURN(const json* content, FindMessageContent(doc));
    DecodedReply reply;
    reply.text = SanitizeUtf8(content->get_ref<const std::string&>());
    if (auto usage = doc.find("usage"); usage != doc.end() && usage->is_object()) {
      reply.prompt_tokens = TokenCount(*usage, "prompt_tokens");
      reply.completion_tokens = TokenCount(*usage, "completion_tokens");
    }
    return reply;
  } catch (const json::exception& e) {
    return Status::InvalidArgument(std::string("cannot read the reply: ") + e.what());
  }
}

class OpenAiClient final : public ModelClient {
 public:
  OpenAiClient(std::string identity, std::unique_ptr<CurlRunner> runner)
      : identity_(std::move(identity)), runner_(std::move(runner)) {}

  std::string Identity() const override { return identity_; }
  Status Run(const RunHooks& hooks) override { return runner_->Run(hooks); }

 private:
  std::string identity_;
  std::unique_ptr<CurlRunner> runner_;
};

}  // namespace

Status ValidateOpenAiOptions(const OpenAiOptions& options) {
  SV_RETURN_IF_ERROR(ValidateBaseUrl(options.base_url));
  if (options.model.empty()) return Status::InvalidArgument("model is required");
  if (options.concurrency < 1 || options.concurrency > kMaxConcurrency) {
    return Status::InvalidArgument("concurrency must be in 1..4096, got " +
                                   std::to_string(options.concurrency));
  }
  if (options.timeout_ms <= 0) return Status::InvalidArgument("timeout_ms must be > 0");
  if (options.connect_timeout_ms <= 0) {
    return Status::InvalidArgument("connect_timeout_ms must be > 0");
  }
  if (options.max_tokens && *options.max_tokens < 1) {
    return Status::InvalidArgument("max_tokens must be >= 1, got " +
                                   std::to_string(*options.max_tokens));
  }
  if (options.temperature && !std::isfinite(*options.temperature)) {
    return Status::InvalidArgument("temperature must be a finite number");
  }
  if (options.unreachable_after < 0) {
    return Status::InvalidArgument("unreachable_after must be >= 0");
  }
  if (HasLineBreak(options.api_key)) {
    return Status::InvalidArgument("api_key contains a line break");  // never echo the key
  }
  SV_RETURN_IF_ERROR(ValidateHeaders(options.headers));
  return ValidateRetryOptions(options.retry);
}

Result<std::unique_ptr<ModelClient>> MakeOpenAiClient(const OpenAiOptions& options, Clock& clock) {
  SV_RETURN_IF_ERROR(ValidateOpenAiOptions(options));
  OpenAiOptions wire = options;
  wire.base_url = StripTrailingSlashes(options.base_url);

  CurlRunnerOptions runner;
  runner.endpoint.url = wire.base_url + "/chat/completions";
  runner.endpoint.headers = HeaderLines(wire);
  runner.endpoint.timeout_ms = wire.timeout_ms;
  runner.endpoint.connect_timeout_ms = wire.connect_timeout_ms;
  runner.concurrency = wire.concurrency;
  runner.retry = wire.retry;
  runner.seed = wire.seed;
  runner.unreachable_after = wire.unreachable_after;
  runner.limits = wire.limits;
  runner.secrets = Secrets(wire);

  auto encode = [wire](const ModelRequest& request) { return EncodeChatRequest(wire, request); };
  SV_ASSIGN_OR_RETURN(std::unique_ptr<CurlRunner> curl,
                      CurlRunner::Create(std::move(runner), encode, DecodeChatReply, clock));
  std::string identity = "openai:" + wire.model + "@" + wire.base_url;
  return std::unique_ptr<ModelClient>(new OpenAiClient(std::move(identity), std::move(curl)));
}

}  // namespace safeval
