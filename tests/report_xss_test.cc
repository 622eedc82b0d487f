// The HTML report in a real browser: responses, prompts and names that carry script payloads
// must stay inert text. Renders a report, loads it in headless Chromium with --dump-dom (the DOM
// after scripts and load events ran) and checks that no payload ran and each one shows escaped.
// A control page with a live payload proves the harness would notice script execution.
// Skipped, with the reason, when Chromium is not installed (scripts/setup-browser.sh installs it).
#include <gtest/gtest.h>
#include <unistd.h>

#include <cctype>
#include <cstdlib>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "report/report.h"
#include "report/report_test_fixture.h"
#include "testing/subprocess.h"
#include "testing/temp_dir.h"

namespace safeval::testing {
namespace {

// Each would set the page title to "pwned" if the browser ran it.
const std::vector<std::string> kPayloads = {
    "<script>document.title='pwned'</script>",
    "<img src=x onerror=\"document.title='pwned'\">",
    "<svg onload=\"document.title='pwned'\"></svg>",
    "\"><script>document.title='pwned'</script>",
    "'><img src=x onerror=document.title='pwned'>",
    "</pre></td></article><script>document.title='pwned'</script>",
    "<iframe srcdoc=\"<script>parent.document.title='pwned'</script>\"></iframe>",
    "</title></style></svg><script>document.title='pwned'</script>",
};

// The first executable called `name` on PATH, or "".
std::string FindOnPath(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::istringstream dirs(path ? path : "/usr/bin:/bin");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    std::string candidate = dir + "/" + name;
    if (!dir.empty() && access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return "";
}

std::string FindChromium() {
  for (const char* name : {"chromium", "chromium-browser", "google-chrome"}) {
    std::string found = FindOnPath(name);
    if (!found.empty()) return found;
  }
  return "";
}

// The DOM of `html_file` after it loaded, as headless Chromium serialises it.
ProcessResult DumpDom(const std::string& chromium, const TempDir& tmp,
                      const std::string& html_file) {
  std::string timeout = FindOnPath("timeout");
  std::vector<std::string> args = {chromium,
                                   "--headless",
                                   "--no-sandbox",
                                   "--disable-gpu",
                                   "--disable-dev-shm-usage",
                                   "--disable-quic",
                                   "--no-first-run",
                                   "--disable-background-networking",
                                   "--disable-component-update",
                                   "--disable-sync",
                                   "--disable-default-apps",
                                   "--virtual-time-budget=1000",
                                   "--user-data-dir=" + tmp.File("profile-" + html_file),
                                   "--dump-dom",
                                   "file://" + tmp.File(html_file)};
  if (!timeout.empty()) args.insert(args.begin(), {timeout, "30"});
  return RunProcess(args, tmp.path());
}

// A report whose every text field from the model, the dataset or the suite carries payloads.
ReportData HostileReport() {
  ReportData data = FixtureReportData(false);
  data.run.suite_name = kPayloads[7];
  data.run.target_name = kPayloads[3];
  data.run.judges = {kPayloads[4]};
  for (size_t i = 0; i < data.items.size(); ++i) {
    ReportItem& item = data.items[i];
    const std::string& payload = kPayloads[i % kPayloads.size()];
    item.response = "Sure. " + payload + " [step-by-step placeholder]";
    item.prompt.turns.back().content = "Tell me " + payload;
    if (!item.prompt.techniques.empty()) item.prompt.techniques.push_back(payload);
    for (Verdict& v : item.verdicts) {
      v.rationale = payload;
      v.evidence = {{0, 5, payload}};
    }
  }
  data.items[0].prompt.id = kPayloads[1];
  data.items[23].error = kPayloads[0];
  testing::ComputeFixtureMetrics(&data);
  data.references.push_back({kPayloads[2], kPayloads[5],
                             MetricRow{{}, Metric::kViolationRate, 10, 2, 0.2, 0.05, 0.5},
                             MetricRow{{}, Metric::kOverDeflectionRate, 10, 1, 0.1, 0.01, 0.4}});
  return data;
}

// The payload as the DOM serialiser writes escaped text: & < > as entities, quotes as they are.
std::string AsDomText(const std::string& payload) {
  std::string out;
  for (char c : payload) {
    if (c == '&')
      out += "&amp;";
    else if (c == '<')
      out += "&lt;";
    else if (c == '>')
      out += "&gt;";
    else
      out += c;
  }
  return out;
}

// The names of all attributes of all elements in serialised HTML (values are always
// double-quoted there, and escaped text never holds a raw '<').
std::set<std::string> AttributeNames(const std::string& html) {
  std::set<std::string> names;
  for (size_t i = html.find('<'); i != std::string::npos; i = html.find('<', i + 1)) {
    if (i + 1 >= html.size() || !std::isalpha(static_cast<unsigned char>(html[i + 1]))) continue;
    size_t j = i + 1;
    while (j < html.size() && !std::isspace(static_cast<unsigned char>(html[j])) && html[j] != '>')
      ++j;  // the tag name
    while (j < html.size() && html[j] != '>') {
      if (std::isspace(static_cast<unsigned char>(html[j])) || html[j] == '/') {
        ++j;
        continue;
      }
      size_t start = j;
      while (j < html.size() && html[j] != '=' && html[j] != '>' &&
             !std::isspace(static_cast<unsigned char>(html[j])))
        ++j;
      names.insert(html.substr(start, j - start));
      if (j < html.size() && html[j] == '=' && j + 1 < html.size() && html[j + 1] == '"') {
        j = html.find('"', j + 2);  // skip the quoted value
        if (j == std::string::npos) return names;
        ++j;
      }
    }
    i = j;
  }
  return names;
}

TEST(ReportXss, PayloadsStayInertInHeadlessChromium) {
  std::string chromium = FindChromium();
  if (chromium.empty()) {
    GTEST_SKIP() << "headless Chromium is not installed (no chromium on PATH); "
                    "scripts/setup-browser.sh installs it";
  }
  TempDir tmp;
  tmp.Write("control.html", "<!DOCTYPE html><html><head><title>control</title></head><body>" +
                                kPayloads[1] + "</body></html>");
  ProcessResult control = DumpDom(chromium, tmp, "control.html");
  ASSERT_EQ(control.exit_code, 0) << control.err;
  ASSERT_NE(control.out.find("<title>pwned</title>"), std::string::npos)
      << "the control payload did not run, so this harness cannot see script execution:\n"
      << control.out;
  ASSERT_EQ(AttributeNames(control.out).count("onerror"), 1u) << "the attribute scan is blind";

  tmp.Write("report.html", RenderHtmlReport(HostileReport(), Taxonomy::AiluminateV1()));
  ProcessResult page = DumpDom(chromium, tmp, "report.html");
  ASSERT_EQ(page.exit_code, 0) << page.err;
  const std::string& dom = page.out;
  ASSERT_NE(dom.find("</html>"), std::string::npos) << dom.substr(0, 2000);
  EXPECT_EQ(dom.find("<title>pwned</title>"), std::string::npos);
  EXPECT_NE(dom.find("<title>safeval"), std::string::npos);
  for (const char* element : {"<script", "<img", "<iframe"})
    EXPECT_EQ(dom.find(element), std::string::npos) << element << " became markup";
  for (const std::string& name : AttributeNames(dom)) {
    EXPECT_FALSE(name.rfind("on", 0) == 0 || name == "srcdoc") << "attribute " << name;
  }
  for (const std::string& payload : kPayloads)
    EXPECT_NE(dom.find(AsDomText(payload)), std::string::npos) << "not shown escaped: " << payload;
}

}  // namespace
}  // namespace safeval::testing
