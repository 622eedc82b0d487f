#include "augment/translator.h"

#include "augment/model_calls.h"
#include "augment/template_text.h"

namespace safeval {
namespace {

constexpr char kRequest[] =
    "Translate the text between <<< and >>> into {{language}}. Keep its meaning, tone and form "
    "(a question stays a question). Answer with the translation only, without the markers, "
    "notes or comments.\n\n<<<\n{{text}}\n>>>";

std::string_view Trim(std::string_view s) {
  size_t begin = s.find_first_not_of(" \t\r\n");
  if (begin == std::string_view::npos) return {};
  return s.substr(begin, s.find_last_not_of(" \t\r\n") - begin + 1);
}

// Removes `open` ... `close` around the whole of `s` (after trimming).
std::string_view Unwrap(std::string_view s, std::string_view open, std::string_view close) {
  s = Trim(s);
  if (s.size() >= open.size() + close.size() && s.starts_with(open) && s.ends_with(close)) {
    return Trim(s.substr(open.size(), s.size() - open.size() - close.size()));
  }
  return s;
}

// The inside of a ``` fence around the whole answer (the language name line dropped).
std::string_view Unfence(std::string_view s) {
  s = Trim(s);
  if (!s.starts_with("```") || !s.ends_with("```") || s.size() < 6) return s;
  std::string_view inner = s.substr(3, s.size() - 6);
  size_t newline = inner.find('\n');
  return Trim(newline == std::string_view::npos ? inner : inner.substr(newline + 1));
}

}  // namespace

std::string TranslationRequest(std::string_view text, std::string_view language) {
  return RenderTemplate(kRequest,
                        {{"language", std::string(language)}, {"text", std::string(text)}});
}

Result<std::string> ReadTranslation(std::string_view answer, std::string_view original) {
  std::string_view text = Unwrap(Unfence(answer), "<<<", ">>>");
  for (auto [open, close] : {std::pair{"\"", "\""}, {"\u201C", "\u201D"}, {"'", "'"}}) {
    text = Unwrap(text, open, close);
  }
  if (text.empty()) return Status::InvalidArgument("the generator's answer is empty");
  if (text == Trim(original)) {
    return Status::InvalidArgument("the generator returned the text untranslated");
  }
  return std::string(text);
}

Result<std::vector<Result<Translation>>> ModelTranslator::Translate(
    const std::vector<std::string>& texts, const std::string& language) {
  std::vector<std::string> requests;
  for (const std::string& t : texts) requests.push_back(TranslationRequest(t, language));
  SV_ASSIGN_OR_RETURN(std::vector<ModelReply> replies, AskEachMessage(client_, requests));

  std::vector<Result<Translation>> out;
  std::vector<std::string> back_requests;
  std::vector<size_t> back_of;  // index into out of each back request
  for (size_t i = 0; i < texts.size(); ++i) {
    const ModelReply& reply = replies[i];
    if (!reply.ok) {
      out.push_back(Status::Unavailable("generator " + client_.Identity() + ": " + reply.error));
      continue;
    }
    Result<std::string> text = ReadTranslation(reply.text, texts[i]);
    if (!text.ok()) {
      out.push_back(text.status());
      continue;
    }
    back_requests.push_back(TranslationRequest(*text, "English"));
    back_of.push_back(i);
    out.push_back(Translation{std::move(*text), ""});
  }
  if (back_requests.empty()) return out;
  Result<std::vector<ModelReply>> back = AskEachMessage(client_, back_requests);
  if (!back.ok()) return out;  // the translations stand; only their back-translations are missing
  for (size_t k = 0; k < back_of.size(); ++k) {
    const ModelReply& reply = (*back)[k];
    Translation& t = out[back_of[k]].value();
    if (!reply.ok) continue;
    Result<std::string> text = ReadTranslation(reply.text, t.text);
    if (text.ok()) t.back_translation = std::move(*text);
  }
  return out;
}

}  // namespace safeval
