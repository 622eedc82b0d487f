#include "model/curl_runner.h"

#include <algorithm>
#include <optional>
#include <queue>
#include <random>
#include <unordered_map>
#include <utility>

#include "core/utf8.h"

namespace safeval {

std::string Redact(std::string text, const std::vector<std::string>& secrets) {
  for (const std::string& secret : secrets) {
    if (secret.empty()) continue;
    for (size_t pos = text.find(secret); pos != std::string::npos; pos = text.find(secret, pos)) {
      text.replace(pos, secret.size(), "[redacted]");
    }
  }
  return text;
}

namespace {

constexpr int64_t kMaxWaitMs = 100;  // bounds how late a cancel is noticed
constexpr size_t kExcerptBytes = 200;

// One outstanding request.
struct Job {
  uint64_t tag = 0;
  std::string body;
  int64_t estimated_tokens = 1;  // charged to the rate limiter at every attempt
  AttemptHistory history;
  int64_t started_ms = 0;  // of the current attempt
  int64_t latency_ms = 0;  // of the latest finished attempt
  int http_status = 0;     // the last one seen
  bool probe = false;      // the current attempt is the circuit breaker's probe
};

// Why an attempt failed, as the reply's error will tell it.
struct Failure {
  FailureKind kind = FailureKind::kFatalTransport;
  std::string detail;       // libcurl's text, a body excerpt, or the decoder's message
  std::string retry_after;  // the header, for HTTP failures
};

bool IsOkStatus(int status, const std::vector<int>& ok_statuses) {
  if (ok_statuses.empty()) return status >= 200 && status <= 299;
  return std::find(ok_statuses.begin(), ok_statuses.end(), status) != ok_statuses.end();
}

// Failures that say the endpoint is unwell and count toward the circuit breaker. A 4xx
// other than 429 or a malformed body concerns one request (a content filter's 400, say):
// it neither counts nor resets the count.
bool CountsAgainstEndpoint(FailureKind kind) {
  return kind != FailureKind::kFatalHttp && kind != FailureKind::kMalformed;
}

std::string Attempts(int n) { return n == 1 ? "1 attempt" : std::to_string(n) + " attempts"; }

// The first 200 bytes of a body, secrets removed (before cutting, so a secret straddling
// the cut cannot leak by halves), as valid UTF-8.
std::string Excerpt(std::string_view body, const std::vector<std::string>& secrets) {
  size_t longest = 0;
  for (const std::string& s : secrets) longest = std::max(longest, s.size());
  std::string text = Redact(std::string(body.substr(0, kExcerptBytes + longest)), secrets);
  if (text.size() > kExcerptBytes) text.resize(kExcerptBytes);
  return SanitizeUtf8(text);
}

std::string Describe(const Failure& failure, int attempts, int http_status, int64_t timeout_ms) {
  switch (failure.kind) {
    case FailureKind::kRetryableHttp:
    case FailureKind::kFatalHttp:
      return "HTTP " + std::to_string(http_status) + " after " + Attempts(attempts) +
             (failure.detail.empty() ? "" : ": " + failure.detail);
    case FailureKind::kTimeout:
      return "timeout after " + std::to_string(timeout_ms) + " ms (" + Attempts(attempts) + ")";
    case FailureKind::kConnection:
    case FailureKind::kUnreachable:
      return "connection failed: " + failure.detail + " (" + Attempts(attempts) + ")";
    case FailureKind::kMalformed:
      return "malformed reply after " + Attempts(attempts) + ": " + failure.detail;
    case FailureKind::kFatalTransport:
      return "request failed: " + failure.detail + " (" + Attempts(attempts) + ")";
  }
  return failure.detail;
}

// Prompt + completion tokens a reply reported; the prompt's estimate stands in for a
// missing prompt count. nullopt when it reported neither.
std::optional<int64_t> ActualTokens(const DecodedReply& reply, int64_t estimated) {
  if (reply.prompt_tokens < 0 && reply.completion_tokens < 0) return std::nullopt;
  int64_t prompt = reply.prompt_tokens >= 0 ? reply.prompt_tokens : estimated;
  return prompt + std::max(reply.completion_tokens, 0);
}

// The state of one Run: outstanding jobs, the start queue and the fail-fast bookkeeping.
// The rate limiter and the circuit breaker outlive it (they belong to the CurlRunner), so
// limits and pauses carry over from one Run to the next.
class RunState {
 public:
  RunState(const CurlRunnerOptions& options, const RequestEncoder& encoder,
           const ReplyDecoder& decoder, Clock& clock, CurlMulti& multi, RateLimiter& limiter,
           CircuitBreaker& breaker, const RunHooks& hooks)
      : options_(options),
        encoder_(encoder),
        decoder_(decoder),
        clock_(clock),
        multi_(multi),
        limiter_(limiter),
        breaker_(breaker),
        hooks_(hooks),
        rng_(options.seed),
        armed_(options.unreachable_after > 0) {}

