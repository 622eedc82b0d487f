// ModelClient: the model under test (or a judge model) behind any endpoint.
//
// A client pulls requests from a source and delivers exactly one reply per
// request, on the calling thread, in completion order, keeping at most its
// configured concurrency in flight. Failures of single requests (HTTP errors
// after retries, timeouts, malformed bodies) come back as replies with
// ok == false; they are never turned into text. Not thread-safe: one Run at a time.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/prompt.h"
#include "core/status.h"

namespace safeval {

struct ModelRequest {
  uint64_t tag = 0;                // opaque to the client; echoed in the reply
  std::vector<Turn> conversation;  // system prompt, if any, is added by the client
  // The item's own system prompt; when set it replaces the target's configured one.
  std::string system;
  // Tool definitions to offer (a JSON array in the OpenAI function-calling shape); empty: none.
  std::string tools_json;
};

// A generated image, video or audio clip (images targets). The executor saves it
// next to the run under its content hash and records the path.
struct MediaOutput {
  std::string mime_type;   // e.g. "image/png"
  std::string data;        // the bytes; empty when only a URL is known
  std::string source_url;  // where the endpoint said it is, if it gave a URL
};

struct ModelReply {
  uint64_t tag = 0;
  bool ok = false;
  std::string text;          // the model's answer when ok (valid UTF-8)
  int http_status = 0;       // last HTTP status seen (0: none, e.g. connection failed)
  std::string error;         // what went wrong when !ok, e.g. "HTTP 500 after 4 attempts: ..."
  int attempts = 0;
  int64_t latency_ms = 0;    // of the last attempt
  int prompt_tokens = -1;    // -1 when the endpoint does not report usage
  int completion_tokens = -1;
  std::optional<MediaOutput> media;  // set by media targets; text may then be empty
  std::vector<ToolCall> tool_calls;  // the tool calls the model asked for (text may then be empty)
};

struct RunHooks {
  // Returns the next request, or nullopt when there are no more.
  std::function<std::optional<ModelRequest>()> next;
  // Receives each reply.
  std::function<void(ModelReply&&)> on_reply;
  // When it becomes true the client stops pulling requests, abandons those in
  // flight (without calling on_reply for them) and returns Ok. May be null.
  const std::atomic<bool>* cancel = nullptr;
  // Told things the user should know while the run goes on, e.g. "target paused for 30 s
  // after 10 consecutive failures (last: HTTP 503 ...)". May be null.
  std::function<void(const std::string& message)> on_notice;
};

class ModelClient {
 public:
  virtual ~ModelClient() = default;
  // Identifies the endpoint and model for records and reports, without secrets,
  // e.g. "openai:llama-3.1-8b@http://127.0.0.1:8000/v1" or "demo:v1".
  virtual std::string Identity() const = 0;
  // True for the built-in demo target, whose results are labelled as a demo.
  virtual bool IsDemo() const { return false; }
  // Runs until `next` is exhausted and every reply is delivered, or cancel is set.
  // Returns Unavailable (naming the URL and the cause) when the endpoint cannot
  // be reached at all: the first requests all fail to connect before any succeeds.
  virtual Status Run(const RunHooks& hooks) = 0;
};

}  // namespace safeval
