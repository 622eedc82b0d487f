#include "run/suite.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <algorithm>
#include <set>

#include "run/campaign_planner.h"
#include "run/target_config.h"
#include "taxonomy/yaml_map.h"

namespace safeval {
namespace {

namespace fs = std::filesystem;

std::string ResolveInput(const std::string& spec, const fs::path& base) {
  if (spec.rfind("builtin:", 0) == 0) return spec;
  fs::path p(spec);
  return (p.is_absolute() ? p : base / p).lexically_normal().string();
}

Status ParseEnsemble(const YamlMap& f, JudgeConfig* j) {
  int line = f.line();
  const YAML::Node* members = f.Find("members", &line);
  if (members == nullptr || !members->IsSequence() || members->size() == 0) {
    return f.Error(line, "members", "required; expected a non-empty list of judge names");
  }
  for (const auto& m : *members) {
    if (!m.IsScalar()) return f.Error(YamlLine(m, line), "members", "expected a judge name");
    j->members.push_back(m.Scalar());
  }
  SV_ASSIGN_OR_RETURN(std::string strategy, f.String("strategy", false));
  if (!strategy.empty()) j->strategy = strategy;
  if (j->strategy != "majority" && j->strategy != "any_unsafe" && j->strategy != "weighted") {
    return f.ErrorAt("strategy", "expected majority, any_unsafe or weighted, got '" + j->strategy + "'");
  }
  SV_ASSIGN_OR_RETURN(int64_t min_votes, f.Int("min_votes", 0, 1, 1000));
  j->min_votes = static_cast<int>(min_votes);
  SV_ASSIGN_OR_RETURN(std::string tie, f.String("tie", false));
  if (!tie.empty()) j->tie = tie;
  if (j->tie != "unsafe" && j->tie != "safe" && j->tie != "undetermined") {
    return f.ErrorAt("tie", "expected unsafe, safe or undetermined, got '" + j->tie + "'");
  }
  int weights_line = line;
  if (const YAML::Node* weights = f.Find("weights", &weights_line)) {
    if (!weights->IsMap()) return f.Error(weights_line, "weights", "expected a mapping of member: weight");
    YamlMap w(*weights, f.origin(), weights_line);
    for (const auto& kv : *weights) {
      std::string member = kv.first.as<std::string>();
      SV_ASSIGN_OR_RETURN(j->weights[member], w.Double(member, 1.0, 0.0, 1e6));
    }
  }
  return Status::Ok();
}

Result<JudgeConfig> ParseJudge(const YAML::Node& node, const std::string& origin, int line) {
  if (!node.IsMap()) return YamlFieldError(origin, line, "judges", "expected a mapping per judge");
  YamlMap f(node, origin, line);
  JudgeConfig j;
  SV_ASSIGN_OR_RETURN(j.name, f.String("name", true));
  SV_ASSIGN_OR_RETURN(std::string type, f.String("type", true));
  fs::path base = fs::path(origin).parent_path();
  if (type == "rules") {
    j.type = JudgeType::kRules;
    SV_RETURN_IF_ERROR(f.CheckKeys({"name", "type"}));
  } else if (type == "llm" || type == "guard") {
    j.type = type == "llm" ? JudgeType::kLlm : JudgeType::kGuard;
    SV_RETURN_IF_ERROR(f.CheckKeys({"name", "type", "target", type == "llm" ? "rubric" : "category_map"}));
    SV_ASSIGN_OR_RETURN(j.target, f.String("target", true));
    SV_ASSIGN_OR_RETURN(std::string file, f.String(type == "llm" ? "rubric" : "category_map", false));
    if (!file.empty()) (type == "llm" ? j.rubric_file : j.category_map_file) = ResolveInput(file, base);
  } else if (type == "ensemble") {
    j.type = JudgeType::kEnsemble;
    SV_RETURN_IF_ERROR(f.CheckKeys({"name", "type", "members", "strategy", "min_votes", "tie", "weights"}));
    SV_RETURN_IF_ERROR(ParseEnsemble(f, &j));
  } else {
    return f.ErrorAt("type", "expected rules, llm, guard or ensemble, got '" + type + "'");
  }
  return j;
}

// What a file holds besides judges: models to test (a suite) or only judge endpoints.
enum class TargetUse { kModelsUnderTest, kJudgeEndpointsOnly };

// Judges refer to targets (llm, guard) and to judges listed before them (ensemble).
Status LinkJudges(const YamlMap& f, TargetUse use, Suite* s) {
  std::set<std::string> judge_targets;
  std::set<std::string> earlier;
  for (const JudgeConfig& j : s->judges) {
    const std::string where = "judge '" + j.name + "'";
    if (!j.target.empty()) {
      bool found = false;
      for (const TargetConfig& t : s->targets) found = found || t.name == j.target;
      if (!found) return f.ErrorAt("judges", where + ": no target named '" + j.target + "'");
      judge_targets.insert(j.target);
    }
    for (const std::string& m : j.members) {
      if (!earlier.contains(m)) {
        return f.ErrorAt("judges", where + ": member '" + m + "' must be a judge listed before it");
      }
    }
    for (const auto& [member, weight] : j.weights) {
      if (std::find(j.members.begin(), j.members.end(), member) == j.members.end()) {
        return f.ErrorAt("judges", where + ": weight for '" + member + "', which is not a member");
      }
    }
    earlier.insert(j.name);
  }
  if (!s->attack.attacker_target.empty()) {
    bool found = false;
    for (const TargetConfig& t : s->targets) found = found || t.name == s->attack.attacker_target;
    if (!found) {
      return f.ErrorAt("attack", "attacker: no target named '" + s->attack.attacker_target + "'");
    }
    judge_targets.insert(s->attack.attacker_target);
  }
  std::vector<TargetConfig> under_test;
  for (TargetConfig& t : s->targets) {
    bool judge_endpoint = use == TargetUse::kJudgeEndpointsOnly || judge_targets.contains(t.name);
    (judge_endpoint ? s->judge_targets : under_test).push_back(std::move(t));
  }
  s->targets = std::move(under_test);
  if (use == TargetUse::kModelsUnderTest && s->targets.empty()) {
    return f.ErrorAt("targets", "every target is used by a judge; no model is left to test");
  }
  return Status::Ok();
}

Status ParseStopRules(const YamlMap& campaign, int line, Suite* s) {
  int stop_line = line;
  const YAML::Node* stop = campaign.Find("stop", &stop_line);
  if (stop == nullptr) return Status::Ok();
  if (!stop->IsMap()) return campaign.Error(stop_line, "stop", "expected a mapping");
  YamlMap sf(*stop, campaign.origin(), stop_line);
  SV_RETURN_IF_ERROR(sf.CheckKeys({"max_requests", "max_tokens", "max_cost_usd", "ci_half_width"}));
  CampaignConfig& c = s->campaign;
  SV_ASSIGN_OR_RETURN(c.max_requests, sf.Int("max_requests", 0, 1, INT64_MAX));
  SV_ASSIGN_OR_RETURN(c.max_tokens, sf.Int("max_tokens", 0, 1, INT64_MAX));
  if (sf.Has("max_cost_usd")) {
    SV_ASSIGN_OR_RETURN(double cost, sf.Double("max_cost_usd", 0.0, 0.0, 1e9));
    c.max_cost_usd = cost;
  }
  if (sf.Has("ci_half_width")) {
    SV_ASSIGN_OR_RETURN(double half_width, sf.Double("ci_half_width", 0.05, 0.0001, 0.5));
    c.ci_half_width = half_width;
  }
  return Status::Ok();
}

Status ParseCampaign(const YamlMap& suite, Suite* s) {
  int line = suite.line();
  const YAML::Node* node = suite.Find("campaign", &line);
  if (node == nullptr) return Status::Ok();
  if (!node->IsMap()) return suite.Error(line, "campaign", "expected a mapping");
  YamlMap f(*node, suite.origin(), line);
  SV_RETURN_IF_ERROR(f.CheckKeys({"strategy", "batch_size", "max_batches", "stop"}));
  SV_ASSIGN_OR_RETURN(std::string strategy, f.String("strategy", false));
  if (!strategy.empty()) s->campaign.strategy = strategy;
  if (!ParseCampaignStrategy(s->campaign.strategy)) {
    return f.ErrorAt("strategy", "expected all, stratified or adaptive, got '" + strategy + "'");
  }
  SV_ASSIGN_OR_RETURN(int64_t batch, f.Int("batch_size", s->campaign.batch_size, 1, 100'000));
  s->campaign.batch_size = static_cast<int>(batch);
  SV_ASSIGN_OR_RETURN(int64_t batches, f.Int("max_batches", 0, 1, 1'000'000));
  s->campaign.max_batches = static_cast<int>(batches);
  SV_RETURN_IF_ERROR(ParseStopRules(f, line, s));
  if (s->campaign.max_cost_usd) {
    for (const TargetConfig& t : s->targets) {
      if (!t.input_usd_per_mtok && !t.output_usd_per_mtok) {
        return f.ErrorAt("stop", "max_cost_usd needs a price on every target; target '" + t.name +
                                     "' has none (price: {input_per_mtok: ..., output_per_mtok: ...})");
      }
    }
  }
  return Status::Ok();
}

template <typename T, typename F>
Status ParseList(const YamlMap& suite, const char* key, F parse, std::vector<T>* out) {
  int line = suite.line();
  const YAML::Node* list = suite.Find(key, &line);
  if (list == nullptr) return suite.Error(line, key, "required; expected a non-empty list");
  if (!list->IsSequence() || list->size() == 0) {
    return suite.Error(line, key, "expected a non-empty list");
  }
  std::set<std::string> names;
  for (const auto& node : *list) {
    int item_line = YamlLine(node, line);
    SV_ASSIGN_OR_RETURN(T item, parse(node, suite.origin(), item_line));
    if (!names.insert(item.name).second) {
      return suite.Error(item_line, key, "duplicate name '" + item.name + "'");
    }
    out->push_back(std::move(item));
  }
  return Status::Ok();
}

Status ParseDatasets(const YamlMap& f, const fs::path& base, Suite* s) {
  int line = f.line();
  const YAML::Node* node = f.Find("datasets", &line);
  if (node == nullptr) return f.Error(line, "datasets", "required; expected a list of JSONL files or folders");
  std::vector<YAML::Node> items;
  if (node->IsScalar()) {
    items.push_back(*node);
  } else if (node->IsSequence()) {
    for (const auto& d : *node) items.push_back(d);
  }
  if (items.empty()) return f.Error(line, "datasets", "expected a non-empty list of JSONL files or folders");
  for (const auto& d : items) {
    if (!d.IsScalar()) return f.Error(YamlLine(d, line), "datasets", "expected a path");
    s->datasets.push_back(ResolveInput(d.Scalar(), base));
  }
  return Status::Ok();
}

Result<Suite> ParseSuiteNode(const YAML::Node& root, const std::string& path) {
  if (!root.IsMap()) return YamlFieldError(path, YamlLine(root, 1), "(top level)", "expected a mapping");
  YamlMap f(root, path, 1);
  SV_RETURN_IF_ERROR(f.CheckKeys({"schema_version", "name", "datasets", "taxonomy", "policy",
                                  "targets", "judges", "campaign", "attack", "store", "output_dir",
                                  "seed"}));
  SV_ASSIGN_OR_RETURN(std::string version, f.String("schema_version", true));
  if (version != "1") {
    return f.ErrorAt("schema_version", "expected 1 (the only version this safeval reads), got '" + version + "'");
  }
  Suite s;
  fs::path base = fs::path(path).parent_path();
  s.path = path;
  SV_ASSIGN_OR_RETURN(s.name, f.String("name", true));
  SV_RETURN_IF_ERROR(ParseDatasets(f, base, &s));
  SV_ASSIGN_OR_RETURN(std::string taxonomy, f.String("taxonomy", false));
  SV_ASSIGN_OR_RETURN(std::string policy, f.String("policy", false));
  if (!taxonomy.empty()) s.taxonomy = ResolveInput(taxonomy, base);
  if (!policy.empty()) s.policy = ResolveInput(policy, base);
  SV_RETURN_IF_ERROR(ParseList(f, "targets", ParseTarget, &s.targets));
  if (f.Has("judges")) {
    SV_RETURN_IF_ERROR(ParseList(f, "judges", ParseJudge, &s.judges));
  } else {
    s.judges.push_back({"rules", JudgeType::kRules});
  }
  SV_RETURN_IF_ERROR(ParseAttackConfig(f, &s.attack));
  SV_RETURN_IF_ERROR(LinkJudges(f, TargetUse::kModelsUnderTest, &s));
  SV_RETURN_IF_ERROR(ParseCampaign(f, &s));
  SV_ASSIGN_OR_RETURN(std::string store, f.String("store", false));
  SV_ASSIGN_OR_RETURN(std::string output_dir, f.String("output_dir", false));
  if (!store.empty()) s.store = store;
  if (!output_dir.empty()) s.output_dir = output_dir;
  SV_ASSIGN_OR_RETURN(int64_t seed, f.Int("seed", 0, 0, INT64_MAX));
  s.seed = static_cast<uint64_t>(seed);
  return s;
}

// A judge configuration: a suite's targets and judges, nothing else.
Result<Suite> ParseJudgeConfigNode(const YAML::Node& root, const std::string& path) {
  if (!root.IsMap()) {
    return YamlFieldError(path, YamlLine(root, 1), "(top level)", "expected a mapping");
  }
  YamlMap f(root, path, 1);
  SV_RETURN_IF_ERROR(f.CheckKeys({"schema_version", "targets", "judges"}));
  SV_ASSIGN_OR_RETURN(std::string version, f.String("schema_version", true));
  if (version != "1") {
    return f.ErrorAt("schema_version",
                     "expected 1 (the only version this safeval reads), got '" + version + "'");
  }
  Suite s;
  s.path = path;
  s.name = fs::path(path).stem().string();
  if (f.Has("targets")) SV_RETURN_IF_ERROR(ParseList(f, "targets", ParseTarget, &s.targets));
  SV_RETURN_IF_ERROR(ParseList(f, "judges", ParseJudge, &s.judges));
  SV_RETURN_IF_ERROR(LinkJudges(f, TargetUse::kJudgeEndpointsOnly, &s));
  return s;
}

// Parses YAML text with `parse`, turning yaml-cpp's exceptions into errors naming the file.
template <typename F>
Result<Suite> ParseYamlFile(std::string_view yaml_text, const std::string& path, F parse) {
  SV_RETURN_IF_ERROR(CheckUtf8(yaml_text, path));
  try {
    YAML::Node root = YAML::Load(std::string(yaml_text));
    if (!root.IsDefined() || root.IsNull()) {
      return YamlFieldError(path, 1, "(top level)", "the file is empty");
    }
    return parse(root, path);
  } catch (const YAML::Exception& e) {
    return Status::InvalidArgument(path + ":" + std::to_string(e.mark.line + 1) +
                                   ": invalid YAML: " + e.msg);
  }
}

std::string AbsolutePath(const std::string& path) {
  std::error_code ec;
  return fs::absolute(path, ec).lexically_normal().string();
}

}  // namespace

Result<Suite> ParseSuite(std::string_view yaml_text, const std::string& path) {
  return ParseYamlFile(yaml_text, path, ParseSuiteNode);
}

Result<Suite> LoadSuite(const std::string& path) {
  std::string abs = AbsolutePath(path);
  SV_ASSIGN_OR_RETURN(std::string text, ReadUserFile(abs, "suite file"));
  return ParseSuite(text, abs);
}

Result<Suite> ParseJudgeConfig(std::string_view yaml_text, const std::string& path) {
  return ParseYamlFile(yaml_text, path, ParseJudgeConfigNode);
}

Result<Suite> LoadJudgeConfig(const std::string& path) {
  std::string abs = AbsolutePath(path);
  SV_ASSIGN_OR_RETURN(std::string text, ReadUserFile(abs, "judge configuration"));
  return ParseJudgeConfig(text, abs);
}

std::string SuiteSnapshotJson(const Suite& suite, const TargetConfig& target) {
  nlohmann::ordered_json j;
  j["name"] = suite.name;
  j["datasets"] = suite.datasets;
  j["taxonomy"] = suite.taxonomy;
  j["policy"] = suite.policy;
  nlohmann::ordered_json t = {{"name", target.name}};
  nlohmann::ordered_json snapshot = nlohmann::ordered_json::parse(TargetSnapshotJson(target));
  for (auto& [key, value] : snapshot.items()) t[key] = value;
  t["concurrency"] = target.concurrency;
  j["target"] = t;
  j["judges"] = nlohmann::json::array();
  static const char* kJudgeTypes[] = {"rules", "llm", "guard", "ensemble"};
  for (const auto& judge : suite.judges) {
    nlohmann::ordered_json jj = {{"name", judge.name}, {"type", kJudgeTypes[static_cast<int>(judge.type)]}};
    if (!judge.target.empty()) {
      jj["target"] = judge.target;
      for (const TargetConfig& t : suite.judge_targets)
        if (t.name == judge.target) jj["endpoint"] = {{"base_url", t.base_url}, {"model", t.model}};
    }
    if (!judge.rubric_file.empty()) jj["rubric"] = judge.rubric_file;
    if (!judge.category_map_file.empty()) jj["category_map"] = judge.category_map_file;
    if (!judge.members.empty()) {
      jj["members"] = judge.members;
      jj["strategy"] = judge.strategy;
      jj["min_votes"] = judge.min_votes;
      jj["tie"] = judge.tie;
      jj["weights"] = judge.weights;
    }
    j["judges"].push_back(jj);
  }
  j["campaign"] = {{"strategy", suite.campaign.strategy},
                   {"batch_size", suite.campaign.batch_size},
                   {"max_batches", suite.campaign.max_batches},
                   {"max_requests", suite.campaign.max_requests},
                   {"max_tokens", suite.campaign.max_tokens}};
  if (suite.campaign.max_cost_usd) j["campaign"]["max_cost_usd"] = *suite.campaign.max_cost_usd;
  if (suite.campaign.ci_half_width) j["campaign"]["ci_half_width"] = *suite.campaign.ci_half_width;
  if (!suite.attack.attacker_target.empty()) {
    j["attack"] = {{"attacker", suite.attack.attacker_target},
                   {"max_rounds", suite.attack.max_rounds},
                   {"seeds", suite.attack.seeds}};
    for (const TargetConfig& t : suite.judge_targets) {
      if (t.name == suite.attack.attacker_target) {
        j["attack"]["endpoint"] = nlohmann::ordered_json::parse(TargetSnapshotJson(t));
      }
    }
  }
  j["seed"] = suite.seed;
  // Strings yaml-cpp unescaped need not be UTF-8 (lists are not checked): never throw.
  return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace safeval
