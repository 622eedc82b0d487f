// The OpenAI-images-style adapter ("type: images" in a suite): POSTs
//   {"model", "prompt", "n": 1, "size"?, "response_format"?}
// to <base_url>/images/generations, where "prompt" is the content of the conversation's
// last user turn, and turns the reply's data[0] into ModelReply::media:
//   data[0].b64_json -> media.data (decoded base64)
//   data[0].url      -> downloaded with a plain GET (no Authorization or extra headers, so
//                       the key never goes to a storage host); media.source_url is set
//   data[0].revised_prompt, when present -> reply.text (otherwise text is empty)
// media.mime_type comes from the bytes' magic numbers: image/png, image/jpeg, image/webp,
// image/gif, else application/octet-stream.
//
// Transport and retries are CurlRunner's (see curl_runner.h and openai_client.h: 429/5xx
// and timeouts retried with backoff, a malformed body once, unreachable endpoints fail
// fast, the API key redacted from every error). A reply without a usable data[0] is
// malformed: "malformed reply after 2 attempts: data[0].b64_json is not valid base64 ...".
//
// URL downloads happen synchronously on the calling thread when the generation reply
// arrives, one attempt each (http and https only, redirects followed up to 5 times, the
// same timeouts as the generation request, at most 50 MB). While one runs the other
// generation requests do not progress; generation usually dwarfs the download. A failed
// download fails the request: "download failed: <url>: <cause>" (http_status is the
// download's). latency_ms includes the download. Cancel is noticed during a download too.
//
// Thread-safety: as every ModelClient, one Run at a time; hooks run on the calling thread.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "core/clock.h"
#include "core/status.h"
#include "model/endpoint_limits.h"
#include "model/model_client.h"
#include "model/retry.h"

namespace safeval {

struct ImagesOptions {
  // "http(s)://host[:port][/path]", e.g. "http://127.0.0.1:8000/v1"; trailing slashes are
  // dropped. No "user:password@".
  std::string base_url;
  std::string model;    // required; sent as "model"
  std::string api_key;  // resolved by the caller; empty: no Authorization header
  std::map<std::string, std::string> headers;  // extra headers of the generation request
  std::string size;                            // e.g. "1024x1024"; sent only when not empty
  std::string response_format;                 // "url" or "b64_json"; sent only when not empty
  int concurrency = 4;                         // generation requests outstanding at once, 1..4096
  int64_t timeout_ms = 120000;         // per attempt, everything included; also per download; > 0
  int64_t connect_timeout_ms = 10000;  // per attempt and per download; > 0
  RetryOptions retry;                  // defaults: 5 attempts, backoff base 500 ms, max 30 s
  uint64_t seed = 0;                   // seeds the backoff jitter
  int unreachable_after = 3;           // as in OpenAiOptions; 0: never give up
  EndpointLimits limits;               // requests/tokens per minute, circuit breaker
};

// InvalidArgument naming the field: base_url not http(s)://host or with credentials, empty
// model, concurrency outside 1..4096, non-positive timeouts, response_format other than
// "", "url" or "b64_json", CR/LF in api_key, bad header names or values, bad retry
// options, negative unreachable_after.
Status ValidateImagesOptions(const ImagesOptions& options);

// Validates `options` and returns the client; Internal when libcurl cannot be set up.
// Identity(): "images:<model>@<base_url>". `clock` must outlive the client.
Result<std::unique_ptr<ModelClient>> MakeImagesClient(const ImagesOptions& options, Clock& clock);

}  // namespace safeval
