// Reading counterfactual template files (see counterfactual.h). yaml-cpp throws; every
// YAML::Exception is caught in ExpandCounterfactuals and becomes a Status with file and line.
#include "dataset/counterfactual.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <map>
#include <set>

#include "taxonomy/yaml_map.h"

namespace safeval {
namespace {

// A template's text cut into literal pieces and slot references.
struct Piece {
  std::string text;     // literal text, or the slot name (lower case) for a slot
  bool slot = false;
  bool capitalize = false;  // "{Group}": upper-case the term's first letter
};

struct ParsedTemplate {
  std::string id;
  std::vector<Piece> pieces;
  CategoryPath category;
  Intent intent = Intent::kSafe;
  std::vector<std::string> tags;
  std::string locale;
};

bool IsSlotNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

// Cuts `text` into pieces; the error (without location) names the first bad brace or slot.
Result<std::vector<Piece>> CutText(const std::string& text, const std::set<std::string>& slots) {
  std::vector<Piece> pieces(1);
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if ((c == '{' || c == '}') && i + 1 < text.size() && text[i + 1] == c) {
      pieces.back().text += c;  // "{{" or "}}": a literal brace
      ++i;
      continue;
    }
    if (c != '{') {
      pieces.back().text += c;
      continue;
    }
    size_t close = text.find('}', i + 1);
    std::string name = close == std::string::npos ? "" : text.substr(i + 1, close - i - 1);
    bool capitalize = !name.empty() && name[0] >= 'A' && name[0] <= 'Z';
    if (capitalize) name[0] = static_cast<char>(name[0] - 'A' + 'a');
    bool well_formed = !name.empty() && name[0] >= 'a' && name[0] <= 'z';
    for (char n : name) well_formed = well_formed && IsSlotNameChar(n);
    if (!well_formed) {
      return Status::InvalidArgument("a '{' at byte " + std::to_string(i) +
                                     " does not start a slot {name} (write '{{' for a literal "
                                     "brace)");
    }
    if (!slots.contains(name)) {
      std::string known;
      for (const std::string& s : slots) known += (known.empty() ? "" : ", ") + s;
      return Status::InvalidArgument("unknown slot '{" + text.substr(i + 1, close - i - 1) +
                                     "}' (declared slots: " + known + ")");
    }
    pieces.push_back({name, true, capitalize});
    pieces.emplace_back();
    i = close;
  }
  return pieces;
}

bool HasSlot(const std::vector<Piece>& pieces) {
  for (const Piece& p : pieces)
    if (p.slot) return true;
  return false;
}

std::string Render(const std::vector<Piece>& pieces,
                   const std::map<std::string, std::string>& terms) {
  std::string out;
  for (const Piece& p : pieces) {
    if (!p.slot) {
      out += p.text;
      continue;
    }
    std::string term = terms.at(p.text);
    if (p.capitalize && !term.empty() && term[0] >= 'a' && term[0] <= 'z') {
      term[0] = static_cast<char>(term[0] - 'a' + 'A');
    }
    out += term;
  }
  return out;
}

// A list of non-empty strings.
Result<std::vector<std::string>> StringList(const YAML::Node& node, const YamlMap& map,
                                            int line, std::string_view field) {
  std::vector<std::string> out;
  if (!node.IsSequence()) return map.Error(line, field, "expected a list of strings");
  for (const YAML::Node& item : node) {
    if (!item.IsScalar() || item.Scalar().empty()) {
      return map.Error(YamlLine(item, line), field, "expected a list of non-empty strings");
    }
    out.push_back(item.Scalar());
  }
  return out;
}

class TemplateFileParser {
 public:
  TemplateFileParser(const std::string& origin, const Taxonomy* taxonomy)
      : origin_(origin), taxonomy_(taxonomy) {}

  Result<CounterfactualSet> Parse(const YAML::Node& root) {
    if (!root.IsMap()) {
      return YamlFieldError(origin_, YamlLine(root, 1), "schema_version",
                            "expected a mapping with schema_version, slots, groups, templates");
    }
    YamlMap map(root, origin_, 1);
    SV_RETURN_IF_ERROR(map.CheckKeys({"schema_version", "slots", "groups", "tags", "templates"}));
    SV_ASSIGN_OR_RETURN(std::string version, map.String("schema_version", true));
    if (version != "1") return map.ErrorAt("schema_version", "expected 1, got '" + version + "'");
    SV_RETURN_IF_ERROR(ParseSlots(map));
    SV_RETURN_IF_ERROR(ParseGroups(map));
    int tags_line = map.line();
    if (const YAML::Node* tags = map.Find("tags", &tags_line)) {
      SV_ASSIGN_OR_RETURN(file_tags_, StringList(*tags, map, tags_line, "tags"));
    }
    SV_RETURN_IF_ERROR(ParseTemplates(map));
    return Expand();
  }

