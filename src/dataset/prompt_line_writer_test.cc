// Tests of the direct canonical-line writer (PromptToJsonLine without a DOM) against the
// ordered_json DOM writer it replaced, which stays as the reference: the line is hashed into
// every run's dataset_hash, so it must not change by a byte.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <random>

#include "dataset/dataset.h"
#include "dataset/prompt_line_internal.h"

namespace safeval {
namespace {

using dataset_internal::PromptToJsonLineDirect;
using dataset_internal::PromptToJsonLineViaDom;

// clang-format off
// Pieces of strings: every escape nlohmann writes, bytes it copies, valid UTF-8 of each length.
const std::vector<std::string> kValidPieces = {
    "", "a", "plain words", "[step-by-step synthesis route]", "\"", "\\", "\\\"", "/",
    std::string("\0", 1), "\b", "\f", "\n", "\r", "\t", "\x01", "\x0b", "\x1b", "\x1f", " ",
    "\x7f", "~", "caf\xC3\xA9", "\xC2\x80", "\xDF\xBF", "\xE0\xA0\x80", "\xE2\x82\xAC",
    "\xED\x9F\xBF", "\xEE\x80\x80", "\xEF\xBF\xBD", "\xEF\xBB\xBF", "\xEF\xBF\xBF",
    "\xF0\x90\x80\x80", "\xF0\x9F\x98\x80", "\xF4\x8F\xBF\xBF", "\\u00e9", "{\"k\": [1, 2]}"};
// Not UTF-8: lone continuation and lead bytes, truncated sequences, overlongs, surrogates,
// code points past U+10FFFF, bytes that never occur.
const std::vector<std::string> kInvalidPieces = {
    "\x80", "\xBF", "\xC0\xAF", "\xC1\xBF", "\xC3", "\xC3\x28", "\xE0\x80\x80", "\xE0\x9F\xBF",
    "\xE2\x82", "\xE2\x28\xA1", "\xED\xA0\x80", "\xED\xBF\xBF", "\xF0\x8F\xBF\xBF",
    "\xF0\x9F\x98", "\xF4\x90\x80\x80", "\xF5\x80\x80\x80", "\xF8\x88\x80\x80\x80", "\xFE",
    "\xFF", "\xC3\xA9\xA9"};
// clang-format on
const std::vector<std::string> kArguments = {"",         "{}",  R"({"to":"x","amount":10.5})",
                                             "not json", "{ }", R"({"b":1,"a":[true,null]})"};
const std::vector<std::string> kTools = {
    R"([{"function":{"name":"read_email"},"type":"function"}])",
    R"([ {"type": "function", "function": {"name": "f", )"
    R"("parameters": {"z": 1e3, "a": "\u00e9"}}} ])",
    "[not json"};

// Whether nlohmann's decoder takes `text` as UTF-8 (its strict dump throws otherwise).
bool NlohmannAcceptsUtf8(const std::string& text) {
  try {
    nlohmann::json(text).dump();
    return true;
  } catch (const nlohmann::json::exception&) {
    return false;
  }
}

// Whether the canonical line of `p` holds something only the DOM writer writes: a string that
// is not UTF-8 (invalid pieces may also add up to valid UTF-8: "\xE2\x82" + "\xBF"), tools, or
// tool call arguments other than "{}" (a lone user turn is written as "text", without them).
bool NeedsDom(const Prompt& p) {
  std::vector<std::string> strings = {p.id,     p.category.str(), p.locale, p.parent_id,
                                      p.system, p.canary,         p.group,  p.pair_id};
  for (const auto* list : {&p.tags, &p.techniques, &p.expect.no_tool_call}) {
    strings.insert(strings.end(), list->begin(), list->end());
  }
  bool as_text = p.turns.size() == 1 && p.turns[0].role == "user";
  for (const Turn& turn : p.turns) {
    strings.push_back(turn.content);
    if (as_text) break;
    strings.insert(strings.end(), {turn.role, turn.tool_call_id});
    for (const ToolCall& call : turn.tool_calls) {
      strings.insert(strings.end(), {call.id, call.name});
      if (call.arguments_json != "" && call.arguments_json != "{}") return true;
    }
  }
  if (!p.tools_json.empty()) return true;
  for (const std::string& text : strings) {
    if (!NlohmannAcceptsUtf8(text)) return true;
  }
  return false;
}

// Random prompts with every field set or not; `needs_dom` tells whether it holds something only
// the DOM writer writes (invalid UTF-8, embedded JSON other than "{}").
class PromptGenerator {
 public:
  explicit PromptGenerator(uint64_t seed) : rng_(seed) {}

