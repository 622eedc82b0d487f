// Tests of WebApp in-process (no sockets): routing, security headers, CSRF and origin checks,
// escaping of model and dataset text, the run pages, the item browser's filters and pages, the
// item page and media serving.
#include "server/web_app.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <regex>

#include "core/annotation.h"
#include "server/annotator_token.h"
#include "store/annotation_store.h"
#include "store/forwarding_store.h"
#include "testing/temp_dir.h"

namespace safeval {
namespace {

constexpr const char* kXss = "<script>document.title='pwned'</script>";
constexpr const char* kEscapedXss = "&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;";

std::string HeaderOf(const WebResponse& r, const std::string& name) {
  for (const auto& [key, value] : r.headers)
    if (key == name) return value;
  return "";
}

int Count(const std::string& text, const std::string& what) {
  int n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

Verdict MakeVerdict(const std::string& judge, ResponseClass cls, bool violation) {
  Verdict v;
  v.judge = judge;
  v.judge_version = judge + "@1";
  v.cls = cls;
  v.violation = violation;
  v.confidence = 0.9;
  return v;
}

class WebAppTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<SqliteStores> stores = OpenSqliteStores(":memory:");
    ASSERT_TRUE(stores.ok()) << stores.status().ToString();
    runs_ = std::move(stores->runs);
    annotations_ = std::move(stores->annotations);
    Result<Taxonomy> taxonomy = Taxonomy::Resolve("builtin:safeval-v1", ".");
    ASSERT_TRUE(taxonomy.ok());
    taxonomy_ = std::make_unique<Taxonomy>(std::move(*taxonomy));
    WebAppOptions options;
    options.runs = runs_.get();
    options.annotations = annotations_.get();
    options.taxonomy = taxonomy_.get();
    options.store_label = "test.db";
    options.safeval_version = "0.0.0 (test)";
    options.now_iso = [] { return std::string("2026-12-01T10:00:00Z"); };
    app_ = std::make_unique<WebApp>(std::move(options));
    CreateRun();
  }

  // Run "run-1" with 120 items: i % 3 picks the intent, even items are ncr/fraud, odd ones vcr;
  // adversarial items use role_play; items 0..109 are judged by "rules" (violation on every
  // 4th) and "llm" (disagreeing on every 10th); 110..119 are pending. Item 5 carries the XSS
  // payload in its prompt, response, rationale and evidence.
  void CreateRun() {
    RunRecord run;
    run.id = "run-1";
    run.suite_name = "quick<suite>";
    run.suite_path = "/nowhere/suite.yaml";
    run.target_name = "demo";
    run.target_identity = "demo@1";
    run.config_json = "{\"policy\": \"builtin:default\"}";
    run.started_at = "2026-11-28T03:10:00Z";
    run.status = "finished";
    run.output_dir = dir_.path();
    std::vector<Prompt> prompts;
    for (int i = 0; i < 120; ++i) {
      Intent intent = i % 3 == 0   ? Intent::kSafe
                      : i % 3 == 1 ? Intent::kHarmful
                                   : Intent::kAdversarial;
      std::string category = i % 2 == 0 ? "ncr/fraud" : "vcr";
      std::string text = i == 5 ? std::string(kXss) : "[question " + std::to_string(i) + "]";
      if (i == 7) text = "Tell me about the Needle in the haystack";
      Prompt p = MakePrompt("p" + std::to_string(i), text, *CategoryPath::Parse(category), intent);
      if (intent == Intent::kAdversarial) p.techniques = {"role_play"};
      prompts.push_back(std::move(p));
    }
    ASSERT_TRUE(runs_->CreateRun(run, prompts).ok());
    std::vector<ItemResult> results;
    for (int i = 0; i < 110; ++i) {
      ItemResult r;
      r.index = i;
      r.outcome = Outcome::kJudged;
      r.response = i == 5 ? std::string(kXss) : "[answer " + std::to_string(i) + "]";
      bool violation = i % 4 == 0;
      ResponseClass cls = violation ? ResponseClass::kCompliesHarmful : ResponseClass::kRefuses;
      Verdict rules = MakeVerdict("rules", cls, violation);
      if (i == 5) {
        rules.rationale = kXss;
        rules.evidence.push_back({0, 8, "<cue>"});
      }
      r.verdicts.push_back(rules);
      r.verdicts.push_back(
          MakeVerdict("llm", i % 10 == 0 ? ResponseClass::kPartial : cls, violation));
      results.push_back(std::move(r));
    }
    ASSERT_TRUE(runs_->SaveResults("run-1", results).ok());
  }

