#include "run/target_fields.h"

#include <cmath>

#include "model/http_options.h"

namespace safeval::target_fields {
namespace {

// A mapping under `key` (nullptr when absent); an error when it is something else.
Result<const YAML::Node*> Mapping(const YamlMap& f, std::string_view key, std::string_view what,
                                  int* line) {
  *line = f.line();
  const YAML::Node* node = f.Find(key, line);
  if (node != nullptr && !node->IsMap()) return f.Error(*line, key, what);
  return node;
}

}  // namespace

Result<std::vector<std::string>> StringList(const YamlMap& f, std::string_view key,
                                            bool allow_empty) {
  int line = f.line();
  const YAML::Node* node = f.Find(key, &line);
  std::vector<std::string> out;
  if (node == nullptr) return out;
  std::vector<YAML::Node> items;
  if (node->IsScalar()) {
    items.push_back(*node);
  } else if (node->IsSequence()) {
    for (const auto& item : *node) items.push_back(item);
  } else {
    return f.Error(line, key, "expected a string or a list of strings");
  }
  for (const auto& item : items) {
    if (!item.IsScalar() || (!allow_empty && item.Scalar().empty())) {
      return f.Error(YamlLine(item, line), key,
                     allow_empty ? "expected strings" : "expected non-empty strings");
    }
    out.push_back(item.Scalar());
  }
  return out;
}

Status Params(const YamlMap& f, double max_temperature, TargetConfig* t) {
  int line = 0;
  SV_ASSIGN_OR_RETURN(const YAML::Node* params, Mapping(f, "params", "expected a mapping", &line));
  if (params == nullptr) return Status::Ok();
  YamlMap p(*params, f.origin(), line);
  SV_RETURN_IF_ERROR(p.CheckKeys({"temperature", "top_p", "max_tokens", "stop"}));
  if (p.Has("temperature")) {
    SV_ASSIGN_OR_RETURN(t->temperature, p.Double("temperature", 0.0, 0.0, max_temperature));
  }
  if (p.Has("top_p")) {
    SV_ASSIGN_OR_RETURN(t->top_p, p.Double("top_p", 1.0, 0.0, 1.0));
  }
  if (p.Has("max_tokens")) {
    SV_ASSIGN_OR_RETURN(int64_t max_tokens, p.Int("max_tokens", 0, 1, 1'000'000));
    t->max_tokens = static_cast<int>(max_tokens);
  }
  SV_ASSIGN_OR_RETURN(t->stop, StringList(p, "stop"));
  return Status::Ok();
}

Status Headers(const YamlMap& f, TargetConfig* t) {
  int line = 0;
  SV_ASSIGN_OR_RETURN(const YAML::Node* headers,
                      Mapping(f, "headers", "expected a mapping of name: value", &line));
  if (headers == nullptr) return Status::Ok();
  for (const auto& kv : *headers) {
    if (!kv.second.IsScalar()) {
      return f.Error(YamlLine(kv.second, line), "headers", "expected string values");
    }
    t->headers[kv.first.as<std::string>()] = kv.second.Scalar();
  }
  return AtNamedField(f, ValidateHeaders(t->headers), {"headers"}, "headers");
}

Status BaseUrl(const YamlMap& f, const std::string& fallback, TargetConfig* t) {
  SV_ASSIGN_OR_RETURN(t->base_url, f.String("base_url", fallback.empty()));
  if (t->base_url.empty()) t->base_url = fallback;
  if (!t->base_url.starts_with("http://") && !t->base_url.starts_with("https://")) {
    return f.ErrorAt("base_url", "expected an http:// or https:// URL, got '" + t->base_url + "'");
  }
  Status valid = ValidateHttpUrl(t->base_url, "base_url");
  if (!valid.ok()) return f.ErrorAt("base_url", valid.message());
  return Status::Ok();
}

Status Transport(const YamlMap& f, int max_concurrency, TargetConfig* t) {
  SV_ASSIGN_OR_RETURN(int64_t concurrency,
                      f.Int("concurrency", t->concurrency, 1, max_concurrency));
  SV_ASSIGN_OR_RETURN(double timeout_s, f.Double("timeout_s", t->timeout_ms / 1000.0, 0.001, 3600));
  SV_ASSIGN_OR_RETURN(double connect_s,
                      f.Double("connect_timeout_s", t->connect_timeout_ms / 1000.0, 0.001, 600));
  SV_ASSIGN_OR_RETURN(int64_t attempts, f.Int("max_attempts", t->max_attempts, 1, 20));
  t->concurrency = static_cast<int>(concurrency);
  t->timeout_ms = std::llround(timeout_s * 1000);
  t->connect_timeout_ms = std::llround(connect_s * 1000);
  t->max_attempts = static_cast<int>(attempts);
  return Status::Ok();
}

Status Limits(const YamlMap& f, TargetConfig* t) {
  SV_ASSIGN_OR_RETURN(int64_t rpm, f.Int("requests_per_minute", 0, 1, 10'000'000));
  SV_ASSIGN_OR_RETURN(int64_t tpm, f.Int("tokens_per_minute", 0, 1, INT64_C(1) << 40));
  SV_ASSIGN_OR_RETURN(int64_t breaker,
                      f.Int("circuit_breaker", t->circuit_breaker_failures, 0, 1'000'000));
  if (rpm > 0) t->requests_per_minute = static_cast<int>(rpm);
  if (tpm > 0) t->tokens_per_minute = tpm;
  t->circuit_breaker_failures = static_cast<int>(breaker);
  return Status::Ok();
}

Status Price(const YamlMap& f, TargetConfig* t) {
  int line = 0;
  SV_ASSIGN_OR_RETURN(const YAML::Node* price,
                      Mapping(f, "price", "expected {input_per_mtok, output_per_mtok}", &line));
  if (price == nullptr) return Status::Ok();
  YamlMap p(*price, f.origin(), line);
  SV_RETURN_IF_ERROR(p.CheckKeys({"input_per_mtok", "output_per_mtok"}));
  if (p.Has("input_per_mtok")) {
    SV_ASSIGN_OR_RETURN(t->input_usd_per_mtok, p.Double("input_per_mtok", 0, 0, 1e6));
  }
  if (p.Has("output_per_mtok")) {
    SV_ASSIGN_OR_RETURN(t->output_usd_per_mtok, p.Double("output_per_mtok", 0, 0, 1e6));
  }
  return Status::Ok();
}

Status AtNamedField(const YamlMap& f, const Status& error,
                    std::initializer_list<std::string_view> keys, std::string_view fallback_key) {
  if (error.ok()) return error;
  std::string_view message = error.message();
  std::string_view word = message.substr(0, message.find_first_of(": "));
  for (std::string_view key : keys) {
    if (word != key) continue;
    if (message.substr(word.size()).starts_with(": ")) message.remove_prefix(word.size() + 2);
    return f.ErrorAt(key, message);
  }
  return f.ErrorAt(fallback_key, message);
}

Status Variables(const YamlMap& f, TargetConfig* t) {
  int line = 0;
  SV_ASSIGN_OR_RETURN(const YAML::Node* vars,
                      Mapping(f, "variables", "expected a mapping of name: value", &line));
  if (vars == nullptr) return Status::Ok();
  for (const auto& kv : *vars) {
    if (!kv.second.IsScalar()) {
      return f.Error(YamlLine(kv.second, line), "variables", "expected string values");
    }
    t->variables[kv.first.as<std::string>()] = kv.second.Scalar();
  }
  return Status::Ok();
}

}  // namespace safeval::target_fields