  Status Run() {
    multi_.AbortAll();  // in case an earlier Run was left by an exception from a hook
    breaker_.Restart();
    Status status = Loop();
    multi_.AbortAll();  // after cancel or failure: drop what is still in flight
    return status;
  }

 private:
  using Due = std::pair<int64_t, uint64_t>;  // (due time, job id)

  bool Cancelled() const { return hooks_.cancel && hooks_.cancel->load(); }

  Status Loop() {
    while (!Cancelled()) {
      SV_RETURN_IF_ERROR(Pull());
      SV_RETURN_IF_ERROR(StartReady());
      if (jobs_.empty() && source_done_) return Finish();
      SV_ASSIGN_OR_RETURN(std::vector<CurlResult> results, Wait());
      for (CurlResult& result : results) SV_RETURN_IF_ERROR(OnResult(std::move(result)));
    }
    return Status::Ok();
  }

  // Pulls new requests while fewer than `concurrency` are outstanding. They join the
  // start queue, due now: StartReady starts them when the limits allow.
  Status Pull() {
    while (!source_done_ && static_cast<int>(jobs_.size()) < options_.concurrency && !Cancelled()) {
      std::optional<ModelRequest> request = hooks_.next();
      if (!request) {
        source_done_ = true;
        break;
      }
      uint64_t id = next_id_++;
      Job& job = jobs_[id];
      job.tag = request->tag;
      job.body = encoder_(*request);
      job.estimated_tokens = EstimateTokens(request->conversation);
      queue_.push({clock_.NowMs(), id});
    }
    return Status::Ok();
  }

  // Starts the due jobs in order of due time (then of arrival) while the circuit breaker
  // and the rate limiter allow. When they do not, records until when (blocked_until_),
  // or that only a result can unblock it (the breaker's probe is out).
  Status StartReady() {
    blocked_ = false;
    int64_t now = clock_.NowMs();
    while (!queue_.empty() && queue_.top().first <= now) {
      if (!breaker_.MayStart(now)) {
        blocked_ = true;
        bool open = breaker_.state() == CircuitBreaker::State::kOpen;
        blocked_until_ = open ? std::optional<int64_t>(breaker_.resume_at_ms()) : std::nullopt;
        return Status::Ok();
      }
      uint64_t id = queue_.top().second;
      Job& job = jobs_.at(id);
      int64_t delay = limiter_.DelayMs(now, job.estimated_tokens);
      if (delay > 0) {
        blocked_ = true;
        blocked_until_ = now + delay;
        return Status::Ok();
      }
      queue_.pop();
      SV_RETURN_IF_ERROR(StartAttempt(id, job, now));
    }
    return Status::Ok();
  }

  Status StartAttempt(uint64_t id, Job& job, int64_t now) {
    ++job.history.attempts;
    job.started_ms = now;
    job.probe = breaker_.OnStart(now);
    limiter_.OnStart(now, job.estimated_tokens);
    return multi_.Start(id, job.body);
  }

  // Waits for finished transfers, or until the next job is due or unblocked, whichever
  // comes first (never longer than kMaxWaitMs).
  Result<std::vector<CurlResult>> Wait() {
    int64_t wait = kMaxWaitMs;
    int64_t now = clock_.NowMs();
    if (blocked_) {
      if (blocked_until_) wait = std::clamp<int64_t>(*blocked_until_ - now, 0, kMaxWaitMs);
    } else if (!queue_.empty()) {
      wait = std::clamp<int64_t>(queue_.top().first - now, 0, kMaxWaitMs);
    }
    if (multi_.in_flight() > 0) return multi_.Poll(static_cast<int>(wait));
    clock_.SleepMs(wait);
    return std::vector<CurlResult>{};
  }

  // A failure seen before decoding: the transport's, or a status that is not ok.
  std::optional<Failure> TransportOrHttpFailure(const CurlResult& result) const {
    if (result.transport_failure) {
      return Failure{*result.transport_failure, result.transport_error, ""};
    }
    if (!IsOkStatus(result.http_status, options_.ok_statuses)) {
      return Failure{ClassifyHttpStatus(result.http_status), Excerpt(result.body, options_.secrets),
                     result.retry_after};
    }
    return std::nullopt;
  }

