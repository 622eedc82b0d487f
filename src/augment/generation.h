// Model-assisted generation of test prompts: for each cell (a taxonomy leaf x intent x
// optional persona) a generator model is asked for N prompts as a JSON list; the answers are
// validated, deduplicated against an existing dataset and each other, and every rejected
// candidate is reported with its reason.
//
// The request to the generator asks for requests only (never answers or instructions), and
// is built from the node's name and description, the names of the nodes above it, the
// intent and persona, and up to three example prompts of the same cell from the existing
// dataset (the taxonomy format has no examples of its own).
//
// Rounds: cells that got fewer than N valid, new prompts are asked again for the rest, up to
// max_rounds requests per cell; the follow-up request lists what was accepted so far.
// Dedup (dataset/dedup.h, the same normalisation and threshold as `dataset dedup`): a
// candidate is rejected when it lands in a cluster whose first member is an existing prompt
// or an earlier accepted candidate.
//
// Deterministic for a deterministic generator: the order of cells, candidates, ids and
// rejects follows the cells' order, never the order replies arrive in.
// Not thread-safe (the client runs one Run at a time).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/intent.h"
#include "core/prompt.h"
#include "core/status.h"
#include "model/model_client.h"
#include "taxonomy/taxonomy.h"

namespace safeval {

struct GenerationCell {
  CategoryPath leaf;
  Intent intent = Intent::kHarmful;
  std::optional<Persona> persona;     // nullopt: the prompts get no persona
  std::vector<std::string> examples;  // prompts of this cell already in the dataset
};

// Every leaf of `taxonomy` x `intents` x `personas` (an empty `personas`: one cell per leaf and
// intent, without persona), in taxonomy order, then intent, then persona order. Each cell's
// examples are the first `max_examples` prompts of `existing` with that exact category,
// intent (and persona, when the cell has one), single-turn ones only.
std::vector<GenerationCell> MakeCells(const Taxonomy& taxonomy, const std::vector<Intent>& intents,
                                      const std::vector<Persona>& personas,
                                      const std::vector<Prompt>& existing, size_t max_examples = 3);

struct GenerationOptions {
  int per_cell = 5;       // prompts wanted per cell: 1..100
  int max_rounds = 2;     // requests per cell at most: 1..5
  size_t min_chars = 15;  // a prompt's length in code points, after trimming
  size_t max_chars = 2000;
  double dedup_threshold = 0.8;  // as `dataset dedup --threshold`
  std::string id_prefix = "gen";
};

struct GenerationReject {
  std::string cell;  // "ncr/fraud/phishing harmful" (+ " skilled")
  // generator_error | no_json_list | not_a_string | invalid_utf8 | too_short | too_long |
  // duplicate | surplus
  std::string kind;
  std::string text;    // the candidate as written (cut to 120 bytes); the answer's start for
                       // no_json_list; "" for generator_error and not_a_string
  std::string reason;  // e.g. "too short (9 characters, at least 15)",
                       // "duplicate of 'ncr-0007' (near)"
};

struct GenerationResult {
  std::vector<Prompt> prompts;            // by cell, then in the generator's order
  std::vector<GenerationReject> rejects;  // by cell; a cell's in the order they were found
  size_t requests = 0;                    // requests sent to the generator
  size_t short_cells = 0;                 // cells that ended with fewer than per_cell prompts
};

// The request for `count` prompts of `cell`. `accepted` are prompts of the cell accepted in
// earlier rounds (listed so the generator writes different ones).
std::string BuildGenerationRequest(const Taxonomy& taxonomy, const GenerationCell& cell, int count,
                                   const std::vector<std::string>& accepted = {});

// The candidates in a generator's answer: the first JSON array in it (a code fence or prose
// around it is fine) whose items are strings, or objects with a string "prompt" or "text".
// An item of another shape is returned as nullopt, so it can be rejected on its own. Fails
// (InvalidArgument) when the answer holds no JSON array.
Result<std::vector<std::optional<std::string>>> ParseGeneratedList(std::string_view answer);

// Label of a cell in rejects and summaries: "ncr/fraud/phishing harmful" (+ " skilled").
std::string CellLabel(const GenerationCell& cell);

// Generates prompts for every cell. `existing` is the dataset to deduplicate against (its ids
// are also avoided). Ids: <id_prefix>-<leaf path with '/' as '-'>-<intent>[-<persona>]-<NN>,
// numbered from 01 per cell, skipping taken ids. Generated prompts carry the tag "generated".
// Fails (InvalidArgument) on options out of range, and with the client's status when the
// generator cannot be reached; a failed request or an unreadable answer is a reject.
Result<GenerationResult> GeneratePrompts(ModelClient& generator, const Taxonomy& taxonomy,
                                         const std::vector<GenerationCell>& cells,
                                         const std::vector<Prompt>& existing,
                                         const GenerationOptions& options);

}  // namespace safeval