  WebResponse Get(const std::string& path, std::multimap<std::string, std::string> query = {},
                  const std::string& session = "") {
    WebRequest r;
    r.method = "GET";
    r.path = path;
    r.query = std::move(query);
    r.headers["host"] = "127.0.0.1:8080";
    if (!session.empty()) r.cookies["sv_session"] = session;
    return app_->Handle(r);
  }

  WebResponse Post(const std::string& path, std::multimap<std::string, std::string> form,
                   const std::string& session, const std::string& origin = "") {
    WebRequest r;
    r.method = "POST";
    r.path = path;
    r.form = std::move(form);
    r.headers["host"] = "127.0.0.1:8080";
    if (!origin.empty()) r.headers["origin"] = origin;
    if (!session.empty()) r.cookies["sv_session"] = session;
    return app_->Handle(r);
  }

  // Logs "ana" in; returns the session id and sets csrf_ from a page's logout form.
  std::string LogIn() {
    Annotator ana;
    ana.name = "ana";
    ana.created_at = "2026-12-01T09:00:00Z";
    std::string token = NewAnnotatorToken();
    EXPECT_TRUE(annotations_->AddAnnotator(ana, TokenHash(token)).ok());
    WebResponse login = Post("/login", {{"token", token}}, "");
    EXPECT_EQ(login.status, 303);
    std::smatch m;
    std::string cookie = HeaderOf(login, "Set-Cookie");
    EXPECT_TRUE(std::regex_search(cookie, m, std::regex("sv_session=([0-9a-f]+)")));
    std::string session = m[1];
    std::string page = Get("/", {}, session).body;
    EXPECT_TRUE(std::regex_search(page, m, std::regex("name=\"csrf\" value=\"([0-9a-f]+)\"")));
    csrf_ = m[1];
    return session;
  }

  testing::TempDir dir_;
  std::unique_ptr<Store> runs_;
  std::unique_ptr<AnnotationStore> annotations_;
  std::unique_ptr<Taxonomy> taxonomy_;
  std::unique_ptr<WebApp> app_;
  std::string csrf_;
};

TEST_F(WebAppTest, EveryResponseCarriesTheSecurityHeaders) {
  for (const WebResponse& r : {Get("/"), Get("/nope"), Get("/static/app.js"), Get("/runs/run-1")}) {
    EXPECT_EQ(HeaderOf(r, "Content-Security-Policy"),
              "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
              "img-src 'self' data:; media-src 'self'; connect-src 'self'; form-action 'self'; "
              "frame-ancestors 'none'; base-uri 'none'");
    EXPECT_EQ(HeaderOf(r, "X-Content-Type-Options"), "nosniff");
    EXPECT_EQ(HeaderOf(r, "Referrer-Policy"), "same-origin");
    EXPECT_EQ(HeaderOf(r, "X-Frame-Options"), "DENY");
  }
  EXPECT_EQ(HeaderOf(Get("/"), "Cache-Control"), "no-store");
  EXPECT_NE(HeaderOf(Get("/static/style.css"), "Cache-Control").find("max-age"), std::string::npos);
}

TEST_F(WebAppTest, UnknownPathsAre404AndWrongMethods405) {
  EXPECT_EQ(Get("/nope").status, 404);
  EXPECT_EQ(Get("/runs/run-1/items/3/extra").status, 404);
  EXPECT_EQ(Get("/runs/unknown").status, 404);
  EXPECT_EQ(Get("/runs/run-1/items/999").status, 404);
  EXPECT_EQ(Get("/runs/run-1/items/abc").status, 404);
  EXPECT_EQ(Get("/static/nope.js").status, 404);
  EXPECT_EQ(Post("/", {}, "").status, 405);
  EXPECT_EQ(Get("/logout").status, 405);
}

TEST_F(WebAppTest, StaticFilesHaveTheirContentTypes) {
  WebResponse js = Get("/static/app.js");
  EXPECT_EQ(js.status, 200);
  EXPECT_EQ(js.content_type, "text/javascript; charset=utf-8");
  EXPECT_NE(js.body.find("data-live-url"), std::string::npos);
  EXPECT_EQ(Get("/static/style.css").content_type, "text/css; charset=utf-8");
}

TEST_F(WebAppTest, PagesHaveNoInlineScript) {
  for (std::string path : {"/", "/runs/run-1", "/runs/run-1/items", "/runs/run-1/items/5"}) {
    std::string body = Get(path).body;
    EXPECT_EQ(Count(body, "<script"), 1) << path;  // only /static/app.js
    EXPECT_NE(body.find("<script src=\"/static/app.js\" defer></script>"), std::string::npos);
    EXPECT_EQ(body.find(" onclick="), std::string::npos);
  }
}

TEST_F(WebAppTest, ModelAndDatasetTextIsEscapedEverywhere) {
  for (std::string path : {"/runs/run-1/items", "/runs/run-1/items/5"}) {
    WebResponse r = Get(path);
    ASSERT_EQ(r.status, 200) << path;
    EXPECT_EQ(r.body.find(kXss), std::string::npos) << path;
    EXPECT_NE(r.body.find(kEscapedXss), std::string::npos) << path;
  }
  std::string item = Get("/runs/run-1/items/5").body;
  EXPECT_EQ(Count(item, kEscapedXss), 3);  // prompt, response, rationale
  EXPECT_NE(item.find("&lt;cue&gt;"), std::string::npos);
  EXPECT_NE(item.find("<q>&lt;script&gt;</q>"), std::string::npos);  // the evidence span's text
  std::string runs = Get("/").body;
  EXPECT_NE(runs.find("quick&lt;suite&gt;"), std::string::npos);
  EXPECT_EQ(runs.find("quick<suite>"), std::string::npos);
}

TEST_F(WebAppTest, RunsPageListsRunsWithCountsAndRate) {
  WebResponse r = Get("/");
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("<table id=\"runs\">"), std::string::npos);
  EXPECT_NE(r.body.find("<a href=\"/runs/run-1\">"), std::string::npos);
  EXPECT_NE(r.body.find(">120</td>"), std::string::npos);
  // Decided unsafe items: harmful + adversarial of 0..109 = 73; violations among them: i % 4 == 0
  // and i % 3 != 0 -> 18. 18/73 = 24.7%.
  EXPECT_NE(r.body.find(">24.7%</td>"), std::string::npos) << r.body;
}

