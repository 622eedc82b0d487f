// ParsePromptLine: one JSONL line of a dataset → a validated Prompt, or problems.
//
// Checks run in a fixed order (UTF-8, JSON syntax, then the fields in the order
// of FORMATS.md) and keep going after a problem, so one pass over a line reports
// everything wrong with it.
//
// The checks are written once, against the views of line_json.h, and run on two DOMs: first
// simdjson's (the fast path, which gives up any line it cannot settle exactly and every line
// with a problem), then, for those lines only, nlohmann's, which reports the problems.
#include <optional>

#include "core/utf8.h"
#include "dataset/agent_field_reader.h"
#include "dataset/dataset.h"
#include "dataset/line_json.h"
#include "dataset/line_reader.h"
#include "dataset/prompt_line_internal.h"

namespace safeval {
namespace {

using dataset_internal::AgentFieldReader;
using dataset_internal::LineReader;
using dataset_internal::NlohmannLine;
using dataset_internal::OneOf;
using dataset_internal::SimdjsonLine;

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

// Validates one line; each Check/Read method appends problems and goes on. `JsonLine` is
// NlohmannLine or SimdjsonLine (line_json.h).
template <typename JsonLine>
class LineParser : private LineReader {
 public:
  using View = typename JsonLine::View;

  LineParser(const std::string& file, int line, const Taxonomy& taxonomy,
             std::vector<DatasetProblem>* problems)
      : LineReader(file, line, problems), taxonomy_(taxonomy), agent_(*this) {}

  bool Parse(std::string_view text, Prompt* prompt) {
    size_t problems_before = problem_count();
    prompt->origin = file() + ":" + std::to_string(line());
    if (!CheckUtf8(text)) return false;
    std::optional<View> doc = json_.Parse(text, *this);
    if (!doc) return false;
    if (!doc->is_object()) {
      Add("", std::string("expected a JSON object, got ") + doc->type_name());
      return false;
    }
    CheckKeys(*doc);
    ReadFields(*doc, prompt);
    return problem_count() == problems_before && !gave_up();
  }

 private:
  // Before JSON parsing, so the column points at the raw byte in the file.
  bool CheckUtf8(std::string_view text) {
    size_t bad = 0;
    if (IsValidUtf8(text, &bad)) return true;
    Add("", "invalid UTF-8 at byte column " + std::to_string(bad + 1));
    return false;
  }

  void CheckKeys(const View& obj) {
    obj.ForEachKey([&](std::string_view key) {
      if (key.substr(0, 2) == "x-" || OneOf(kFields, key)) return;
      Add(std::string(key), kAllowedFields);
    });
  }

  void ReadFields(const View& obj, Prompt* prompt) {
    ReadId(obj, prompt);
    ReadConversation(obj, prompt);
    ReadCategory(obj, prompt);
    ReadIntent(obj, prompt);
    ReadPersona(obj, prompt);
    if (std::optional<View> v = Find(obj, "locale")) ReadString(*v, "locale", &prompt->locale);
    if (std::optional<View> v = Find(obj, "tags")) ReadStringList(*v, "tags", &prompt->tags);
    if (std::optional<View> v = Find(obj, "parent_id"))
      ReadString(*v, "parent_id", &prompt->parent_id);
    if (std::optional<View> v = Find(obj, "techniques")) {
      ReadStringList(*v, "techniques", &prompt->techniques);
    }
    agent_.ReadSystemAndCanary(obj, prompt);
    if (std::optional<View> v = Find(obj, "tools")) agent_.ReadTools(*v, prompt);
    if (std::optional<View> v = Find(obj, "group")) ReadNonEmptyString(*v, "group", &prompt->group);
    if (std::optional<View> v = Find(obj, "pair_id"))
      ReadNonEmptyString(*v, "pair_id", &prompt->pair_id);
    if (std::optional<View> v = Find(obj, "expect")) agent_.ReadExpect(*v, &prompt->expect);
  }

  void ReadId(const View& obj, Prompt* prompt) {
    std::optional<View> id = Require(obj, "id");
    std::string text;
    if (id && ReadNonEmptyString(*id, "id", &text)) prompt->id = std::move(text);
  }

  void ReadConversation(const View& obj, Prompt* prompt) {
    std::optional<View> text = Find(obj, "text");
    std::optional<View> turns = Find(obj, "turns");
    if (text && turns) return Add("turns", "give either 'text' or 'turns', not both");
    if (!text && !turns) return Add("text", "missing required field (give 'text' or 'turns')");
    if (turns) return ReadTurns(*turns, prompt);
    std::string content;
    if (ReadNonEmptyString(*text, "text", &content)) {
      prompt->turns.push_back({"user", std::move(content)});
    }
  }

