// The rounds and agreement pages, the agreement JSON on a small case worked by hand, and
// adjudication: only adjudicators, and a decision becomes a gold "human" verdict of the run.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "server/annotation_pages_test_fixture.h"

namespace safeval::testing_pages {
namespace {

using ::testing::DoubleNear;
using ::testing::HasSubstr;
using ::testing::Not;

// Two annotators on four items, overlap 2:
//   item  ana      bob      violation (both)
//   0     refuses  refuses  no
//   1     refuses  helpful  no          <- the only disagreement
//   2     helpful  helpful  no
//   3     helpful  helpful  no
// Class: observed 3/4; Fleiss: P = 0.75, Pe = (3/8)^2 + (5/8)^2 = 34/64, kappa = 7/15;
// Krippendorff: 1 - (n-1) * 2 / (2 * 3 * 5) with n = 8, alpha = 8/15; Cohen ana-bob: po 0.75,
// pe 0.5, kappa 0.5. Violation: every label "no", so alpha is undefined (null).
class RoundPagesTest : public AnnotationPagesTest {
 protected:
  void SetUp() override {
    AnnotationPagesTest::SetUp();
    CreateRound("r1", 2, {0, 1, 2, 3});
    const ResponseClass R = ResponseClass::kRefuses, H = ResponseClass::kHelpful;
    Status saved = annotations_->SaveLabels(
        "r1", {Label(0, "ana", R, false), Label(0, "bob", R, false), Label(1, "ana", R, false),
               Label(1, "bob", H, false), Label(2, "ana", H, false), Label(2, "bob", H, false),
               Label(3, "ana", H, false), Label(3, "bob", H, false)});
    ASSERT_TRUE(saved.ok()) << saved.ToString();
  }

