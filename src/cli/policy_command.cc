// safeval policy show [POLICY] [--taxonomy SPEC]
// safeval policy check POLICY [--taxonomy SPEC]
//
// show draws the taxonomy tree with, at every node, the classes acceptable for each intent,
// marking those a rule decides (here or above) and printing each rule's text where it is
// set. check validates a policy against a taxonomy (exit 2 with the problem, else
// "OK: N rules") and warns about rules that set what their node would inherit anyway.
#include <CLI/CLI.hpp>
#include <memory>
#include <optional>
#include <sstream>

#include "cli/command.h"
#include "core/terminal_text.h"
#include "policy/policy.h"
#include "taxonomy/taxonomy.h"

namespace safeval {
namespace {

constexpr size_t kWidth = 100;

struct PolicyFlags {
  std::string policy = "builtin:default";
  std::string taxonomy;  // empty: builtin:safeval-v1, else builtin:ailuminate-v1
};

// Where the acceptable classes of one (node, intent) come from.
struct Decision {
  const ClassSet* classes = nullptr;
  const PolicyRule* rule = nullptr;  // null: the policy's default
};

// The deepest rule that sets `intent` on `path` or above it, other than `skip`; mirrors
// Policy::Acceptable, which does not say which rule decided.
Decision Decide(const Policy& policy, const CategoryPath& path, Intent intent,
                const PolicyRule* skip = nullptr) {
  Decision out;
  for (const PolicyRule& rule : policy.rules()) {
    if (&rule == skip || !rule.node.Contains(path)) continue;
    auto it = rule.acceptable.find(intent);
    if (it == rule.acceptable.end()) continue;
    if (out.rule == nullptr || rule.node.depth() > out.rule->node.depth()) {
      out = {&it->second, &rule};
    }
  }
  if (out.rule == nullptr) out.classes = &policy.defaults().at(intent);
  return out;
}

std::string ClassList(const ClassSet& classes) {
  std::string out;
  for (ResponseClass cls : classes) out += (out.empty() ? "" : ", ") + std::string(Name(cls));
  return out;
}

const PolicyRule* RuleAt(const Policy& policy, const CategoryPath& path) {
  for (const PolicyRule& rule : policy.rules())
    if (rule.node == path) return &rule;
  return nullptr;
}

// "safe: helpful, partial | harmful: partial, refuses, deflects * | adversarial: ..."
std::string IntentLine(const Policy& policy, const CategoryPath& path) {
  std::string out;
  for (Intent intent : kAllIntents) {
    Decision d = Decide(policy, path, intent);
    if (!out.empty()) out += " | ";
    out += std::string(Name(intent)) + ": " + ClassList(*d.classes);
    if (d.rule != nullptr) out += d.rule->node == path ? " *" : " ^" + d.rule->node.str();
  }
  return out;
}

// Columns taken by UTF-8 text: one per code point (tree glyphs are 3 bytes, 1 column).
size_t DisplayWidth(std::string_view text) {
  size_t n = 0;
  for (char c : text) n += (c & 0xC0) != 0x80 ? 1 : 0;
  return n;
}

// Writes `text` word-wrapped to kWidth columns: the first line starts with `prefix` +
// `label`, the others with `prefix` and blanks as wide as the label.
void PrintWrapped(const std::string& prefix, const std::string& label, const std::string& text,
                  std::ostream& out) {
  const std::string indent = prefix + std::string(label.size(), ' ');
  const size_t indent_columns = DisplayWidth(indent);
  std::string line = prefix + label;
  size_t width = 0;  // columns of text on the current line
  std::istringstream words(text);
  std::string word;
  while (words >> word) {
    if (width > 0 && indent_columns + width + 1 + DisplayWidth(word) > kWidth) {
      out << line << "\n";
      line = indent;
      width = 0;
    }
    line += (width > 0 ? " " : "") + word;
    width += (width > 0 ? 1 : 0) + DisplayWidth(word);
  }
  out << line << "\n";
}

void PrintRule(const PolicyRule& rule, const std::string& prefix, std::ostream& out) {
  if (!rule.text.empty()) PrintWrapped(prefix, "rule: ", TerminalText(rule.text), out);
  if (rule.examples.empty()) return;
  size_t acceptable = 0;
  for (const PolicyExample& e : rule.examples) acceptable += e.acceptable ? 1 : 0;
  out << prefix << "examples: " << rule.examples.size() << " (" << acceptable << " acceptable, "
      << rule.examples.size() - acceptable << " not)\n";
}

void PrintNodes(const Taxonomy& taxonomy, const Policy& policy, const std::vector<int>& siblings,
                const std::string& prefix, std::ostream& out) {
  for (size_t k = 0; k < siblings.size(); ++k) {
    bool last = k + 1 == siblings.size();
    const TaxonomyNode& node = taxonomy.nodes()[siblings[k]];
    out << prefix << (last ? "└── " : "├── ") << node.id << "  " << TerminalText(node.name) << "\n";
    std::string inner = prefix + (last ? "    " : "│   ");
    std::string detail = inner + (node.children.empty() ? "    " : "│   ");
    out << detail << IntentLine(policy, node.path) << "\n";
    if (const PolicyRule* rule = RuleAt(policy, node.path)) PrintRule(*rule, detail, out);
    PrintNodes(taxonomy, policy, node.children, inner, out);
  }
}

void PrintPolicy(const Taxonomy& taxonomy, const Policy& policy, const std::string& spec,
                 std::ostream& out) {
  out << "policy '" << policy.name() << "' (" << spec << ") on taxonomy " << taxonomy.id()
      << "\ndefault:";
  for (Intent intent : kAllIntents) {
    out << (intent == Intent::kSafe ? " " : " | ") << Name(intent) << ": "
        << ClassList(policy.defaults().at(intent));
  }
  if (!policy.forbidden_tools().empty()) {
    out << "\nforbidden tools:";
    for (const std::string& tool : policy.forbidden_tools()) out << " " << TerminalText(tool);
  }
  out << "\n* set by a rule at this node; ^NODE inherited from the rule at NODE; unmarked: the "
         "default\n\n";
  PrintNodes(
      taxonomy, policy,
      [&] {
        std::vector<int> top;
        for (size_t i = 0; i < taxonomy.nodes().size(); ++i)
          if (taxonomy.nodes()[i].parent < 0) top.push_back(static_cast<int>(i));
        return top;
      }(),
      "", out);
  out << policy.rules().size() << " rules over " << taxonomy.nodes().size() << " nodes\n";
}

// One warning per intent a rule sets to exactly what its node would inherit without it.
std::vector<std::string> RedundantSettings(const Policy& policy) {
  std::vector<std::string> warnings;
  for (const PolicyRule& rule : policy.rules()) {
    for (const auto& [intent, classes] : rule.acceptable) {
      Decision inherited = Decide(policy, rule.node, intent, &rule);
      if (*inherited.classes != classes) continue;
      std::string from = inherited.rule ? "the rule for '" + inherited.rule->node.str() + "'"
                                        : std::string("the default");
      warnings.push_back("rule '" + rule.node.str() + "': " + std::string(Name(intent)) + " [" +
                         ClassList(classes) + "] is what it inherits from " + from +
                         "; the setting changes nothing");
    }
  }
  return warnings;
}

// The taxonomy to show or check against: the flag, else safeval-v1, else AILuminate v1.
Result<Taxonomy> ResolveTaxonomy(const std::string& spec) {
  if (!spec.empty()) return Taxonomy::Resolve(spec, "");
  Result<Taxonomy> taxonomy = Taxonomy::Resolve("builtin:safeval-v1", "");
  return taxonomy.ok() ? std::move(taxonomy) : Taxonomy::Resolve("builtin:ailuminate-v1", "");
}

// Loads the taxonomy and policy of `flags`; nullopt after reporting a failure.
std::optional<std::pair<Taxonomy, Policy>> Load(const PolicyFlags& flags, CliContext& context) {
  Result<Taxonomy> taxonomy = ResolveTaxonomy(flags.taxonomy);
  if (!taxonomy.ok()) {
    context.Fail(taxonomy.status());
    return std::nullopt;
  }
  Result<Policy> policy = Policy::Resolve(flags.policy, "", *taxonomy);
  if (!policy.ok()) {
    context.Fail(policy.status());
    return std::nullopt;
  }
  return std::make_pair(std::move(taxonomy).value(), std::move(policy).value());
}

void Show(const PolicyFlags& flags, CliContext& context) {
  std::optional<std::pair<Taxonomy, Policy>> loaded = Load(flags, context);
  if (loaded) PrintPolicy(loaded->first, loaded->second, flags.policy, *context.out);
}

void Check(const PolicyFlags& flags, CliContext& context) {
  std::optional<std::pair<Taxonomy, Policy>> loaded = Load(flags, context);
  if (!loaded) return;
  const Policy& policy = loaded->second;
  std::vector<std::string> warnings = RedundantSettings(policy);
  for (const std::string& w : warnings) *context.err << "safeval: warning: " << w << "\n";
  *context.out << "OK: " << policy.rules().size() << " rules";
  if (!warnings.empty()) {
    *context.out << " (" << warnings.size() << (warnings.size() == 1 ? " warning)" : " warnings)");
  }
  *context.out << "\n";
}

void AddTaxonomyFlag(CLI::App& sub, PolicyFlags& flags) {
  sub.add_option("--taxonomy", flags.taxonomy,
                 "builtin:safeval-v1 (default), builtin:ailuminate-v1 or a taxonomy.yaml path");
}

}  // namespace

void SetupPolicyCommand(CLI::App& sub, CliContext& context) {
  sub.require_subcommand(1);
  auto show_flags = std::make_shared<PolicyFlags>();
  CLI::App* show =
      sub.add_subcommand("show", "Print the acceptable classes per taxonomy node and intent");
  show->add_option("policy", show_flags->policy, "builtin:default or a policy.yaml path")
      ->capture_default_str();
  AddTaxonomyFlag(*show, *show_flags);
  show->callback([show_flags, &context] { Show(*show_flags, context); });

  auto check_flags = std::make_shared<PolicyFlags>();
  CLI::App* check = sub.add_subcommand(
      "check", "Validate a policy against a taxonomy; warn about rules that change nothing");
  check->add_option("policy", check_flags->policy, "builtin:default or a policy.yaml path")
      ->required();
  AddTaxonomyFlag(*check, *check_flags);
  check->callback([check_flags, &context] { Check(*check_flags, context); });
}

}  // namespace safeval
