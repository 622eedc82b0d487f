// Augment: jobs (source prompt x chain x k) advance one chain step at a time, so that every
// translation a step needs goes to the generator in one batch.
#include "augment/augment.h"

#include <algorithm>
#include <numeric>
#include <set>
#include <unordered_map>

#include "augment/transform.h"
#include "core/hash.h"
#include "dataset/sample.h"

namespace safeval {
namespace {

using Chain = std::vector<const Technique*>;

constexpr char kLeftOutAdversarial[] =
    "adversarial prompt (only harmful prompts are augmented, and safe ones with --include-safe)";
constexpr char kLeftOutSafe[] = "safe prompt (add --include-safe to augment safe prompts)";
constexpr char kLeftOutConversation[] =
    "variant of a multi-turn prompt (multi_turn techniques need a single-turn prompt)";
constexpr char kLeftOutIdentical[] =
    "identical variant (the chain has fewer distinct variants than --per-prompt)";

std::string ChainKey(const Chain& chain) {
  std::string key;
  for (const Technique* t : chain) key += (key.empty() ? "" : "-") + t->id;
  return key;
}

// The conversation as one string, for spotting identical variants.
std::string ConversationKey(const std::vector<Turn>& turns) {
  std::string key;
  for (const Turn& t : turns) key += t.role + '\0' + t.content + '\0';
  return key;
}

uint64_t HashOf(std::initializer_list<std::string_view> pieces) {
  Hasher h;
  for (std::string_view p : pieces) h.Add(p);
  return h.Digest();
}

// variants[k][j]: the template of step j for variant k. Each step has its own seeded
// permutation of its templates; variant k reads them as a mixed-radix number, so the first
// prod(n_j) variants are all different combinations.
std::vector<std::vector<size_t>> ChooseVariants(const Chain& chain, int per_prompt,
                                                uint64_t chain_seed) {
  SplitMix64 rng(chain_seed);
  std::vector<std::vector<size_t>> perms;
  for (const Technique* t : chain) {
    std::vector<size_t> order(t->variant_count());
    std::iota(order.begin(), order.end(), size_t{0});
    for (size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[rng.Below(i)]);
    perms.push_back(std::move(order));
  }
  std::vector<std::vector<size_t>> out;
  for (int k = 0; k < per_prompt; ++k) {
    std::vector<size_t> choice;
    uint64_t rest = static_cast<uint64_t>(k);
    for (const std::vector<size_t>& perm : perms) {
      choice.push_back(perm[rest % perm.size()]);
      rest /= perm.size();
    }
    out.push_back(std::move(choice));
  }
  return out;
}

struct Job {
  const Prompt* source = nullptr;
  size_t chain = 0;  // index into the chains
  int k = 0;
  uint64_t chain_seed = 0;
  std::vector<size_t> variants;
  std::vector<Turn> turns;
  std::vector<std::string> back_translations;
  std::string topic;
  bool dropped = false;
};

class Augmenter {
 public:
  Augmenter(const AugmentOptions& options, std::vector<Chain> chains, Translator* translator)
      : options_(options), chains_(std::move(chains)), translator_(translator) {}

  void AddJobs(const Prompt& source, const Taxonomy* taxonomy) {
    std::string topic = TopicOf(source.category, taxonomy);
    for (size_t c = 0; c < chains_.size(); ++c) {
      const Chain& chain = chains_[c];
      if (source.IsMultiTurn() && chain.back()->family == TechniqueFamily::kMultiTurn) {
        result_.left_out[kLeftOutConversation] += static_cast<size_t>(options_.per_prompt);
        continue;
      }
      uint64_t chain_seed = HashOf({std::to_string(options_.seed), source.id, ChainKey(chain)});
      std::vector<std::vector<size_t>> variants =
          ChooseVariants(chain, options_.per_prompt, chain_seed);
      for (int k = 0; k < options_.per_prompt; ++k) {
        jobs_.push_back(
            {&source, c, k, chain_seed, std::move(variants[k]), source.turns, {}, topic, false});
      }
    }
  }

  Result<AugmentResult> Finish(const std::vector<Prompt>& inputs) {
    for (const Technique* t : options_.techniques) result_.per_technique[t->id] += 0;
    for (int step = 0; step < options_.chain_length; ++step) SV_RETURN_IF_ERROR(Step(step));
    SV_RETURN_IF_ERROR(BuildPrompts(inputs));
    return std::move(result_);
  }

