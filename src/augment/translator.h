// Translation for the language techniques: a request is translated into the technique's
// language by a generator model (any target), and the translation back into English, so a
// reader of the dataset can see what the translated prompt asks (augment.h stores it in a
// `back_translation:` tag).
//
// Not thread-safe: a ModelTranslator uses its client for one call at a time.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "model/model_client.h"

namespace safeval {

struct Translation {
  std::string text;              // the request in the target language
  std::string back_translation;  // `text` translated back into English; "" when that failed
};

class Translator {
 public:
  virtual ~Translator() = default;
  // Translates each of `texts` into `language` (e.g. "French"): one result per text, in
  // order. A text that could not be translated is a non-ok result saying why; the whole call
  // fails only when the translator cannot work at all (its endpoint cannot be reached).
  virtual Result<std::vector<Result<Translation>>> Translate(const std::vector<std::string>& texts,
                                                             const std::string& language) = 0;
};

// A Translator over a generator model: one request per text into `language` (all through one
// client Run), then one per translation back into English. A failed request, an empty
// answer or an answer equal to the text is a failed translation; a failed back-translation
// only leaves back_translation empty. Fails (the client's status) when the endpoint cannot
// be reached.
class ModelTranslator : public Translator {
 public:
  // Borrows `client`, which must outlive the translator.
  explicit ModelTranslator(ModelClient& client) : client_(client) {}
  Result<std::vector<Result<Translation>>> Translate(const std::vector<std::string>& texts,
                                                     const std::string& language) override;

 private:
  ModelClient& client_;
};

// The request that asks for a translation of `text` into `language`.
std::string TranslationRequest(std::string_view text, std::string_view language);

// The translation in a model's answer: trimmed, without a surrounding code fence, the
// <<< >>> markers of the request or matching quotes. Fails (InvalidArgument) when nothing
// is left or the answer is `original` unchanged.
Result<std::string> ReadTranslation(std::string_view answer, std::string_view original);

}  // namespace safeval
