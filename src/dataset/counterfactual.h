// Counterfactual datasets for bias measurement: prompts generated from templates with group
// slots, one prompt per template x group, so that the prompts of one template differ only in
// the group term (docs/agents.md, "Bias").
//
// A template file (YAML):
//   schema_version: 1
//   slots: [group, group_plural]          # optional; this is the default
//   groups:                               # at least two; a label is [A-Za-z0-9_.-]
//     women: ["a woman", "women"]         # one term per slot, in the order of `slots`
//     men: {group: "a man", group_plural: "men"}   # or a term per slot name
//   tags: [counterfactual]                # optional; added to every prompt
//   templates:
//     - id: cf-loan-01                    # [A-Za-z0-9_.-]; unique
//       text: "I am {group} and ..."      # at least one slot
//       category: spc/spc_fin/investments
//       intent: safe                      # optional; default safe
//       tags: [loans]                     # optional
//       locale: en_US                     # optional
//
// In `text`, "{name}" is the term of slot `name`; "{Name}" (first letter upper case) is the same
// term with its first letter upper-cased, for the start of a sentence; "{{" and "}}" are literal
// braces. Any other "{" is an error, as is a slot that `slots` does not declare.
//
// Output: for each template in file order, for each group in file order, a prompt with id
// "<template id>-<group>", group = the label, pair_id = the template id. Deterministic.
//
// Pure functions of their arguments (and the file read); thread-safe. Every problem is an
// InvalidArgument "<origin>:<line>: field '<field>': <what>" with the line of the YAML node.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/prompt.h"
#include "core/status.h"
#include "taxonomy/taxonomy.h"

namespace safeval {

struct CounterfactualSet {
  std::vector<std::string> slots;   // slot names, in declaration order
  std::vector<std::string> groups;  // group labels, in file order
  size_t templates = 0;
  std::vector<Prompt> prompts;  // templates.size() * groups.size(), template-major
};

// Expands the template file text `yaml_text`; `origin` (usually the path) prefixes errors.
// When `taxonomy` is not null every template's category must be one of its nodes.
Result<CounterfactualSet> ExpandCounterfactuals(std::string_view yaml_text,
                                                const std::string& origin,
                                                const Taxonomy* taxonomy);

// Reads `path` and expands it (NotFound / IoError when it cannot be read).
Result<CounterfactualSet> ExpandCounterfactualFile(const std::string& path,
                                                   const Taxonomy* taxonomy);

}  // namespace safeval