  std::map<std::string, size_t>& left_out() { return result_.left_out; }

 private:
  void Drop(Job& job, const std::string& reason) {
    job.dropped = true;
    ++result_.left_out[reason];
  }

  Status Step(int step) {
    std::map<const Technique*, std::vector<Result<Translation>>> translations;
    std::map<const Technique*, std::unordered_map<std::string, size_t>> text_index;
    SV_RETURN_IF_ERROR(Translate(step, &translations, &text_index));
    for (Job& job : jobs_) {
      if (job.dropped) continue;
      const Technique& t = *chains_[job.chain][step];
      TransformInputs inputs;
      inputs.topic = job.topic;
      inputs.variant = job.variants[step];
      inputs.seed =
          HashOf({std::to_string(job.chain_seed), std::to_string(job.k), std::to_string(step)});
      if (t.family == TechniqueFamily::kLanguage) {
        const Result<Translation>& tr =
            translations[&t][text_index[&t].at(job.turns.back().content)];
        if (!tr.ok()) {
          Drop(job, "translation failed (" + t.id + "): " + tr.status().message());
          continue;
        }
        inputs.translation = tr->text;
        if (!tr->back_translation.empty()) job.back_translations.push_back(tr->back_translation);
      }
      Result<std::vector<Turn>> turns = ApplyTechnique(t, job.turns, inputs);
      if (!turns.ok()) {
        Drop(job, turns.status().message());
        continue;
      }
      job.turns = std::move(*turns);
    }
    return Status::Ok();
  }

  // Translates, per language technique of this step, every distinct text once.
  Status Translate(int step, std::map<const Technique*, std::vector<Result<Translation>>>* out,
                   std::map<const Technique*, std::unordered_map<std::string, size_t>>* index) {
    std::map<const Technique*, std::vector<std::string>> texts;
    for (const Job& job : jobs_) {
      const Technique* t = chains_[job.chain][step];
      if (job.dropped || t->family != TechniqueFamily::kLanguage) continue;
      const std::string& text = job.turns.back().content;
      if ((*index)[t].emplace(text, texts[t].size()).second) texts[t].push_back(text);
    }
    for (auto& [t, list] : texts) {
      SV_ASSIGN_OR_RETURN((*out)[t], translator_->Translate(list, t->language));
      if ((*out)[t].size() != list.size()) {
        return Status::Internal("the translator gave " + std::to_string((*out)[t].size()) +
                                " results for " + std::to_string(list.size()) + " texts");
      }
    }
    return Status::Ok();
  }

  Prompt MakeVariant(Job& job) const {
    const Prompt& source = *job.source;
    Prompt p;
    p.id = source.id + "-" + ChainKey(chains_[job.chain]) +
           (options_.per_prompt > 1 ? "-" + std::to_string(job.k + 1) : "");
    p.turns = std::move(job.turns);
    p.category = source.category;
    p.intent = source.intent == Intent::kSafe ? Intent::kSafe : Intent::kAdversarial;
    p.persona = source.persona;
    p.locale = source.locale;
    p.tags = source.tags;
    for (const Technique* t : chains_[job.chain]) {
      p.techniques.push_back(t->id);
      if (t->family == TechniqueFamily::kLanguage && !t->locale.empty()) p.locale = t->locale;
    }
    for (std::string back : job.back_translations) {
      std::replace(back.begin(), back.end(), ';', ',');
      p.tags.push_back("back_translation:" + back);
    }
    p.parent_id = source.id;
    // The item's setting is not what a technique rewrites: a derived leak probe or agent
    // scenario keeps its system prompt, tools and expectations.
    p.system = source.system;
    p.tools_json = source.tools_json;
    p.canary = source.canary;
    p.group = source.group;
    p.pair_id = source.pair_id;
    p.expect = source.expect;
    return p;
  }

  Status BuildPrompts(const std::vector<Prompt>& inputs) {
    std::set<std::string> ids;
    for (const Prompt& p : inputs) ids.insert(p.id);
    std::set<const Prompt*> augmented;
    // Identical variants of one (source, chain) are dropped; jobs of one pair are adjacent.
    std::set<std::string> seen;
    std::pair<const Prompt*, size_t> group{nullptr, 0};
    for (Job& job : jobs_) {
      if (job.dropped) continue;
      if (group != std::pair{job.source, job.chain}) {
        group = {job.source, job.chain};
        seen.clear();
      }
      if (!seen.insert(ConversationKey(job.turns)).second) {
        Drop(job, kLeftOutIdentical);
        continue;
      }
      Prompt p = MakeVariant(job);
      if (!ids.insert(p.id).second) {
        return Status::InvalidArgument("variant id '" + p.id + "' of prompt '" + job.source->id +
                                       "' is already taken by another prompt; rename one of them");
      }
      for (const std::string& t : p.techniques) ++result_.per_technique[t];
      augmented.insert(job.source);
      result_.prompts.push_back(std::move(p));
    }
    result_.augmented = augmented.size();
    return Status::Ok();
  }

