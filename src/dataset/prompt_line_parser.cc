// ParsePromptLine: one JSONL line of a dataset → a validated Prompt, or problems.
//
// Checks run in a fixed order (UTF-8, JSON syntax, then the fields in the order
// of FORMATS.md) and keep going after a problem, so one pass over a line reports
// everything wrong with it.
#include <algorithm>
#include <nlohmann/json.hpp>
#include <optional>

#include "core/utf8.h"
#include "dataset/agent_field_reader.h"
#include "dataset/dataset.h"
#include "dataset/line_reader.h"

namespace safeval {
namespace {

using dataset_internal::AgentFieldReader;
using dataset_internal::json;
using dataset_internal::LineReader;
using dataset_internal::OneOf;

constexpr std::string_view kFields[] = {
    "id",        "text",       "turns",  "category", "intent", "persona", "locale",  "tags",
    "parent_id", "techniques", "system", "canary",   "tools",  "group",   "pair_id", "expect"};
constexpr std::string_view kRoles[] = {"user", "assistant", "system", "tool"};
constexpr std::string_view kTurnFields[] = {"role", "content", "tool_calls", "tool_call_id"};
constexpr char kAllowedFields[] =
    "unknown field; allowed: id, text, turns, category, intent, persona, locale, tags, "
    "parent_id, techniques, system, canary, tools, group, pair_id, expect, and any key starting "
    "with 'x-'";
constexpr char kIntentChoices[] = "one of safe, harmful, adversarial";
constexpr char kPersonaChoices[] = "one of normal, unskilled, skilled";

// nlohmann's what() reads "[json.exception.parse_error.101] parse error at line 1,
// column 5: ..."; the tag means nothing to users and "line 1" is relative to the
// JSON text, not the file, so both go.
std::string JsonErrorMessage(const std::string& what) {
  std::string message = what;
  if (message.rfind("[json.exception.", 0) == 0) {
    size_t end = message.find("] ");
    if (end != std::string::npos) message.erase(0, end + 2);
  }
  size_t at = message.find("at line 1, column");
  if (at != std::string::npos) message.erase(at + 3, sizeof("line 1, ") - 1);
  return message;
}

// Validates one line; each Check/Read method appends problems and goes on.
class LineParser : private LineReader {
 public:
  LineParser(const std::string& file, int line, const Taxonomy& taxonomy,
             std::vector<DatasetProblem>* problems)
      : LineReader(file, line, problems), taxonomy_(taxonomy), agent_(*this) {}

  bool Parse(std::string_view text, Prompt* prompt) {
    size_t problems_before = problem_count();
    prompt->origin = file() + ":" + std::to_string(line());
    if (!CheckUtf8(text)) return false;
    std::optional<json> doc = ParseJson(text);
    if (!doc) return false;
    if (!doc->is_object()) {
      Add("", std::string("expected a JSON object, got ") + doc->type_name());
      return false;
    }
    CheckKeys(*doc);
    ReadFields(*doc, prompt);
    return problem_count() == problems_before;
  }

 private:
  // Before JSON parsing, so the column points at the raw byte in the file.
  bool CheckUtf8(std::string_view text) {
    size_t bad = 0;
    if (IsValidUtf8(text, &bad)) return true;
    Add("", "invalid UTF-8 at byte column " + std::to_string(bad + 1));
    return false;
  }

  std::optional<json> ParseJson(std::string_view text) {
    // nlohmann keeps the last of duplicate keys silently; a second "intent"
    // in a line is almost always a mistake, so the callback reports it.
    std::vector<std::vector<std::string>> open_objects;  // keys seen in each
    std::string top_key;  // the top-level key whose value is being parsed
    auto on_event = [&](int, json::parse_event_t event, json& parsed) {
      if (event == json::parse_event_t::object_start) open_objects.emplace_back();
      if (event == json::parse_event_t::object_end) open_objects.pop_back();
      if (event == json::parse_event_t::key) {
        const std::string& key = parsed.get_ref<const std::string&>();
        if (open_objects.size() == 1) top_key = key;
        NoteKey(key, top_key, &open_objects);
      }
      return true;
    };
    try {
      return json::parse(text.begin(), text.end(), on_event);
    } catch (const json::exception& e) {
      Add("", "malformed JSON: " + JsonErrorMessage(e.what()));
      return std::nullopt;
    }
  }

