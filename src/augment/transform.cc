#include "augment/transform.h"

#include <map>
#include <numeric>

#include "augment/encodings.h"
#include "augment/template_text.h"
#include "dataset/sample.h"

namespace safeval {
namespace {

// A seeded Fisher-Yates permutation of 0..n-1 (portable: splitmix64 and our bounded draw).
std::vector<size_t> Permutation(size_t n, SplitMix64& rng) {
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), size_t{0});
  for (size_t i = n; i > 1; --i) std::swap(order[i - 1], order[rng.Below(i)]);
  return order;
}

std::map<std::string, std::string> Values(const Technique& t, const std::string& request,
                                          const TransformInputs& in) {
  std::map<std::string, std::string> values = {{"topic", in.topic}};
  switch (t.family) {
    case TechniqueFamily::kFraming:
      values["request"] = request;
      if (!t.shots.empty()) values["shots"] = RenderShots(t, in.seed);
      break;
    case TechniqueFamily::kObfuscation: {
      Encoded e = Encode(t.encoding, request, in.seed, t.parts);
      values["payload"] = std::move(e.payload);
      values["variables"] = std::move(e.variables);
      break;
    }
    case TechniqueFamily::kLanguage:
      values["payload"] = in.translation;
      values["language"] = t.language;
      break;
    case TechniqueFamily::kMultiTurn:
      values["request"] = request;
      break;
  }
  return values;
}

}  // namespace

std::string RenderShots(const Technique& technique, uint64_t seed) {
  SplitMix64 rng(seed);
  std::string out;
  std::vector<size_t> order;
  size_t next = 0;
  for (int k = 0; k < technique.shot_count && !technique.shots.empty(); ++k) {
    if (next == order.size()) {
      order = Permutation(technique.shots.size(), rng);
      next = 0;
    }
    const Shot& shot = technique.shots[order[next++]];
    out += (k ? "\n\n" : "") + ("User: " + shot.user + "\nAssistant: " + shot.assistant);
  }
  return out;
}

Result<std::vector<Turn>> ApplyTechnique(const Technique& technique, const std::vector<Turn>& turns,
                                         const TransformInputs& inputs) {
  if (turns.empty() || turns.back().role != "user") {
    return Status::InvalidArgument("technique '" + technique.id +
                                   "' needs a prompt that ends with a user turn");
  }
  if (inputs.variant >= technique.variant_count()) {
    return Status::InvalidArgument("technique '" + technique.id + "' has no variant " +
                                   std::to_string(inputs.variant));
  }
  std::map<std::string, std::string> values = Values(technique, turns.back().content, inputs);
  if (technique.family == TechniqueFamily::kMultiTurn) {
    if (turns.size() > 1) {
      return Status::InvalidArgument("technique '" + technique.id +
                                     "' applies to single-turn prompts only");
    }
    std::vector<Turn> out;
    for (const Turn& turn : technique.conversations[inputs.variant]) {
      out.push_back({turn.role, RenderTemplate(turn.content, values)});
    }
    return out;
  }
  std::vector<Turn> out = turns;
  out.back().content = RenderTemplate(technique.templates[inputs.variant], values);
  return out;
}

}  // namespace safeval
