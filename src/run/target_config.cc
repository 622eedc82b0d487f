#include "run/target_config.h"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>
#include <sstream>

#include "model/http_target_client.h"
#include "run/target_fields.h"
#include "taxonomy/yaml_map.h"

namespace safeval {
namespace {

namespace tf = target_fields;

constexpr char kAnthropicBaseUrl[] = "https://api.anthropic.com/v1";
constexpr int kMaxHttpTargetConcurrency = 4096;
constexpr int kMaxExecConcurrency = 256;

Status ParseOpenAiTarget(const YamlMap& f, TargetConfig* t) {
  SV_RETURN_IF_ERROR(
      f.CheckKeys({"name", "type", "base_url", "model", "api_key_env", "system_prompt", "params",
                   "headers", "concurrency", "requests_per_minute", "tokens_per_minute",
                   "circuit_breaker", "timeout_s", "connect_timeout_s", "max_attempts", "price"}));
  SV_RETURN_IF_ERROR(tf::BaseUrl(f, "", t));
  SV_ASSIGN_OR_RETURN(t->model, f.String("model", true));
  SV_ASSIGN_OR_RETURN(t->api_key_env, f.String("api_key_env", false));
  SV_ASSIGN_OR_RETURN(t->system_prompt, f.String("system_prompt", false));
  SV_RETURN_IF_ERROR(tf::Params(f, 2.0, t));
  SV_RETURN_IF_ERROR(tf::Headers(f, t));
  SV_RETURN_IF_ERROR(tf::Transport(f, kMaxHttpTargetConcurrency, t));
  SV_RETURN_IF_ERROR(tf::Limits(f, t));
  return tf::Price(f, t);
}

Status ParseAnthropicTarget(const YamlMap& f, TargetConfig* t) {
  SV_RETURN_IF_ERROR(
      f.CheckKeys({"name", "type", "base_url", "model", "api_key_env", "system_prompt", "params",
                   "headers", "concurrency", "requests_per_minute", "tokens_per_minute",
                   "circuit_breaker", "timeout_s", "connect_timeout_s", "max_attempts", "price"}));
  SV_RETURN_IF_ERROR(tf::BaseUrl(f, kAnthropicBaseUrl, t));
  SV_ASSIGN_OR_RETURN(t->model, f.String("model", true));
  SV_ASSIGN_OR_RETURN(t->api_key_env, f.String("api_key_env", false));
  SV_ASSIGN_OR_RETURN(t->system_prompt, f.String("system_prompt", false));
  SV_RETURN_IF_ERROR(tf::Params(f, 1.0, t));  // the Messages API takes 0..1
  SV_RETURN_IF_ERROR(tf::Headers(f, t));
  SV_RETURN_IF_ERROR(tf::Transport(f, kMaxHttpTargetConcurrency, t));
  SV_RETURN_IF_ERROR(tf::Limits(f, t));
  return tf::Price(f, t);
}

Status ParseOkStatuses(const YamlMap& f, TargetConfig* t) {
  int line = f.line();
  const YAML::Node* node = f.Find("ok_status", &line);
  if (node == nullptr) return Status::Ok();
  std::vector<YAML::Node> items;
  if (node->IsSequence()) {
    for (const auto& item : *node) items.push_back(item);
  } else {
    items.push_back(*node);
  }
  for (const auto& item : items) {
    int status = 0;
    if (!item.IsScalar() || !YAML::convert<int>::decode(item, status)) {
      return f.Error(YamlLine(item, line), "ok_status",
                     "expected an HTTP status or a list of them");
    }
    t->ok_statuses.push_back(status);
  }
  return Status::Ok();
}

// Checks the http target as its client will, so template mistakes surface with a line.
Status CheckHttpTarget(const YamlMap& f, const TargetConfig& t) {
  HttpTargetOptions o;
  o.url = t.url;
  o.method = t.method;
  o.headers = t.headers;
  o.body_template = t.body_template;
  o.response_paths = t.response_paths;
  o.tool_calls_pointer = t.tool_calls_pointer;
  o.variables = t.variables;
  o.ok_statuses = t.ok_statuses;
  if (!t.api_key_env.empty()) o.api_key = "placeholder-key";  // {{api_key}} will have a value
  o.concurrency = t.concurrency;
  Status valid = ValidateHttpTargetOptions(o);
  if (!valid.ok() && valid.message().find("{{api_key}} but there is no key") != std::string::npos) {
    return f.ErrorAt("headers",
                     "a header uses {{api_key}}; set api_key_env to the variable "
                     "that holds the key");
  }
  return tf::AtNamedField(
      f, valid,
      {"url", "method", "body", "response_path", "tool_calls_pointer", "ok_status", "headers"},
      "type");
}

Status ParseHttpTarget(const YamlMap& f, TargetConfig* t) {
  SV_RETURN_IF_ERROR(f.CheckKeys(
      {"name", "type", "url", "method", "headers", "body", "response_path", "tool_calls_pointer",
       "variables", "ok_status", "api_key_env", "system_prompt", "concurrency",
       "requests_per_minute", "tokens_per_minute", "circuit_breaker", "timeout_s",
       "connect_timeout_s", "max_attempts"}));
  SV_ASSIGN_OR_RETURN(t->url, f.String("url", true));
  SV_ASSIGN_OR_RETURN(std::string method, f.String("method", false));
  if (!method.empty()) t->method = method;
  std::transform(t->method.begin(), t->method.end(), t->method.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  SV_RETURN_IF_ERROR(tf::Headers(f, t));
  SV_ASSIGN_OR_RETURN(t->body_template, f.String("body", false));
  SV_ASSIGN_OR_RETURN(t->response_paths, tf::StringList(f, "response_path", /*allow_empty=*/true));
  if (t->response_paths.empty() && !f.Has("response_path")) {
    return f.ErrorAt("response_path", "required; a JSON pointer to the answer, e.g. /output/text");
  }
  SV_ASSIGN_OR_RETURN(t->tool_calls_pointer, f.String("tool_calls_pointer", false));
  SV_RETURN_IF_ERROR(tf::Variables(f, t));
  SV_RETURN_IF_ERROR(ParseOkStatuses(f, t));
  SV_ASSIGN_OR_RETURN(t->api_key_env, f.String("api_key_env", false));
  SV_ASSIGN_OR_RETURN(t->system_prompt, f.String("system_prompt", false));
  SV_RETURN_IF_ERROR(tf::Transport(f, kMaxHttpTargetConcurrency, t));
  SV_RETURN_IF_ERROR(tf::Limits(f, t));
  return CheckHttpTarget(f, *t);
}

// `command`: a list of arguments, or one string split on spaces.
Status ParseCommand(const YamlMap& f, TargetConfig* t) {
  int line = f.line();
  const YAML::Node* node = f.Find("command", &line);
  if (node != nullptr && node->IsScalar()) {
    std::istringstream words(node->Scalar());
    for (std::string word; words >> word;) t->command.push_back(word);
  } else {
    SV_ASSIGN_OR_RETURN(t->command, tf::StringList(f, "command"));
  }
  if (t->command.empty()) {
    return f.Error(line, "command",
                   "required; the program and its arguments, e.g. "
                   "[python3, model.py] or \"python3 model.py\"");
  }
  return Status::Ok();
}

Status ParseExecTarget(const YamlMap& f, TargetConfig* t) {
  SV_RETURN_IF_ERROR(f.CheckKeys({"name", "type", "command", "system_prompt", "timeout_s",
                                  "concurrency", "max_attempts", "requests_per_minute"}));
  t->concurrency = 4;   // processes, not connections: a local model is usually the bottleneck
  t->max_attempts = 1;  // a failing command rarely succeeds when run again
  SV_RETURN_IF_ERROR(ParseCommand(f, t));
  SV_ASSIGN_OR_RETURN(t->system_prompt, f.String("system_prompt", false));
  SV_RETURN_IF_ERROR(tf::Transport(f, kMaxExecConcurrency, t));
  SV_ASSIGN_OR_RETURN(int64_t rpm, f.Int("requests_per_minute", 0, 1, 10'000'000));
  if (rpm > 0) t->requests_per_minute = static_cast<int>(rpm);
  return Status::Ok();
}

Status ParseImagesTarget(const YamlMap& f, TargetConfig* t) {
  SV_RETURN_IF_ERROR(
      f.CheckKeys({"name", "type", "base_url", "model", "api_key_env", "size", "response_format",
                   "headers", "concurrency", "requests_per_minute", "circuit_breaker", "timeout_s",
                   "connect_timeout_s", "max_attempts"}));
  t->concurrency = 4;
  t->timeout_ms = 120000;  // generating an image takes long
  SV_RETURN_IF_ERROR(tf::BaseUrl(f, "", t));
  SV_ASSIGN_OR_RETURN(t->model, f.String("model", true));
  SV_ASSIGN_OR_RETURN(t->api_key_env, f.String("api_key_env", false));
  SV_ASSIGN_OR_RETURN(t->image_size, f.String("size", false));
  SV_ASSIGN_OR_RETURN(t->response_format, f.String("response_format", false));
  if (!t->response_format.empty() && t->response_format != "b64_json" &&
      t->response_format != "url") {
    return f.ErrorAt("response_format",
                     "expected b64_json or url, got '" + t->response_format + "'");
  }
  SV_RETURN_IF_ERROR(tf::Headers(f, t));
  SV_RETURN_IF_ERROR(tf::Transport(f, kMaxHttpTargetConcurrency, t));
  return tf::Limits(f, t);
}

Status ParseByType(const YamlMap& f, const std::string& type, TargetConfig* t) {
  if (type == "demo") {
    t->type = TargetType::kDemo;
    SV_RETURN_IF_ERROR(f.CheckKeys({"name", "type", "concurrency"}));
    SV_ASSIGN_OR_RETURN(int64_t concurrency, f.Int("concurrency", t->concurrency, 1, 4096));
    t->concurrency = static_cast<int>(concurrency);
    return Status::Ok();
  }
  struct Kind {
    const char* name;
    TargetType type;
    Status (*parse)(const YamlMap&, TargetConfig*);
  };
  static const Kind kKinds[] = {
      {"openai", TargetType::kOpenAi, ParseOpenAiTarget},
      {"anthropic", TargetType::kAnthropic, ParseAnthropicTarget},
      {"http", TargetType::kHttp, ParseHttpTarget},
      {"exec", TargetType::kExec, ParseExecTarget},
      {"images", TargetType::kImages, ParseImagesTarget},
  };
  for (const Kind& kind : kKinds) {
    if (type != kind.name) continue;
    t->type = kind.type;
    return kind.parse(f, t);
  }
  return f.ErrorAt(
      "type", "expected one of demo, openai, anthropic, http, exec, images, got '" + type + "'");
}

nlohmann::ordered_json HeaderNames(const TargetConfig& target) {
  nlohmann::ordered_json names = nlohmann::json::array();
  for (const auto& [name, value] : target.headers) names.push_back(name);
  return names;
}

// Sampling parameters as sent; only those that are set.
void AddParams(const TargetConfig& target, nlohmann::ordered_json& t) {
  if (target.temperature) t["temperature"] = *target.temperature;
  if (target.top_p) t["top_p"] = *target.top_p;
  if (target.max_tokens) t["max_tokens"] = *target.max_tokens;
  if (!target.stop.empty()) t["stop"] = target.stop;
}

}  // namespace

Result<TargetConfig> ParseTarget(const YAML::Node& node, const std::string& origin, int line) {
  if (!node.IsMap())
    return YamlFieldError(origin, line, "targets", "expected a mapping per target");
  YamlMap f(node, origin, line);
  TargetConfig t;
  SV_ASSIGN_OR_RETURN(t.name, f.String("name", true));
  // The name becomes part of the run id, hence of the run's folder (output_dir/<run id>)
  // and of terminal output: a '/' would put the folder elsewhere (SECURITY.md).
  if (t.name.find_first_of("/\\") != std::string::npos ||
      std::any_of(t.name.begin(), t.name.end(),
                  [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; })) {
    return f.ErrorAt("name", "a target name may not contain '/', '\\' or control characters");
  }
  SV_ASSIGN_OR_RETURN(std::string type, f.String("type", true));
  SV_RETURN_IF_ERROR(ParseByType(f, type, &t));
  return t;
}

std::string_view Name(TargetType type) {
  switch (type) {
    case TargetType::kDemo:
      return "demo";
    case TargetType::kOpenAi:
      return "openai";
    case TargetType::kAnthropic:
      return "anthropic";
    case TargetType::kHttp:
      return "http";
    case TargetType::kExec:
      return "exec";
    case TargetType::kImages:
      return "images";
  }
  return "demo";
}

// Keys of existing types keep their order and presence, so snapshots (and the response
// cache keyed by them) of earlier runs stay valid: new fields appear only when set.
std::string TargetSnapshotJson(const TargetConfig& target) {
  nlohmann::ordered_json t;
  t["type"] = Name(target.type);
  switch (target.type) {
    case TargetType::kDemo:
      break;
    case TargetType::kOpenAi:
    case TargetType::kAnthropic:
      t["base_url"] = target.base_url;
      t["model"] = target.model;
      t["api_key_env"] = target.api_key_env;  // the variable's name, never its value
      t["system_prompt"] = target.system_prompt;
      AddParams(target, t);
      t["header_names"] = HeaderNames(target);
      break;
    case TargetType::kHttp:
      t["url"] = target.url;
      t["method"] = target.method;
      t["api_key_env"] = target.api_key_env;
      t["system_prompt"] = target.system_prompt;
      t["body"] = target.body_template;
      t["response_paths"] = target.response_paths;
      t["variables"] = target.variables;
      t["ok_statuses"] = target.ok_statuses;
      t["header_names"] = HeaderNames(target);
      if (!target.tool_calls_pointer.empty()) t["tool_calls_pointer"] = target.tool_calls_pointer;
      break;
    case TargetType::kExec:
      t["command"] = target.command;
      t["system_prompt"] = target.system_prompt;
      break;
    case TargetType::kImages:
      t["base_url"] = target.base_url;
      t["model"] = target.model;
      t["api_key_env"] = target.api_key_env;
      t["size"] = target.image_size;
      t["response_format"] = target.response_format;
      t["header_names"] = HeaderNames(target);
      break;
  }
  if (target.type != TargetType::kDemo) {
    t["timeout_ms"] = target.timeout_ms;
    t["max_attempts"] = target.max_attempts;
  }
  // Strings yaml-cpp unescaped need not be UTF-8 (lists are not checked): never throw.
  return t.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace safeval
