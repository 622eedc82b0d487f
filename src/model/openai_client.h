// The OpenAI-compatible chat adapter ("type: openai" in a suite): POSTs
// {"model", "messages", "temperature"?, "top_p"?, "max_tokens"?, "stop"?, "tools"?} to
// <base_url>/chat/completions and reads choices[0].message.content, its tool calls and
// usage. Works with OpenAI, vLLM, TGI, llama.cpp, Ollama and anything else speaking that API.
//
// Tools (function calling): a request's tools_json is sent as "tools" as given (nothing is
// said about tool_choice, so the endpoint's default "auto" applies). Assistant turns with
// tool calls go out as {"role":"assistant","content":<text or null>,"tool_calls":[{"id",
// "type":"function","function":{"name","arguments":"<json text>"}}]} and "tool" turns as
// {"role":"tool","tool_call_id","content"}. A request's system prompt, when set, replaces
// `system_prompt`.
//
// Transport: one thread, one libcurl multi handle, keep-alive connections reused across
// Runs, up to `concurrency` requests outstanding (see curl_runner.h for the scheduling).
//
// Failures per request come back as replies with ok == false and an error such as
//   "HTTP 500 after 5 attempts: <first 200 bytes of the body>"
//   "timeout after 60000 ms (5 attempts)"
//   "connection failed: Failed to connect to host port 8000 after 3 ms: Couldn't connect to
//    server (2 attempts)"
//   "malformed reply after 2 attempts: choices[0].message.content is null; body: ..."
// Retried: HTTP 429 and 5xx (Retry-After honoured, capped at max_backoff_ms), timeouts,
// broken connections; a malformed 2xx body once. Not retried: other 4xx.
// An endpoint that cannot be reached at all ends Run with Unavailable (see
// `unreachable_after`).
//
// The API key is sent only in the Authorization header: it never appears in Identity(),
// an error message or a Status (it is redacted even when the server echoes it).
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

struct OpenAiOptions {
  // "http(s)://host[:port][/path]", e.g. "http://127.0.0.1:8000/v1"; trailing slashes are
  // dropped. Requests go to base_url + "/chat/completions". No "user:password@".
  std::string base_url;
  std::string model;  // required; sent as "model"
  // Resolved by the caller (from the variable named by api_key_env). Empty: no
  // Authorization header is sent.
  std::string api_key;
  std::string system_prompt;          // when not empty, sent as the first message
  std::optional<double> temperature;  // sent only when set
  std::optional<double> top_p;        // sent only when set; 0..1
  std::optional<int> max_tokens;      // sent only when set; >= 1
  std::vector<std::string> stop;      // stop sequences; sent only when not empty
  // Extra request headers, name -> value; one named like a default (Content-Type,
  // Authorization) replaces it.
  std::map<std::string, std::string> headers;
  int concurrency = 16;                // requests outstanding at once, 1..4096
  int64_t timeout_ms = 60000;          // per attempt, everything included; > 0
  int64_t connect_timeout_ms = 10000;  // per attempt, TCP + TLS; > 0
  RetryOptions retry;                  // defaults: 5 attempts, backoff base 500 ms, max 30 s
  uint64_t seed = 0;                   // seeds the backoff jitter, so delays are reproducible
  // Run returns Unavailable when the first this-many requests to finish all failed to
  // resolve or connect before any request succeeded (their replies are not delivered).
  // Until something succeeds, such failures get at most 2 attempts. 0: never give up.
  int unreachable_after = 3;
  EndpointLimits limits;  // requests/tokens per minute, circuit breaker
};

// Checks `options` and returns InvalidArgument naming the offending field: base_url not
// http(s)://host... or with credentials, empty model, concurrency outside 1..4096,
// non-positive timeouts, max_tokens < 1, non-finite temperature, retry options out of
// range, top_p outside 0..1, an empty stop sequence, negative unreachable_after, header
// names/values that would break the request (empty name, ':' in a name, CR or LF
// anywhere, also in api_key).
Status ValidateOpenAiOptions(const OpenAiOptions& options);

// Validates `options` and returns the client; Internal when libcurl cannot be set up.
// `clock` (retry due times, latencies) must outlive the client.
Result<std::unique_ptr<ModelClient>> MakeOpenAiClient(const OpenAiOptions& options, Clock& clock);

// The reply decoding, exposed for tests and the fuzzer (fuzz/model_reply_fuzzer.cc).
namespace openai_wire {
// The request body for `request`. REQUIRES: options validated.
std::string EncodeRequest(const OpenAiOptions& options, const ModelRequest& request);
// EncodeRequest through an nlohmann DOM, as every request was written before plain ones were
// written directly: the reference EncodeRequest's output must equal.
std::string EncodeRequestThroughDom(const OpenAiOptions& options, const ModelRequest& request);
// A 2xx body: choices[0].message.content, its tool_calls (and the legacy function_call,
// appended last, without an id) and usage.prompt_tokens / completion_tokens. An
// {"error": ...} body, a malformed tool call (no function name), or a missing or null
// content in a message that calls no tool is InvalidArgument naming what is wrong; with
// tool calls a null content is an empty text.
Result<DecodedReply> DecodeReply(std::string_view body);
}  // namespace openai_wire

}  // namespace safeval