  // Checks the top-level object and the objects inside turns, tools and expect (tool calls,
  // arguments, tool definitions); x- values are not ours to judge.
  void NoteKey(const std::string& key, const std::string& top_key,
               std::vector<std::vector<std::string>>* open_objects) {
    bool top_level = open_objects->size() == 1;
    if (!top_level && top_key != "turns" && top_key != "tools" && top_key != "expect") return;
    std::vector<std::string>& seen = open_objects->back();
    if (std::find(seen.begin(), seen.end(), key) == seen.end()) {
      seen.push_back(key);
    } else if (top_level) {
      Add(key, "appears more than once in the object");
    } else if (top_key == "turns" && open_objects->size() == 2) {
      Add("turns", "key '" + key + "' appears more than once in a turn");
    } else {
      Add(top_key, "key '" + key + "' appears more than once in an object");
    }
  }

  void CheckKeys(const json& obj) {
    for (const auto& [key, value] : obj.items()) {
      if (key.rfind("x-", 0) == 0 || OneOf(kFields, key)) continue;
      Add(key, kAllowedFields);
    }
  }

  void ReadFields(const json& obj, Prompt* prompt) {
    ReadId(obj, prompt);
    ReadConversation(obj, prompt);
    ReadCategory(obj, prompt);
    ReadIntent(obj, prompt);
    ReadPersona(obj, prompt);
    if (const json* v = Find(obj, "locale")) ReadString(*v, "locale", &prompt->locale);
    if (const json* v = Find(obj, "tags")) ReadStringList(*v, "tags", &prompt->tags);
    if (const json* v = Find(obj, "parent_id")) ReadString(*v, "parent_id", &prompt->parent_id);
    if (const json* v = Find(obj, "techniques")) {
      ReadStringList(*v, "techniques", &prompt->techniques);
    }
    agent_.ReadSystemAndCanary(obj, prompt);
    if (const json* v = Find(obj, "tools")) agent_.ReadTools(*v, prompt);
    if (const json* v = Find(obj, "group")) ReadNonEmptyString(*v, "group", &prompt->group);
    if (const json* v = Find(obj, "pair_id")) ReadNonEmptyString(*v, "pair_id", &prompt->pair_id);
    if (const json* v = Find(obj, "expect")) agent_.ReadExpect(*v, &prompt->expect);
  }

  void ReadId(const json& obj, Prompt* prompt) {
    const json* id = Require(obj, "id");
    std::string text;
    if (id && ReadNonEmptyString(*id, "id", &text)) prompt->id = std::move(text);
  }

  void ReadConversation(const json& obj, Prompt* prompt) {
    const json* text = Find(obj, "text");
    const json* turns = Find(obj, "turns");
    if (text && turns) return Add("turns", "give either 'text' or 'turns', not both");
    if (!text && !turns) return Add("text", "missing required field (give 'text' or 'turns')");
    if (turns) return ReadTurns(*turns, prompt);
    std::string content;
    if (ReadNonEmptyString(*text, "text", &content)) {
      prompt->turns.push_back({"user", std::move(content)});
    }
  }

  void ReadTurns(const json& turns, Prompt* prompt) {
    if (!turns.is_array()) {
      return Add("turns", std::string("expected an array of {role, content} objects, got ") +
                              turns.type_name());
    }
    if (turns.empty()) return Add("turns", "must have at least one turn");
    for (size_t i = 0; i < turns.size(); ++i) {
      ReadTurn(turns[i], "turns[" + std::to_string(i) + "]", prompt);
    }
    // The model answers the last turn, so it must be the user's, or a tool's result (an agent
    // answers what its tool returned).
    const json* last_role = turns.back().is_object() ? Find(turns.back(), "role") : nullptr;
    if (last_role && last_role->is_string() && *last_role != "user" && *last_role != "tool") {
      Add("turns", "the last turn must have role 'user' or 'tool', got '" +
                       last_role->get<std::string>() + "'");
    }
  }

