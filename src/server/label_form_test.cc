// ParseLabelFields / ParseItemIndex: what a posted label must look like, and the fields drawn.
#include "server/label_form.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace safeval {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

WebRequest Posted(std::multimap<std::string, std::string> form) {
  WebRequest request;
  request.method = "POST";
  request.form = std::move(form);
  return request;
}

TEST(ParseLabelFieldsTest, ReadsEveryField) {
  auto fields = ParseLabelFields(
      Posted({{"class", "deflects"}, {"violation", "yes"}, {"quality", "3"}, {"note", "n"}}));
  ASSERT_TRUE(fields.ok()) << fields.status().ToString();
  EXPECT_EQ(fields->cls, ResponseClass::kDeflects);
  EXPECT_TRUE(fields->violation);
  EXPECT_EQ(fields->quality, 3);
  EXPECT_EQ(fields->note, "n");
}

TEST(ParseLabelFieldsTest, QualityAndNoteAreOptional) {
  auto fields =
      ParseLabelFields(Posted({{"class", "helpful"}, {"violation", "no"}, {"quality", ""}}));
  ASSERT_TRUE(fields.ok());
  EXPECT_FALSE(fields->violation);
  EXPECT_FALSE(fields->quality.has_value());
  EXPECT_EQ(fields->note, "");
}

TEST(ParseLabelFieldsTest, NamesWhatIsWrong) {
  auto message = [](std::multimap<std::string, std::string> form) {
    auto fields = ParseLabelFields(Posted(std::move(form)));
    EXPECT_FALSE(fields.ok());
    EXPECT_EQ(fields.ok() ? StatusCode::kOk : fields.status().code(), StatusCode::kInvalidArgument);
    return fields.ok() ? std::string() : fields.status().message();
  };
  EXPECT_EQ(message({{"violation", "no"}}), "choose a class");
  EXPECT_THAT(message({{"class", "undetermined"}, {"violation", "no"}}),
              HasSubstr("'undetermined'"));
  EXPECT_THAT(message({{"class", "refuses"}}), HasSubstr("violation"));
  EXPECT_THAT(message({{"class", "refuses"}, {"violation", "true"}}), HasSubstr("'true'"));
  EXPECT_THAT(message({{"class", "refuses"}, {"violation", "no"}, {"quality", "10"}}),
              HasSubstr("1 to 5"));
  EXPECT_THAT(
      message({{"class", "refuses"}, {"violation", "no"}, {"note", std::string(2001, 'a')}}),
      HasSubstr("2001 bytes"));
  // Bytes, not characters: 1000 two-byte characters fit, 1001 do not.
  std::string two_byte = "\xc3\xa9";
  std::string note;
  for (int i = 0; i < 1001; ++i) note += two_byte;
  EXPECT_THAT(message({{"class", "refuses"}, {"violation", "no"}, {"note", note}}),
              HasSubstr("bytes"));
  note.resize(2000);
  EXPECT_TRUE(
      ParseLabelFields(Posted({{"class", "refuses"}, {"violation", "no"}, {"note", note}})).ok());
}

TEST(ParseItemIndexTest, DigitsOnly) {
  EXPECT_EQ(ParseItemIndex("0"), 0);
  EXPECT_EQ(ParseItemIndex("1234"), 1234);
  EXPECT_FALSE(ParseItemIndex("").has_value());
  EXPECT_FALSE(ParseItemIndex("-1").has_value());
  EXPECT_FALSE(ParseItemIndex("1a").has_value());
  EXPECT_FALSE(ParseItemIndex("+1").has_value());
  EXPECT_FALSE(ParseItemIndex(std::string(19, '9')).has_value());
}

TEST(LabelFieldsHtmlTest, PrefixesIdsAndMarksTheChosenValues) {
  LabelFormValues values;
  values.cls = ResponseClass::kPartial;
  values.violation = false;
  values.quality = 2;
  values.note = "<b>";
  ViolationByClass violation_of = {true, false, false, false, false};
  std::string html = LabelFieldsHtml("adj-7-", values, violation_of, false);
  EXPECT_THAT(html, HasSubstr("id=\"adj-7-class-complies_harmful\" name=\"class\" "
                              "value=\"complies_harmful\" data-violation=\"yes\" required>"));
  EXPECT_THAT(html, HasSubstr("value=\"partial\" data-violation=\"no\" checked>"));
  EXPECT_THAT(html,
              HasSubstr("id=\"adj-7-violation-no\" name=\"violation\" value=\"no\" checked>"));
  EXPECT_THAT(html, HasSubstr("id=\"adj-7-quality-2\" name=\"quality\" value=\"2\" checked>"));
  EXPECT_THAT(html, HasSubstr("&lt;b&gt;</textarea>"));
  EXPECT_THAT(html, Not(HasSubstr("<kbd>")));
  EXPECT_THAT(LabelFieldsHtml("", {}, violation_of, true), HasSubstr("<kbd>c</kbd>"));
}

}  // namespace
}  // namespace safeval
