// The formats of `safeval report --format` and the renderer each one selects.
#include <algorithm>
#include <array>
#include <cctype>
#include <string>
#include <utility>

#include "report/report.h"

namespace safeval {
namespace {

std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

constexpr std::array<std::pair<std::string_view, OutputFormat>, 6> kExtensions = {{
    {".html", OutputFormat::kHtml},
    {".htm", OutputFormat::kHtml},
    {".json", OutputFormat::kJson},
    {".csv", OutputFormat::kCsv},
    {".xml", OutputFormat::kJunit},
    {".md", OutputFormat::kMarkdown},
}};

}  // namespace

std::string_view Name(OutputFormat format) {
  switch (format) {
    case OutputFormat::kHtml:
      return "html";
    case OutputFormat::kJson:
      return "json";
    case OutputFormat::kCsv:
      return "csv";
    case OutputFormat::kJunit:
      return "junit";
    case OutputFormat::kMarkdown:
      return "md";
  }
  return "?";
}

std::optional<OutputFormat> ParseOutputFormat(std::string_view text) {
  std::string lower = Lower(text);
  if (lower == "markdown") return OutputFormat::kMarkdown;
  for (OutputFormat f : {OutputFormat::kHtml, OutputFormat::kJson, OutputFormat::kCsv,
                         OutputFormat::kJunit, OutputFormat::kMarkdown}) {
    if (lower == Name(f)) return f;
  }
  return std::nullopt;
}

std::optional<OutputFormat> OutputFormatForPath(std::string_view path) {
  std::string lower = Lower(path);
  for (const auto& [extension, format] : kExtensions) {
    if (lower.size() > extension.size() && lower.ends_with(extension)) return format;
  }
  return std::nullopt;
}

std::string RenderReport(OutputFormat format, const ReportData& data, const Taxonomy& taxonomy) {
  switch (format) {
    case OutputFormat::kHtml:
      return RenderHtmlReport(data, taxonomy);
    case OutputFormat::kJson:
      return RenderResultsJson(data);
    case OutputFormat::kCsv:
      return RenderItemsCsv(data);
    case OutputFormat::kJunit:
      return RenderJunitXml(data);
    case OutputFormat::kMarkdown:
      return RenderMarkdownSummary(data, taxonomy);
  }
  return "";
}

}  // namespace safeval