  void ReadTurn(const json& turn, const std::string& field, Prompt* prompt) {
    if (!turn.is_object()) {
      return Add(field, std::string("expected an object {role, content}, got ") + turn.type_name());
    }
    for (const auto& [key, value] : turn.items()) {
      if (!OneOf(kTurnFields, key)) {
        Add(field + "." + key, "unknown field; allowed: role, content, tool_calls, tool_call_id");
      }
    }
    Turn out;
    const json* role = Find(turn, "role");
    if (!role) Add(field + ".role", "missing required field");
    bool ok = role && ReadString(*role, field + ".role", &out.role);
    if (ok && !OneOf(kRoles, out.role)) {
      Add(field + ".role", "expected one of user, assistant, system, tool, got '" + out.role + "'");
      ok = false;
    }
    const std::string role_name = ok ? out.role : "";
    ok = agent_.ReadTurnToolCalls(turn, field, role_name, &out) && ok;
    ok = agent_.ReadTurnToolCallId(turn, field, role_name, &out) && ok;
    ok = ReadTurnContent(turn, field, Find(turn, "tool_calls") != nullptr, &out) && ok;
    if (ok) prompt->turns.push_back(std::move(out));
  }

  // An assistant turn that calls tools may leave its content empty or out.
  bool ReadTurnContent(const json& turn, const std::string& field, bool calls_tools, Turn* out) {
    const json* content = Find(turn, "content");
    if (calls_tools) return !content || ReadString(*content, field + ".content", &out->content);
    if (!content) {
      Add(field + ".content", "missing required field");
      return false;
    }
    return ReadNonEmptyString(*content, field + ".content", &out->content);
  }

  void ReadCategory(const json& obj, Prompt* prompt) {
    const json* value = Require(obj, "category");
    std::string text;
    if (!value || !ReadString(*value, "category", &text)) return;
    Result<CategoryPath> path = CategoryPath::Parse(text);
    if (!path.ok()) return Add("category", path.status().message());
    if (!taxonomy_.Find(*path)) return Add("category", UnknownCategory(*path));
    prompt->category = std::move(path).value();
  }

  // Names nodes with the same leaf id, since a path given from the wrong
  // level ("phishing" for "ncr/fraud/phishing") is the usual mistake.
  std::string UnknownCategory(const CategoryPath& path) const {
    std::string message = "unknown category '" + path.str() + "'";
    if (!taxonomy_.id().empty()) message += " (not in taxonomy '" + taxonomy_.id() + "')";
    std::vector<std::string> near;
    for (const TaxonomyNode& node : taxonomy_.nodes()) {
      if (!node.path.empty() && node.path.leaf() == path.leaf()) near.push_back(node.path.str());
    }
    for (size_t i = 0; i < near.size() && i < 3; ++i) {
      message += (i == 0 ? "; did you mean '" : "' or '") + near[i];
    }
    if (!near.empty()) message += "'?";
    return message;
  }

  void ReadIntent(const json& obj, Prompt* prompt) {
    const json* value = Require(obj, "intent");
    std::string text;
    if (!value ||
        !ReadString(*value, "intent", &text, "a string, one of safe, harmful, adversarial")) {
      return;
    }
    std::optional<Intent> intent = ParseIntent(text);
    if (!intent)
      return Add("intent", std::string("expected ") + kIntentChoices + ", got '" + text + "'");
    prompt->intent = *intent;
  }

  void ReadPersona(const json& obj, Prompt* prompt) {
    const json* value = Find(obj, "persona");
    std::string text;
    if (!value ||
        !ReadString(*value, "persona", &text, "a string, one of normal, unskilled, skilled")) {
      return;
    }
    std::optional<Persona> persona = ParsePersona(text);
    if (!persona) {
      return Add("persona", std::string("expected ") + kPersonaChoices + ", got '" + text + "'");
    }
    prompt->persona = *persona;
  }

  const Taxonomy& taxonomy_;
  AgentFieldReader agent_;
};

}  // namespace

bool ParsePromptLine(std::string_view line, const std::string& file, int line_number,
                     const Taxonomy& taxonomy, Prompt* prompt,
                     std::vector<DatasetProblem>* problems) {
  return LineParser(file, line_number, taxonomy, problems).Parse(line, prompt);
}

}  // namespace safeval
