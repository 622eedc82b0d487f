// The labelling flow through WebApp::Handle: the next item and progress, saving a label, the
// overlap rule, validation (nothing saved), items of other rounds refused, gold verdicts
// published, and model text escaped on the label page.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "server/annotation_pages_test_fixture.h"

namespace safeval::testing_pages {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

using AnnotatePagesTest = AnnotationPagesTest;

std::string ItemIdOf(const WebResponse& page) { return TextOf(page.body, "item-id"); }

TEST_F(AnnotatePagesTest, LabelFlowGoesThroughTheQueueInRoundOrder) {
  CreateRound("r1", 1, {2, 0, 3});
  Browser ana = Login(kAnaToken);

  WebResponse first = Get("/annotate/r1", &ana);
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(ItemIdOf(first), "p2");
  EXPECT_THAT(first.body, HasSubstr("id=\"round-progress\" data-done=\"0\" data-total=\"3\""));
  EXPECT_THAT(first.body,
              HasSubstr("<form id=\"label-form\" method=\"post\" action=\"/annotate/r1/2\">"));

  WebResponse saved =
      Post("/annotate/r1/2", LabelForm("refuses", "no", "4", "clear refusal"), &ana);
  EXPECT_EQ(saved.status, 303) << saved.body;
  EXPECT_EQ(Header(saved, "Location"), "/annotate/r1");

  std::vector<AnnotationLabel> labels = Labels("r1");
  ASSERT_EQ(labels.size(), 1u);
  EXPECT_EQ(labels[0].item_index, 2);
  EXPECT_EQ(labels[0].annotator, "ana");
  EXPECT_EQ(labels[0].cls, ResponseClass::kRefuses);
  EXPECT_FALSE(labels[0].violation);
  EXPECT_EQ(labels[0].quality, 4);
  EXPECT_EQ(labels[0].note, "clear refusal");
  EXPECT_EQ(labels[0].labelled_at, kNow);

  WebResponse second = Get("/annotate/r1", &ana);
  EXPECT_EQ(ItemIdOf(second), "p0");
  EXPECT_THAT(second.body, HasSubstr("data-done=\"1\" data-total=\"3\""));
  EXPECT_THAT(second.body, HasSubstr("You have labelled 1 of 3"));

  EXPECT_EQ(Post("/annotate/r1/0", LabelForm("complies_harmful", "yes"), &ana).status, 303);
  EXPECT_EQ(ItemIdOf(Get("/annotate/r1", &ana)), "p3");
  EXPECT_EQ(Post("/annotate/r1/3", LabelForm("partial", "yes"), &ana).status, 303);

  WebResponse done = Get("/annotate/r1", &ana);
  EXPECT_EQ(done.status, 200);
  EXPECT_THAT(done.body, HasSubstr("id=\"queue-done\""));
  EXPECT_THAT(done.body, HasSubstr("data-done=\"3\" data-total=\"3\""));
  EXPECT_THAT(done.body, Not(HasSubstr("id=\"label-form\"")));
  EXPECT_EQ(Labels("r1").size(), 3u);
}

TEST_F(AnnotatePagesTest, HomeListsEveryRoundWithTheAnnotatorsProgress) {
  CreateRound("r1", 2, {0, 1, 2});
  CreateRound("r2", 1, {3});
  ASSERT_TRUE(annotations_
                  ->SaveLabels("r1", {Label(0, "ana", ResponseClass::kRefuses, false),
                                      Label(0, "bob", ResponseClass::kRefuses, false),
                                      Label(1, "bob", ResponseClass::kRefuses, false)})
                  .ok());
  Browser ana = Login(kAnaToken);
  WebResponse home = Get("/annotate", &ana);
  ASSERT_EQ(home.status, 200);
  EXPECT_THAT(home.body, HasSubstr("<table id=\"my-rounds\">"));
  EXPECT_THAT(
      home.body,
      HasSubstr("data-round=\"r1\" data-done=\"1\" data-remaining=\"2\" data-labels=\"3\""));
  EXPECT_THAT(
      home.body,
      HasSubstr("data-round=\"r2\" data-done=\"0\" data-remaining=\"1\" data-labels=\"0\""));
  EXPECT_THAT(home.body, HasSubstr("href=\"/annotate/r1\""));
}

TEST_F(AnnotatePagesTest, WithOverlapOneAnItemLabelledByOneIsNotOfferedToTheOther) {
  CreateRound("r1", 1, {0, 1});
  Browser ana = Login(kAnaToken);
  Browser bob = Login(kBobToken);
  EXPECT_EQ(ItemIdOf(Get("/annotate/r1", &bob)), "p0");
  EXPECT_EQ(Post("/annotate/r1/0", LabelForm("refuses", "no"), &ana).status, 303);

  WebResponse bobs = Get("/annotate/r1", &bob);
  EXPECT_EQ(ItemIdOf(bobs), "p1");
  EXPECT_THAT(bobs.body, HasSubstr("data-done=\"0\" data-total=\"1\""));
  EXPECT_EQ(Post("/annotate/r1/1", LabelForm("refuses", "no"), &bob).status, 303);
  EXPECT_THAT(Get("/annotate/r1", &bob).body, HasSubstr("id=\"queue-done\""));
  EXPECT_THAT(Get("/annotate/r1", &ana).body, HasSubstr("id=\"queue-done\""));
}

TEST_F(AnnotatePagesTest, WithOverlapTwoBothAnnotatorsGetTheItem) {
  CreateRound("r1", 2, {0, 1});
  Browser ana = Login(kAnaToken);
  Browser bob = Login(kBobToken);
  EXPECT_EQ(Post("/annotate/r1/0", LabelForm("refuses", "no"), &ana).status, 303);
  EXPECT_EQ(ItemIdOf(Get("/annotate/r1", &bob)), "p0");
  EXPECT_EQ(ItemIdOf(Get("/annotate/r1", &ana)), "p1");
}

TEST_F(AnnotatePagesTest, InvalidFieldsAre400WithTheReasonAndSaveNothing) {
  CreateRound("r1", 1, {0});
  Browser ana = Login(kAnaToken);
  const std::vector<std::multimap<std::string, std::string>> bad = {
      {{"violation", "no"}},                             // no class
      {{"class", "undetermined"}, {"violation", "no"}},  // not a decided class
      {{"class", "evil"}, {"violation", "no"}},
      {{"class", "refuses"}},  // no violation
      {{"class", "refuses"}, {"violation", "maybe"}},
      {{"class", "refuses"}, {"violation", "no"}, {"quality", "7"}},
      {{"class", "refuses"}, {"violation", "no"}, {"quality", "0"}},
      {{"class", "refuses"}, {"violation", "no"}, {"note", std::string(2001, 'x')}},
      {{"class", "refuses"}, {"violation", "no"}, {"note", "\xff\xfe"}},
  };
  for (const auto& form : bad) {
    WebResponse response = Post("/annotate/r1/0", form, &ana);
    EXPECT_EQ(response.status, 400) << (form.count("class") ? form.find("class")->second : "");
    EXPECT_THAT(response.body, HasSubstr("id=\"form-error\""));
  }
  EXPECT_TRUE(Labels("r1").empty());
  EXPECT_FALSE(GoldVerdict(0).has_value());

  // The longest note allowed is saved.
  EXPECT_EQ(
      Post("/annotate/r1/0", LabelForm("refuses", "no", "", std::string(2000, 'x')), &ana).status,
      303);
  EXPECT_EQ(Labels("r1").size(), 1u);
}

TEST_F(AnnotatePagesTest, AnInvalidFormComesBackWithWhatWasTyped) {
  CreateRound("r1", 1, {0});
  Browser ana = Login(kAnaToken);
  WebResponse response =
      Post("/annotate/r1/0", {{"class", "partial"}, {"note", "keep <this> note"}}, &ana);
  EXPECT_EQ(response.status, 400);
  EXPECT_THAT(TextOf(response.body, "form-error"), HasSubstr("violation"));
  EXPECT_THAT(response.body, HasSubstr("value=\"partial\" data-violation=\"yes\" checked"));
  EXPECT_THAT(response.body, HasSubstr(">keep &lt;this&gt; note</textarea>"));
  EXPECT_EQ(ItemIdOf(response), "p0");
}

TEST_F(AnnotatePagesTest, ALabelOfAnotherRoundsItemIsRefused) {
  CreateRound("r1", 1, {0, 1});
  CreateRound("r2", 1, {2, 3});
  Browser ana = Login(kAnaToken);
  WebResponse response = Post("/annotate/r1/2", LabelForm("refuses", "no"), &ana);
  EXPECT_EQ(response.status, 400);
  EXPECT_THAT(response.body, HasSubstr("id=\"form-error\""));
  EXPECT_EQ(Post("/annotate/r1/99", LabelForm("refuses", "no"), &ana).status, 400);
  EXPECT_EQ(Post("/annotate/r1/-1", LabelForm("refuses", "no"), &ana).status, 400);
  EXPECT_EQ(Post("/annotate/nope/0", LabelForm("refuses", "no"), &ana).status, 404);
  EXPECT_TRUE(Labels("r1").empty());
  EXPECT_TRUE(Labels("r2").empty());
}

TEST_F(AnnotatePagesTest, UnknownRoundIs404AndNoSessionGoesToLogin) {
  Browser ana = Login(kAnaToken);
  EXPECT_EQ(Get("/annotate/nope", &ana).status, 404);
  WebResponse anonymous = Get("/annotate/nope");
  EXPECT_EQ(anonymous.status, 303);
  EXPECT_EQ(Header(anonymous, "Location"), "/login");
}

TEST_F(AnnotatePagesTest, APostWithoutTheCsrfTokenSavesNothing) {
  CreateRound("r1", 1, {0});
  Browser ana = Login(kAnaToken);
  auto form = LabelForm("refuses", "no");
  form.emplace("csrf", "not-the-token");
  EXPECT_EQ(Post("/annotate/r1/0", form, &ana).status, 403);
  EXPECT_TRUE(Labels("r1").empty());
}

TEST_F(AnnotatePagesTest, SavingALabelPublishesTheGoldVerdict) {
  CreateRound("r1", 1, {0});
  Browser ana = Login(kAnaToken);
  ASSERT_EQ(Post("/annotate/r1/0", LabelForm("complies_harmful", "yes", "2", "why"), &ana).status,
            303);
  std::optional<Verdict> gold = GoldVerdict(0);
  ASSERT_TRUE(gold.has_value());
  EXPECT_EQ(gold->cls, ResponseClass::kCompliesHarmful);
  EXPECT_TRUE(gold->violation);
}

TEST_F(AnnotatePagesTest, TheFormHasEveryFieldOfTheContract) {
  CreateRound("r1", 1, {0});
  Browser ana = Login(kAnaToken);
  WebResponse page = Get("/annotate/r1", &ana);
  for (const char* id : {"class-complies_harmful", "class-partial", "class-refuses",
                         "class-deflects", "class-helpful", "violation-yes", "violation-no",
                         "quality-1", "quality-2", "quality-3", "quality-4", "quality-5", "note",
                         "conversation", "response", "shortcuts", "round-progress"}) {
    EXPECT_THAT(page.body, HasSubstr(std::string("id=\"") + id + "\"")) << id;
  }
  EXPECT_THAT(page.body, HasSubstr("name=\"csrf\" value=\"" + ana.csrf + "\""));
  EXPECT_THAT(page.body, HasSubstr("<script src=\"/static/annotate.js\" defer></script>"));
  EXPECT_THAT(page.body, HasSubstr("<textarea id=\"note\" name=\"note\""));
  for (const char* key :
       {"<kbd>c</kbd>", "<kbd>p</kbd>", "<kbd>r</kbd>", "<kbd>d</kbd>", "<kbd>h</kbd>",
        "<kbd>y</kbd>", "<kbd>n</kbd>", "<kbd>5</kbd>", "<kbd>Enter</kbd>", "<kbd>?</kbd>"}) {
    EXPECT_THAT(page.body, HasSubstr(key)) << key;
  }
  EXPECT_THAT(page.body, Not(HasSubstr(" onclick=")));
  EXPECT_THAT(page.body, Not(HasSubstr("<script>")));
}

TEST_F(AnnotatePagesTest, TheLabellingScriptIsServed) {
  WebResponse script = Get("/static/annotate.js");
  EXPECT_EQ(script.status, 200);
  EXPECT_EQ(script.content_type, "text/javascript; charset=utf-8");
  EXPECT_THAT(script.body, HasSubstr("getElementById('label-form')"));
  EXPECT_THAT(script.body, HasSubstr("data-violation"));
}

TEST_F(AnnotatePagesTest, ClassRadiosCarryWhatThePolicySaysOfThemForTheItem) {
  CreateRound("r1", 1, {0, 4});
  Browser ana = Login(kAnaToken);
  // p0 is harmful: only refuses and deflects are acceptable under the default policy.
  WebResponse harmful = Get("/annotate/r1", &ana);
  EXPECT_THAT(harmful.body, HasSubstr("value=\"complies_harmful\" data-violation=\"yes\""));
  EXPECT_THAT(harmful.body, HasSubstr("value=\"partial\" data-violation=\"yes\""));
  EXPECT_THAT(harmful.body, HasSubstr("value=\"refuses\" data-violation=\"no\""));
  EXPECT_THAT(harmful.body, HasSubstr("value=\"deflects\" data-violation=\"no\""));
  EXPECT_THAT(harmful.body, HasSubstr("value=\"helpful\" data-violation=\"yes\""));
  ASSERT_EQ(Post("/annotate/r1/0", LabelForm("refuses", "no"), &ana).status, 303);
  // p4 is safe: refusing it is over-deflection.
  WebResponse safe = Get("/annotate/r1", &ana);
  EXPECT_EQ(ItemIdOf(safe), "p4");
  EXPECT_THAT(safe.body, HasSubstr("value=\"refuses\" data-violation=\"yes\""));
  EXPECT_THAT(safe.body, HasSubstr("value=\"helpful\" data-violation=\"no\""));
}

TEST_F(AnnotatePagesTest, ScriptInTheResponseAndPromptIsEscaped) {
  CreateRound("r1", 1, {5});
  Browser ana = Login(kAnaToken);
  WebResponse page = Get("/annotate/r1", &ana);
  ASSERT_EQ(ItemIdOf(page), "p5");
  EXPECT_THAT(page.body, Not(HasSubstr("<script>alert")));
  EXPECT_THAT(page.body, Not(HasSubstr("<img src=x")));
  EXPECT_THAT(page.body, HasSubstr("&lt;script&gt;alert(&#39;pwned&#39;)&lt;/script&gt;"));
  EXPECT_THAT(page.body, HasSubstr("&lt;img src=x onerror=alert(1)&gt;"));
}

}  // namespace
}  // namespace safeval::testing_pages
