#include "run/suite.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "run/yaml_fields.h"

namespace safeval {
namespace {

namespace fs = std::filesystem;

std::string ResolveInput(const std::string& spec, const fs::path& base) {
  if (spec.rfind("builtin:", 0) == 0) return spec;
  fs::path p(spec);
  return (p.is_absolute() ? p : base / p).lexically_normal().string();
}

Status ParseParams(const YamlFields& target, TargetConfig* t) {
  YAML::Node params = target["params"];
  if (!params.IsDefined() || params.IsNull()) return Status::Ok();
  if (!params.IsMap()) return target.Error(params, "params", "expected a mapping");
  YamlFields p(params, target.origin());
  SV_RETURN_IF_ERROR(p.CheckKeys({"temperature", "max_tokens"}));
  if (p.Has("temperature")) {
    double temp = 0;
    SV_RETURN_IF_ERROR(p.Double("temperature", &temp, 0.0, 2.0));
    t->temperature = temp;
  }
  if (p.Has("max_tokens")) {
    int64_t mt = 0;
    SV_RETURN_IF_ERROR(p.Int("max_tokens", &mt, 1, 1'000'000));
    t->max_tokens = static_cast<int>(mt);
  }
  return Status::Ok();
}

Status ParseHeaders(const YamlFields& target, TargetConfig* t) {
  YAML::Node headers = target["headers"];
  if (!headers.IsDefined() || headers.IsNull()) return Status::Ok();
  if (!headers.IsMap()) return target.Error(headers, "headers", "expected a mapping of name: value");
  for (const auto& kv : headers) {
    if (!kv.second.IsScalar()) return target.Error(kv.second, "headers", "expected string values");
    t->headers[kv.first.as<std::string>()] = kv.second.Scalar();
  }
  return Status::Ok();
}

Result<TargetConfig> ParseTarget(const YAML::Node& node, const std::string& origin) {
  YamlFields f(node, origin);
  if (!node.IsMap()) return f.Error(node, "targets", "expected a mapping per target");
  TargetConfig t;
  std::string type;
  SV_RETURN_IF_ERROR(f.String("name", &t.name, true));
  SV_RETURN_IF_ERROR(f.String("type", &type, true));
  if (type == "demo") {
    t.type = TargetType::kDemo;
    SV_RETURN_IF_ERROR(f.CheckKeys({"name", "type", "concurrency"}));
  } else if (type == "openai") {
    t.type = TargetType::kOpenAi;
    SV_RETURN_IF_ERROR(f.CheckKeys({"name", "type", "base_url", "model", "api_key_env",
                                    "system_prompt", "params", "headers", "concurrency",
                                    "requests_per_minute", "timeout_s", "max_attempts"}));
    SV_RETURN_IF_ERROR(f.String("base_url", &t.base_url, true));
    if (t.base_url.rfind("http://", 0) != 0 && t.base_url.rfind("https://", 0) != 0) {
      return f.Error("base_url", "expected an http:// or https:// URL, got '" + t.base_url + "'");
    }
    SV_RETURN_IF_ERROR(f.String("model", &t.model, true));
    SV_RETURN_IF_ERROR(f.String("api_key_env", &t.api_key_env));
    SV_RETURN_IF_ERROR(f.String("system_prompt", &t.system_prompt));
    SV_RETURN_IF_ERROR(ParseParams(f, &t));
    SV_RETURN_IF_ERROR(ParseHeaders(f, &t));
    int64_t timeout_s = t.timeout_ms / 1000, attempts = t.max_attempts, rpm = 0;
    SV_RETURN_IF_ERROR(f.Int("timeout_s", &timeout_s, 1, 3600));
    SV_RETURN_IF_ERROR(f.Int("max_attempts", &attempts, 1, 20));
    SV_RETURN_IF_ERROR(f.Int("requests_per_minute", &rpm, 1, 10'000'000));
    t.timeout_ms = timeout_s * 1000;
    t.max_attempts = static_cast<int>(attempts);
    if (rpm > 0) t.requests_per_minute = static_cast<int>(rpm);
  } else {
    return f.Error("type", "expected 'demo' or 'openai', got '" + type +
                               "' (anthropic, http, exec and images targets are not supported yet)");
  }
  int64_t concurrency = t.concurrency;
  SV_RETURN_IF_ERROR(f.Int("concurrency", &concurrency, 1, 4096));
  t.concurrency = static_cast<int>(concurrency);
  return t;
}

Result<JudgeConfig> ParseJudge(const YAML::Node& node, const std::string& origin) {
  YamlFields f(node, origin);
  if (!node.IsMap()) return f.Error(node, "judges", "expected a mapping per judge");
  SV_RETURN_IF_ERROR(f.CheckKeys({"name", "type"}));
  JudgeConfig j;
  std::string type;
  SV_RETURN_IF_ERROR(f.String("name", &j.name, true));
  SV_RETURN_IF_ERROR(f.String("type", &type, true));
  if (type != "rules") {
    return f.Error("type", "expected 'rules', got '" + type + "' (llm, guard and ensemble judges are not supported yet)");
  }
  return j;
}

Status ParseCampaign(const YamlFields& suite, Suite* s) {
  YAML::Node node = suite["campaign"];
  if (!node.IsDefined() || node.IsNull()) return Status::Ok();
  if (!node.IsMap()) return suite.Error(node, "campaign", "expected a mapping");
  YamlFields f(node, suite.origin());
  SV_RETURN_IF_ERROR(f.CheckKeys({"strategy", "batch_size", "stop"}));
  std::string strategy = "all";
  SV_RETURN_IF_ERROR(f.String("strategy", &strategy));
  if (strategy != "all") {
    return f.Error("strategy", "expected 'all', got '" + strategy +
                                   "' (stratified and adaptive campaigns are not supported yet)");
  }
  int64_t batch = s->campaign.batch_size;
  SV_RETURN_IF_ERROR(f.Int("batch_size", &batch, 1, 100'000));
  s->campaign.batch_size = static_cast<int>(batch);
  YAML::Node stop = node["stop"];
  if (stop.IsDefined() && !stop.IsNull()) {
    if (!stop.IsMap()) return f.Error(stop, "stop", "expected a mapping");
    YamlFields sf(stop, suite.origin());
    SV_RETURN_IF_ERROR(sf.CheckKeys({"max_requests"}));
    SV_RETURN_IF_ERROR(sf.Int("max_requests", &s->campaign.max_requests, 1, INT64_MAX));
  }
  return Status::Ok();
}

template <typename T, typename F>
Status ParseList(const YamlFields& suite, const char* key, F parse, std::vector<T>* out) {
  YAML::Node list = suite[key];
  if (!list.IsDefined() || list.IsNull()) return suite.Error(key, "required field is missing");
  if (!list.IsSequence() || list.size() == 0) return suite.Error(list, key, "expected a non-empty list");
  std::set<std::string> names;
  for (const auto& node : list) {
    SV_ASSIGN_OR_RETURN(T item, parse(node, suite.origin()));
    if (!names.insert(item.name).second) {
      return suite.Error(node, key, "duplicate name '" + item.name + "'");
    }
    out->push_back(std::move(item));
  }
  return Status::Ok();
}

Status ParseDatasets(const YamlFields& f, const fs::path& base, Suite* s) {
  YAML::Node list = f["datasets"];
  if (!list.IsDefined() || list.IsNull()) return f.Error("datasets", "required field is missing");
  if (list.IsScalar()) list = YAML::Load("[" + list.Scalar() + "]");
  if (!list.IsSequence() || list.size() == 0) {
    return f.Error(list, "datasets", "expected a non-empty list of JSONL files or folders");
  }
  for (const auto& d : list) {
    if (!d.IsScalar()) return f.Error(d, "datasets", "expected a path");
    s->datasets.push_back(ResolveInput(d.Scalar(), base));
  }
  return Status::Ok();
}

Result<Suite> ParseSuiteNode(const YAML::Node& root, const std::string& path) {
  YamlFields f(root, path);
  if (!root.IsMap()) return f.Error(root, "(top level)", "expected a mapping");
  SV_RETURN_IF_ERROR(f.CheckKeys({"schema_version", "name", "datasets", "taxonomy", "policy",
                                  "targets", "judges", "campaign", "store", "output_dir", "seed"}));
  int64_t version = 0;
  SV_RETURN_IF_ERROR(f.Int("schema_version", &version, 1, 1));
  if (version != 1) return f.Error("schema_version", "required; expected 1");
  Suite s;
  fs::path base = fs::path(path).parent_path();
  s.path = path;
  SV_RETURN_IF_ERROR(f.String("name", &s.name, true));
  SV_RETURN_IF_ERROR(ParseDatasets(f, base, &s));
  SV_RETURN_IF_ERROR(f.String("taxonomy", &s.taxonomy));
  SV_RETURN_IF_ERROR(f.String("policy", &s.policy));
  s.taxonomy = ResolveInput(s.taxonomy, base);
  s.policy = ResolveInput(s.policy, base);
  SV_RETURN_IF_ERROR(ParseList(f, "targets", ParseTarget, &s.targets));
  if (f.Has("judges")) {
    SV_RETURN_IF_ERROR(ParseList(f, "judges", ParseJudge, &s.judges));
  } else {
    s.judges.push_back({"rules", JudgeType::kRules});
  }
  SV_RETURN_IF_ERROR(ParseCampaign(f, &s));
  SV_RETURN_IF_ERROR(f.String("store", &s.store));
  SV_RETURN_IF_ERROR(f.String("output_dir", &s.output_dir));
  int64_t seed = 0;
  SV_RETURN_IF_ERROR(f.Int("seed", &seed, 0, INT64_MAX));
  s.seed = static_cast<uint64_t>(seed);
  return s;
}

}  // namespace

std::string_view Name(TargetType type) { return type == TargetType::kDemo ? "demo" : "openai"; }

Result<Suite> ParseSuite(std::string_view yaml_text, const std::string& path) {
  try {
    YAML::Node root = YAML::Load(std::string(yaml_text));
    return ParseSuiteNode(root, path);
  } catch (const YAML::Exception& e) {
    return Status::InvalidArgument(path + ":" + std::to_string(e.mark.line + 1) +
                                   ": invalid YAML: " + e.msg);
  }
}

Result<Suite> LoadSuite(const std::string& path) {
  std::error_code ec;
  fs::path abs = fs::absolute(path, ec);
  std::ifstream in(abs, std::ios::binary);
  if (!in || fs::is_directory(abs, ec)) return Status::NotFound("cannot read suite file '" + path + "'");
  std::stringstream ss;
  ss << in.rdbuf();
  return ParseSuite(ss.str(), abs.lexically_normal().string());
}

std::string SuiteSnapshotJson(const Suite& suite, const TargetConfig& target) {
  nlohmann::ordered_json j;
  j["name"] = suite.name;
  j["datasets"] = suite.datasets;
  j["taxonomy"] = suite.taxonomy;
  j["policy"] = suite.policy;
  nlohmann::ordered_json t;
  t["name"] = target.name;
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
  t["concurrency"] = target.concurrency;
  j["target"] = t;
  j["judges"] = nlohmann::json::array();
  for (const auto& judge : suite.judges) j["judges"].push_back({{"name", judge.name}, {"type", "rules"}});
  j["campaign"] = {{"strategy", "all"}, {"max_requests", suite.campaign.max_requests}};
  j["seed"] = suite.seed;
  return j.dump();
}

}  // namespace safeval