TEST_F(WebAppTest, RunPageFramesTheReportAndLiveProgress) {
  WebResponse r = Get("/runs/run-1");
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("id=\"progress\""), std::string::npos);
  EXPECT_NE(r.body.find("data-live-url=\"/api/runs/run-1/progress\""), std::string::npos);
  EXPECT_NE(r.body.find("<b data-field=\"done\">110</b>"), std::string::npos);
  EXPECT_NE(r.body.find("<b data-field=\"total\">120</b>"), std::string::npos);
  EXPECT_NE(r.body.find("href=\"/runs/run-1/items\""), std::string::npos);
  EXPECT_NE(r.body.find("<section id=\"hazards\">"), std::string::npos);  // the report's chart
  EXPECT_NE(r.body.find("<section id=\"coverage\">"), std::string::npos);
  EXPECT_NE(r.body.find("safeval 0.0.0 (test)"), std::string::npos);
}

TEST_F(WebAppTest, ProgressJsonCountsItems) {
  WebResponse r = Get("/api/runs/run-1/progress");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "application/json; charset=utf-8");
  EXPECT_EQ(r.body,
            "{\"run\":\"run-1\",\"status\":\"finished\",\"total\":120,\"done\":110,\"pending\":10,"
            "\"errors\":0,\"violations\":28,\"judged\":110}");
  EXPECT_EQ(Get("/api/runs/nope/progress").status, 404);
}

TEST_F(WebAppTest, ItemsArePagedFiftyAtATime) {
  WebResponse first = Get("/runs/run-1/items");
  ASSERT_EQ(first.status, 200);
  EXPECT_NE(first.body.find("<p id=\"items-count\" data-count=\"120\">120 items match</p>"),
            std::string::npos);
  EXPECT_EQ(Count(first.body, "/runs/run-1/items/"), 50);
  EXPECT_EQ(first.body.find("id=\"prev-page\""), std::string::npos);
  EXPECT_NE(first.body.find("<a id=\"next-page\" href=\"/runs/run-1/items?page=2\">"),
            std::string::npos);
  WebResponse last = Get("/runs/run-1/items", {{"page", "3"}});
  EXPECT_EQ(Count(last.body, "/runs/run-1/items/"), 20);
  EXPECT_NE(last.body.find("href=\"/runs/run-1/items/119\""), std::string::npos);
  EXPECT_EQ(last.body.find("id=\"next-page\""), std::string::npos);
  EXPECT_NE(last.body.find("id=\"prev-page\""), std::string::npos);
}

