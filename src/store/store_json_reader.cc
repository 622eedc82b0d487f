// PromptFromJson and EvidenceFromJson (store_json.h), decoded with simdjson's DOM parser (its
// runtime-dispatched kernels; the on-demand API would be built for the baseline CPU only).
// Every pending item of a run is read back through here before it is sent, and every item and
// verdict again for the report; nlohmann's parser cost about a tenth of a run's CPU.
#include <simdjson.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/store_json.h"

namespace safeval::store_internal {
namespace {

namespace dom = simdjson::dom;

Status Corrupt(const std::string& why, std::string_view what = "prompt") {
  return Status::IoError("corrupt " + std::string(what) + " JSON in the store: " + why);
}

Status Corrupt(simdjson::error_code error, std::string_view where, std::string_view what = "prompt") {
  return Corrupt(std::string(where) + ": " + simdjson::error_message(error), what);
}

// Parses `text` with this thread's parser; the element lives until the next Parse here.
simdjson::simdjson_result<dom::element> Parse(std::string_view text) {
  // One parser and one padded buffer per thread, reused: simdjson reads up to
  // SIMDJSON_PADDING bytes past the text.
  thread_local dom::parser parser;
  thread_local std::string buffer;
  buffer.assign(text);
  buffer.reserve(text.size() + simdjson::SIMDJSON_PADDING);
  return parser.parse(buffer.data(), buffer.size(), /*realloc_if_needed=*/false);
}

// Reads a value of the expected type into `out`, or names the field in the error.
Status Read(dom::element value, std::string& out, std::string_view field) {
  std::string_view text;
  if (auto error = value.get_string().get(text)) return Corrupt(error, field);
  out.assign(text);
  return Status::Ok();
}

Status Read(dom::element value, bool& out, std::string_view field) {
  if (auto error = value.get_bool().get(out)) return Corrupt(error, field);
  return Status::Ok();
}

Status Read(dom::element value, std::vector<std::string>& out, std::string_view field) {
  dom::array array;
  if (auto error = value.get_array().get(array)) return Corrupt(error, field);
  out.clear();
  for (auto element : array) {
    std::string_view text;
    if (auto error = element.get_string().get(text)) return Corrupt(error, field);
    out.emplace_back(text);
  }
  return Status::Ok();
}

Status ReadToolCalls(dom::element value, std::vector<ToolCall>& out) {
  dom::array array;
  if (auto error = value.get_array().get(array)) return Corrupt(error, "tool_calls");
  for (auto element : array) {
    dom::object object;
    if (auto error = element.get_object().get(object)) return Corrupt(error, "tool_calls");
    ToolCall call;
    bool has_name = false, has_arguments = false;
    for (auto field : object) {
        std::string_view key = field.key;
      if (key == "id") {
        SV_RETURN_IF_ERROR(Read(field.value, call.id, "tool_calls.id"));
      } else if (key == "name") {
        SV_RETURN_IF_ERROR(Read(field.value, call.name, "tool_calls.name"));
        has_name = true;
      } else if (key == "arguments") {
        SV_RETURN_IF_ERROR(Read(field.value, call.arguments_json, "tool_calls.arguments"));
        has_arguments = true;
      }
    }
    if (!has_name || !has_arguments) return Corrupt("a tool call lacks name or arguments");
    out.push_back(std::move(call));
  }
  return Status::Ok();
}

Status ReadTurns(dom::element value, std::vector<Turn>& out) {
  dom::array array;
  if (auto error = value.get_array().get(array)) return Corrupt(error, "turns");
  for (auto element : array) {
    dom::object object;
    if (auto error = element.get_object().get(object)) return Corrupt(error, "turns");
    Turn turn;
    bool has_role = false, has_content = false;
    for (auto field : object) {
      std::string_view key = field.key;
      if (key == "role") {
        SV_RETURN_IF_ERROR(Read(field.value, turn.role, "turns.role"));
        has_role = true;
      } else if (key == "content") {
        SV_RETURN_IF_ERROR(Read(field.value, turn.content, "turns.content"));
        has_content = true;
      } else if (key == "tool_calls") {
        SV_RETURN_IF_ERROR(ReadToolCalls(field.value, turn.tool_calls));
      } else if (key == "tool_call_id") {
        SV_RETURN_IF_ERROR(Read(field.value, turn.tool_call_id, "turns.tool_call_id"));
      }
    }
    if (!has_role || !has_content) return Corrupt("a turn lacks role or content");
    out.push_back(std::move(turn));
  }
  return Status::Ok();
}

Status ReadExpect(dom::element value, Expectations& out) {
  dom::object object;
  if (auto error = value.get_object().get(object)) return Corrupt(error, "expect");
  for (auto field : object) {
    std::string_view key = field.key;
    if (key == "no_tool_call") {
      SV_RETURN_IF_ERROR(Read(field.value, out.no_tool_call, "expect.no_tool_call"));
    } else if (key == "no_leak") {
      SV_RETURN_IF_ERROR(Read(field.value, out.no_leak, "expect.no_leak"));
    } else if (key == "distress") {
      SV_RETURN_IF_ERROR(Read(field.value, out.distress, "expect.distress"));
    }
  }
  return Status::Ok();
}

// The required fields seen, so a row missing one is reported as corrupt.
struct Seen {
  bool id = false, turns = false, category = false, intent = false, locale = false, tags = false,
       parent_id = false, techniques = false;
  bool all() const {
    return id && turns && category && intent && locale && tags && parent_id && techniques;
  }
};

Status ReadField(std::string_view key, dom::element value, Prompt& p, std::string& category,
                 std::string& intent, std::optional<std::string>& persona, Seen& seen) {
  if (key == "id") {
    seen.id = true;
    return Read(value, p.id, key);
  }
  if (key == "turns") {
    seen.turns = true;
    return ReadTurns(value, p.turns);
  }
  if (key == "category") {
    seen.category = true;
    return Read(value, category, key);
  }
  if (key == "intent") {
    seen.intent = true;
    return Read(value, intent, key);
  }
  if (key == "persona") return Read(value, persona.emplace(), key);
  if (key == "locale") {
    seen.locale = true;
    return Read(value, p.locale, key);
  }
  if (key == "tags") {
    seen.tags = true;
    return Read(value, p.tags, key);
  }
  if (key == "parent_id") {
    seen.parent_id = true;
    return Read(value, p.parent_id, key);
  }
  if (key == "techniques") {
    seen.techniques = true;
    return Read(value, p.techniques, key);
  }
  if (key == "system") return Read(value, p.system, key);
  if (key == "tools_json") return Read(value, p.tools_json, key);
  if (key == "canary") return Read(value, p.canary, key);
  if (key == "group") return Read(value, p.group, key);
  if (key == "pair_id") return Read(value, p.pair_id, key);
  if (key == "expect") return ReadExpect(value, p.expect);
  return Status::Ok();  // a field this version does not know
}

Status ReadPrompt(dom::element doc, Prompt& p) {
  dom::object object;
  if (auto error = doc.get_object().get(object)) return Corrupt(error, "prompt");
  std::string category, intent;
  std::optional<std::string> persona;
  Seen seen;
  for (auto field : object) {
    std::string_view key = field.key;
    SV_RETURN_IF_ERROR(ReadField(key, field.value, p, category, intent, persona, seen));
  }
  if (!seen.all()) return Corrupt("a required field is missing");
  std::optional<Intent> parsed_intent = ParseIntent(intent);
  if (!parsed_intent) return Corrupt("unknown intent '" + intent + "'");
  p.intent = *parsed_intent;
  if (persona) {
    p.persona = ParsePersona(*persona);
    if (!p.persona) return Corrupt("unknown persona '" + *persona + "'");
  }
  if (category.empty()) return Status::Ok();
  Result<CategoryPath> path = CategoryPath::Parse(category);
  if (!path.ok()) return Corrupt(path.status().message());
  p.category = std::move(path).value();
  return Status::Ok();
}

}  // namespace

Result<Prompt> PromptFromJson(std::string_view text) {
  dom::element doc;
  if (auto error = Parse(text).get(doc)) return Corrupt(error, "prompt");
  Prompt p;
  SV_RETURN_IF_ERROR(ReadPrompt(doc, p));
  return p;
}

Result<std::vector<Evidence>> EvidenceFromJson(std::string_view text) {
  constexpr std::string_view kWhat = "evidence";
  dom::array spans;
  if (auto error = Parse(text).get(spans)) return Corrupt(error, "evidence", kWhat);
  std::vector<Evidence> out;
  out.reserve(spans.size());
  for (dom::element span : spans) {
    uint64_t start = 0, end = 0;
    std::string_view cue;
    if (auto error = span["start"].get(start)) return Corrupt(error, "start", kWhat);
    if (auto error = span["end"].get(end)) return Corrupt(error, "end", kWhat);
    if (auto error = span["cue"].get(cue)) return Corrupt(error, "cue", kWhat);
    out.push_back({static_cast<size_t>(start), static_cast<size_t>(end), std::string(cue)});
  }
  return out;
}

}  // namespace safeval::store_internal
