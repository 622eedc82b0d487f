// Tests of TerminalText: what a hostile model, dataset or endpoint could send a terminal
// is shown, not obeyed.
#include "core/terminal_text.h"

#include <gtest/gtest.h>

namespace safeval {
namespace {

TEST(TerminalText, PlainTextIsUnchanged) {
  EXPECT_EQ(TerminalText("I can't help with that. ¿Qué? 漢字 — ok\\n"),
            "I can't help with that. ¿Qué? 漢字 — ok\\n");
  EXPECT_EQ(TerminalText(""), "");
}

TEST(TerminalText, AnsiAndOscSequencesLoseTheirEscapeByte) {
  EXPECT_EQ(TerminalText("\x1b[31mred\x1b[0m"), "\\x1b[31mred\\x1b[0m");
  EXPECT_EQ(TerminalText("\x1b]0;owned\x07"), "\\x1b]0;owned\\x07");  // window title
  EXPECT_EQ(TerminalText("\x1b]52;c;ZWNobw==\x1b\\"), "\\x1b]52;c;ZWNobw==\\x1b\\");  // clipboard
  EXPECT_EQ(TerminalText("\x1b[2J\x1b[H"), "\\x1b[2J\\x1b[H");  // clear screen, cursor home
}

TEST(TerminalText, CarriageReturnCannotOverwriteTheLine) {
  EXPECT_EQ(TerminalText("violation\rOK       "), "violation\\rOK       ");
  EXPECT_EQ(TerminalText("a\rb", LineBreaks::kKeep), "a\\rb");
}

TEST(TerminalText, LineBreaksAndTabsAreEscapedOrKept) {
  EXPECT_EQ(TerminalText("a\nb\tc"), "a\\nb\\tc");
  EXPECT_EQ(TerminalText("a\nb\tc", LineBreaks::kKeep), "a\nb\tc");
}

TEST(TerminalText, OtherC0ControlsAndDelAreHexEscapes) {
  EXPECT_EQ(TerminalText(std::string("\0\x01\x08\x7f", 4)), "\\x00\\x01\\x08\\x7f");
}

TEST(TerminalText, C1ControlsAreEscaped) {
  EXPECT_EQ(TerminalText("\xc2\x9b"
                         "31m"),
            "\\u009b31m");  // U+009B: 8-bit CSI
  EXPECT_EQ(TerminalText("\xc2\x85"), "\\u0085");
  EXPECT_EQ(TerminalText("\xc2\xa0"), "\xc2\xa0");  // U+00A0 no-break space is text
}

TEST(TerminalText, BidiOverridesAreEscaped) {
  EXPECT_EQ(TerminalText("safe \xe2\x80\xae"
                         "efasnu"),
            "safe \\u202eefasnu");
  EXPECT_EQ(TerminalText("\xe2\x81\xa6x\xe2\x81\xa9"), "\\u2066x\\u2069");
  EXPECT_EQ(TerminalText("\xe2\x80\x94"), "\xe2\x80\x94");  // an em dash is text
}

TEST(TerminalText, InvalidUtf8BecomesReplacementCharacters) {
  EXPECT_EQ(TerminalText("a\xff\x1b"), "a\xef\xbf\xbd\\x1b");
  // A lone lead byte of a C1 control is not a control.
  EXPECT_EQ(TerminalText("\xc2"), "\xef\xbf\xbd");
}

}  // namespace
}  // namespace safeval