TEST_F(WebAppTest, PageLinksKeepTheFilters) {
  WebResponse r = Get("/runs/run-1/items", {{"category", "ncr"}, {"q", "a b&c"}, {"page", "1"}});
  WebResponse all = Get("/runs/run-1/items", {{"category", "ncr"}});
  EXPECT_NE(all.body.find("60 items match"), std::string::npos);
  EXPECT_NE(all.body.find("href=\"/runs/run-1/items?category=ncr&amp;page=2\""), std::string::npos);
  EXPECT_NE(r.body.find("0 items match"), std::string::npos);
  EXPECT_NE(r.body.find("value=\"a b&amp;c\""), std::string::npos);  // the form keeps the search
}

TEST_F(WebAppTest, FiltersSelectItems) {
  auto count = [this](std::multimap<std::string, std::string> query) {
    std::string body = Get("/runs/run-1/items", std::move(query)).body;
    std::smatch m;
    std::regex_search(body, m, std::regex("data-count=\"([0-9]+)\""));
    return std::stoi(m[1]);
  };
  EXPECT_EQ(count({{"category", "ncr"}}), 60);
  EXPECT_EQ(count({{"category", "ncr/fraud"}}), 60);
  EXPECT_EQ(count({{"category", "nc"}}), 0);  // a path prefix, not a text prefix
  EXPECT_EQ(count({{"category", "vcr"}}), 60);
  EXPECT_EQ(count({{"intent", "safe"}}), 40);
  EXPECT_EQ(count({{"technique", "role_play"}}), 40);
  EXPECT_EQ(count({{"technique", "role"}}), 0);
  EXPECT_EQ(count({{"class", "complies_harmful"}}), 28);
  EXPECT_EQ(count({{"violation", "yes"}}), 28);
  EXPECT_EQ(count({{"violation", "no"}}), 82);  // pending items have no verdict
  EXPECT_EQ(count({{"disagree", "1"}}), 11);    // 0, 10, ..., 100
  EXPECT_EQ(count({{"intent", "harmful"}, {"violation", "yes"}}), 9);
  EXPECT_EQ(count({{"q", "NEEDLE"}}), 1);      // case-insensitive, in the prompt
  EXPECT_EQ(count({{"q", "answer 10"}}), 11);  // in the response: 10, 100..109
  EXPECT_EQ(count({{"q", "pwned"}}), 1);
}

TEST_F(WebAppTest, ItemPageShowsConversationVerdictsAndHumanLabels) {
  AnnotationRound round;
  round.name = "r1";
  round.run_id = "run-1";
  round.overlap = 1;
  round.created_at = "2026-12-01T09:00:00Z";
  round.items = {4, 8};
  ASSERT_TRUE(annotations_->CreateRound(round).ok());
  Annotator ana;
  ana.name = "ana";
  ana.created_at = "2026-12-01T09:00:00Z";
  ASSERT_TRUE(annotations_->AddAnnotator(ana, TokenHash("t")).ok());
  AnnotationLabel label;
  label.item_index = 4;
  label.annotator = "ana";
  label.cls = ResponseClass::kPartial;
  label.note = "<i>hm</i>";
  label.labelled_at = "2026-12-01T09:30:00Z";
  ASSERT_TRUE(annotations_->SaveLabels("r1", {label}).ok());

  WebResponse r = Get("/runs/run-1/items/4");
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("id=\"conversation\""), std::string::npos);
  EXPECT_NE(r.body.find("[question 4]"), std::string::npos);
  EXPECT_NE(r.body.find("id=\"response\""), std::string::npos);
  EXPECT_NE(r.body.find("[answer 4]"), std::string::npos);
  EXPECT_NE(r.body.find("<table id=\"verdicts\">"), std::string::npos);
  EXPECT_EQ(Count(r.body, "<code>rules</code>") + Count(r.body, "<code>llm</code>"), 2);
  EXPECT_NE(r.body.find("<table id=\"human-labels\">"), std::string::npos);
  EXPECT_NE(r.body.find("<tr class=\"label\"><td>r1</td><td>ana</td><td>partial</td>"),
            std::string::npos);
  EXPECT_NE(r.body.find("<tr class=\"gold\"><td>r1</td><td>gold</td><td>partial</td>"),
            std::string::npos);  // overlap 1: a single label is gold
  EXPECT_NE(r.body.find("&lt;i&gt;hm&lt;/i&gt;"), std::string::npos);
  std::string other = Get("/runs/run-1/items/8").body;
  EXPECT_EQ(other.find("<tr class=\"label\">"), std::string::npos);
  EXPECT_NE(Get("/runs/run-1/items/115").body.find("No response yet"), std::string::npos);
}

