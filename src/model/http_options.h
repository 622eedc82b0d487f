// Checks and wiring shared by the HTTP model adapters (openai, anthropic, http, images):
// URL and header validation, the request header lines, the secrets an error must never
// show, the CurlRunner options every adapter fills the same way, and the client of the
// adapters that are nothing but a CurlRunner.
//
// Everything here is a pure function of its arguments; thread-safe. Errors are
// InvalidArgument and name the offending field, never a secret's value.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"
#include "model/curl_runner.h"
#include "model/retry.h"

namespace safeval {

// The most requests an HTTP adapter keeps outstanding.
inline constexpr int kMaxHttpConcurrency = 4096;

bool HasLineBreak(std::string_view text);

// "http://host/v1//" -> "http://host/v1".
std::string StripTrailingSlashes(std::string url);

// `url` is http(s)://host[:port][/path...], without whitespace and without credentials
// ("user:password@", which is never echoed). `field` names it in errors ("base_url", "url").
Status ValidateHttpUrl(const std::string& url, std::string_view field = "base_url");

// Header names are non-empty tokens (no ':', whitespace or line breaks); values have no
// line breaks. Errors start with "headers: ".
Status ValidateHeaders(const std::map<std::string, std::string>& headers);

// True for names whose values are credentials: Authorization, Cookie, and any name
// containing "key", "token", "secret", "password" or "auth" (case-insensitive).
bool IsCredentialHeader(std::string_view name);

// Complete header lines "Name: value": `defaults` in order, then `extra`. An extra header
// replaces a default of the same name (case-insensitive), so a suite can override, e.g.,
// anthropic-version or Authorization.
std::vector<std::string> HeaderLines(
    const std::vector<std::pair<std::string, std::string>>& defaults,
    const std::map<std::string, std::string>& extra);

// What must never reach an error or a log: the API key and the values of credential
// headers (empty strings left out).
std::vector<std::string> Secrets(const std::string& api_key,
                                 const std::map<std::string, std::string>& headers);

// The transport fields every HTTP adapter's options carry, checked in one place:
// concurrency 1..4096, positive timeouts, unreachable_after >= 0, no line break in the
// API key (never echoed), valid headers and retry options.
struct HttpTransportFields {
  int concurrency = 16;
  int64_t timeout_ms = 60000;
  int64_t connect_timeout_ms = 10000;
  int unreachable_after = 3;
  const std::string* api_key = nullptr;                         // may be null
  const std::map<std::string, std::string>* headers = nullptr;  // may be null
  const RetryOptions* retry = nullptr;                          // may be null
};
Status ValidateHttpTransport(const HttpTransportFields& fields);

// The fields above taken from any adapter's options struct (same field names).
template <typename Options>
HttpTransportFields TransportFieldsOf(const Options& o) {
  return {o.concurrency, o.timeout_ms, o.connect_timeout_ms, o.unreachable_after, &o.api_key,
          &o.headers,    &o.retry};
}

// CurlRunnerOptions for `url` with `headers` and `secrets`, the rest (timeouts,
// concurrency, retry, seed, unreachable_after, limits) copied from `o`.
template <typename Options>
CurlRunnerOptions RunnerOptionsOf(const Options& o, std::string url,
                                  std::vector<std::string> headers,
                                  std::vector<std::string> secrets) {
  CurlRunnerOptions runner;
  runner.endpoint.url = std::move(url);
  runner.endpoint.headers = std::move(headers);
  runner.endpoint.timeout_ms = o.timeout_ms;
  runner.endpoint.connect_timeout_ms = o.connect_timeout_ms;
  runner.concurrency = o.concurrency;
  runner.retry = o.retry;
  runner.seed = o.seed;
  runner.unreachable_after = o.unreachable_after;
  runner.limits = o.limits;
  runner.secrets = std::move(secrets);
  return runner;
}

// The ModelClient of an adapter whose whole work is a CurlRunner (openai, anthropic, http):
// CurlRunner::Create(runner, encoder, decoder, clock) named `identity`. Errors are
// CurlRunner::Create's. `clock` must outlive the client.
Result<std::unique_ptr<ModelClient>> MakeRunnerClient(std::string identity,
                                                      CurlRunnerOptions runner,
                                                      RequestEncoder encoder, ReplyDecoder decoder,
                                                      Clock& clock);

}  // namespace safeval