  Prompt Next(bool* needs_dom) {
    Prompt p;
    p.id = String();
    if (Chance(0.5)) {
      p.turns.push_back({"user", String()});
    } else {
      p.turns = Turns();
    }
    std::vector<std::string> segments(Below(3) + 1);
    for (std::string& segment : segments) segment = String();
    p.category = CategoryPath(segments);
    p.intent = static_cast<Intent>(Below(3));
    if (Chance(0.5)) p.persona = static_cast<Persona>(Below(3));
    if (Chance(0.5)) p.locale = String();
    if (Chance(0.5)) p.tags = Strings();
    if (Chance(0.5)) p.parent_id = String();
    if (Chance(0.5)) p.techniques = Strings();
    if (Chance(0.3)) p.system = String();
    if (Chance(0.3)) p.canary = String();
    if (Chance(0.1)) p.tools_json = kTools[Below(kTools.size())];
    if (Chance(0.3)) p.group = String();
    if (Chance(0.3)) p.pair_id = String();
    if (Chance(0.4)) {
      if (Chance(0.5)) p.expect.no_tool_call = Strings();
      p.expect.no_leak = Chance(0.5);
      p.expect.distress = Chance(0.5);
    }
    *needs_dom = NeedsDom(p);
    return p;
  }

 private:
  bool Chance(double p) { return std::bernoulli_distribution(p)(rng_); }
  size_t Below(size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng_); }

  std::string String() {
    std::string out;
    for (size_t n = Below(5); n > 0; --n) {
      out += Chance(0.03) ? kInvalidPieces[Below(kInvalidPieces.size())]
                          : kValidPieces[Below(kValidPieces.size())];
    }
    return out;
  }

  std::vector<std::string> Strings() {
    std::vector<std::string> out(Below(4));
    for (std::string& s : out) s = String();
    return out;
  }

  std::vector<Turn> Turns() {
    static const char* const kRoles[] = {"user", "assistant", "system", "tool", ""};
    std::vector<Turn> turns(Below(5));
    for (Turn& turn : turns) {
      turn.role = Chance(0.9) ? kRoles[Below(5)] : String();
      turn.content = String();
      if (Chance(0.3)) {
        turn.tool_calls.resize(Below(3) + 1);
        for (ToolCall& call : turn.tool_calls) {
          if (Chance(0.5)) call.id = String();
          call.name = String();
          call.arguments_json = kArguments[Below(kArguments.size())];
        }
      }
      if (Chance(0.3)) turn.tool_call_id = String();
    }
    return turns;
  }