  Status OnResult(CurlResult&& result) {
    auto it = jobs_.find(result.id);
    if (it == jobs_.end()) return Status::Internal("curl reported an unknown transfer");
    Job& job = it->second;
    job.latency_ms = clock_.NowMs() - job.started_ms;
    if (result.http_status != 0) job.http_status = result.http_status;
    std::optional<Failure> failure = TransportOrHttpFailure(result);
    if (!failure) {
      // Decoders get valid UTF-8: a stray bad byte in an answer costs that byte, not the
      // whole answer.
      if (!IsValidUtf8(result.body)) result.body = SanitizeUtf8(result.body);
      Result<DecodedReply> decoded = decoder_(result.body);
      if (decoded.ok()) return Succeed(it, std::move(decoded).value());
      failure = Failure{
          FailureKind::kMalformed,
          decoded.status().message() + "; body: " + Excerpt(result.body, options_.secrets), ""};
      ++job.history.malformed;
    }
    bool was_probe = job.probe;
    job.probe = false;
    if (was_probe) {
      ReportProbeFailure(job, *failure);
      SV_RETURN_IF_ERROR(GaveUp());  // the probe's request stays without a reply
    }
    if (ShouldRetry(failure->kind, job.history, any_success_, options_.retry)) {
      ScheduleRetry(it->first, job, *failure);
      return Status::Ok();
    }
    std::string error = ErrorText(job, *failure);
    SV_RETURN_IF_ERROR(Fail(it, *failure, error));
    if (!was_probe && CountsAgainstEndpoint(failure->kind)) {
      Notify(breaker_.OnFailure(clock_.NowMs(), error, /*probe=*/false));
    }
    return GaveUp();
  }

  // The probe attempt failed: the breaker opens again (or gives up) when the failure says
  // the endpoint is still unwell; otherwise another probe may go.
  void ReportProbeFailure(const Job& job, const Failure& failure) {
    if (!CountsAgainstEndpoint(failure.kind)) {
      breaker_.OnProbeInconclusive();
      return;
    }
    Notify(breaker_.OnFailure(clock_.NowMs(), ErrorText(job, failure), /*probe=*/true));
  }

  // Unavailable with the breaker's reason once it gave up; the outstanding requests then
  // get no reply (Run drops them).
  Status GaveUp() const {
    if (breaker_.state() != CircuitBreaker::State::kGaveUp) return Status::Ok();
    return Status::Unavailable(Redact(breaker_.reason(), options_.secrets));
  }

  void Notify(const std::string& notice) {
    if (notice.empty() || !hooks_.on_notice || breaker_.state() == CircuitBreaker::State::kGaveUp) {
      return;  // giving up is told by Run's Status instead
    }
    hooks_.on_notice(Redact(notice, options_.secrets));
  }

  void ScheduleRetry(uint64_t id, const Job& job, const Failure& failure) {
    std::optional<int64_t> retry_after;
    if (failure.kind == FailureKind::kRetryableHttp) {
      retry_after = ParseRetryAfterMs(failure.retry_after);
    }
    int64_t delay = BackoffDelayMs(options_.retry, job.history.attempts - 1, retry_after, rng_);
    queue_.push({clock_.NowMs() + delay, id});
  }

  std::string ErrorText(const Job& job, const Failure& failure) const {
    return Redact(
        Describe(failure, job.history.attempts, job.http_status, options_.endpoint.timeout_ms),
        options_.secrets);
  }

  ModelReply ReplyFor(const Job& job) const {
    ModelReply reply;
    reply.tag = job.tag;
    reply.http_status = job.http_status;
    reply.attempts = job.history.attempts;
    reply.latency_ms = job.latency_ms;
    return reply;
  }

  Status Succeed(std::unordered_map<uint64_t, Job>::iterator it, DecodedReply&& decoded) {
    any_success_ = true;
    const Job& job = it->second;
    int64_t now = clock_.NowMs();
    if (std::optional<int64_t> actual = ActualTokens(decoded, job.estimated_tokens)) {
      limiter_.OnUsage(now, job.estimated_tokens, *actual);
    }
    Notify(breaker_.OnSuccess(now));
    ModelReply reply = ReplyFor(job);
    reply.ok = true;
    reply.text = std::move(decoded.text);
    reply.prompt_tokens = decoded.prompt_tokens;
    reply.completion_tokens = decoded.completion_tokens;
    reply.tool_calls = std::move(decoded.tool_calls);
    jobs_.erase(it);
    return Complete(std::move(reply), nullptr);
  }

