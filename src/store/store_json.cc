#include "store/store_json.h"

#include <nlohmann/json.hpp>

namespace safeval::store_internal {
namespace {

using nlohmann::json;

// dump() throws on invalid UTF-8; strict handling keeps the round trip exact
// instead of silently replacing bytes.
Result<std::string> Dump(const json& value, std::string_view what) {
  try {
    return value.dump();
  } catch (const json::exception& e) {
    return Status::InvalidArgument(std::string(what) + " cannot be stored: " + e.what());
  }
}

Status Corrupt(std::string_view what, const std::string& why) {
  return Status::IoError("corrupt " + std::string(what) + " JSON in the store: " + why);
}

json TurnsToJson(const std::vector<Turn>& turns) {
  json out = json::array();
  for (const Turn& t : turns) {
    json turn = json::object();
    turn["role"] = t.role;
    turn["content"] = t.content;
    out.push_back(std::move(turn));
  }
  return out;
}

std::vector<Turn> TurnsFromJson(const json& turns) {
  std::vector<Turn> out;
  for (const json& t : turns) {
    out.push_back({t.at("role").get<std::string>(), t.at("content").get<std::string>()});
  }
  return out;
}

// Built field by field: an initializer list copies every value and costs
// half as much again, which shows when CreateRun stores 100k prompts.
json PromptObject(const Prompt& p) {
  json j = json::object();
  j["id"] = p.id;
  j["turns"] = TurnsToJson(p.turns);
  j["category"] = p.category.str();
  j["intent"] = Name(p.intent);
  if (p.persona) j["persona"] = Name(*p.persona);
  j["locale"] = p.locale;
  j["tags"] = p.tags;
  j["parent_id"] = p.parent_id;
  j["techniques"] = p.techniques;
  return j;
}

// Fields of `j` other than the enums and the category, which need Status-returning parsers.
Prompt PlainPromptFields(const json& j) {
  Prompt p;
  p.id = j.at("id").get<std::string>();
  p.turns = TurnsFromJson(j.at("turns"));
  p.locale = j.at("locale").get<std::string>();
  p.tags = j.at("tags").get<std::vector<std::string>>();
  p.parent_id = j.at("parent_id").get<std::string>();
  p.techniques = j.at("techniques").get<std::vector<std::string>>();
  return p;
}

Status DecodeEnumsAndCategory(const json& j, Prompt& p) {
  std::string intent = j.at("intent").get<std::string>();
  std::optional<Intent> parsed_intent = ParseIntent(intent);
  if (!parsed_intent) return Corrupt("prompt", "unknown intent '" + intent + "'");
  p.intent = *parsed_intent;
  if (j.contains("persona")) {
    std::string persona = j.at("persona").get<std::string>();
    p.persona = ParsePersona(persona);
    if (!p.persona) return Corrupt("prompt", "unknown persona '" + persona + "'");
  }
  std::string category = j.at("category").get<std::string>();
  if (category.empty()) return Status::Ok();
  Result<CategoryPath> path = CategoryPath::Parse(category);
  if (!path.ok()) return Corrupt("prompt", path.status().message());
  p.category = std::move(path).value();
  return Status::Ok();
}

}  // namespace

Result<std::string> PromptToJson(const Prompt& prompt) {
  return Dump(PromptObject(prompt), "prompt '" + prompt.id + "'");
}

Result<Prompt> PromptFromJson(std::string_view text) {
  try {
    json j = json::parse(text);
    Prompt p = PlainPromptFields(j);
    SV_RETURN_IF_ERROR(DecodeEnumsAndCategory(j, p));
    return p;
  } catch (const json::exception& e) {
    return Corrupt("prompt", e.what());
  }
}

Result<std::string> EvidenceToJson(const std::vector<Evidence>& evidence) {
  json out = json::array();
  for (const Evidence& e : evidence) {
    out.push_back({{"start", e.start}, {"end", e.end}, {"cue", e.cue}});
  }
  return Dump(out, "evidence");
}

Result<std::vector<Evidence>> EvidenceFromJson(std::string_view text) {
  try {
    std::vector<Evidence> out;
    for (const json& e : json::parse(text)) {
      out.push_back(
          {e.at("start").get<size_t>(), e.at("end").get<size_t>(), e.at("cue").get<std::string>()});
    }
    return out;
  } catch (const json::exception& e) {
    return Corrupt("evidence", e.what());
  }
}

Result<std::string> StringsToJson(const std::vector<std::string>& strings) {
  return Dump(json(strings), "string list");
}

Result<std::vector<std::string>> StringsFromJson(std::string_view text) {
  try {
    return json::parse(text).get<std::vector<std::string>>();
  } catch (const json::exception& e) {
    return Corrupt("string list", e.what());
  }
}

}  // namespace safeval::store_internal
