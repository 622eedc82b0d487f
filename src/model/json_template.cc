#include "model/json_template.h"

#include <nlohmann/json.hpp>

#include "model/json_reply.h"
#include "model/tool_wire.h"

namespace safeval {
namespace {

using nlohmann::json;

constexpr std::string_view kOpen = "{{";
constexpr std::string_view kClose = "}}";
constexpr std::string_view kVarPrefix = "var.";
constexpr char kExpected[] =
    "expected {{prompt}}, {{messages_json}}, {{system}}, {{tools_json}} or {{var.NAME}}";

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string Names(const std::map<std::string, std::string>& variables) {
  if (variables.empty()) return "none are defined";
  std::string names;
  for (const auto& [name, unused] : variables) names += (names.empty() ? "" : ", ") + name;
  return "defined: " + names;
}

// One "{{...}}" of `text` starting at `open`: its trimmed name and the position after it.
struct Placeholder {
  std::string_view name;
  size_t end = 0;
};

Result<Placeholder> NextPlaceholder(std::string_view text, size_t open, std::string_view field) {
  size_t close = text.find(kClose, open + kOpen.size());
  if (close == text.npos) {
    return Status::InvalidArgument(std::string(field) + ": '{{' at byte " + std::to_string(open) +
                                   " is never closed with '}}'");
  }
  std::string_view inner = text.substr(open + kOpen.size(), close - open - kOpen.size());
  return Placeholder{Trim(inner), close + kClose.size()};
}

}  // namespace

std::string JsonEscape(std::string_view text) {
  std::string quoted = DumpJson(json(std::string(text)));
  return quoted.substr(1, quoted.size() - 2);
}

std::string MessagesJson(const std::string& system, const std::vector<Turn>& conversation) {
  json messages = json::array();
  if (!system.empty()) messages.push_back({{"role", "system"}, {"content", system}});
  for (const Turn& turn : conversation) {
    json message = {{"role", turn.role}, {"content", turn.content}};
    if (!turn.tool_calls.empty()) {
      message["tool_calls"] = tool_wire::ToOpenAiToolCalls(turn.tool_calls);
    }
    if (turn.role == "tool") message["tool_call_id"] = turn.tool_call_id;
    messages.push_back(std::move(message));
  }
  return DumpJson(messages);
}

std::string LastUserText(const std::vector<Turn>& conversation) {
  for (auto it = conversation.rbegin(); it != conversation.rend(); ++it) {
    if (it->role == "user") return it->content;
  }
  return conversation.empty() ? std::string() : conversation.back().content;
}

Result<BodyTemplate> BodyTemplate::Parse(std::string_view text,
                                         const std::map<std::string, std::string>& variables) {
  BodyTemplate t;
  auto literal = [&t](std::string_view piece) {
    if (piece.empty()) return;
    if (t.segments_.empty() || t.segments_.back().kind != Kind::kLiteral) {
      t.segments_.push_back({Kind::kLiteral, ""});
    }
    t.segments_.back().text += piece;
  };
  size_t pos = 0;
  for (size_t open = text.find(kOpen); open != text.npos; open = text.find(kOpen, pos)) {
    literal(text.substr(pos, open - pos));
    SV_ASSIGN_OR_RETURN(Placeholder p, NextPlaceholder(text, open, "body"));
    pos = p.end;
    const std::string name(p.name);
    if (name == "prompt") {
      t.segments_.push_back({Kind::kPrompt, ""});
    } else if (name == "system") {
      t.segments_.push_back({Kind::kSystem, ""});
    } else if (name == "messages_json") {
      t.segments_.push_back({Kind::kMessagesJson, ""});
    } else if (name == "tools_json") {
      t.segments_.push_back({Kind::kToolsJson, ""});
    } else if (name.starts_with(kVarPrefix)) {
      std::string var = name.substr(kVarPrefix.size());
      auto it = variables.find(var);
      if (it == variables.end()) {
        return Status::InvalidArgument("body: unknown variable '" + var + "' in {{" + name +
                                       "}} (variables: " + Names(variables) + ")");
      }
      literal(JsonEscape(it->second));
    } else if (name == "api_key") {
      return Status::InvalidArgument("body: {{api_key}} may appear only in headers");
    } else {
      return Status::InvalidArgument("body: unknown placeholder {{" + name + "}} (" + kExpected +
                                     ")");
    }
  }
  literal(text.substr(pos));
  std::string sample = t.Fill("sample prompt", "sample system",
                              MessagesJson("sample system", {{"user", "sample prompt"}}),
                              R"([{"type":"function"}])");
  try {
    json parsed = json::parse(sample);
    (void)parsed;
  } catch (const json::exception& e) {
    return Status::InvalidArgument(
        std::string("body: not valid JSON once its placeholders are filled (placeholders other "
                    "than {{messages_json}} belong inside string quotes): ") +
        e.what());
  }
  return t;
}

std::string BodyTemplate::Fill(std::string_view prompt, std::string_view system,
                               std::string_view messages_json,
                               std::string_view tools_json) const {
  std::string out;
  for (const Segment& s : segments_) {
    switch (s.kind) {
      case Kind::kLiteral:
        out += s.text;
        break;
      case Kind::kPrompt:
        out += prompt;
        break;
      case Kind::kSystem:
        out += system;
        break;
      case Kind::kMessagesJson:
        out += messages_json;
        break;
      case Kind::kToolsJson:
        out += tools_json;
        break;
    }
  }
  return out;
}

bool BodyTemplate::Uses(Kind kind) const {
  for (const Segment& s : segments_) {
    if (s.kind == kind) return true;
  }
  return false;
}

std::string BodyTemplate::Render(const std::string& system, const std::vector<Turn>& conversation,
                                 const std::string& tools_json) const {
  std::string tools;
  if (Uses(Kind::kToolsJson)) {
    // Re-dumped so the body stays valid JSON whatever the text (the loader validated it).
    json parsed = tool_wire::ParseTools(tools_json);
    tools = DumpJson(parsed);
  }
  return Fill(Uses(Kind::kPrompt) ? JsonEscape(LastUserText(conversation)) : "",
              Uses(Kind::kSystem) ? JsonEscape(system) : "",
              Uses(Kind::kMessagesJson) ? MessagesJson(system, conversation) : "", tools);
}

bool BodyTemplate::UsesConversation() const {
  for (const Segment& s : segments_) {
    if (s.kind == Kind::kPrompt || s.kind == Kind::kMessagesJson) return true;
  }
  return false;
}

Result<std::map<std::string, std::string>> ExpandHeaderPlaceholders(
    const std::map<std::string, std::string>& headers, const std::string& api_key) {
  std::map<std::string, std::string> expanded;
  for (const auto& [name, value] : headers) {
    std::string out;
    size_t pos = 0;
    for (size_t open = value.find(kOpen); open != value.npos; open = value.find(kOpen, pos)) {
      out.append(value, pos, open - pos);
      SV_ASSIGN_OR_RETURN(Placeholder p, NextPlaceholder(value, open, "headers: \"" + name + "\""));
      pos = p.end;
      if (p.name != "api_key") {
        return Status::InvalidArgument("headers: unknown placeholder {{" + std::string(p.name) +
                                       "}} in \"" + name + "\" (only {{api_key}} is allowed)");
      }
      if (api_key.empty()) {
        return Status::InvalidArgument("headers: \"" + name +
                                       "\" uses {{api_key}} but there is no key (set api_key_env)");
      }
      out += api_key;
    }
    out.append(value, pos);
    expanded[name] = std::move(out);
  }
  return expanded;
}

}  // namespace safeval