  Status Fail(std::unordered_map<uint64_t, Job>::iterator it, const Failure& failure,
              std::string error) {
    ModelReply reply = ReplyFor(it->second);
    reply.error = std::move(error);
    jobs_.erase(it);
    bool unreachable = failure.kind == FailureKind::kUnreachable;
    return Complete(std::move(reply), unreachable ? &failure.detail : nullptr);
  }

  // Delivers a finished request's reply -- unless, while nothing has got through yet, it
  // failed to connect: such replies are held back, and once `unreachable_after` of them
  // pile up the run stops with Unavailable. Any other outcome releases them.
  // `unreachable_cause` is the failure's detail when it was kUnreachable, else null.
  Status Complete(ModelReply&& reply, const std::string* unreachable_cause) {
    if (armed_ && unreachable_cause) {
      held_.push_back(std::move(reply));
      if (first_cause_.empty()) first_cause_ = *unreachable_cause;
      if (static_cast<int>(held_.size()) >= options_.unreachable_after) return Unreachable();
      return Status::Ok();
    }
    if (armed_) {
      armed_ = false;
      for (ModelReply& held : held_) Deliver(std::move(held));
      held_.clear();
    }
    Deliver(std::move(reply));
    return Status::Ok();
  }

  void Deliver(ModelReply&& reply) {
    if (!Cancelled()) hooks_.on_reply(std::move(reply));
  }

  // Every request is done. If all of them (fewer than unreachable_after) failed to
  // connect, the endpoint is just as unreachable.
  Status Finish() { return held_.empty() ? Status::Ok() : Unreachable(); }

  Status Unreachable() const {
    return Status::Unavailable(
        Redact("cannot reach " + options_.endpoint.url + ": " + first_cause_, options_.secrets));
  }

  const CurlRunnerOptions& options_;
  const RequestEncoder& encoder_;
  const ReplyDecoder& decoder_;
  Clock& clock_;
  CurlMulti& multi_;
  RateLimiter& limiter_;
  CircuitBreaker& breaker_;
  const RunHooks& hooks_;

  std::mt19937_64 rng_;
  std::unordered_map<uint64_t, Job> jobs_;  // outstanding, by internal id
  // Jobs waiting to start an attempt: new ones (due when pulled) and retries (due after
  // their backoff), earliest first.
  std::priority_queue<Due, std::vector<Due>, std::greater<Due>> queue_;
  bool blocked_ = false;                  // StartReady left due jobs waiting
  std::optional<int64_t> blocked_until_;  // ... until then; nullopt: until a result
  uint64_t next_id_ = 0;
  bool source_done_ = false;
  bool any_success_ = false;
  bool armed_;                    // fail-fast still possible: only unreachables so far
  std::vector<ModelReply> held_;  // unreachable failures not delivered (yet)
  std::string first_cause_;
};

}  // namespace

CurlRunner::CurlRunner(CurlRunnerOptions options, RequestEncoder encoder, ReplyDecoder decoder,
                       Clock& clock, std::unique_ptr<CurlMulti> multi)
    : options_(std::move(options)),
      encoder_(std::move(encoder)),
      decoder_(std::move(decoder)),
      clock_(clock),
      multi_(std::move(multi)),
      limiter_(options_.limits.requests_per_minute, options_.limits.tokens_per_minute),
      breaker_(options_.limits, options_.endpoint.url) {}

Result<std::unique_ptr<CurlRunner>> CurlRunner::Create(CurlRunnerOptions options,
                                                       RequestEncoder encoder, ReplyDecoder decoder,
                                                       Clock& clock) {
  if (options.concurrency < 1) return Status::InvalidArgument("concurrency must be >= 1");
  SV_ASSIGN_OR_RETURN(std::unique_ptr<CurlMulti> multi,
                      CurlMulti::Create(options.endpoint, options.concurrency));
  return std::unique_ptr<CurlRunner>(new CurlRunner(std::move(options), std::move(encoder),
                                                    std::move(decoder), clock, std::move(multi)));
}

Status CurlRunner::Run(const RunHooks& hooks) {
  if (!hooks.next || !hooks.on_reply) {
    return Status::InvalidArgument("RunHooks.next and RunHooks.on_reply are required");
  }
  RunState state(options_, encoder_, decoder_, clock_, *multi_, limiter_, breaker_, hooks);
  return state.Run();
}

}  // namespace safeval