 private:
  Status ParseSlots(const YamlMap& map) {
    int line = map.line();
    const YAML::Node* node = map.Find("slots", &line);
    if (node == nullptr) {
      set_.slots = {"group", "group_plural"};
    } else {
      SV_ASSIGN_OR_RETURN(set_.slots, StringList(*node, map, line, "slots"));
    }
    if (set_.slots.empty()) return map.Error(line, "slots", "expected at least one slot name");
    for (const std::string& slot : set_.slots) {
      bool ok = slot[0] >= 'a' && slot[0] <= 'z';
      for (char c : slot) ok = ok && IsSlotNameChar(c);
      if (!ok) return map.Error(line, "slots", "slot '" + slot + "': expected [a-z][a-z0-9_]*");
      if (!slot_names_.insert(slot).second) {
        return map.Error(line, "slots", "slot '" + slot + "' is declared twice");
      }
    }
    return Status::Ok();
  }

  Status ParseGroups(const YamlMap& map) {
    int line = map.line();
    const YAML::Node* node = map.Find("groups", &line);
    if (node == nullptr) {
      return map.Error(line, "groups", "required; expected a mapping of group label to terms");
    }
    if (!node->IsMap()) {
      return map.Error(line, "groups", "expected a mapping of group label to terms");
    }
    YamlMap groups(*node, origin_, line);
    std::map<std::string, int> label_lines;
    for (const auto& kv : *node) {
      std::string label = kv.first.IsScalar() ? kv.first.Scalar() : "";
      int group_line = YamlLine(kv.first, line);
      if (!IsValidNodeId(label)) {
        return groups.Error(group_line, "groups", "group label '" + label +
                                                      "': expected [A-Za-z0-9_.-] only");
      }
      if (auto [it, added] = label_lines.emplace(label, group_line); !added) {
        return groups.Error(group_line, label,
                            "repeated group (first at line " + std::to_string(it->second) + ")");
      }
      SV_ASSIGN_OR_RETURN(auto group_terms, ParseTerms(kv.second, groups, group_line, label));
      set_.groups.push_back(label);
      terms_.push_back(std::move(group_terms));
    }
    if (set_.groups.size() < 2) {
      return map.Error(line, "groups",
                       "expected at least 2 groups to compare, got " +
                           std::to_string(set_.groups.size()));
    }
    return Status::Ok();
  }

  // One group's terms: a list in slot order, a mapping slot -> term, or (with one slot) a string.
  Result<std::map<std::string, std::string>> ParseTerms(const YAML::Node& node,
                                                        const YamlMap& groups, int line,
                                                        const std::string& label) {
    std::map<std::string, std::string> terms;
    if (node.IsScalar() && set_.slots.size() == 1 && !node.Scalar().empty()) {
      terms[set_.slots[0]] = node.Scalar();
      return terms;
    }
    if (node.IsSequence()) {
      SV_ASSIGN_OR_RETURN(std::vector<std::string> list, StringList(node, groups, line, label));
      if (list.size() != set_.slots.size()) {
        return groups.Error(line, label,
                            "expected " + std::to_string(set_.slots.size()) +
                                " terms, one per slot (" + SlotList() + "), got " +
                                std::to_string(list.size()));
      }
      for (size_t i = 0; i < list.size(); ++i) terms[set_.slots[i]] = list[i];
      return terms;
    }
    if (node.IsMap()) {
      for (const auto& kv : node) {
        std::string slot = kv.first.IsScalar() ? kv.first.Scalar() : "";
        int slot_line = YamlLine(kv.first, line);
        if (!slot_names_.contains(slot)) {
          return groups.Error(slot_line, label + "." + slot,
                              "unknown slot (declared slots: " + SlotList() + ")");
        }
        if (!kv.second.IsScalar() || kv.second.Scalar().empty()) {
          return groups.Error(slot_line, label + "." + slot, "expected a non-empty string");
        }
        if (!terms.emplace(slot, kv.second.Scalar()).second) {
          return groups.Error(slot_line, label + "." + slot, "repeated slot");
        }
      }
      for (const std::string& slot : set_.slots) {
        if (!terms.contains(slot)) {
          return groups.Error(line, label, "no term for slot '" + slot + "'");
        }
      }
      return terms;
    }
    return groups.Error(line, label,
                        "expected a list of terms, one per slot (" + SlotList() +
                            "), or a mapping of slot to term");
  }

  Status ParseTemplates(const YamlMap& map) {
    int line = map.line();
    const YAML::Node* node = map.Find("templates", &line);
    if (node == nullptr || !node->IsSequence() || node->size() == 0) {
      return map.Error(line, "templates", "required; expected a non-empty list of templates");
    }
    std::map<std::string, int> id_lines;
    for (const YAML::Node& item : *node) {
      int item_line = YamlLine(item, line);
      if (!item.IsMap()) {
        return map.Error(item_line, "templates",
                         "expected a template (a mapping with id, text, category)");
      }
      SV_ASSIGN_OR_RETURN(ParsedTemplate parsed, ParseTemplate(YamlMap(item, origin_, item_line)));
      if (auto [it, added] = id_lines.emplace(parsed.id, item_line); !added) {
        return map.Error(item_line, "id",
                         "template id '" + parsed.id + "' repeated (first at line " +
                             std::to_string(it->second) + ")");
      }
      templates_.push_back(std::move(parsed));
    }
    return Status::Ok();
  }

