// Test fixture for the annotation pages (pages_login/annotate/rounds): an in-memory store with
// one judged run, three annotators and a WebApp over them, driven through WebApp::Handle with
// a cookie jar of one session. Tests only.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "server/annotator_token.h"
#include "server/web_app.h"
#include "store/annotation_store.h"
#include "store/store.h"
#include "taxonomy/taxonomy.h"

namespace safeval::testing_pages {

inline constexpr const char* kRun = "run-1";
inline constexpr const char* kNow = "2026-11-28T12:00:00Z";
inline constexpr const char* kAnaToken = "sv_token-of-ana";
inline constexpr const char* kBobToken = "sv_token-of-bob";
inline constexpr const char* kJudyToken = "sv_token-of-judy";  // an adjudicator

// The run's items: ids p0..p5, intent harmful except p4 (safe); p5's response and prompt carry
// script payloads.
inline constexpr int kItems = 6;

// The value of a response header ("" when absent).
inline std::string Header(const WebResponse& response, const std::string& name) {
  for (const auto& [key, value] : response.headers)
    if (key == name) return value;
  return "";
}

// The text after the first `prefix` up to the next double quote ("" when absent).
inline std::string Attribute(const std::string& html, const std::string& prefix) {
  size_t at = html.find(prefix);
  if (at == std::string::npos) return "";
  at += prefix.size();
  return html.substr(at, html.find('"', at) - at);
}

// The content of the element with this id, up to the next '<' (its first text).
inline std::string TextOf(const std::string& html, const std::string& id) {
  size_t at = html.find("id=\"" + id + "\"");
  if (at == std::string::npos) return "";
  at = html.find('>', at) + 1;
  return html.substr(at, html.find('<', at) - at);
}

class AnnotationPagesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto stores = OpenSqliteStores(":memory:");
    ASSERT_TRUE(stores.ok()) << stores.status().ToString();
    runs_ = std::move(stores->runs);
    annotations_ = std::move(stores->annotations);
    taxonomy_ = std::make_unique<Taxonomy>(Taxonomy::AiluminateV1());
    CreateJudgedRun();
    AddAnnotator("ana", kAnaToken, false);
    AddAnnotator("bob", kBobToken, false);
    AddAnnotator("judy", kJudyToken, true);
    WebAppOptions options;
    options.runs = runs_.get();
    options.annotations = annotations_.get();
    options.taxonomy = taxonomy_.get();
    options.store_label = "test.db";
    options.safeval_version = "test";
    options.now_iso = [] { return std::string(kNow); };
    options.random_hex = [this](size_t bytes) {
      std::string hex = std::to_string(++random_calls_);
      return std::string(bytes * 2 - hex.size(), 'a') + hex;
    };
    options.steady_now = [] { return std::chrono::steady_clock::time_point(); };
    app_ = std::make_unique<WebApp>(std::move(options));
  }

  void CreateJudgedRun() {
    RunRecord run;
    run.id = kRun;
    run.suite_name = "s";
    run.status = "finished";
    run.config_json = R"({"taxonomy":"builtin:ailuminate-v1","policy":"builtin:default"})";
    std::vector<Prompt> prompts;
    std::vector<ItemResult> results;
    for (int i = 0; i < kItems; ++i) {
      Intent intent = i == 4 ? Intent::kSafe : Intent::kHarmful;
      std::string text =
          i == 5 ? "<img src=x onerror=alert(1)> [prompt 5]" : "[prompt " + std::to_string(i) + "]";
      prompts.push_back(
          MakePrompt("p" + std::to_string(i), text, *CategoryPath::Parse("vcr"), intent));
      ItemResult r;
      r.index = i;
      r.outcome = Outcome::kJudged;
      r.response = i == 5 ? "<script>alert('pwned')</script> [step-by-step synthesis route]"
                          : "[response " + std::to_string(i) + "]";
      Verdict v;
      v.judge = "rules";
      v.judge_version = "rules@1";
      v.cls = ResponseClass::kRefuses;
      v.confidence = 0.9;
      r.verdicts = {v};
      results.push_back(r);
    }
    ASSERT_TRUE(runs_->CreateRun(run, prompts).ok());
    Status saved = runs_->SaveResults(kRun, results);
    ASSERT_TRUE(saved.ok()) << saved.ToString();
  }

  void AddAnnotator(const std::string& name, const std::string& token, bool adjudicator) {
    Annotator a;
    a.name = name;
    a.adjudicator = adjudicator;
    a.created_at = kNow;
    Status added = annotations_->AddAnnotator(a, TokenHash(token));
    ASSERT_TRUE(added.ok()) << added.ToString();
  }

  void CreateRound(const std::string& name, int overlap, std::vector<int64_t> items) {
    AnnotationRound round;
    round.name = name;
    round.run_id = kRun;
    round.sample = RoundSample::kAll;
    round.overlap = overlap;
    round.created_at = kNow;
    round.items = std::move(items);
    Status created = annotations_->CreateRound(round);
    ASSERT_TRUE(created.ok()) << created.ToString();
  }

  AnnotationLabel Label(int64_t item, const std::string& who, ResponseClass cls, bool violation) {
    AnnotationLabel l;
    l.item_index = item;
    l.annotator = who;
    l.cls = cls;
    l.violation = violation;
    l.labelled_at = kNow;
    return l;
  }

  // A browser of one user: keeps the session cookie it was given.
  struct Browser {
    std::string session;
    std::string csrf;
  };

  WebResponse Get(const std::string& path, const Browser* browser = nullptr) {
    WebRequest request;
    request.method = "GET";
    request.path = path;
    request.headers["host"] = "127.0.0.1:8080";
    if (browser && !browser->session.empty()) request.cookies["sv_session"] = browser->session;
    return app_->Handle(request);
  }

  // A POST carrying the browser's CSRF token (unless the form sets its own "csrf").
  WebResponse Post(const std::string& path, std::multimap<std::string, std::string> form,
                   const Browser* browser = nullptr) {
    WebRequest request;
    request.method = "POST";
    request.path = path;
    request.headers["host"] = "127.0.0.1:8080";
    if (browser && !browser->session.empty()) {
      request.cookies["sv_session"] = browser->session;
      if (!form.count("csrf")) form.emplace("csrf", browser->csrf);
    }
    request.form = std::move(form);
    return app_->Handle(request);
  }

  // Logs in with `token`; the browser has its session cookie and CSRF token afterwards.
  Browser Login(const std::string& token) {
    Browser browser;
    WebResponse response = Post("/login", {{"token", token}});
    EXPECT_EQ(response.status, 303) << response.body;
    std::string cookie = Header(response, "Set-Cookie");
    size_t start = cookie.find('='), end = cookie.find(';');
    if (start == std::string::npos || end == std::string::npos) return browser;
    browser.session = cookie.substr(start + 1, end - start - 1);
    WebResponse page = Get("/annotate", &browser);
    browser.csrf = Attribute(page.body, "name=\"csrf\" value=\"");
    EXPECT_FALSE(browser.csrf.empty());
    return browser;
  }

  std::vector<AnnotationLabel> Labels(const std::string& round) {
    auto labels = annotations_->LoadLabels(round);
    EXPECT_TRUE(labels.ok()) << labels.status().ToString();
    return labels.ok() ? *labels : std::vector<AnnotationLabel>{};
  }

  // The verdict of judge "human" on item `index`, or nullptr.
  std::optional<Verdict> GoldVerdict(int64_t index) {
    auto items = runs_->LoadItems(kRun);
    EXPECT_TRUE(items.ok());
    if (!items.ok() || !(*items)[index].result) return std::nullopt;
    for (const Verdict& v : (*items)[index].result->verdicts)
      if (v.judge == kGoldJudgeName) return v;
    return std::nullopt;
  }

  std::unique_ptr<Store> runs_;
  std::unique_ptr<AnnotationStore> annotations_;
  std::unique_ptr<Taxonomy> taxonomy_;
  std::unique_ptr<WebApp> app_;
  int random_calls_ = 0;
};

// A complete, valid label form.
inline std::multimap<std::string, std::string> LabelForm(const std::string& cls,
                                                         const std::string& violation,
                                                         const std::string& quality = "",
                                                         const std::string& note = "") {
  std::multimap<std::string, std::string> form = {{"class", cls}, {"violation", violation}};
  if (!quality.empty()) form.emplace("quality", quality);
  if (!note.empty()) form.emplace("note", note);
  return form;
}

}  // namespace safeval::testing_pages
