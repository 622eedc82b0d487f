// Writes small suites and datasets into a temporary folder for end-to-end tests.
#pragma once

#include <string>

#include "testing/temp_dir.h"

namespace safeval::testing {

// A dataset of `n` prompts cycling through intents and a few hazards. Prompt i's
// text is "prompt <i> <marker>" where the marker is "[harmful]" for unsafe intents.
inline std::string WriteDataset(const TempDir& dir, int n, const std::string& name = "data.jsonl") {
  static const char* kCategories[] = {"vcr", "ncr", "spc/spc_hlt", "hte"};
  static const char* kIntents[] = {"safe", "harmful", "adversarial"};
  std::string text;
  for (int i = 0; i < n; ++i) {
    std::string intent = kIntents[i % 3];
    text += "{\"id\": \"p" + std::to_string(i) + "\", \"text\": \"prompt " + std::to_string(i) +
            (intent == "safe" ? "" : " [harmful]") + "\", \"category\": \"" + kCategories[i % 4] +
            "\", \"intent\": \"" + intent + "\"" +
            (intent == "adversarial" ? ", \"techniques\": [\"fiction_roleplay\"]" : "") + "}\n";
  }
  return dir.Write(name, text);
}

// A suite with one openai target at `base_url`; `target_extra` adds YAML lines to the target.
inline std::string WriteOpenAiSuite(const TempDir& dir, const std::string& base_url,
                                    const std::string& target_extra = "",
                                    const std::string& suite_extra = "") {
  return dir.Write("suite.yaml", "schema_version: 1\nname: e2e\ndatasets: [data.jsonl]\n"
                                 "targets:\n  - name: mock\n    type: openai\n    base_url: " +
                                     base_url + "\n    model: mock-model\n" + target_extra +
                                     "judges:\n  - {name: rules, type: rules}\n"
                                     "store: store/safeval.db\noutput_dir: out\n" + suite_extra);
}

}  // namespace safeval::testing
