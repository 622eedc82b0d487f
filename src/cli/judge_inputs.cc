#include "cli/judge_inputs.h"

#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "core/utf8.h"
#include "run/executor.h"

namespace safeval {
namespace {

using nlohmann::json;

struct FieldSpec {
  std::string_view name;
  bool required;
};

std::vector<FieldSpec> FieldsOf(JudgeLineKind kind) {
  switch (kind) {
    case JudgeLineKind::kTranscript:
      return {{"id", true},
              {"prompt", true},
              {"response", true},
              {"intent", false},
              {"category", false}};
    case JudgeLineKind::kLabelled:
      return {{"id", true},        {"prompt", true}, {"response", true},   {"intent", false},
              {"category", false}, {"class", true},  {"violation", false}, {"rationale", false}};
    case JudgeLineKind::kLabel:
      return {{"id", true}, {"class", true}, {"rationale", false}};
  }
  return {};
}

std::string AllowedFields(const std::vector<FieldSpec>& fields) {
  std::string text;
  for (const FieldSpec& f : fields) text += std::string(f.name) + ", ";
  return "unknown field; allowed: " + text + "and any key starting with 'x-'";
}

// nlohmann's what() starts with "[json.exception.parse_error.101] "; users need only the rest.
std::string JsonMessage(const std::string& what) {
  size_t end = what.rfind("] ", what.find(':'));
  return end == std::string::npos ? what : what.substr(end + 2);
}

// Reads one line's fields, failing at the first problem.
class LineParser {
 public:
  LineParser(const std::string& file, int line, JudgeLineKind kind, const Taxonomy* taxonomy)
      : where_(file + ":" + std::to_string(line)), kind_(kind), taxonomy_(taxonomy) {}

  Result<JudgeLine> Parse(std::string_view text) {
    size_t bad = 0;
    if (!IsValidUtf8(text, &bad)) {
      return Error("", "invalid UTF-8 at byte column " + std::to_string(bad + 1));
    }
    json doc;
    try {
      doc = json::parse(text);
    } catch (const json::exception& e) {
      return Error("", "not valid JSON: " + JsonMessage(e.what()));
    }
    if (!doc.is_object())
      return Error("", std::string("expected a JSON object, got ") + doc.type_name());
    SV_RETURN_IF_ERROR(CheckKeys(doc));
    return ReadFields(doc);
  }

 private:
  Status Error(std::string_view field, const std::string& what) const {
    if (field.empty()) return Status::InvalidArgument(where_ + ": " + what);
    return Status::InvalidArgument(where_ + ": field '" + std::string(field) + "': " + what);
  }

  Status CheckKeys(const json& doc) const {
    std::vector<FieldSpec> fields = FieldsOf(kind_);
    for (const auto& [key, value] : doc.items()) {
      if (key.starts_with("x-")) continue;
      bool known = false;
      for (const FieldSpec& f : fields) known = known || f.name == key;
      if (!known) return Error(key, AllowedFields(fields));
    }
    for (const FieldSpec& f : fields) {
      if (f.required && !doc.contains(f.name)) return Error(f.name, "required");
    }
    return Status::Ok();
  }

  // The string at `key`; "" when absent (CheckKeys has seen to required keys).
  Result<std::string> String(const json& doc, std::string_view key) const {
    auto it = doc.find(key);
    if (it == doc.end()) return std::string();
    if (!it->is_string())
      return Error(key, std::string("expected a string, got ") + it->type_name());
    return it->get<std::string>();
  }

  Result<JudgeLine> ReadFields(const json& doc) const {
    JudgeLine out;
    Prompt& p = out.prompt;
    p.origin = where_;
    p.intent = Intent::kHarmful;
    SV_ASSIGN_OR_RETURN(p.id, String(doc, "id"));
    if (p.id.empty()) return Error("id", "must not be empty");
    if (kind_ != JudgeLineKind::kLabel) {
      SV_ASSIGN_OR_RETURN(std::string prompt, String(doc, "prompt"));
      p.turns = {{"user", std::move(prompt)}};
      SV_ASSIGN_OR_RETURN(out.response, String(doc, "response"));
      SV_RETURN_IF_ERROR(ReadIntent(doc, &p));
      SV_RETURN_IF_ERROR(ReadCategory(doc, &p));
    }
    if (kind_ != JudgeLineKind::kTranscript) {
      SV_RETURN_IF_ERROR(ReadClass(doc, &out));
      SV_ASSIGN_OR_RETURN(out.rationale, String(doc, "rationale"));
    }
    if (kind_ == JudgeLineKind::kLabelled && doc.contains("violation")) {
      const json& v = doc["violation"];
      if (!v.is_boolean())
        return Error("violation", std::string("expected true or false, got ") + v.type_name());
      out.violation = v.get<bool>();
    }
    return out;
  }

