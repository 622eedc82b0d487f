// The local-command adapter ("type: exec" in a suite): a program on this machine is the
// model -- a Python script wrapping a local model, a binary, anything that reads a
// conversation and prints an answer.
//
// Per request the client starts `command` (no shell: command[0] is resolved on PATH once,
// when the client is made, and run with command[1..] as its arguments) in a new process
// group, writes one line of JSON to its stdin and closes it:
//   {"messages":[{"role":"user","content":"..."},...],"system":"...","tools":[...]}
// ("system" is always present: the request's own system prompt when set, else
// `system_prompt`, "" when neither; "tools" only when the request has tools, as given in
// the OpenAI function-calling shape; an assistant message with tool calls also has
// "tool_calls" [{"id","type":"function","function":{"name","arguments":"<json text>"}}]
// and a "tool" message "tool_call_id"), and reads its stdout and stderr until both are
// closed and it has exited.
//   exit 0                 -> ok; the output is stdout with one trailing newline ("\n" or
//                             "\r\n") removed. Stdout must be valid UTF-8, or the request
//                             fails with "output is not valid UTF-8 (byte N)". When the
//                             output is one JSON object with a "tool_calls" array and a
//                             "content" that is a string or null (other keys ignored), the
//                             text is "content" ("" for null) and the elements are the tool
//                             calls (shapes of tool_wire.h; one without a name fails the
//                             request: "output: tool_calls[0] has no function name");
//                             any other output, JSON or not, is the text, as it is.
//   non-zero exit / signal -> "exit status N: <last 500 bytes of stderr>" or
//                             "killed by signal N: <stderr tail>"
//   still running after timeout_ms
//                          -> the whole process group gets SIGKILL and is reaped;
//                             "timeout after N ms"
//   stdout over 16 MB      -> killed and reaped; "output larger than 16 MB"
// A child that does not read its stdin is fine: the unwritten rest of the input is
// dropped (EPIPE is expected, and SIGPIPE is blocked on the calling thread during Run and
// any SIGPIPE raised by our writes is consumed before Run returns). A failed attempt is
// retried at once, without backoff, until max_attempts; errors then end in " (N attempts)".
//
// Up to `concurrency` processes run at once, all driven from the calling thread with
// poll() over non-blocking pipes. Deadlines come from the Clock (a FakeClock never lets a
// process time out). Cancel (RunHooks.cancel) kills every process group and reaps every
// child before Run returns: no zombies, no stray processes. Children inherit the
// environment and working directory of safeval; their signal mask and dispositions are
// reset to the defaults.
//
// limits.requests_per_minute spreads process starts (every attempt counts) as the HTTP
// targets' requests are spread (model/rate_limiter.h); the token limit and the circuit
// breaker do not apply to local commands.
//
// Thread-safety: as every ModelClient, one Run at a time; hooks run on the calling thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "model/endpoint_limits.h"
#include "model/model_client.h"

namespace safeval {

struct ExecOptions {
  // argv of the model program; command[0] is a path, or a name looked up on PATH. Required.
  std::vector<std::string> command;
  std::string system_prompt;   // sent as "system" in the stdin JSON (unless the request has one)
  int concurrency = 4;         // processes running at once, 1..256
  int64_t timeout_ms = 60000;  // per process, from start to exit; > 0
  int max_attempts = 1;        // per request, the first one included; 1..100
  EndpointLimits limits;       // requests_per_minute only (see above)
};

// InvalidArgument naming the field: empty command, command[0] empty / not found on PATH /
// not an executable file, concurrency outside 1..256, timeout_ms <= 0, max_attempts
// outside 1..100, requests_per_minute < 1.
Status ValidateExecOptions(const ExecOptions& options);

// Validates `options` and returns the client. Identity(): "exec:<basename of command[0]>".
// `clock` (deadlines, latencies, rate limit) must outlive the client.
Result<std::unique_ptr<ModelClient>> MakeExecClient(const ExecOptions& options, Clock& clock);

}  // namespace safeval
