// CurlRunner: the request loop shared by HTTP model adapters. It pulls requests, keeps up
// to `concurrency` of them outstanding over one CurlMulti, paces them by the endpoint's
// rate limits, retries failed attempts by the policy of retry.h, pauses a failing
// endpoint (circuit breaker), and delivers exactly one reply per request -- except when it
// gives up on an endpoint or is cancelled (see Run).
//
// The adapter supplies the wire format: an encoder (request -> body) and a decoder
// (2xx body -> text and token counts). The runner owns everything else.
//
// Scheduling: a request is "outstanding" from the moment it is pulled until its reply is
// delivered, including while it waits to start or for a retry, so at most `concurrency`
// requests are in flight or waiting. Waiting requests sit in one due-time queue (new ones
// due when pulled, retries after their backoff) and start in that order once due and
// allowed by the circuit breaker and the rate limiter (rate_limiter.h: every attempt,
// retries included, counts as a request and is charged the request's estimated tokens;
// a successful reply's usage corrects the charge). The loop keeps the others running and
// wakes when the next one is due or allowed. Due times come from the Clock; the waiting
// itself is curl_multi_poll's timeout while transfers are in flight, and Clock::SleepMs
// otherwise (so a FakeClock moves on instead of spinning).
//
// Circuit breaker (circuit_breaker.h, EndpointLimits.circuit_*): it counts final request
// failures that say the endpoint is unwell -- 429/5xx, timeouts, broken or refused
// connections, other transport errors, after their retries -- not single attempts; a
// 4xx or a malformed body neither counts nor resets the count, a success resets it. When
// it opens, nothing new starts (retries included) until the pause is over; requests in
// flight finish. Then one attempt probes the endpoint. Pauses and resumptions are told
// through hooks.on_notice. The limiter and the breaker belong to the runner, so their
// state carries over from one Run to the next (a breaker that gave up starts afresh).
//
// Error messages and notices never contain `secrets` (they are replaced by "[redacted]").
//
// Thread-safety: one Run at a time; the hooks are called on the calling thread.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "model/circuit_breaker.h"
#include "model/curl_multi.h"
#include "model/endpoint_limits.h"
#include "model/model_client.h"
#include "model/rate_limiter.h"
#include "model/retry.h"

namespace safeval {

struct CurlRunnerOptions {
  CurlEndpoint endpoint;
  int concurrency = 16;  // outstanding requests; 1..4096
  RetryOptions retry;
  uint64_t seed = 0;  // seeds the backoff jitter at the start of every Run
  // Give up with Unavailable when the first this-many requests to finish all failed to
  // resolve or connect, before anything succeeded. 0 never gives up.
  int unreachable_after = 3;
  std::vector<std::string> secrets;  // never shown in an error (API keys, tokens)
  // HTTP statuses whose body goes to the decoder; empty: 200..299. Any other status is
  // a failed attempt, classified by ClassifyHttpStatus (429 and 5xx are retried).
  std::vector<int> ok_statuses;
  EndpointLimits limits;             // rate limits and circuit breaker
};

// What the decoder extracts from a 2xx body.
struct DecodedReply {
  std::string text;  // valid UTF-8
  int prompt_tokens = -1;
  int completion_tokens = -1;
  std::vector<ToolCall> tool_calls;  // the tool calls the model asked for, in order
};

// Builds the request body. Must not fail: validate options before running.
using RequestEncoder = std::function<std::string(const ModelRequest& request)>;
// Parses a 2xx body (or one of `ok_statuses`), which is valid UTF-8: the runner replaces
// invalid bytes with U+FFFD first, so a stray bad byte costs that byte, not the answer.
// Any error makes the attempt kMalformed; its message (which should name the missing or
// bad field) goes into the reply's error.
using ReplyDecoder = std::function<Result<DecodedReply>(std::string_view body)>;

// `text` with every occurrence of each non-empty secret replaced by "[redacted]", as the
// runner does to everything it reports (CurlRunnerOptions::secrets).
std::string Redact(std::string text, const std::vector<std::string>& secrets);

class CurlRunner {
 public:
  // Internal when libcurl cannot be set up. REQUIRES: options validated (concurrency in
  // range, positive timeouts, ValidateRetryOptions ok). `clock` must outlive the runner.
  static Result<std::unique_ptr<CurlRunner>> Create(CurlRunnerOptions options,
                                                    RequestEncoder encoder, ReplyDecoder decoder,
                                                    Clock& clock);

  // Runs until the source is exhausted and every reply is delivered: Ok.
  // cancel set: stops pulling, drops what is outstanding without replies: Ok.
  // Unreachable endpoint (see unreachable_after): Unavailable("cannot reach <url>: <cause>");
  //   the failed requests get no reply, and neither do the outstanding ones.
  // The circuit breaker gave up (limits.circuit_max_pauses pauses without a success):
  //   Unavailable("gave up on <url> after 5 pauses of 30 s without a success (last: ...)")
  //   once the replies already obtained are delivered; the outstanding requests (the
  //   failed probe's included) get no reply.
  // InvalidArgument when hooks.next or hooks.on_reply is empty; Internal when libcurl fails.
  Status Run(const RunHooks& hooks);

  const CurlRunnerOptions& options() const { return options_; }

 private:
  CurlRunner(CurlRunnerOptions options, RequestEncoder encoder, ReplyDecoder decoder, Clock& clock,
             std::unique_ptr<CurlMulti> multi);

  CurlRunnerOptions options_;
  RequestEncoder encoder_;
  ReplyDecoder decoder_;
  Clock& clock_;
  std::unique_ptr<CurlMulti> multi_;  // kept across runs so connections stay alive
  RateLimiter limiter_;               // kept across runs, as the endpoint's limits are
  CircuitBreaker breaker_;
};

}  // namespace safeval
