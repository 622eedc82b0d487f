// Augmenting a dataset: adversarial variants of its prompts, made by chains of techniques.
//
// Which prompts: the harmful ones, and with include_safe the safe ones too. A variant of a
// safe prompt keeps intent `safe`: it asks the same benign thing under the same framing or
// encoding, so its results measure over-deflection caused by the technique itself (a model
// that refuses "for a history class, how did medieval locks work?" only because of the
// framing). Variants of harmful prompts get intent `adversarial`. Adversarial prompts are
// left alone (they already carry their technique).
//
// Chains: every ordered sequence of `chain_length` distinct techniques from the list, in
// list order (for length 1: each technique), except that a multi_turn technique may only
// come last (it turns the text into a conversation). Each chain gives `per_prompt` variants
// of each prompt: variant k picks each step's template (or conversation) so that the
// variants of one prompt differ as far as the templates allow; identical variants are
// dropped and counted.
//
// Provenance of each variant: `parent_id` = the source prompt's id, `techniques` = the chain
// in order, id = parent id + "-" + the chain's ids joined by "-" (+ "-k", k = 1..per_prompt,
// when per_prompt > 1). Category, persona and tags are kept; a language step sets the locale
// (when its technique names one) and adds the tag "back_translation:<English text>" (';'
// written as ',', so the tag survives CSV export).
//
// Deterministic: a variant depends only on the seed, its source prompt (id and text), its
// chain and k — not on the other prompts, their order, or the other techniques listed —
// and on the translator's answers for language steps. Not thread-safe (the translator).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "augment/technique.h"
#include "augment/translator.h"
#include "core/prompt.h"
#include "core/status.h"
#include "taxonomy/taxonomy.h"

namespace safeval {

struct AugmentOptions {
  std::vector<const Technique*> techniques;  // what chains are made of, in this order
  int chain_length = 1;                      // techniques per chain: 1..4
  int per_prompt = 1;                        // variants of each chain per prompt: 1..100
  uint64_t seed = 0;
  bool include_safe = false;  // augment safe prompts too (they stay safe)
};

struct AugmentResult {
  std::vector<Prompt> prompts;  // by source prompt (input order), then chain, then k
  size_t augmented = 0;         // source prompts that got at least one variant
  // Technique id → variants whose chain contains it, for every listed technique.
  std::map<std::string, size_t> per_technique;
  // Why prompts or variants were left out → how many, e.g.
  // "adversarial prompt (only harmful ones are augmented, and safe ones with --include-safe)".
  std::map<std::string, size_t> left_out;
};

// The chains described above. Empty when no chain of that length can be made.
std::vector<std::vector<const Technique*>> EnumerateChains(
    const std::vector<const Technique*>& techniques, int chain_length);

// The {{topic}} of a prompt in `category`: the taxonomy node's name with each word's capital
// initial lower-cased unless the word is an acronym ("Indiscriminate Weapons (CBRNE)" →
// "indiscriminate weapons (CBRNE)"), or the last id with '_' read as ' ' when the taxonomy
// has no such node or is null.
std::string TopicOf(const CategoryPath& category, const Taxonomy* taxonomy);

// Makes the variants. `translator` may be null unless a language technique is listed.
// Fails (InvalidArgument) on options out of range, a language technique without a
// translator, no possible chain, or an id that would not be unique (a variant's id equal to
// an input prompt's or another variant's), and with the translator's status when it cannot
// work at all (an unreachable generator). A text that could not be translated leaves out
// its variants (counted in left_out by reason) rather than failing the whole run.
Result<AugmentResult> Augment(const std::vector<Prompt>& inputs, const AugmentOptions& options,
                              const Taxonomy* taxonomy, Translator* translator);

}  // namespace safeval
