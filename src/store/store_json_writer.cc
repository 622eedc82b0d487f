// PromptToJson and EvidenceToJson (store_json.h), written directly instead of through a
// nlohmann DOM: every item of a run is encoded once when the run is created and every verdict's
// evidence once when it is saved, and building and dumping a DOM each time was most of that
// cost. prompt_json_reader.cc reads the prompts this writes.
#include <string>
#include <string_view>
#include <vector>

#include "core/utf8.h"
#include "store/store_json.h"

namespace safeval::store_internal {
namespace {

// Appends `text` as a JSON string. REQUIRES: valid UTF-8 (checked by the caller).
void AppendString(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  size_t plain = 0;  // start of the run of bytes that need no escape
  for (size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(text, plain, i - plain);
    plain = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        out += "\\u00";
        out += kHex[c >> 4];
        out += kHex[c & 0xF];
    }
  }
  out.append(text, plain, text.size() - plain);
  out += '"';
}

// Writes the object's members, a comma before every one but the first.
class ObjectWriter {
 public:
  explicit ObjectWriter(std::string& out) : out_(out) { out_ += '{'; }
  ~ObjectWriter() { out_ += '}'; }
  std::string& Key(std::string_view key) {
    if (!first_) out_ += ',';
    first_ = false;
    AppendString(out_, key);
    out_ += ':';
    return out_;
  }
  void String(std::string_view key, std::string_view value) { AppendString(Key(key), value); }
  void Strings(std::string_view key, const std::vector<std::string>& values) {
    std::string& out = Key(key);
    out += '[';
    for (size_t i = 0; i < values.size(); ++i) {
      if (i > 0) out += ',';
      AppendString(out, values[i]);
    }
    out += ']';
  }

 private:
  std::string& out_;
  bool first_ = true;
};

void AppendToolCalls(std::string& out, const std::vector<ToolCall>& calls) {
  out += '[';
  for (size_t i = 0; i < calls.size(); ++i) {
    if (i > 0) out += ',';
    ObjectWriter call(out);
    if (!calls[i].id.empty()) call.String("id", calls[i].id);
    call.String("name", calls[i].name);
    call.String("arguments", calls[i].arguments_json);
  }
  out += ']';
}

void AppendTurns(std::string& out, const std::vector<Turn>& turns) {
  out += '[';
  for (size_t i = 0; i < turns.size(); ++i) {
    if (i > 0) out += ',';
    ObjectWriter turn(out);
    turn.String("role", turns[i].role);
    turn.String("content", turns[i].content);
    if (!turns[i].tool_calls.empty()) AppendToolCalls(turn.Key("tool_calls"), turns[i].tool_calls);
    if (!turns[i].tool_call_id.empty()) turn.String("tool_call_id", turns[i].tool_call_id);
  }
  out += ']';
}

// Only what is set, so rows of prompts without expectations stay small.
void AppendExpect(std::string& out, const Expectations& e) {
  ObjectWriter expect(out);
  if (!e.no_tool_call.empty()) expect.Strings("no_tool_call", e.no_tool_call);
  if (e.no_leak) expect.Key("no_leak") += "true";
  if (e.distress) expect.Key("distress") += "true";
}

void AppendPrompt(std::string& out, const Prompt& p) {
  ObjectWriter j(out);
  j.String("id", p.id);
  AppendTurns(j.Key("turns"), p.turns);
  j.String("category", p.category.str());
  j.String("intent", Name(p.intent));
  if (p.persona) j.String("persona", Name(*p.persona));
  j.String("locale", p.locale);
  j.Strings("tags", p.tags);
  j.String("parent_id", p.parent_id);
  j.Strings("techniques", p.techniques);
  // The agent fields, absent when empty: rows written before them still load.
  if (!p.system.empty()) j.String("system", p.system);
  if (!p.tools_json.empty()) j.String("tools_json", p.tools_json);
  if (!p.canary.empty()) j.String("canary", p.canary);
  if (!p.group.empty()) j.String("group", p.group);
  if (!p.pair_id.empty()) j.String("pair_id", p.pair_id);
  if (!p.expect.empty()) AppendExpect(j.Key("expect"), p.expect);
}

// Every string goes into the JSON unchanged, so the JSON is valid UTF-8 exactly when each one
// was: one check of the whole replaces one per field. This is the error when it fails.
Status NotUtf8(const std::string& what, size_t bad) {
  return Status::InvalidArgument(what + " cannot be stored: invalid UTF-8 at byte " +
                                 std::to_string(bad) + " of its JSON");
}

}  // namespace

Result<std::string> PromptToJson(const Prompt& prompt) {
  std::string out;
  out.reserve(256);
  AppendPrompt(out, prompt);
  size_t bad = 0;
  if (IsValidUtf8(out, &bad)) return out;
  return NotUtf8("prompt '" + SanitizeUtf8(prompt.id) + "'", bad);
}

Result<std::string> EvidenceToJson(const std::vector<Evidence>& evidence) {
  std::string out;
  SV_RETURN_IF_ERROR(EvidenceToJson(evidence, out));
  return out;
}

Status EvidenceToJson(const std::vector<Evidence>& evidence, std::string& out) {
  out.clear();
  out += '[';
  for (size_t i = 0; i < evidence.size(); ++i) {
    if (i > 0) out += ',';
    ObjectWriter span(out);
    span.Key("start") += std::to_string(evidence[i].start);
    span.Key("end") += std::to_string(evidence[i].end);
    span.String("cue", evidence[i].cue);
  }
  out += ']';
  size_t bad = 0;
  if (IsValidUtf8(out, &bad)) return Status::Ok();
  return NotUtf8("evidence", bad);
}

}  // namespace safeval::store_internal