  void ReadTurns(const View& turns, Prompt* prompt) {
    if (!turns.is_array()) {
      return Add("turns", std::string("expected an array of {role, content} objects, got ") +
                              turns.type_name());
    }
    if (turns.size() == 0) return Add("turns", "must have at least one turn");
    std::optional<View> last;
    turns.ForEachElement([&](size_t i, const View& turn) {
      ReadTurn(turn, "turns[" + std::to_string(i) + "]", prompt);
      last = turn;
    });
    // The model answers the last turn, so it must be the user's, or a tool's result (an agent
    // answers what its tool returned).
    std::optional<View> last_role = last->is_object() ? Find(*last, "role") : std::nullopt;
    if (last_role && last_role->is_string() && last_role->str() != "user" &&
        last_role->str() != "tool") {
      Add("turns", "the last turn must have role 'user' or 'tool', got '" +
                       std::string(last_role->str()) + "'");
    }
  }

  void ReadTurn(const View& turn, const std::string& field, Prompt* prompt) {
    if (!turn.is_object()) {
      return Add(field, std::string("expected an object {role, content}, got ") + turn.type_name());
    }
    turn.ForEachKey([&](std::string_view key) {
      if (!OneOf(kTurnFields, key)) {
        Add(field + "." + std::string(key),
            "unknown field; allowed: role, content, tool_calls, tool_call_id");
      }
    });
    Turn out;
    std::optional<View> role = Find(turn, "role");
    if (!role) Add(field + ".role", "missing required field");
    bool ok = role && ReadString(*role, field + ".role", &out.role);
    if (ok && !OneOf(kRoles, out.role)) {
      Add(field + ".role", "expected one of user, assistant, system, tool, got '" + out.role + "'");
      ok = false;
    }
    const std::string role_name = ok ? out.role : "";
    ok = agent_.ReadTurnToolCalls(turn, field, role_name, &out) && ok;
    ok = agent_.ReadTurnToolCallId(turn, field, role_name, &out) && ok;
    ok = ReadTurnContent(turn, field, Find(turn, "tool_calls").has_value(), &out) && ok;
    if (ok) prompt->turns.push_back(std::move(out));
  }

  // An assistant turn that calls tools may leave its content empty or out.
  bool ReadTurnContent(const View& turn, const std::string& field, bool calls_tools, Turn* out) {
    std::optional<View> content = Find(turn, "content");
    if (calls_tools) return !content || ReadString(*content, field + ".content", &out->content);
    if (!content) {
      Add(field + ".content", "missing required field");
      return false;
    }
    return ReadNonEmptyString(*content, field + ".content", &out->content);
  }

  void ReadCategory(const View& obj, Prompt* prompt) {
    std::optional<View> value = Require(obj, "category");
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

  void ReadIntent(const View& obj, Prompt* prompt) {
    std::optional<View> value = Require(obj, "intent");
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

  void ReadPersona(const View& obj, Prompt* prompt) {
    std::optional<View> value = Find(obj, "persona");
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
  AgentFieldReader<View> agent_;
  JsonLine json_;
};

}  // namespace

namespace dataset_internal {

bool ParsePromptLineWithNlohmann(std::string_view line, const std::string& file, int line_number,
                                 const Taxonomy& taxonomy, Prompt* prompt,
                                 std::vector<DatasetProblem>* problems) {
  return LineParser<NlohmannLine>(file, line_number, taxonomy, problems).Parse(line, prompt);
}

bool ParsePromptLineFast(std::string_view line, const std::string& file, int line_number,
                         const Taxonomy& taxonomy, Prompt* prompt) {
  std::vector<DatasetProblem> problems;  // any problem: the line is read again
  return LineParser<SimdjsonLine>(file, line_number, taxonomy, &problems).Parse(line, prompt);
}

}  // namespace dataset_internal

bool ParsePromptLine(std::string_view line, const std::string& file, int line_number,
                     const Taxonomy& taxonomy, Prompt* prompt,
                     std::vector<DatasetProblem>* problems) {
  *prompt = Prompt();
  if (dataset_internal::ParsePromptLineFast(line, file, line_number, taxonomy, prompt)) {
    return true;
  }
  *prompt = Prompt();
  return dataset_internal::ParsePromptLineWithNlohmann(line, file, line_number, taxonomy, prompt,
                                                       problems);
}

}  // namespace safeval
