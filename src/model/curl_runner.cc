#include "model/curl_runner.h"

#include <algorithm>
#include <optional>
#include <queue>
#include <random>
#include <unordered_map>
#include <utility>

#include "core/utf8.h"

namespace safeval {
namespace {

constexpr int64_t kMaxWaitMs = 100;  // bounds how late a cancel is noticed
constexpr size_t kExcerptBytes = 200;

// One outstanding request.
struct Job {
  uint64_t tag = 0;
  std::string body;
  AttemptHistory history;
  int64_t started_ms = 0;  // of the current attempt
  int64_t latency_ms = 0;  // of the latest finished attempt
  int http_status = 0;     // the last one seen
};

// Why an attempt failed, as the reply's error will tell it.
struct Failure {
  FailureKind kind = FailureKind::kFatalTransport;
  std::string detail;       // libcurl's text, a body excerpt, or the decoder's message
  std::string retry_after;  // the header, for HTTP failures
};

std::string Attempts(int n) { return n == 1 ? "1 attempt" : std::to_string(n) + " attempts"; }

std::string Redact(std::string text, const std::vector<std::string>& secrets) {
  for (const std::string& secret : secrets) {
    if (secret.empty()) continue;
    for (size_t pos = text.find(secret); pos != std::string::npos; pos = text.find(secret, pos)) {
      text.replace(pos, secret.size(), "[redacted]");
    }
  }
  return text;
}

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

// The state of one Run: outstanding jobs, the retry queue and the fail-fast bookkeeping.
class RunState {
 public:
  RunState(const CurlRunnerOptions& options, const RequestEncoder& encoder,
           const ReplyDecoder& decoder, Clock& clock, CurlMulti& multi, const RunHooks& hooks)
      : options_(options),
        encoder_(encoder),
        decoder_(decoder),
        clock_(clock),
        multi_(multi),
        hooks_(hooks),
        rng_(options.seed),
        armed_(options.unreachable_after > 0) {}

  Status Run() {
    multi_.AbortAll();  // in case an earlier Run was left by an exception from a hook
    Status status = Loop();
    multi_.AbortAll();  // after cancel or failure: drop what is still in flight
    return status;
  }

 private:
  using Due = std::pair<int64_t, uint64_t>;  // (due time, job id)

  bool Cancelled() const { return hooks_.cancel && hooks_.cancel->load(); }

  Status Loop() {
    while (!Cancelled()) {
      SV_RETURN_IF_ERROR(StartDueRetries());
      SV_RETURN_IF_ERROR(Pull());
      if (jobs_.empty() && source_done_) return Finish();
      SV_ASSIGN_OR_RETURN(std::vector<CurlResult> results, Wait());
      for (CurlResult& result : results) SV_RETURN_IF_ERROR(OnResult(std::move(result)));
    }
    return Status::Ok();
  }

  // Pulls new requests while fewer than `concurrency` are outstanding.
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
      SV_RETURN_IF_ERROR(StartAttempt(id, job));
    }
    return Status::Ok();
  }

  Status StartDueRetries() {
    int64_t now = clock_.NowMs();
    while (!waiting_.empty() && waiting_.top().first <= now) {
      uint64_t id = waiting_.top().second;
      waiting_.pop();
      SV_RETURN_IF_ERROR(StartAttempt(id, jobs_.at(id)));
    }
    return Status::Ok();
  }

  Status StartAttempt(uint64_t id, Job& job) {
    ++job.history.attempts;
    job.started_ms = clock_.NowMs();
    return multi_.Start(id, job.body);
  }

  // Waits for finished transfers or the next due retry, whichever comes first.
  Result<std::vector<CurlResult>> Wait() {
    int64_t wait = kMaxWaitMs;
    if (!waiting_.empty()) {
      wait = std::clamp<int64_t>(waiting_.top().first - clock_.NowMs(), 0, kMaxWaitMs);
    }
    if (multi_.in_flight() > 0) return multi_.Poll(static_cast<int>(wait));
    clock_.SleepMs(wait);
    return std::vector<CurlResult>{};
  }

  // A failure seen before decoding: the transport's, or a non-2xx status.
  std::optional<Failure> TransportOrHttpFailure(const CurlResult& result) const {
    if (result.transport_failure) {
      return Failure{*result.transport_failure, result.transport_error, ""};
    }
    if (result.http_status < 200 || result.http_status > 299) {
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
      Result<DecodedReply> decoded = decoder_(result.body);
      if (decoded.ok()) return Succeed(it, std::move(decoded).value());
      failure = Failure{
          FailureKind::kMalformed,
          decoded.status().message() + "; body: " + Excerpt(result.body, options_.secrets), ""};
      ++job.history.malformed;
    }
    if (ShouldRetry(failure->kind, job.history, any_success_, options_.retry)) {
      ScheduleRetry(it->first, job, *failure);
      return Status::Ok();
    }
    return Fail(it, *failure);
  }

  void ScheduleRetry(uint64_t id, const Job& job, const Failure& failure) {
    std::optional<int64_t> retry_after;
    if (failure.kind == FailureKind::kRetryableHttp) {
      retry_after = ParseRetryAfterMs(failure.retry_after);
    }
    int64_t delay = BackoffDelayMs(options_.retry, job.history.attempts - 1, retry_after, rng_);
    waiting_.push({clock_.NowMs() + delay, id});
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
    ModelReply reply = ReplyFor(it->second);
    reply.ok = true;
    reply.text = std::move(decoded.text);
    reply.prompt_tokens = decoded.prompt_tokens;
    reply.completion_tokens = decoded.completion_tokens;
    jobs_.erase(it);
    return Complete(std::move(reply), nullptr);
  }

  Status Fail(std::unordered_map<uint64_t, Job>::iterator it, const Failure& failure) {
    const Job& job = it->second;
    ModelReply reply = ReplyFor(job);
    reply.error = Redact(
        Describe(failure, job.history.attempts, job.http_status, options_.endpoint.timeout_ms),
        options_.secrets);
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
  const RunHooks& hooks_;

  std::mt19937_64 rng_;
  std::unordered_map<uint64_t, Job> jobs_;  // outstanding, by internal id
  std::priority_queue<Due, std::vector<Due>, std::greater<Due>> waiting_;
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
      multi_(std::move(multi)) {}

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
  RunState state(options_, encoder_, decoder_, clock_, *multi_, hooks);
  return state.Run();
}

}  // namespace safeval
