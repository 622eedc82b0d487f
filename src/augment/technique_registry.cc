// Reading technique template files. yaml-cpp throws; every YAML::Exception is caught here
// and becomes "<origin>:<line>: ..." like every other YAML file safeval reads.
#include "augment/technique_registry.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdlib>
#include <set>

#include "augment/template_text.h"
#include "core/embedded.h"
#include "taxonomy/yaml_map.h"

namespace safeval {
namespace {

bool IsValidTechniqueId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

std::string Join(const std::set<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "{{" : ", {{") + n + "}}";
  return out;
}

// The placeholders each family may use, and the one every variant must contain.
struct PlaceholderRule {
  std::set<std::string> allowed;
  std::string required;
};

PlaceholderRule RuleFor(const Technique& t) {
  switch (t.family) {
    case TechniqueFamily::kFraming:
      if (!t.shots.empty()) return {{"request", "topic", "shots"}, "request"};
      return {{"request", "topic"}, "request"};
    case TechniqueFamily::kObfuscation:
      if (t.encoding == Encoding::kPayloadSplit) {
        return {{"payload", "topic", "variables"}, "payload"};
      }
      return {{"payload", "topic"}, "payload"};
    case TechniqueFamily::kLanguage:
      return {{"payload", "topic", "language"}, "payload"};
    case TechniqueFamily::kMultiTurn:
      return {{"request", "topic"}, "request"};
  }
  return {};
}

class TechniqueParser {
 public:
  explicit TechniqueParser(const std::string& origin) : origin_(origin) {}

  Result<Technique> Parse(const YAML::Node& item, int list_line) {
    int line = YamlLine(item, list_line);
    if (!item.IsMap()) {
      return YamlFieldError(origin_, line, "techniques",
                            "expected a technique (a mapping with id, family, description and "
                            "templates or conversations)");
    }
    YamlMap map(item, origin_, line);
    SV_RETURN_IF_ERROR(
        map.CheckKeys({"id", "aliases", "family", "description", "templates", "conversations",
                       "encoding", "parts", "language", "locale", "shots", "shot_count"}));
    Technique t;
    t.origin = origin_ + ":" + std::to_string(map.line());
    SV_ASSIGN_OR_RETURN(t.id, map.String("id", true));
    if (!IsValidTechniqueId(t.id)) {
      return map.ErrorAt(
          "id", "invalid id '" + t.id + "' (expected 1 to 64 lower-case letters, digits or '_')");
    }
    SV_ASSIGN_OR_RETURN(t.aliases, StringList(map, "aliases", false));
    for (const std::string& alias : t.aliases) {
      if (!IsValidTechniqueId(alias)) {
        return map.ErrorAt("aliases", "invalid alias '" + alias +
                                          "' (expected lower-case letters, digits or '_')");
      }
    }
    SV_ASSIGN_OR_RETURN(std::string family, map.String("family", true));
    std::optional<TechniqueFamily> parsed = ParseTechniqueFamily(family);
    if (!parsed) {
      return map.ErrorAt("family",
                         "expected one of framing, obfuscation, language, multi_turn, "
                         "got '" +
                             family + "'");
    }
    t.family = *parsed;
    SV_ASSIGN_OR_RETURN(t.description, map.String("description", true));
    SV_RETURN_IF_ERROR(CheckFamilyKeys(map, t.family));
    SV_RETURN_IF_ERROR(ParseFamilyFields(map, &t));
    if (t.family == TechniqueFamily::kMultiTurn) {
      SV_RETURN_IF_ERROR(ParseConversations(map, &t));
    } else {
      SV_RETURN_IF_ERROR(ParseTemplates(map, &t));
    }
    return t;
  }

 private:
  // Keys that only some families use are errors on the others, so a typo'd family shows.
  Status CheckFamilyKeys(const YamlMap& map, TechniqueFamily family) const {
    struct Use {
      std::string_view key;
      TechniqueFamily family;
    };
    static constexpr Use kUses[] = {
        {"encoding", TechniqueFamily::kObfuscation},   {"parts", TechniqueFamily::kObfuscation},
        {"language", TechniqueFamily::kLanguage},      {"locale", TechniqueFamily::kLanguage},
        {"shots", TechniqueFamily::kFraming},          {"shot_count", TechniqueFamily::kFraming},
        {"conversations", TechniqueFamily::kMultiTurn}};
    for (const Use& use : kUses) {
      if (use.family != family && map.Has(use.key)) {
        return map.ErrorAt(use.key, "only " + std::string(Name(use.family)) +
                                        " techniques take it (this one is " +
                                        std::string(Name(family)) + ")");
      }
    }
    if (family == TechniqueFamily::kMultiTurn && map.Has("templates")) {
      return map.ErrorAt("templates", "multi_turn techniques take conversations, not templates");
    }
    return Status::Ok();
  }

