#include "run/target_config.h"

#include <nlohmann/json.hpp>

#include "taxonomy/yaml_map.h"

namespace safeval {
namespace {

Status ParseParams(const YamlMap& target, TargetConfig* t) {
  int line = target.line();
  const YAML::Node* params = target.Find("params", &line);
  if (params == nullptr) return Status::Ok();
  if (!params->IsMap()) return target.Error(line, "params", "expected a mapping");
  YamlMap p(*params, target.origin(), line);
  SV_RETURN_IF_ERROR(p.CheckKeys({"temperature", "max_tokens"}));
  if (p.Has("temperature")) {
    SV_ASSIGN_OR_RETURN(t->temperature, p.Double("temperature", 0.0, 0.0, 2.0));
  }
  if (p.Has("max_tokens")) {
    SV_ASSIGN_OR_RETURN(int64_t max_tokens, p.Int("max_tokens", 0, 1, 1'000'000));
    t->max_tokens = static_cast<int>(max_tokens);
  }
  return Status::Ok();
}

Status ParseHeaders(const YamlMap& target, TargetConfig* t) {
  int line = target.line();
  const YAML::Node* headers = target.Find("headers", &line);
  if (headers == nullptr) return Status::Ok();
  if (!headers->IsMap()) return target.Error(line, "headers", "expected a mapping of name: value");
  for (const auto& kv : *headers) {
    if (!kv.second.IsScalar()) {
      return target.Error(YamlLine(kv.second, line), "headers", "expected string values");
    }
    t->headers[kv.first.as<std::string>()] = kv.second.Scalar();
  }
  return Status::Ok();
}

Status ParseOpenAiTarget(const YamlMap& f, TargetConfig* t) {
  SV_RETURN_IF_ERROR(f.CheckKeys({"name", "type", "base_url", "model", "api_key_env",
                                  "system_prompt", "params", "headers", "concurrency",
                                  "requests_per_minute", "timeout_s", "max_attempts"}));
  SV_ASSIGN_OR_RETURN(t->base_url, f.String("base_url", true));
  if (!t->base_url.starts_with("http://") && !t->base_url.starts_with("https://")) {
    return f.ErrorAt("base_url", "expected an http:// or https:// URL, got '" + t->base_url + "'");
  }
  SV_ASSIGN_OR_RETURN(t->model, f.String("model", true));
  SV_ASSIGN_OR_RETURN(t->api_key_env, f.String("api_key_env", false));
  SV_ASSIGN_OR_RETURN(t->system_prompt, f.String("system_prompt", false));
  SV_RETURN_IF_ERROR(ParseParams(f, t));
  SV_RETURN_IF_ERROR(ParseHeaders(f, t));
  SV_ASSIGN_OR_RETURN(int64_t timeout_s, f.Int("timeout_s", t->timeout_ms / 1000, 1, 3600));
  SV_ASSIGN_OR_RETURN(int64_t attempts, f.Int("max_attempts", t->max_attempts, 1, 20));
  SV_ASSIGN_OR_RETURN(int64_t rpm, f.Int("requests_per_minute", 0, 1, 10'000'000));
  t->timeout_ms = timeout_s * 1000;
  t->max_attempts = static_cast<int>(attempts);
  if (rpm > 0) t->requests_per_minute = static_cast<int>(rpm);
  return Status::Ok();
}

}  // namespace

Result<TargetConfig> ParseTarget(const YAML::Node& node, const std::string& origin, int line) {
  if (!node.IsMap()) return YamlFieldError(origin, line, "targets", "expected a mapping per target");
  YamlMap f(node, origin, line);
  TargetConfig t;
  SV_ASSIGN_OR_RETURN(t.name, f.String("name", true));
  SV_ASSIGN_OR_RETURN(std::string type, f.String("type", true));
  if (type == "demo") {
    t.type = TargetType::kDemo;
    SV_RETURN_IF_ERROR(f.CheckKeys({"name", "type", "concurrency"}));
  } else if (type == "openai") {
    t.type = TargetType::kOpenAi;
    SV_RETURN_IF_ERROR(ParseOpenAiTarget(f, &t));
  } else {
    return f.ErrorAt("type", "expected 'demo' or 'openai', got '" + type +
                                 "' (anthropic, http, exec and images targets are not supported yet)");
  }
  SV_ASSIGN_OR_RETURN(int64_t concurrency, f.Int("concurrency", t.concurrency, 1, 4096));
  t.concurrency = static_cast<int>(concurrency);
  return t;
}

std::string_view Name(TargetType type) {
  switch (type) {
    case TargetType::kDemo: return "demo";
    case TargetType::kOpenAi: return "openai";
    case TargetType::kAnthropic: return "anthropic";
    case TargetType::kHttp: return "http";
    case TargetType::kExec: return "exec";
    case TargetType::kImages: return "images";
  }
  return "demo";
}

std::string TargetSnapshotJson(const TargetConfig& target) {
  nlohmann::ordered_json t;
  t["type"] = Name(target.type);
  if (target.type == TargetType::kOpenAi) {
    t["base_url"] = target.base_url;
    t["model"] = target.model;
    t["api_key_env"] = target.api_key_env;  // the variable's name, never its value
    t["system_prompt"] = target.system_prompt;
    if (target.temperature) t["temperature"] = *target.temperature;
    if (target.max_tokens) t["max_tokens"] = *target.max_tokens;
    t["header_names"] = nlohmann::json::array();
    for (const auto& [k, v] : target.headers) t["header_names"].push_back(k);
    t["timeout_ms"] = target.timeout_ms;
    t["max_attempts"] = target.max_attempts;
  }
  return t.dump();
}

}  // namespace safeval