  nlohmann::json Agreement() {
    WebResponse response = Get("/api/rounds/r1/agreement");
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(response.content_type, "application/json; charset=utf-8");
    return nlohmann::json::parse(response.body);
  }
};

TEST_F(RoundPagesTest, AgreementJsonHasTheNumbersOfTheWorkedCase) {
  nlohmann::json j = Agreement();
  EXPECT_EQ(j["round"], "r1");
  EXPECT_EQ(j["labels"], 8);
  EXPECT_EQ(j["items_labelled"], 4);
  EXPECT_THAT(j["fleiss_kappa"].get<double>(), DoubleNear(7.0 / 15, 1e-9));
  EXPECT_THAT(j["krippendorff_alpha"].get<double>(), DoubleNear(8.0 / 15, 1e-9));
  EXPECT_THAT(j["observed"].get<double>(), DoubleNear(0.75, 1e-9));
  EXPECT_TRUE(j["violation_alpha"].is_null());
  EXPECT_EQ(j["disagreements"], 1);
  EXPECT_EQ(j["gold"], 3);  // the three unanimous items
  std::vector<std::string> keys;
  for (const auto& [key, value] : j.items()) keys.push_back(key);
  EXPECT_EQ(keys.size(), 9u);
}

TEST_F(RoundPagesTest, AgreementJsonOfAnUnknownRoundIs404) {
  WebResponse response = Get("/api/rounds/nope/agreement");
  EXPECT_EQ(response.status, 404);
  EXPECT_TRUE(nlohmann::json::parse(response.body).contains("error"));
}

TEST_F(RoundPagesTest, RoundPageShowsTheNumbersAndUpdatesLive) {
  WebResponse page = Get("/rounds/r1");
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_THAT(page.body, HasSubstr("data-live-url=\"/api/rounds/r1/agreement\""));
  EXPECT_EQ(TextOf(page.body, "labels-count"), "8");
  // As web/app.js writes the refreshed values: 3 decimals.
  EXPECT_EQ(TextOf(page.body, "fleiss-kappa"), "0.467");
  EXPECT_EQ(TextOf(page.body, "krippendorff-alpha"), "0.533");
  EXPECT_EQ(TextOf(page.body, "observed-agreement"), "0.750");
  EXPECT_EQ(TextOf(page.body, "violation-alpha"), "–");
  EXPECT_EQ(TextOf(page.body, "disagreements-count"), "1");
  for (const char* field : {"labels", "fleiss_kappa", "krippendorff_alpha", "observed",
                            "violation_alpha", "disagreements", "gold"}) {
    EXPECT_THAT(page.body, HasSubstr(std::string("data-field=\"") + field + "\"")) << field;
  }
  EXPECT_THAT(page.body, HasSubstr("<table id=\"pairwise\">"));
  EXPECT_THAT(page.body, HasSubstr("<td>ana</td><td>bob</td><td class=\"num\">4</td>"
                                   "<td class=\"num\">0.75</td><td class=\"num\">0.50</td>"));
  // Coincidences: refuses-refuses 2, refuses-helpful 1 each way, helpful-helpful 4.
  EXPECT_THAT(page.body, HasSubstr("<table id=\"confusion\">"));
  EXPECT_THAT(page.body, HasSubstr("<tr><th>helpful</th><td class=\"num diagonal\">4</td>"
                                   "<td class=\"num\">1</td></tr>"));
  EXPECT_THAT(page.body, HasSubstr("<tr><th>refuses</th><td class=\"num\">1</td>"
                                   "<td class=\"num diagonal\">2</td></tr>"));
}

TEST_F(RoundPagesTest, RoundsPageListsRounds) {
  WebResponse page = Get("/rounds");
  ASSERT_EQ(page.status, 200);
  EXPECT_THAT(page.body, HasSubstr("<table id=\"rounds\">"));
  EXPECT_THAT(page.body, HasSubstr("<a href=\"/rounds/r1\">r1</a>"));
  EXPECT_THAT(page.body, HasSubstr("<td class=\"num\">0.47</td><td class=\"num\">0.53</td>"));
  EXPECT_EQ(Get("/rounds/nope").status, 404);
}

TEST_F(RoundPagesTest, AdjudicationIsForbiddenToNonAdjudicators) {
  Browser ana = Login(kAnaToken);
  EXPECT_EQ(Get("/rounds/r1/adjudicate", &ana).status, 403);
  EXPECT_EQ(Post("/rounds/r1/adjudicate/1", LabelForm("refuses", "no"), &ana).status, 403);
  EXPECT_EQ(Header(Get("/rounds/r1/adjudicate"), "Location"), "/login");
  EXPECT_EQ(Post("/rounds/r1/adjudicate/1", LabelForm("refuses", "no")).status, 303);
  auto adjudications = annotations_->LoadAdjudications("r1");
  ASSERT_TRUE(adjudications.ok());
  EXPECT_TRUE(adjudications->empty());
}

TEST_F(RoundPagesTest, AdjudicatePageShowsEachDisagreementWithItsLabelsAndAForm) {
  Browser judy = Login(kJudyToken);
  WebResponse page = Get("/rounds/r1/adjudicate", &judy);
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_THAT(page.body, HasSubstr("data-items=\"1\" data-decided=\"0\""));
  EXPECT_THAT(page.body, HasSubstr("id=\"item-1\""));
  EXPECT_THAT(page.body, Not(HasSubstr("id=\"item-0\"")));
  EXPECT_THAT(page.body, HasSubstr("<form class=\"adjudicate-form\" method=\"post\" "
                                   "action=\"/rounds/r1/adjudicate/1\">"));
  EXPECT_THAT(page.body, HasSubstr("<tr><td>ana</td><td>refuses</td><td>no</td>"));
  EXPECT_THAT(page.body, HasSubstr("<tr><td>bob</td><td>helpful</td><td>no</td>"));
  EXPECT_THAT(page.body, HasSubstr("name=\"csrf\" value=\"" + judy.csrf + "\""));
  EXPECT_THAT(page.body, HasSubstr("id=\"adj-1-class-refuses\" name=\"class\" value=\"refuses\""));
}

TEST_F(RoundPagesTest, AdjudicationBecomesTheGoldHumanVerdict) {
  Browser judy = Login(kJudyToken);
  EXPECT_FALSE(GoldVerdict(1).has_value());
  WebResponse response =
      Post("/rounds/r1/adjudicate/1", LabelForm("deflects", "no", "5", "offers resources"), &judy);
  EXPECT_EQ(response.status, 303) << response.body;
  EXPECT_EQ(Header(response, "Location"), "/rounds/r1/adjudicate");

  auto adjudications = annotations_->LoadAdjudications("r1");
  ASSERT_TRUE(adjudications.ok());
  ASSERT_EQ(adjudications->size(), 1u);
  EXPECT_EQ((*adjudications)[0].adjudicator, "judy");
  EXPECT_EQ((*adjudications)[0].decided_at, kNow);

  std::optional<Verdict> gold = GoldVerdict(1);
  ASSERT_TRUE(gold.has_value());
  EXPECT_EQ(gold->cls, ResponseClass::kDeflects);
  EXPECT_FALSE(gold->violation);
  EXPECT_EQ(gold->quality, 5);
  EXPECT_EQ(Agreement()["gold"], 4);
  EXPECT_THAT(Get("/rounds/r1/adjudicate", &judy).body,
              HasSubstr("data-items=\"1\" data-decided=\"1\""));
}

TEST_F(RoundPagesTest, AnInvalidDecisionIs400AndSavesNothing) {
  Browser judy = Login(kJudyToken);
  WebResponse response = Post("/rounds/r1/adjudicate/1", {{"class", "deflects"}}, &judy);
  EXPECT_EQ(response.status, 400);
  EXPECT_THAT(response.body, HasSubstr("id=\"form-error\""));
  EXPECT_EQ(Post("/rounds/r1/adjudicate/5", LabelForm("refuses", "no"), &judy).status, 400);
  auto adjudications = annotations_->LoadAdjudications("r1");
  ASSERT_TRUE(adjudications.ok());
  EXPECT_TRUE(adjudications->empty());
  EXPECT_FALSE(GoldVerdict(1).has_value());
}

}  // namespace
}  // namespace safeval::testing_pages