  std::mt19937_64 rng_;
};

TEST(PromptLineWriter, DirectWriterMatchesTheDomWriterOnGeneratedPrompts) {
  PromptGenerator generator(20240611);
  int direct = 0;
  for (int i = 0; i < 20000; ++i) {
    bool needs_dom = false;
    Prompt p = generator.Next(&needs_dom);
    std::string reference = PromptToJsonLineViaDom(p);
    ASSERT_EQ(PromptToJsonLine(p), reference) << "prompt " << i;
    std::string line;
    ASSERT_EQ(PromptToJsonLineDirect(p, &line), !needs_dom) << "prompt " << i << ": " << reference;
    if (!needs_dom) {
      ASSERT_EQ(line, reference) << "prompt " << i;
      ++direct;
    }
  }
  EXPECT_GT(direct, 8000);  // many prompts take the direct path, so it is what was compared
}

// Which UTF-8 the writer declines is core/json_string_test.cc's.

TEST(PromptLineWriter, GoldenLineWithEveryFieldButTools) {
  Prompt p = MakePrompt("g1", "[escalating request]", CategoryPath({"ncr", "fraud"}),
                        Intent::kAdversarial);
  p.turns.insert(p.turns.begin(),
                 {Turn{"system", "Be brief."}, Turn{"user", "q\"b\\s\b\f\n\r\t\x01\x1f\x7f/"},
                  Turn{"assistant", "", {ToolCall{"c1", "lookup", "{}"}, ToolCall{"", "f", ""}}},
                  Turn{"tool", "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80", {}, "c1"}});
  p.persona = Persona::kSkilled;
  p.locale = "fr_FR";
  p.tags = {"t1", ""};
  p.parent_id = "g0";
  p.techniques = {"crescendo", "base64"};
  p.system = "You are a bot. Code ZEBRA-7731.";
  p.canary = "ZEBRA-7731";
  p.group = "women";
  p.pair_id = "cf-01";
  p.expect.no_tool_call = {"*"};
  p.expect.distress = true;
  const std::string golden =
      R"({"id":"g1","turns":[{"role":"system","content":"Be brief."},)"
      R"({"role":"user","content":"q\"b\\s\b\f\n\r\t\u0001\u001f)"
      "\x7f"
      R"(/"},{"role":"assistant","content":"","tool_calls":[{"id":"c1","name":"lookup",)"
      R"("arguments":{}},{"name":"f","arguments":{}}]},{"role":"tool","content":")"
      "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"
      R"(","tool_call_id":"c1"},{"role":"user","content":"[escalating request]"}],)"
      R"("category":"ncr/fraud","intent":"adversarial","persona":"skilled","locale":"fr_FR",)"
      R"("tags":["t1",""],"parent_id":"g0","techniques":["crescendo","base64"],)"
      R"("system":"You are a bot. Code ZEBRA-7731.","canary":"ZEBRA-7731","group":"women",)"
      R"("pair_id":"cf-01","expect":{"no_tool_call":["*"],"distress":true}})";
  EXPECT_EQ(PromptToJsonLine(p), golden);
  EXPECT_EQ(PromptToJsonLineViaDom(p), golden);
  std::string direct;
  EXPECT_TRUE(PromptToJsonLineDirect(p, &direct));
  EXPECT_EQ(direct, golden);
}

TEST(PromptLineWriter, EmbeddedJsonAndInvalidUtf8GoThroughTheDom) {
  Prompt p = MakePrompt("t", "hi", CategoryPath({"ssh"}), Intent::kSafe);
  p.tools_json = R"([ {"type": "function", "function": {"name": "f"}} ])";
  EXPECT_EQ(PromptToJsonLine(p), R"({"id":"t","text":"hi","category":"ssh","intent":"safe",)"
                                 R"("tools":[{"type":"function","function":{"name":"f"}}]})");
  p.tools_json.clear();
  p.turns[0].content = "bad \xFF\xC3 end \xE2\x82";
  // nlohmann's replace handler: one U+FFFD per invalid sequence.
  EXPECT_EQ(PromptToJsonLine(p),
            "{\"id\":\"t\",\"text\":\"bad \xEF\xBF\xBD\xEF\xBF\xBD end \xEF\xBF\xBD\","
            "\"category\":\"ssh\",\"intent\":\"safe\"}");
  std::string line;
  EXPECT_FALSE(PromptToJsonLineDirect(p, &line));
}

TEST(PromptLineWriter, ExpectMembersAreCommaSeparatedWhateverIsSet) {
  Prompt p = MakePrompt("e", "hi", CategoryPath({"ssh"}), Intent::kSafe);
  const std::string head = R"({"id":"e","text":"hi","category":"ssh","intent":"safe","expect":)";
  p.expect.no_leak = true;
  EXPECT_EQ(PromptToJsonLine(p), head + R"({"no_leak":true}})");
  p.expect.distress = true;
  EXPECT_EQ(PromptToJsonLine(p), head + R"({"no_leak":true,"distress":true}})");
  p.expect.no_leak = false;
  EXPECT_EQ(PromptToJsonLine(p), head + R"({"distress":true}})");
  p.expect.no_tool_call = {"a", "b"};
  EXPECT_EQ(PromptToJsonLine(p), head + R"({"no_tool_call":["a","b"],"distress":true}})");
}

TEST(PromptLineWriter, PromptWithoutTurnsWritesAnEmptyTurnsArray) {
  Prompt p;
  p.id = "z";
  EXPECT_EQ(PromptToJsonLine(p), PromptToJsonLineViaDom(p));
  EXPECT_EQ(PromptToJsonLine(p), R"({"id":"z","turns":[],"category":"","intent":"safe"})");
}

}  // namespace
}  // namespace safeval