// The item page looks the item up (Store::GetItem) instead of scanning the run to it: an item
// far into a run renders its own prompt, response and verdicts, and no scan is made.
TEST_F(WebAppTest, ItemFarIntoARunIsLookedUpNotScanned) {
  class CountingStore : public ForwardingStore {
   public:
    using ForwardingStore::ForwardingStore;
    Status ScanItems(const std::string& run_id,
                     const std::function<Status(StoredItem&&)>& fn) override {
      ++scans;
      return ForwardingStore::ScanItems(run_id, fn);
    }
    int scans = 0;
  };
  RunRecord run;
  run.id = "run-far";
  run.started_at = "2026-11-29T00:00:00Z";
  run.status = "finished";
  run.output_dir = dir_.path();
  std::vector<Prompt> prompts;
  for (int i = 0; i < 300; ++i) {
    prompts.push_back(MakePrompt("far" + std::to_string(i),
                                 "[far question " + std::to_string(i) + "]",
                                 *CategoryPath::Parse("vcr"), Intent::kHarmful));
  }
  ASSERT_TRUE(runs_->CreateRun(run, prompts).ok());
  std::vector<ItemResult> results;
  for (int i = 0; i < 280; ++i) {
    ItemResult r;
    r.index = i;
    r.outcome = Outcome::kJudged;
    r.response = "[far answer " + std::to_string(i) + "]";
    r.verdicts = {MakeVerdict("rules", ResponseClass::kRefuses, false),
                  MakeVerdict("llm", ResponseClass::kDeflects, false)};
    results.push_back(std::move(r));
  }
  ASSERT_TRUE(runs_->SaveResults("run-far", results).ok());
  CountingStore counting(*runs_);
  WebAppOptions options;
  options.runs = &counting;
  options.annotations = annotations_.get();
  options.taxonomy = taxonomy_.get();
  options.store_label = "test.db";
  options.now_iso = [] { return std::string("2026-12-01T10:00:00Z"); };
  WebApp app(std::move(options));
  auto get = [&app](const std::string& path) {
    WebRequest r;
    r.method = "GET";
    r.path = path;
    r.headers["host"] = "127.0.0.1:8080";
    return app.Handle(r);
  };

  WebResponse far = get("/runs/run-far/items/250");
  ASSERT_EQ(far.status, 200) << far.body;
  EXPECT_NE(far.body.find("<h1>Item 250 <code>far250</code></h1>"), std::string::npos);
  EXPECT_NE(far.body.find("[far question 250]"), std::string::npos);
  EXPECT_NE(far.body.find("[far answer 250]"), std::string::npos);
  EXPECT_EQ(far.body.find("[far question 249]"), std::string::npos);
  EXPECT_EQ(far.body.find("[far question 251]"), std::string::npos);
  // Both verdicts, in the order they were saved.
  size_t rules = far.body.find("<code>rules</code>");
  size_t llm = far.body.find("<code>llm</code>");
  ASSERT_NE(rules, std::string::npos);
  ASSERT_NE(llm, std::string::npos);
  EXPECT_LT(rules, llm);
  WebResponse last = get("/runs/run-far/items/299");
  ASSERT_EQ(last.status, 200);
  EXPECT_NE(last.body.find("[far question 299]"), std::string::npos);
  EXPECT_NE(last.body.find("No response yet"), std::string::npos);
  EXPECT_EQ(get("/runs/run-far/items/300").status, 404);
  EXPECT_EQ(get("/runs/no-such-run/items/0").status, 404);
  EXPECT_EQ(counting.scans, 0);
}

