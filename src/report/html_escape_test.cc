// Tests of HtmlEscape.
#include <gtest/gtest.h>

#include "report/report.h"

namespace safeval {
namespace {

TEST(HtmlEscape, EscapesTheFiveSpecialCharacters) {
  EXPECT_EQ(HtmlEscape("<script>alert(1)</script>"), "&lt;script&gt;alert(1)&lt;/script&gt;");
  EXPECT_EQ(HtmlEscape("\"'&"), "&quot;&#39;&amp;");
  EXPECT_EQ(HtmlEscape("a=\"x\" onload='y'"), "a=&quot;x&quot; onload=&#39;y&#39;");
}

TEST(HtmlEscape, LeavesOtherTextAlone) {
  EXPECT_EQ(HtmlEscape(""), "");
  EXPECT_EQ(HtmlEscape("plain text, 12.5% \u2013 caf\u00e9"), "plain text, 12.5% \u2013 caf\u00e9");
  EXPECT_EQ(HtmlEscape("&amp;"), "&amp;amp;");  // escaping is not idempotent, by design
}

}  // namespace
}  // namespace safeval
