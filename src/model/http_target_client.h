// The templated HTTP adapter ("type: http" in a suite): any JSON API. Each request sends
// `method` to `url` with the body rendered from `body_template` (see json_template.h for
// the placeholders and their escaping) and reads the answer at the first of
// `response_paths` (JSON pointers, RFC 6901) that holds a string.
//
// Status rules: a status in `ok_statuses` (default: any 2xx) is a reply to decode, so an
// API that answers a filtered prompt with, e.g., 400 and a message can count as an
// answer. Any other status fails the attempt; 429 and 5xx are retried as for every HTTP
// target (see openai_client.h for retries, error texts and fail-fast).
//
// A reply whose pointers all miss, or point at something other than a string, is
// malformed: "no string at any of the response paths "/output", "/choices/0/text"" --
// unless it has tool calls, which make it an answer with empty text.
// Token usage is unknown (-1): a generic API has no standard place for it.
//
// Tool calls: `tool_calls_pointer` (optional) points at an array of calls; each element is
// {"id"?, "name", "arguments" | "input"} (arguments an object or a JSON string) or
// OpenAI-shaped {"id", "function": {"name", "arguments"}} (see tool_wire.h). Absent or null
// there: no calls; anything but an array, or an element without a name, is malformed.
// The request's own system prompt, when set, replaces `system_prompt` in {{system}} and
// {{messages_json}}; its tools fill {{tools_json}}.
//
// The API key is substituted only into headers ({{api_key}}), never into the body, and is
// redacted from every error together with the values of credential-like headers.
//
// Thread-safety: as every ModelClient, one Run at a time; hooks run on the calling thread.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
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

struct HttpTargetOptions {
  std::string url;              // http(s)://host[:port]/path, used as given; no credentials
  std::string method = "POST";  // "POST" | "PUT" | "GET" (GET sends no body)
  // Request headers; values may contain {{api_key}}. Content-Type: application/json is
  // added for POST and PUT unless given here.
  std::map<std::string, std::string> headers;
  std::string body_template;                     // required for POST/PUT; must be empty for GET
  std::vector<std::string> response_paths;       // JSON pointers, tried in order; at least one
  std::string tool_calls_pointer;  // JSON pointer to the reply's tool-call array; "": none
  std::map<std::string, std::string> variables;  // {{var.NAME}} -> value
  std::vector<int> ok_statuses;  // statuses whose body is decoded, 100..599; empty: 2xx
  std::string api_key;           // resolved by the caller; substituted as {{api_key}}
  std::string system_prompt;     // {{system}}, and first in {{messages_json}}
  int concurrency = 16;          // requests outstanding at once, 1..4096
  int64_t timeout_ms = 60000;    // per attempt, everything included; > 0
  int64_t connect_timeout_ms = 10000;
  RetryOptions retry;
  uint64_t seed = 0;          // seeds the backoff jitter
  int unreachable_after = 3;  // as OpenAiOptions::unreachable_after
  EndpointLimits limits;      // requests/tokens per minute, circuit breaker
};

// InvalidArgument naming the field: url, method, body (see BodyTemplate::Parse; also a
// body with GET, a missing body otherwise, or a body that uses neither {{prompt}} nor
// {{messages_json}}), response_path (none, or not a JSON pointer), tool_calls_pointer (not
// a JSON pointer), ok_status (outside
// 100..599), headers (placeholders, names, values), and the transport fields.
Status ValidateHttpTargetOptions(const HttpTargetOptions& options);

// Checks one response path; InvalidArgument "response_path: ..." unless it is a JSON
// pointer ("" or "/a/0/b", with ~0 and ~1 the only escapes).
Status ValidateResponsePath(const std::string& pointer);

// Validates `options` and returns the client; Internal when libcurl cannot be set up.
// `clock` must outlive the client.
Result<std::unique_ptr<ModelClient>> MakeHttpTargetClient(const HttpTargetOptions& options,
                                                          Clock& clock);

// Checks tool_calls_pointer: "" (none) or a JSON pointer; InvalidArgument
// "tool_calls_pointer: ..." otherwise.
Status ValidateToolCallsPointer(const std::string& pointer);

// The reply decoding, exposed for tests: the first string at `paths` in the JSON `body`,
// and the tool calls at `tool_calls_pointer` (when not empty).
Result<DecodedReply> DecodeHttpTargetReply(std::string_view body,
                                           const std::vector<std::string>& paths,
                                           const std::string& tool_calls_pointer = "");

}  // namespace safeval