  Result<ParsedTemplate> ParseTemplate(const YamlMap& t) {
    SV_RETURN_IF_ERROR(t.CheckKeys({"id", "text", "category", "intent", "tags", "locale"}));
    ParsedTemplate out;
    SV_ASSIGN_OR_RETURN(out.id, t.String("id", true));
    if (!IsValidNodeId(out.id)) return t.ErrorAt("id", "expected [A-Za-z0-9_.-] only");
    SV_ASSIGN_OR_RETURN(std::string text, t.String("text", true));
    Result<std::vector<Piece>> pieces = CutText(text, slot_names_);
    if (!pieces.ok()) return t.ErrorAt("text", pieces.status().message());
    if (!HasSlot(*pieces)) {
      return t.ErrorAt("text", "no slot: a counterfactual template needs at least one {" +
                                   set_.slots[0] + "}");
    }
    out.pieces = std::move(*pieces);
    SV_ASSIGN_OR_RETURN(std::string category, t.String("category", true));
    Result<CategoryPath> path = CategoryPath::Parse(category);
    if (!path.ok()) return t.ErrorAt("category", path.status().message());
    if (taxonomy_ != nullptr && taxonomy_->Find(*path) == nullptr) {
      return t.ErrorAt("category", "unknown category '" + category + "' (not in taxonomy '" +
                                       taxonomy_->id() + "')");
    }
    out.category = std::move(*path);
    SV_ASSIGN_OR_RETURN(std::string intent, t.String("intent", false));
    if (!intent.empty()) {
      std::optional<Intent> parsed = ParseIntent(intent);
      if (!parsed) {
        return t.ErrorAt("intent", "expected one of safe, harmful, adversarial, got '" + intent +
                                       "'");
      }
      out.intent = *parsed;
    }
    int tags_line = t.line();
    if (const YAML::Node* tags = t.Find("tags", &tags_line)) {
      SV_ASSIGN_OR_RETURN(out.tags, StringList(*tags, t, tags_line, "tags"));
    }
    SV_ASSIGN_OR_RETURN(out.locale, t.String("locale", false));
    return out;
  }

  Result<CounterfactualSet> Expand() {
    std::map<std::string, std::string> seen;  // prompt id -> its template id
    for (const ParsedTemplate& t : templates_) {
      for (size_t g = 0; g < set_.groups.size(); ++g) {
        std::string id = t.id + "-" + set_.groups[g];
        if (auto [it, added] = seen.emplace(id, t.id); !added) {
          return Status::InvalidArgument(origin_ + ": templates '" + it->second + "' and '" +
                                         t.id + "' both give the prompt id '" + id +
                                         "' (rename a template or a group)");
        }
        Prompt p = MakePrompt(id, Render(t.pieces, terms_[g]), t.category, t.intent);
        p.tags = file_tags_;
        for (const std::string& tag : t.tags) {
          if (std::find(p.tags.begin(), p.tags.end(), tag) == p.tags.end()) p.tags.push_back(tag);
        }
        p.locale = t.locale;
        p.group = set_.groups[g];
        p.pair_id = t.id;
        set_.prompts.push_back(std::move(p));
      }
    }
    set_.templates = templates_.size();
    return std::move(set_);
  }

  std::string SlotList() const {
    std::string out;
    for (const std::string& s : set_.slots) out += (out.empty() ? "" : ", ") + s;
    return out;
  }

  std::string origin_;
  const Taxonomy* taxonomy_;
  std::set<std::string> slot_names_;
  std::vector<std::map<std::string, std::string>> terms_;  // per group: slot -> term
  std::vector<std::string> file_tags_;
  std::vector<ParsedTemplate> templates_;
  CounterfactualSet set_;
};

}  // namespace

Result<CounterfactualSet> ExpandCounterfactuals(std::string_view yaml_text,
                                                const std::string& origin,
                                                const Taxonomy* taxonomy) {
  SV_RETURN_IF_ERROR(CheckUtf8(yaml_text, origin));
  try {
    return TemplateFileParser(origin, taxonomy).Parse(YAML::Load(std::string(yaml_text)));
  } catch (const YAML::Exception& e) {
    int line = e.mark.line >= 0 ? e.mark.line + 1 : 1;
    return Status::InvalidArgument(origin + ":" + std::to_string(line) + ": invalid YAML: " +
                                   e.msg);
  }
}

Result<CounterfactualSet> ExpandCounterfactualFile(const std::string& path,
                                                   const Taxonomy* taxonomy) {
  SV_ASSIGN_OR_RETURN(std::string text, ReadUserFile(path, "counterfactual template file"));
  return ExpandCounterfactuals(text, path, taxonomy);
}

}  // namespace safeval