  Status ParseFamilyFields(const YamlMap& map, Technique* t) const {
    if (t->family == TechniqueFamily::kObfuscation) {
      SV_ASSIGN_OR_RETURN(std::string encoding, map.String("encoding", true));
      std::optional<Encoding> parsed = ParseEncoding(encoding);
      if (!parsed || *parsed == Encoding::kNone) {
        return map.ErrorAt("encoding",
                           "expected one of base64, rot13, leetspeak, homoglyph, "
                           "char_spacing, reversed, payload_split, got '" +
                               encoding + "'");
      }
      t->encoding = *parsed;
      if (map.Has("parts") && t->encoding != Encoding::kPayloadSplit) {
        return map.ErrorAt("parts", "only the payload_split encoding takes it");
      }
      SV_ASSIGN_OR_RETURN(int64_t parts, map.Int("parts", 3, 2, 10));
      t->parts = static_cast<int>(parts);
    }
    if (t->family == TechniqueFamily::kLanguage) {
      SV_ASSIGN_OR_RETURN(t->language, map.String("language", true));
      SV_ASSIGN_OR_RETURN(t->locale, map.String("locale", false));
    }
    if (t->family == TechniqueFamily::kFraming) {
      SV_RETURN_IF_ERROR(ParseShots(map, t));
    }
    return Status::Ok();
  }

  Status ParseShots(const YamlMap& map, Technique* t) const {
    int line = map.line();
    const YAML::Node* shots = map.Find("shots", &line);
    if (shots == nullptr) {
      if (map.Has("shot_count")) return map.ErrorAt("shot_count", "needs a list of shots");
      return Status::Ok();
    }
    if (!shots->IsSequence() || shots->size() == 0) {
      return map.Error(line, "shots", "expected a non-empty list of {user, assistant} exchanges");
    }
    for (const YAML::Node& item : *shots) {
      int item_line = YamlLine(item, line);
      if (!item.IsMap()) return map.Error(item_line, "shots", "expected {user, assistant}");
      YamlMap shot(item, origin_, item_line);
      SV_RETURN_IF_ERROR(shot.CheckKeys({"user", "assistant"}));
      Shot s;
      SV_ASSIGN_OR_RETURN(s.user, shot.String("user", true));
      SV_ASSIGN_OR_RETURN(s.assistant, shot.String("assistant", true));
      t->shots.push_back(std::move(s));
    }
    SV_ASSIGN_OR_RETURN(int64_t count,
                        map.Int("shot_count", static_cast<int64_t>(t->shots.size()), 1, 256));
    t->shot_count = static_cast<int>(count);
    return Status::Ok();
  }

  Status ParseTemplates(const YamlMap& map, Technique* t) const {
    int line = map.line();
    const YAML::Node* list = map.Find("templates", &line);
    if (list == nullptr || !list->IsSequence() || list->size() == 0) {
      return map.Error(line, "templates", "required; expected a non-empty list of strings");
    }
    PlaceholderRule rule = RuleFor(*t);
    bool shots_used = false;
    for (const YAML::Node& item : *list) {
      int item_line = YamlLine(item, line);
      if (!item.IsScalar() || item.Scalar().empty()) {
        return map.Error(item_line, "templates", "expected a non-empty string");
      }
      SV_RETURN_IF_ERROR(CheckText(item.Scalar(), rule, 1, item_line, "templates", &shots_used));
      t->templates.push_back(item.Scalar());
    }
    if (!t->shots.empty() && !shots_used) {
      return map.Error(line, "templates", "shots are given but no template uses {{shots}}");
    }
    return Status::Ok();
  }