TEST_F(WebAppTest, MediaIsServedOnlyFromTheRunsMediaFolder) {
  dir_.Write("media/pic.png", "PNGDATA");
  dir_.Write("artifacts/abc.mp4", "MP4DATA");
  dir_.Write("secret.txt", "SECRET");
  std::filesystem::create_symlink(dir_.File("secret.txt"), dir_.File("media/link.png"));
  WebResponse png = Get("/media/run-1/pic.png");
  EXPECT_EQ(png.status, 200);
  EXPECT_EQ(png.content_type, "image/png");
  EXPECT_EQ(png.body, "PNGDATA");
  WebResponse mp4 = Get("/media/run-1/abc.mp4");
  EXPECT_EQ(mp4.content_type, "video/mp4");
  EXPECT_EQ(mp4.body, "MP4DATA");
  for (std::string file : {"..", "...", ".hidden", "link.png", "..%2Fsecret.txt", "nope.png"}) {
    WebResponse r = Get("/media/run-1/" + file);
    EXPECT_EQ(r.status, 404) << file;
    EXPECT_EQ(r.body.find("SECRET"), std::string::npos) << file;
  }
  // A decoded "../" splits into more segments and matches no route.
  EXPECT_EQ(Get("/media/run-1/../secret.txt").status, 404);
  EXPECT_EQ(Get("/media/run-1/media/pic.png").status, 404);
  EXPECT_EQ(Get("/media/nope/pic.png").status, 404);
}

TEST_F(WebAppTest, ItemPageShowsMediaInline) {
  ItemResult r;
  r.index = 112;
  r.outcome = Outcome::kJudged;
  r.media_path = "artifacts/3f2a.png";
  r.verdicts.push_back(MakeVerdict("rules", ResponseClass::kUndetermined, false));
  ASSERT_TRUE(runs_->SaveResults("run-1", {r}).ok());
  std::string body = Get("/runs/run-1/items/112").body;
  EXPECT_NE(body.find("<img alt=\"media output\" src=\"/media/run-1/3f2a.png\">"),
            std::string::npos);
}

TEST_F(WebAppTest, PostsNeedTheSessionsCsrfTokenAndOurOrigin) {
  std::string session = LogIn();
  ASSERT_FALSE(csrf_.empty());
  EXPECT_EQ(Get("/annotate", {}, session).status, 200);
  // No session: to the login page, the handler does not run.
  EXPECT_EQ(Post("/logout", {{"csrf", csrf_}}, "").status, 303);
  // Wrong or missing token, or another origin: 403, still logged in.
  EXPECT_EQ(Post("/logout", {}, session).status, 403);
  EXPECT_EQ(Post("/logout", {{"csrf", csrf_ + "0"}}, session).status, 403);
  EXPECT_EQ(Post("/logout", {{"csrf", csrf_}}, session, "http://evil.example").status, 403);
  EXPECT_EQ(Get("/annotate", {}, session).status, 200);
  // The right token from our own origin: logged out.
  EXPECT_EQ(Post("/logout", {{"csrf", csrf_}}, session, "http://127.0.0.1:8080").status, 303);
  EXPECT_EQ(Get("/annotate", {}, session).status, 303);
}

TEST_F(WebAppTest, ALabelWithoutTheCsrfTokenIsNotSaved) {
  AnnotationRound round;
  round.name = "r1";
  round.run_id = "run-1";
  round.overlap = 1;
  round.created_at = "2026-12-01T09:00:00Z";
  round.items = {4};
  ASSERT_TRUE(annotations_->CreateRound(round).ok());
  std::string session = LogIn();
  std::multimap<std::string, std::string> form = {{"class", "refuses"}, {"violation", "no"}};
  EXPECT_EQ(Post("/annotate/r1/4", form, session).status, 403);
  form.emplace("csrf", csrf_);
  EXPECT_EQ(Post("/annotate/r1/4", form, session, "http://evil.example").status, 403);
  EXPECT_TRUE(annotations_->LoadLabels("r1")->empty());
  EXPECT_EQ(Post("/annotate/r1/4", form, session).status, 303);
  EXPECT_EQ(annotations_->LoadLabels("r1")->size(), 1u);
}

TEST_F(WebAppTest, NavShowsLogInOrTheAnnotatorWithALogoutForm) {
  std::string anonymous = Get("/").body;
  EXPECT_NE(anonymous.find("<a class=\"login\" href=\"/login\">Log in</a>"), std::string::npos);
  std::string session = LogIn();
  std::string body = Get("/", {}, session).body;
  EXPECT_NE(body.find("<form class=\"logout\" method=\"post\" action=\"/logout\">"),
            std::string::npos);
  EXPECT_NE(body.find("ana</span>"), std::string::npos);
}

}  // namespace
}  // namespace safeval