  const AugmentOptions& options_;
  std::vector<Chain> chains_;
  Translator* translator_;
  std::vector<Job> jobs_;
  AugmentResult result_;
};

void Extend(const std::vector<const Technique*>& techniques, int length, Chain* prefix,
            std::vector<Chain>* out) {
  if (static_cast<int>(prefix->size()) == length) {
    out->push_back(*prefix);
    return;
  }
  for (const Technique* t : techniques) {
    if (std::find(prefix->begin(), prefix->end(), t) != prefix->end()) continue;
    bool last = static_cast<int>(prefix->size()) + 1 == length;
    if (t->family == TechniqueFamily::kMultiTurn && !last) continue;
    prefix->push_back(t);
    Extend(techniques, length, prefix, out);
    prefix->pop_back();
  }
}

Status CheckOptions(const AugmentOptions& options, const Translator* translator) {
  if (options.techniques.empty()) return Status::InvalidArgument("no technique given");
  if (options.chain_length < 1 || options.chain_length > 4) {
    return Status::InvalidArgument("--chain must be from 1 to 4, got " +
                                   std::to_string(options.chain_length));
  }
  if (options.per_prompt < 1 || options.per_prompt > 100) {
    return Status::InvalidArgument("--per-prompt must be from 1 to 100, got " +
                                   std::to_string(options.per_prompt));
  }
  for (const Technique* t : options.techniques) {
    if (t->family == TechniqueFamily::kLanguage && translator == nullptr) {
      return Status::InvalidArgument("technique '" + t->id +
                                     "' translates through a generator model: give one with "
                                     "--generator FILE:TARGET");
    }
  }
  return Status::Ok();
}

}  // namespace

std::vector<std::vector<const Technique*>> EnumerateChains(
    const std::vector<const Technique*>& techniques, int chain_length) {
  std::vector<Chain> out;
  if (chain_length < 1) return out;
  Chain prefix;
  Extend(techniques, chain_length, &prefix, &out);
  return out;
}

std::string TopicOf(const CategoryPath& category, const Taxonomy* taxonomy) {
  const TaxonomyNode* node = taxonomy != nullptr ? taxonomy->Find(category) : nullptr;
  std::string topic;
  if (node != nullptr && !node->name.empty()) {
    topic = node->name;
    auto upper = [](char c) { return c >= 'A' && c <= 'Z'; };
    for (size_t i = 0; i < topic.size(); ++i) {
      bool word_start = i == 0 || topic[i - 1] == ' ';
      bool acronym = i + 1 < topic.size() && upper(topic[i + 1]);
      if (word_start && upper(topic[i]) && !acronym)
        topic[i] = static_cast<char>(topic[i] - 'A' + 'a');
    }
    return topic;
  }
  if (category.empty()) return "this topic";
  topic = category.leaf();
  std::replace(topic.begin(), topic.end(), '_', ' ');
  return topic;
}

Result<AugmentResult> Augment(const std::vector<Prompt>& inputs, const AugmentOptions& options,
                              const Taxonomy* taxonomy, Translator* translator) {
  SV_RETURN_IF_ERROR(CheckOptions(options, translator));
  std::vector<Chain> chains = EnumerateChains(options.techniques, options.chain_length);
  if (chains.empty()) {
    return Status::InvalidArgument(
        "no chain of " + std::to_string(options.chain_length) +
        " different techniques can be made from the ones given (a multi_turn technique can "
        "only be the last step)");
  }
  Augmenter augmenter(options, std::move(chains), translator);
  for (const Prompt& p : inputs) {
    if (p.intent == Intent::kAdversarial) {
      ++augmenter.left_out()[kLeftOutAdversarial];
    } else if (p.intent == Intent::kSafe && !options.include_safe) {
      ++augmenter.left_out()[kLeftOutSafe];
    } else {
      augmenter.AddJobs(p, taxonomy);
    }
  }
  return augmenter.Finish(inputs);
}

}  // namespace safeval