  Status ParseConversations(const YamlMap& map, Technique* t) const {
    int line = map.line();
    const YAML::Node* list = map.Find("conversations", &line);
    if (list == nullptr || !list->IsSequence() || list->size() == 0) {
      return map.Error(line, "conversations",
                       "required; expected a non-empty list of conversations (lists of turns)");
    }
    PlaceholderRule rule = RuleFor(*t);
    for (const YAML::Node& conversation : *list) {
      int conversation_line = YamlLine(conversation, line);
      if (!conversation.IsSequence() || conversation.size() < 3 || conversation.size() % 2 == 0) {
        return map.Error(conversation_line, "conversations",
                         "expected a list of turns: user, assistant, ..., user (an odd number, "
                         "at least 3)");
      }
      std::vector<Turn> turns;
      for (const YAML::Node& item : conversation) {
        int turn_line = YamlLine(item, conversation_line);
        SV_ASSIGN_OR_RETURN(Turn turn, ParseTurn(item, turn_line, turns.size() % 2 == 0));
        bool last = turns.size() + 1 == conversation.size();
        SV_RETURN_IF_ERROR(
            CheckText(turn.content, rule, last ? 1 : 0, turn_line, "content", nullptr));
        turns.push_back(std::move(turn));
      }
      t->conversations.push_back(std::move(turns));
    }
    return Status::Ok();
  }

  Result<Turn> ParseTurn(const YAML::Node& item, int line, bool expect_user) const {
    if (!item.IsMap())
      return YamlFieldError(origin_, line, "conversations", "expected {role, content}");
    YamlMap map(item, origin_, line);
    SV_RETURN_IF_ERROR(map.CheckKeys({"role", "content"}));
    Turn turn;
    SV_ASSIGN_OR_RETURN(turn.role, map.String("role", true));
    SV_ASSIGN_OR_RETURN(turn.content, map.String("content", true));
    std::string_view expected = expect_user ? "user" : "assistant";
    if (turn.role != expected) {
      return map.ErrorAt("role", "expected '" + std::string(expected) +
                                     "' (turns alternate user, assistant, ..., user), got '" +
                                     turn.role + "'");
    }
    return turn;
  }

  // Checks the placeholders of one template or turn: only allowed names, and the required
  // one exactly `required_count` times.
  Status CheckText(const std::string& text, const PlaceholderRule& rule, int required_count,
                   int line, std::string_view field, bool* shots_used) const {
    int count = 0;
    for (const std::string& name : PlaceholderNames(text)) {
      if (!rule.allowed.contains(name)) {
        return YamlFieldError(origin_, line, field,
                              "unknown placeholder {{" + name + "}} (this technique may use " +
                                  Join(rule.allowed) + ")");
      }
      if (name == rule.required) ++count;
      if (name == "shots" && shots_used != nullptr) *shots_used = true;
    }
    if (count != required_count) {
      std::string placeholder = "{{" + rule.required + "}}";
      std::string what = required_count == 0
                             ? "must not contain " + placeholder + " (only the last user turn does)"
                             : "must contain exactly once " + placeholder;
      return YamlFieldError(origin_, line, field,
                            what + "; found it " + std::to_string(count) + " times");
    }
    return Status::Ok();
  }

  Result<std::vector<std::string>> StringList(const YamlMap& map, std::string_view key,
                                              bool required) const {
    int line = map.line();
    const YAML::Node* node = map.Find(key, &line);
    std::vector<std::string> out;
    if (node == nullptr) {
      if (required) return map.Error(line, key, "required; expected a list of strings");
      return out;
    }
    if (!node->IsSequence()) return map.Error(line, key, "expected a list of strings");
    for (const YAML::Node& item : *node) {
      if (!item.IsScalar()) return map.Error(YamlLine(item, line), key, "expected a string");
      out.push_back(item.Scalar());
    }
    return out;
  }

  const std::string& origin_;
};

Result<std::vector<Technique>> ParseDocument(const YAML::Node& root, const std::string& origin) {
  if (!root.IsMap()) {
    return Status::InvalidArgument(origin + ":" + std::to_string(YamlLine(root, 1)) +
                                   ": expected a mapping with schema_version and techniques");
  }
  YamlMap map(root, origin, 1);
  SV_RETURN_IF_ERROR(map.CheckKeys({"schema_version", "techniques"}));
  SV_ASSIGN_OR_RETURN(std::string version, map.String("schema_version", true));
  if (version != "1") {
    return map.ErrorAt("schema_version",
                       "expected 1 (the only version this safeval reads), got '" + version + "'");
  }
  int line = map.line();
  const YAML::Node* list = map.Find("techniques", &line);
  if (list == nullptr || !list->IsSequence() || list->size() == 0) {
    return map.Error(line, "techniques", "required; expected a non-empty list of techniques");
  }
  TechniqueParser parser(origin);
  std::vector<Technique> out;
  for (const YAML::Node& item : *list) {
    SV_ASSIGN_OR_RETURN(Technique t, parser.Parse(item, line));
    out.push_back(std::move(t));
  }
  return out;
}

// "origin:line" → the line, for duplicate-name errors that point at the new definition.
int LineOf(const std::string& technique_origin) {
  size_t colon = technique_origin.rfind(':');
  return colon == std::string::npos ? 1 : std::atoi(technique_origin.c_str() + colon + 1);
}

}  // namespace

