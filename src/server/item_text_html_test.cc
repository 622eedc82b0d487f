#include "server/item_text_html.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace safeval {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

Turn MakeTurn(const std::string& role, const std::string& content) {
  Turn turn;
  turn.role = role;
  turn.content = content;
  return turn;
}

// An agent conversation: a system prompt, a user turn, an assistant turn that only calls a tool
// and the tool's (injected) result.
StoredItem AgentItem() {
  StoredItem item;
  item.index = 7;
  item.prompt.id = "agent-1";
  item.prompt.system = "You are <b>an agent</b>.";
  item.prompt.turns.push_back(MakeTurn("user", "Pay my bill & tell me."));
  Turn call = MakeTurn("assistant", "");
  call.tool_calls.push_back({"c1", "transfer_funds", R"({"to": "<x>"})"});
  item.prompt.turns.push_back(call);
  item.prompt.turns.push_back(MakeTurn("tool", "<script>alert(1)</script>"));
  item.prompt.turns.push_back(MakeTurn("user", "Go on."));
  return item;
}

ItemResult Judged(const std::string& response) {
  ItemResult result;
  result.index = 7;
  result.outcome = Outcome::kJudged;
  result.response = response;
  return result;
}

size_t Count(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

TEST(ConversationTurnsHtml, ShowsTheSystemPromptFirstThenEveryTurnWithItsRole) {
  std::string html = ConversationTurnsHtml(AgentItem().prompt);
  EXPECT_EQ(Count(html, "<div class=\"turn role-"), 5u);
  size_t system = html.find("<div class=\"turn role-system\"><div class=\"role\">system</div>");
  size_t user = html.find("<div class=\"turn role-user\">");
  size_t assistant = html.find("<div class=\"turn role-assistant\">");
  size_t tool = html.find("<div class=\"turn role-tool\">");
  ASSERT_NE(system, std::string::npos);
  EXPECT_LT(system, user);
  EXPECT_LT(user, assistant);
  EXPECT_LT(assistant, tool);
  EXPECT_THAT(html, HasSubstr("<pre>You are &lt;b&gt;an agent&lt;/b&gt;.</pre>"));
  EXPECT_THAT(html, HasSubstr("<pre>Pay my bill &amp; tell me.</pre>"));
  // The tool-calling turn has no empty text, only its call, escaped.
  EXPECT_THAT(html, HasSubstr("<div class=\"role\">assistant</div><pre class=\"tool-call\">"
                              "[tool call] transfer_funds {&quot;to&quot;: &quot;&lt;x&gt;&quot;}"
                              "</pre></div>"));
  EXPECT_THAT(html, HasSubstr("&lt;script&gt;alert(1)&lt;/script&gt;"));
  EXPECT_THAT(html, Not(HasSubstr("<script>")));
}

TEST(ConversationTurnsHtml, AnUnknownRoleIsNoCssClassAndIsEscaped) {
  Prompt prompt;
  prompt.turns.push_back(MakeTurn("x\" onmouseover=\"alert(1)", "hi"));
  std::string html = ConversationTurnsHtml(prompt);
  EXPECT_THAT(html, HasSubstr("<div class=\"turn role-other\"><div class=\"role\">"
                              "x&quot; onmouseover=&quot;alert(1)</div>"));
  EXPECT_THAT(html, Not(HasSubstr("onmouseover=\"")));
  EXPECT_THAT(html, Not(HasSubstr("role-system")));  // no system prompt, no system turn
}

TEST(ConversationTurnsHtml, InvalidUtf8IsShownAsReplacementCharacters) {
  Prompt prompt;
  prompt.turns.push_back(MakeTurn("user", "bad \xff\xfe byte"));
  std::string html = ConversationTurnsHtml(prompt);
  EXPECT_THAT(html, HasSubstr("bad \xEF\xBF\xBD"));
  EXPECT_THAT(html, Not(HasSubstr("\xff")));
}

TEST(ResponseTextHtml, SaysWhyThereIsNoResponse) {
  EXPECT_EQ(ResponseTextHtml(std::nullopt), "<p class=\"muted\">No response yet.</p>");
  ItemResult failed;
  failed.outcome = Outcome::kModelError;
  failed.response = "ignored";
  failed.error = "HTTP 503 <html>";
  EXPECT_EQ(ResponseTextHtml(failed),
            "<p class=\"muted\">The model failed: HTTP 503 &lt;html&gt;</p>");
}

TEST(ResponseTextHtml, ShowsTheTextItsToolCallsAndTheMediaFileName) {
  EXPECT_EQ(ResponseTextHtml(Judged("I can't help with <that>.")),
            "<pre>I can&#39;t help with &lt;that&gt;.</pre>");
  // An empty response without tool calls is still an (empty) answer.
  EXPECT_EQ(ResponseTextHtml(Judged("")), "<pre></pre>");

  ItemResult calls = Judged("");
  calls.tool_calls.push_back({"c1", "run_shell", ""});
  EXPECT_EQ(ResponseTextHtml(calls), "<pre class=\"tool-call\">[tool call] run_shell {}</pre>");

  ItemResult media = Judged("");
  media.media_path = "artifacts/<a>.png";
  EXPECT_EQ(ResponseTextHtml(media),
            "<pre></pre><p class=\"muted\">Media output: artifacts/&lt;a&gt;.png</p>");
}

TEST(ItemSectionsHtml, ByDefaultIsTheConversationThenTheResponseWithoutBadgeOrMedia) {
  StoredItem item = AgentItem();
  item.result = Judged("[refusal]");
  item.result->media_path = "artifacts/3f2a.png";
  std::string html = ItemSectionsHtml(item);
  EXPECT_EQ(html, "<section><h2>Conversation</h2><div id=\"conversation\">" +
                      ConversationTurnsHtml(item.prompt) +
                      "</div></section>\n<section><h2>Response</h2><div id=\"response\">" +
                      ResponseTextHtml(item.result) + "</div></section>\n");
  EXPECT_THAT(html, Not(HasSubstr("id=\"media\"")));
  EXPECT_THAT(html, Not(HasSubstr("badge")));
}

TEST(ItemSectionsHtml, TheOutcomeBadgeSaysPendingWithoutAResult) {
  StoredItem item = AgentItem();
  ItemSectionsOptions options{.outcome_badge = true};
  EXPECT_THAT(ItemSectionsHtml(item, options),
              HasSubstr("<h2>Response <span class=\"badge\">pending</span></h2>"));
  item.result = Judged("");
  item.result->outcome = Outcome::kModelError;
  EXPECT_THAT(ItemSectionsHtml(item, options),
              HasSubstr("<h2>Response <span class=\"badge\">model_error</span></h2>"));
}

TEST(ItemSectionsHtml, MediaIsShownInlineFromTheRunsMediaRouteByItsType) {
  StoredItem item = AgentItem();
  item.result = Judged("");
  ItemSectionsOptions options{.media_run = "run 1"};
  auto media = [&](const std::string& path) {
    item.result->media_path = path;
    std::string html = ItemSectionsHtml(item, options);
    size_t at = html.find("<section id=\"media\"><h2>Media</h2>");
    EXPECT_GT(at, html.find("id=\"response\"")) << path;  // after the response
    return at == std::string::npos ? std::string() : html.substr(at);
  };
  EXPECT_EQ(media("artifacts/3f2a.png"),
            "<section id=\"media\"><h2>Media</h2><img alt=\"media output\" "
            "src=\"/media/run%201/3f2a.png\"></section>\n");
  EXPECT_THAT(media("artifacts/clip.MP4"),
              HasSubstr("<video controls src=\"/media/run%201/clip.MP4\"></video>"));
  EXPECT_THAT(media("artifacts/a.webm"), HasSubstr("<video controls"));
  EXPECT_THAT(media("artifacts/voice.ogg"),
              HasSubstr("<audio controls src=\"/media/run%201/voice.ogg\"></audio>"));
  EXPECT_THAT(media("artifacts/a.wav"), HasSubstr("<audio controls"));
  EXPECT_THAT(media("artifacts/a.mp3"), HasSubstr("<audio controls"));
  // Only the file name goes into the URL, encoded: no quote can end the attribute.
  EXPECT_THAT(media("artifacts/x\"y.gif"), HasSubstr("src=\"/media/run%201/x%22y.gif\""));

  item.result->media_path.clear();
  EXPECT_THAT(ItemSectionsHtml(item, options), Not(HasSubstr("id=\"media\"")));
  item.result.reset();
  EXPECT_THAT(ItemSectionsHtml(item, options), Not(HasSubstr("id=\"media\"")));
}

TEST(MediaContentType, KnowsTheSavedMediaTypesWhateverTheCase) {
  EXPECT_EQ(MediaContentType("a.png"), "image/png");
  EXPECT_EQ(MediaContentType("a.JPG"), "image/jpeg");
  EXPECT_EQ(MediaContentType("a.jpeg"), "image/jpeg");
  EXPECT_EQ(MediaContentType("a.gif"), "image/gif");
  EXPECT_EQ(MediaContentType("a.webp"), "image/webp");
  EXPECT_EQ(MediaContentType("a.mp4"), "video/mp4");
  EXPECT_EQ(MediaContentType("a.webm"), "video/webm");
  EXPECT_EQ(MediaContentType("a.wav"), "audio/wav");
  EXPECT_EQ(MediaContentType("a.mp3"), "audio/mpeg");
  EXPECT_EQ(MediaContentType("a.ogg"), "audio/ogg");
  for (const char* other : {"a.html", "a.svg", "png", "a.png.exe", ""})
    EXPECT_EQ(MediaContentType(other), "application/octet-stream") << other;
}

}  // namespace
}  // namespace safeval
