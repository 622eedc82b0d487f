// Text from outside safeval — model replies, dataset fields, names in user files, error
// bodies sent by servers — made safe to print on a terminal.
//
// A terminal obeys the control characters it is sent. A model (or a dataset, or a hostile
// endpoint) that answers with "\x1b]0;title\x07", "\x1b[2J", "\r" followed by other text,
// or a right-to-left override could rewrite the screen, fake safeval's own output, hide
// text, set the clipboard (OSC 52) or, on terminals with known bugs, type into the shell.
// TerminalText makes every such character visible instead of obeyed:
//   - C0 controls and DEL become "\xNN" ("\x1b" for ESC), except CR, LF and tab, which
//     become "\r", "\n" and "\t" (LF and tab may also be kept: see LineBreaks). Without its
//     ESC byte an ANSI or OSC sequence is plain text ("\x1b[31m").
//   - C1 controls (U+0080..U+009F, e.g. U+009B, a one-character CSI) become "\u009b".
//   - Bidirectional overrides and isolates (U+202A..U+202E, U+2066..U+2069), which reorder
//     what is shown ("Trojan Source"), become "\u202e".
//   - Invalid UTF-8 bytes become U+FFFD.
// Everything else, including a backslash, is kept as is: the output is for people to read,
// not to be parsed back. Machine outputs (JSON, JSONL, CSV, HTML) need no such treatment
// and must not get it: they carry the text exactly and escape it in their own syntax.
//
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace safeval {

enum class LineBreaks {
  kEscape,  // "\n" and "\t" are escaped too: the text stays on one line (table cells, names)
  kKeep,    // "\n" and "\t" are kept (multi-line messages such as a list of dataset problems)
};

// `text` as it may be printed to a terminal (see above). Returns `text` unchanged when it
// has nothing to escape.
std::string TerminalText(std::string_view text, LineBreaks line_breaks = LineBreaks::kEscape);

}  // namespace safeval