Result<TechniqueRegistry> TechniqueRegistry::Builtin() {
  TechniqueRegistry registry;
  for (std::string_view file : kBuiltinTechniqueFiles) {
    std::optional<std::string_view> text = EmbeddedFile(file);
    if (!text)
      return Status::Internal("built-in technique file data/" + std::string(file) +
                              " is not embedded");
    Status status = registry.AddYaml(*text, "builtin:" + std::string(file));
    if (!status.ok()) return Status::Internal(status.message());
  }
  return registry;
}

Status TechniqueRegistry::AddYaml(std::string_view yaml_text, const std::string& origin) {
  SV_RETURN_IF_ERROR(CheckUtf8(yaml_text, origin));
  std::vector<Technique> added;
  try {
    SV_ASSIGN_OR_RETURN(added, ParseDocument(YAML::Load(std::string(yaml_text)), origin));
  } catch (const YAML::Exception& e) {
    int line = e.mark.line >= 0 ? e.mark.line + 1 : 1;
    return Status::InvalidArgument(origin + ":" + std::to_string(line) +
                                   ": invalid YAML: " + e.msg);
  }
  // Every name (id or alias) once across the registry and this document.
  std::vector<std::pair<std::string, const Technique*>> names;
  for (const Technique& t : techniques_) {
    names.emplace_back(t.id, &t);
    for (const std::string& a : t.aliases) names.emplace_back(a, &t);
  }
  for (const Technique& t : added) {
    std::vector<std::string> own = t.aliases;
    own.insert(own.begin(), t.id);
    for (const std::string& name : own) {
      for (const auto& [known, by] : names) {
        if (known != name) continue;
        return YamlFieldError(origin, LineOf(t.origin), name == t.id ? "id" : "aliases",
                              "'" + name + "' is already the name of technique '" + by->id + "' (" +
                                  by->origin + ")");
      }
      names.emplace_back(name, &t);
    }
  }
  for (Technique& t : added) techniques_.push_back(std::move(t));
  return Status::Ok();
}

Status TechniqueRegistry::AddFile(const std::string& path) {
  SV_ASSIGN_OR_RETURN(std::string text, ReadUserFile(path, "techniques file"));
  return AddYaml(text, path);
}

const Technique* TechniqueRegistry::Find(std::string_view name) const {
  for (const Technique& t : techniques_) {
    if (t.id == name) return &t;
    for (const std::string& alias : t.aliases)
      if (alias == name) return &t;
  }
  return nullptr;
}

Result<std::vector<const Technique*>> TechniqueRegistry::ResolveList(std::string_view names) const {
  std::vector<const Technique*> out;
  size_t begin = 0;
  while (begin <= names.size()) {
    size_t end = std::min(names.find(',', begin), names.size());
    std::string_view name = names.substr(begin, end - begin);
    while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
    while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
    begin = end + 1;
    if (name.empty()) {
      if (names.find_first_not_of(" ,") == std::string_view::npos) break;
      return Status::InvalidArgument("empty technique name in '" + std::string(names) + "'");
    }
    const Technique* t = Find(name);
    if (t == nullptr) {
      std::string known;
      for (const Technique& k : techniques_) known += (known.empty() ? "" : ", ") + k.id;
      return Status::InvalidArgument("unknown technique '" + std::string(name) +
                                     "' (known: " + known + "; see 'safeval dataset techniques')");
    }
    if (std::find(out.begin(), out.end(), t) != out.end()) {
      return Status::InvalidArgument("technique '" + t->id + "' is named twice");
    }
    out.push_back(t);
  }
  if (out.empty()) return Status::InvalidArgument("no technique named");
  return out;
}

}  // namespace safeval