  Status ReadIntent(const json& doc, Prompt* p) const {
    SV_ASSIGN_OR_RETURN(std::string text, String(doc, "intent"));
    if (text.empty()) return Status::Ok();
    std::optional<Intent> intent = ParseIntent(text);
    if (!intent)
      return Error("intent", "expected one of safe, harmful, adversarial, got '" + text + "'");
    p->intent = *intent;
    return Status::Ok();
  }

  Status ReadCategory(const json& doc, Prompt* p) const {
    SV_ASSIGN_OR_RETURN(std::string text, String(doc, "category"));
    if (text.empty()) return Status::Ok();
    Result<CategoryPath> path = CategoryPath::Parse(text);
    if (!path.ok()) return Error("category", path.status().message());
    if (taxonomy_ && !taxonomy_->Find(*path)) {
      return Error("category", "unknown category '" + text + "' in taxonomy " + taxonomy_->id());
    }
    p->category = std::move(path).value();
    return Status::Ok();
  }

  Status ReadClass(const json& doc, JudgeLine* out) const {
    SV_ASSIGN_OR_RETURN(std::string text, String(doc, "class"));
    std::optional<ResponseClass> cls = ParseResponseClass(text);
    // A labelled set may mark an item a person could not classify (an empty answer);
    // calibration leaves such items out. A label given to a run's item must be decided.
    bool undetermined_ok = kind_ == JudgeLineKind::kLabelled;
    if (!cls || (*cls == ResponseClass::kUndetermined && !undetermined_ok)) {
      return Error("class",
                   "expected one of complies_harmful, partial, refuses, deflects, "
                   "helpful, got '" +
                       text + "'");
    }
    out->cls = *cls;
    return Status::Ok();
  }

  std::string where_;
  JudgeLineKind kind_;
  const Taxonomy* taxonomy_;
};

}  // namespace

Result<JudgeLine> ParseJudgeLine(std::string_view text, const std::string& file, int line,
                                 JudgeLineKind kind, const Taxonomy* taxonomy) {
  return LineParser(file, line, kind, taxonomy).Parse(text);
}

Result<LineReader> LineReader::Open(const std::string& path, std::string_view what) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    return Status::NotFound(std::string(what) + " '" + path + "' not found");
  }
  if (std::filesystem::is_directory(path, ec)) {
    return Status::InvalidArgument(std::string(what) + " '" + path + "' is a directory");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IoError("cannot read " + std::string(what) + " '" + path + "'");
  return LineReader(path, std::move(in));
}

bool LineReader::Next(std::string* line) {
  if (!std::getline(in_, *line)) return false;
  ++line_number_;
  if (!line->empty() && line->back() == '\r') line->pop_back();
  return true;
}

Status LineReader::status() const {
  if (in_.bad())
    return Status::IoError("cannot read '" + path_ + "' after line " +
                           std::to_string(line_number_));
  return Status::Ok();
}

bool IsBlankLine(std::string_view line) {
  return line.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

Result<JudgePolicy> LoadJudgePolicy(const std::string& taxonomy, const std::string& policy) {
  JudgePolicy out;
  SV_ASSIGN_OR_RETURN(out.taxonomy, Taxonomy::Resolve(taxonomy, ""));
  SV_ASSIGN_OR_RETURN(out.policy, Policy::Resolve(policy, "", out.taxonomy));
  return out;
}

Result<JudgeSet> LoadJudges(const std::string& spec, const Policy& policy, Clock& clock) {
  SV_ASSIGN_OR_RETURN(Suite suite, LoadJudgeSpec(spec));
  return MakeJudgeSet(suite, policy, clock, ProcessEnvironment(), std::nullopt);
}

std::vector<JudgedLine> JudgeLines(std::vector<JudgeLine>& lines, const JudgeSet& judges) {
  std::vector<StoredItem> items(lines.size());
  std::vector<Answered> batch(lines.size());
  for (size_t i = 0; i < lines.size(); ++i) {
    items[i].index = static_cast<int64_t>(i);
    items[i].prompt = std::move(lines[i].prompt);
    batch[i].item = &items[i];
    batch[i].result.index = items[i].index;
    batch[i].result.outcome = Outcome::kJudged;
    batch[i].result.response = std::move(lines[i].response);
  }
  JudgeBatch(batch, judges.judges());
  std::vector<JudgedLine> out(lines.size());
  for (size_t i = 0; i < lines.size(); ++i) {
    out[i].verdicts = std::move(batch[i].result.verdicts);
    out[i].error = std::move(batch[i].result.error);
    lines[i].prompt = std::move(items[i].prompt);
    lines[i].response = std::move(batch[i].result.response);
  }
  return out;
}

GetEnvFn ProcessEnvironment() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    return value ? std::optional<std::string>(value) : std::nullopt;
  };
}

}  // namespace safeval
