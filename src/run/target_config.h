// A target in a suite (FORMATS.md `targets:`): which endpoint a model sits behind
// and how to talk to it. Parsed and validated here, once; run/client_factory.h
// turns it into a ModelClient. Secrets are never held here: only the names of
// the environment variables that hold them.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace YAML {
class Node;
}

namespace safeval {

enum class TargetType { kDemo, kOpenAi, kAnthropic, kHttp, kExec, kImages };

struct TargetConfig {
  std::string name;
  TargetType type = TargetType::kDemo;
  // openai, anthropic, images: the API root, e.g. http://127.0.0.1:8000/v1.
  std::string base_url;
  std::string model;          // openai, anthropic, images
  std::string api_key_env;    // name of the environment variable holding the key; never the key
  std::string system_prompt;  // openai, anthropic, http ({{system}}), exec (in the stdin JSON)
  // Sampling parameters (`params:`), sent only when set.
  std::optional<double> temperature;
  std::optional<double> top_p;
  std::optional<int> max_tokens;
  std::vector<std::string> stop;
  std::map<std::string, std::string> headers;  // openai, anthropic, http, images

  // http: any JSON API.
  std::string url;
  std::string method = "POST";
  std::string body_template;  // {{prompt}}, {{messages_json}}, {{system}}, {{var.NAME}}
  std::vector<std::string> response_paths;  // JSON pointers to the text, first match wins
  std::string tool_calls_pointer;  // JSON pointer to the reply's tool-call array; "": none
  std::map<std::string, std::string> variables;  // suite variables for the body template
  std::vector<int> ok_statuses;  // empty: 2xx is success

  // exec: a local command, conversation JSON on stdin, response text on stdout.
  std::vector<std::string> command;  // argv; command[0] is looked up on PATH

  // images: OpenAI-images-style generation.
  std::string image_size;        // e.g. "1024x1024"; empty: the endpoint's default
  std::string response_format;   // "b64_json" | "url"; empty: the endpoint's default

  // Transport and faults, every endpoint kind.
  int concurrency = 16;            // requests in flight
  int64_t timeout_ms = 60000;      // per attempt (exec: per process)
  int64_t connect_timeout_ms = 10000;
  int max_attempts = 5;            // including the first
  std::optional<int> requests_per_minute;
  std::optional<int64_t> tokens_per_minute;
  int circuit_breaker_failures = 10;  // consecutive failed requests that pause the target; 0: off

  // Prices for the campaign's cost budget (USD per million tokens); unset: cost unknown.
  std::optional<double> input_usd_per_mtok;
  std::optional<double> output_usd_per_mtok;
};

// Parses one entry of `targets:` at `line` of `origin` (the suite or judge config file).
// Errors: InvalidArgument "<origin>:<line>: field '<field>': <expected>".
Result<TargetConfig> ParseTarget(const YAML::Node& node, const std::string& origin, int line);

// The target as canonical JSON for the run record and the response cache key: everything
// that decides its answers (no name, no secrets, no concurrency or rate limits).
std::string TargetSnapshotJson(const TargetConfig& target);

std::string_view Name(TargetType type);

}  // namespace safeval
