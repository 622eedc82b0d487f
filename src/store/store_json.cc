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

// Arguments are kept as text, not embedded JSON: a model's arguments may not parse, and the
// store gives back exactly what it was given.
json ToolCallsArray(const std::vector<ToolCall>& calls) {
  json out = json::array();
  for (const ToolCall& c : calls) {
    json call = json::object();
    if (!c.id.empty()) call["id"] = c.id;
    call["name"] = c.name;
    call["arguments"] = c.arguments_json;
    out.push_back(std::move(call));
  }
  return out;
}

std::vector<ToolCall> ToolCallsFromArray(const json& calls) {
  std::vector<ToolCall> out;
  for (const json& c : calls) {
    out.push_back({c.value("id", std::string()), c.at("name").get<std::string>(),
                   c.at("arguments").get<std::string>()});
  }
  return out;
}

}  // namespace

Result<std::string> ToolCallsToJson(const std::vector<ToolCall>& calls) {
  if (calls.empty()) return std::string();
  return Dump(ToolCallsArray(calls), "tool call");
}

Result<std::vector<ToolCall>> ToolCallsFromJson(std::string_view text) {
  if (text.empty()) return std::vector<ToolCall>();
  try {
    return ToolCallsFromArray(json::parse(text));
  } catch (const json::exception& e) {
    return Corrupt("tool call", e.what());
  }
}

Result<std::string> FindingsToJson(const Findings& findings) {
  if (findings.empty()) return std::string();
  json out = json::object();
  if (findings.leak) out["leak"] = *findings.leak;
  if (findings.harmful_action) out["harmful_action"] = *findings.harmful_action;
  if (findings.missed_distress) out["missed_distress"] = *findings.missed_distress;
  if (!findings.details.empty()) out["details"] = findings.details;
  return Dump(out, "findings");
}

Result<Findings> FindingsFromJson(std::string_view text) {
  Findings findings;
  if (text.empty()) return findings;
  try {
    json j = json::parse(text);
    auto flag = [&](const char* key) -> std::optional<bool> {
      auto it = j.find(key);
      if (it == j.end()) return std::nullopt;
      return it->get<bool>();
    };
    findings.leak = flag("leak");
    findings.harmful_action = flag("harmful_action");
    findings.missed_distress = flag("missed_distress");
    if (auto details = j.find("details"); details != j.end()) {
      findings.details = details->get<std::vector<std::string>>();
    }
    return findings;
  } catch (const json::exception& e) {
    return Corrupt("findings", e.what());
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

std::string CellsToJson(const std::vector<CellCount>& cells) {
  json out = json::array();
  for (const CellCount& c : cells) out.push_back({c.cell, c.items, c.failures});
  return out.dump();
}

Result<std::vector<CellCount>> CellsFromJson(const std::string& text) {
  json parsed = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!parsed.is_array()) return Status::IoError("a batch's cell counts are not a JSON list");
  std::vector<CellCount> cells;
  for (const json& c : parsed) {
    if (!c.is_array() || c.size() != 3 || !c[0].is_string() || !c[1].is_number_integer() ||
        !c[2].is_number_integer()) {
      return Status::IoError("a batch's cell count is not [cell, items, failures]");
    }
    cells.push_back({c[0].get<std::string>(), c[1].get<int64_t>(), c[2].get<int64_t>()});
  }
  return cells;
}

}  // namespace safeval::store_internal
