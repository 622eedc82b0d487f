// The Anthropic Messages API adapter ("type: anthropic" in a suite): POSTs
// {"model", "max_tokens", "system"?, "messages", "temperature"?, "top_p"?,
// "stop_sequences"?} to <base_url>/messages with the headers x-api-key,
// anthropic-version and content-type, and reads the text blocks of "content" and "usage".
//
// The system prompt is the top-level "system" string, never a message; turns of the
// conversation whose role is "system" are appended to it (the API accepts only user and
// assistant messages). A request's own system prompt, when set, replaces `system_prompt`.
//
// Tools: a request's tools_json (OpenAI function-calling shape) is sent as "tools" of
// {"name", "description", "input_schema" (the function's "parameters")}. An assistant turn
// with tool calls becomes content blocks: its text (when any), then one {"type":"tool_use",
// "id","name","input"} per call. "tool" turns become {"type":"tool_result","tool_use_id",
// "content"} blocks of one user message (consecutive tool turns, and a user turn right after
// them, are merged into it). In a reply, "tool_use" blocks become ModelReply::tool_calls
// (arguments_json: the compact dump of "input"); a reply with only tool calls has empty text.
//
// Transport, retries, failure replies, fail-fast on an unreachable endpoint, rate limits
// and the circuit breaker are CurlRunner's (see curl_runner.h and openai_client.h for the
// error texts). Anthropic's "overloaded" status 529 is a 5xx and is retried. A 2xx body
// of type "error" is malformed, with a message naming the error type, e.g.
//   "the endpoint returned an error: overloaded_error: Overloaded".
//
// The API key is sent only in the x-api-key header: never in Identity(), an error or a
// Status (redacted even when the server echoes it).
//
// Thread-safety: as every ModelClient, one Run at a time; hooks run on the calling thread.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "model/curl_runner.h"
#include "model/endpoint_limits.h"
#include "model/model_client.h"
#include "model/retry.h"

namespace safeval {

struct AnthropicOptions {
  // The API root; trailing slashes are dropped and requests go to base_url + "/messages".
  std::string base_url = "https://api.anthropic.com/v1";
  std::string model;  // required, e.g. "claude-3-5-haiku-20241022"
  // Resolved by the caller (from the variable named by api_key_env). Empty: no x-api-key
  // header is sent (e.g. behind a proxy that adds it).
  std::string api_key;
  std::string anthropic_version = "2023-06-01";  // the anthropic-version header
  std::string system_prompt;                     // when not empty, sent as "system"
  std::optional<double> temperature;             // sent only when set; 0..1
  std::optional<double> top_p;                   // sent only when set; 0..1
  int max_tokens = 1024;                         // always sent (the API requires it); >= 1
  std::vector<std::string> stop;                 // "stop_sequences"; sent only when not empty
  // Extra request headers (e.g. anthropic-beta); one named like a default replaces it.
  std::map<std::string, std::string> headers;
  int concurrency = 16;                // requests outstanding at once, 1..4096
  int64_t timeout_ms = 60000;          // per attempt, everything included; > 0
  int64_t connect_timeout_ms = 10000;  // per attempt, TCP + TLS; > 0
  RetryOptions retry;                  // defaults: 5 attempts, backoff base 500 ms, max 30 s
  uint64_t seed = 0;                   // seeds the backoff jitter
  int unreachable_after = 3;           // as OpenAiOptions::unreachable_after
  EndpointLimits limits;               // requests/tokens per minute, circuit breaker
};

// InvalidArgument naming the offending field: base_url (scheme, host, credentials), empty
// model or anthropic_version, max_tokens < 1, temperature or top_p outside 0..1, an empty
// stop sequence, and the transport fields as ValidateOpenAiOptions checks them.
Status ValidateAnthropicOptions(const AnthropicOptions& options);

// Validates `options` and returns the client; Internal when libcurl cannot be set up.
// `clock` must outlive the client.
Result<std::unique_ptr<ModelClient>> MakeAnthropicClient(const AnthropicOptions& options,
                                                         Clock& clock);

// The wire format, exposed for tests against recorded API examples.
namespace anthropic_wire {
// The request body for `request`. REQUIRES: options validated.
std::string EncodeRequest(const AnthropicOptions& options, const ModelRequest& request);
// A 2xx body: the concatenated text blocks of "content", its tool_use blocks as tool
// calls (other block types are skipped), usage.input_tokens / output_tokens.
// InvalidArgument naming what is missing or wrong.
Result<DecodedReply> DecodeReply(std::string_view body);
}  // namespace anthropic_wire

}  // namespace safeval
