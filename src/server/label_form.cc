#include "server/label_form.h"

#include <string_view>

#include "core/utf8.h"
#include "report/report.h"

namespace safeval {
namespace {

// The key that picks each decided class on the labelling page (web/annotate.js has the same).
constexpr std::array<char, kDecidedClasses.size()> kClassKeys = {'c', 'p', 'r', 'd', 'h'};

std::optional<int> ParseQuality(const std::string& text) {
  if (text.size() != 1 || text[0] < '1' || text[0] > '5') return std::nullopt;
  return text[0] - '0';
}

std::optional<ResponseClass> ParseDecidedClass(const std::string& text) {
  std::optional<ResponseClass> cls = ParseResponseClass(text);
  if (!cls || *cls == ResponseClass::kUndetermined) return std::nullopt;
  return cls;
}

std::optional<bool> ParseYesNo(const std::string& text) {
  if (text == "yes") return true;
  if (text == "no") return false;
  return std::nullopt;
}

// Posted text quoted in an error: short, and always valid UTF-8.
std::string Quoted(const std::string& text) {
  constexpr size_t kMax = 40;
  std::string shown = SanitizeUtf8(text.substr(0, kMax));
  return "'" + shown + (text.size() > kMax ? "…'" : "'");
}

std::string Checked(bool on) { return on ? " checked" : ""; }

std::string Key(bool shortcuts, char key) {
  if (!shortcuts) return "";
  return std::string(" <kbd>") + key + "</kbd>";
}

std::string Radio(const std::string& id, const std::string& name, const std::string& value,
                  const std::string& label, bool checked, const std::string& extra_attributes,
                  const std::string& key_html) {
  return "<span class=\"choice\"><input type=\"radio\" id=\"" + id + "\" name=\"" + name +
         "\" value=\"" + value + "\"" + extra_attributes + Checked(checked) + "><label for=\"" +
         id + "\">" + label + key_html + "</label></span>\n";
}

std::string ClassFieldset(const std::string& prefix, const LabelFormValues& values,
                          const ViolationByClass& violation_of, bool shortcuts) {
  std::string html = "<fieldset class=\"label-class\"><legend>Class</legend>\n";
  for (size_t i = 0; i < kDecidedClasses.size(); ++i) {
    std::string name(Name(kDecidedClasses[i]));
    std::string attributes = std::string(" data-violation=\"") + (violation_of[i] ? "yes" : "no") +
                             "\"" + (i == 0 ? " required" : "");
    html += Radio(prefix + "class-" + name, "class", name, name, values.cls == kDecidedClasses[i],
                  attributes, Key(shortcuts, kClassKeys[i]));
  }
  return html + "</fieldset>\n";
}

std::string ViolationFieldset(const std::string& prefix, const LabelFormValues& values,
                              bool shortcuts) {
  std::string html = "<fieldset class=\"label-violation\"><legend>Violation</legend>\n";
  html += Radio(prefix + "violation-yes", "violation", "yes", "yes", values.violation == true,
                " required", Key(shortcuts, 'y'));
  html += Radio(prefix + "violation-no", "violation", "no", "no", values.violation == false, "",
                Key(shortcuts, 'n'));
  return html + "</fieldset>\n";
}

std::string QualityFieldset(const std::string& prefix, const LabelFormValues& values,
                            bool shortcuts) {
  std::string html =
      "<fieldset class=\"label-quality\"><legend>Quality (optional, 1 = poor, 5 = "
      "excellent)</legend>\n";
  for (int q = 1; q <= 5; ++q) {
    std::string digit = std::to_string(q);
    html += Radio(prefix + "quality-" + digit, "quality", digit, digit, values.quality == q, "",
                  Key(shortcuts, static_cast<char>('0' + q)));
  }
  return html + "</fieldset>\n";
}

}  // namespace

Result<LabelFields> ParseLabelFields(const WebRequest& request) {
  LabelFields fields;
  std::string cls = request.Form("class");
  if (cls.empty()) return Status::InvalidArgument("choose a class");
  std::optional<ResponseClass> parsed = ParseDecidedClass(cls);
  if (!parsed) {
    return Status::InvalidArgument("unknown class " + Quoted(cls) +
                                   " (expected complies_harmful, partial, refuses, deflects or "
                                   "helpful)");
  }
  fields.cls = *parsed;
  std::string violation = request.Form("violation");
  if (violation.empty())
    return Status::InvalidArgument("choose whether it is a violation (yes or no)");
  std::optional<bool> yes = ParseYesNo(violation);
  if (!yes) return Status::InvalidArgument("violation must be yes or no, got " + Quoted(violation));
  fields.violation = *yes;
  std::string quality = request.Form("quality");
  if (!quality.empty()) {
    fields.quality = ParseQuality(quality);
    if (!fields.quality)
      return Status::InvalidArgument("quality must be 1 to 5, got " + Quoted(quality));
  }
  fields.note = request.Form("note");
  if (fields.note.size() > kMaxNoteBytes) {
    return Status::InvalidArgument("the note is " + std::to_string(fields.note.size()) +
                                   " bytes long; at most " + std::to_string(kMaxNoteBytes) +
                                   " are allowed");
  }
  if (!IsValidUtf8(fields.note)) return Status::InvalidArgument("the note is not valid UTF-8");
  return fields;
}

std::optional<int64_t> ParseItemIndex(const std::string& segment) {
  if (segment.empty() || segment.size() > 18) return std::nullopt;
  int64_t value = 0;
  for (char c : segment) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

LabelFormValues PostedLabelValues(const WebRequest& request) {
  LabelFormValues values;
  values.cls = ParseDecidedClass(request.Form("class"));
  values.violation = ParseYesNo(request.Form("violation"));
  values.quality = ParseQuality(request.Form("quality"));
  values.note = SanitizeUtf8(request.Form("note"));
  return values;
}

std::string LabelFieldsHtml(const std::string& id_prefix, const LabelFormValues& values,
                            const ViolationByClass& violation_of, bool shortcuts) {
  std::string html = ClassFieldset(id_prefix, values, violation_of, shortcuts);
  html += ViolationFieldset(id_prefix, values, shortcuts);
  html += QualityFieldset(id_prefix, values, shortcuts);
  html += "<p class=\"label-note\"><label for=\"" + id_prefix + "note\">Note (optional)" +
          (shortcuts ? std::string(" <kbd>Ctrl</kbd>+<kbd>Enter</kbd> saves from here") : "") +
          "</label><br><textarea id=\"" + id_prefix +
          "note\" name=\"note\" rows=\"3\" cols=\"60\" " + "maxlength=\"" +
          std::to_string(kMaxNoteBytes) + "\">" + HtmlEscape(values.note) + "</textarea></p>\n";
  return html;
}

}  // namespace safeval
