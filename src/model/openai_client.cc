#include "model/openai_client.h"

#include <cmath>
#include <memory>
#include <nlohmann/json.hpp>
#include <string_view>
#include <utility>

#include "core/json_string.h"
#include "core/utf8.h"
#include "model/curl_runner.h"
#include "model/http_options.h"
#include "model/json_reply.h"
#include "model/openai_plain_reply.h"
#include "model/tool_wire.h"

namespace safeval {
namespace {

using nlohmann::json;

std::vector<std::string> OpenAiHeaderLines(const OpenAiOptions& options) {
  std::vector<std::pair<std::string, std::string>> defaults = {
      {"Content-Type", "application/json"}};
  if (!options.api_key.empty()) defaults.push_back({"Authorization", "Bearer " + options.api_key});
  return HeaderLines(defaults, options.headers);
}

json EncodeTurn(const Turn& turn) {
  if (turn.role == "tool") {
    return json::object(
        {{"role", "tool"}, {"tool_call_id", turn.tool_call_id}, {"content", turn.content}});
  }
  json message = json::object({{"role", turn.role}, {"content", turn.content}});
  if (!turn.tool_calls.empty()) {
    if (turn.content.empty()) message["content"] = nullptr;  // the API's shape for "calls only"
    message["tool_calls"] = tool_wire::ToOpenAiToolCalls(turn.tool_calls);
  }
  return message;
}

std::string EncodeChatRequest(const OpenAiOptions& options, const ModelRequest& request) {
  json messages = json::array();
  const std::string& system = request.system.empty() ? options.system_prompt : request.system;
  if (!system.empty()) {
    messages.push_back(json::object({{"role", "system"}, {"content", system}}));
  }
  for (const Turn& turn : request.conversation) messages.push_back(EncodeTurn(turn));
  json body = json::object({{"model", options.model}, {"messages", std::move(messages)}});
  if (options.temperature) body["temperature"] = *options.temperature;
  if (options.top_p) body["top_p"] = *options.top_p;
  if (options.max_tokens) body["max_tokens"] = *options.max_tokens;
  if (!options.stop.empty()) body["stop"] = options.stop;
  if (json tools = tool_wire::ParseTools(request.tools_json); !tools.empty()) {
    body["tools"] = std::move(tools);
  }
  // A stray invalid byte in a prompt becomes U+FFFD instead of an exception.
  return DumpJson(body);
}

// EncodeChatRequest's output for a plain conversation — text turns without tools, tool calls or
// tool results, in valid UTF-8 — written without a DOM: the body around the messages is dumped
// once (nlohmann's keys are sorted; "messages" holds a marker), each message is
// {"content":…,"role":…} as EncodeTurn's object dumps. Any other request takes EncodeChatRequest.
class ChatRequestEncoder {
 public:
  explicit ChatRequestEncoder(OpenAiOptions options) : options_(std::move(options)) {
    static constexpr std::string_view kMarker = "\"@safeval-messages@\"";
    ModelRequest none;
    std::string body = EncodeChatRequest(options_, none);  // "messages":[] when no system prompt
    json shape = json::parse(body);
    shape["messages"] = kMarker.substr(1, kMarker.size() - 2);
    std::string dumped = DumpJson(shape);
    size_t at = dumped.find(kMarker);
    if (at == std::string::npos || dumped.find(kMarker, at + 1) != std::string::npos) return;
    head_ = dumped.substr(0, at) + "[";
    tail_ = "]" + dumped.substr(at + kMarker.size());
    plain_ = true;
  }

  std::string operator()(const ModelRequest& request) const {
    const std::string& system = request.system.empty() ? options_.system_prompt : request.system;
    std::string out;
    if (plain_ && Write(system, request, &out)) return out;
    return EncodeChatRequest(options_, request);
  }

 private:
  // False, with *out part written, for a request that is not plain.
  bool Write(const std::string& system, const ModelRequest& request, std::string* out) const {
    if (!request.tools_json.empty() || request.conversation.empty()) return false;
    out->reserve(head_.size() + tail_.size() + system.size() + 64 +
                 request.conversation.size() * 40 + request.conversation.back().content.size());
    *out += head_;
    if (!system.empty() && !AppendMessage("system", system, out)) return false;
    for (const Turn& turn : request.conversation) {
      if (turn.role == "tool" || !turn.tool_calls.empty()) return false;
      if (out->back() != '[') *out += ',';
      if (!AppendMessage(turn.role, turn.content, out)) return false;
    }
    *out += tail_;
    return true;
  }
  static bool AppendMessage(std::string_view role, std::string_view content, std::string* out) {
    *out += "{\"content\":";
    if (!AppendJsonString(content, out)) return false;
    *out += ",\"role\":";
    if (!AppendJsonString(role, out)) return false;
    *out += '}';
    return true;
  }

  OpenAiOptions options_;
  bool plain_ = false;
  std::string head_, tail_;
};

Result<const json*> FindMessage(const json& doc) {
  auto choices = doc.find("choices");
  if (choices == doc.end() || !choices->is_array() || choices->empty()) {
    return Status::InvalidArgument("no choices[0] in the reply");
  }
  const json& choice = (*choices)[0];
  auto message = choice.is_object() ? choice.find("message") : choice.end();
  if (!choice.is_object() || message == choice.end() || !message->is_object()) {
    return Status::InvalidArgument("no choices[0].message in the reply");
  }
  return &*message;
}

// message.tool_calls, then the legacy message.function_call (one call without an id).
Result<std::vector<ToolCall>> MessageToolCalls(const json& message) {
  std::vector<ToolCall> calls;
  if (auto it = message.find("tool_calls"); it != message.end() && !it->is_null()) {
    SV_ASSIGN_OR_RETURN(calls,
                        tool_wire::ToolCallsFromJson(*it, "choices[0].message.tool_calls"));
  }
  if (auto it = message.find("function_call"); it != message.end() && !it->is_null()) {
    SV_ASSIGN_OR_RETURN(ToolCall call,
                        tool_wire::ToolCallFromJson(*it, "choices[0].message.function_call"));
    calls.push_back(std::move(call));
  }
  return calls;
}

// The message's text: its content, which may be null or absent only when it calls tools.
Result<std::string> MessageText(const json& message, bool calls_tools) {
  auto content = message.find("content");
  if (content == message.end() || content->is_null()) {
    if (calls_tools) return std::string();
    if (content == message.end()) {
      return Status::InvalidArgument("no choices[0].message.content in the reply");
    }
    return Status::InvalidArgument("choices[0].message.content is null");
  }
  if (!content->is_string()) {
    return Status::InvalidArgument("choices[0].message.content is not a string");
  }
  return SanitizeUtf8(content->get_ref<const std::string&>());
}

Result<DecodedReply> DecodeChatReply(std::string_view body) {
  if (std::optional<DecodedReply> plain = DecodePlainChatReply(body)) return std::move(*plain);
  try {
    SV_ASSIGN_OR_RETURN(json doc, ParseReplyJson(body));  // see json_reply.h
    if (!doc.is_object()) return Status::InvalidArgument("the body is not a JSON object");
    if (auto error = doc.find("error"); error != doc.end() && !error->is_null()) {
      return Status::InvalidArgument("the endpoint returned an error: " + JsonErrorMessage(*error));
    }
    SV_ASSIGN_OR_RETURN(const json* message, FindMessage(doc));
    DecodedReply reply;
    SV_ASSIGN_OR_RETURN(reply.tool_calls, MessageToolCalls(*message));
    SV_ASSIGN_OR_RETURN(reply.text, MessageText(*message, !reply.tool_calls.empty()));
    if (auto usage = doc.find("usage"); usage != doc.end() && usage->is_object()) {
      reply.prompt_tokens = JsonTokenCount(*usage, "prompt_tokens");
      reply.completion_tokens = JsonTokenCount(*usage, "completion_tokens");
    }
    return reply;
  } catch (const json::exception& e) {
    return Status::InvalidArgument(std::string("cannot read the reply: ") + e.what());
  }
}

}  // namespace

Status ValidateOpenAiOptions(const OpenAiOptions& options) {
  SV_RETURN_IF_ERROR(ValidateHttpUrl(options.base_url, "base_url"));
  if (options.model.empty()) return Status::InvalidArgument("model is required");
  if (options.max_tokens && *options.max_tokens < 1) {
    return Status::InvalidArgument("max_tokens must be >= 1, got " +
                                   std::to_string(*options.max_tokens));
  }
  if (options.temperature && !std::isfinite(*options.temperature)) {
    return Status::InvalidArgument("temperature must be a finite number");
  }
  if (options.top_p && !(*options.top_p >= 0.0 && *options.top_p <= 1.0)) {
    return Status::InvalidArgument("top_p must be in 0..1");
  }
  for (const std::string& stop : options.stop) {
    if (stop.empty()) return Status::InvalidArgument("stop: a stop sequence is empty");
  }
  return ValidateHttpTransport(TransportFieldsOf(options));
}

Result<std::unique_ptr<ModelClient>> MakeOpenAiClient(const OpenAiOptions& options, Clock& clock) {
  SV_RETURN_IF_ERROR(ValidateOpenAiOptions(options));
  OpenAiOptions wire = options;
  wire.base_url = StripTrailingSlashes(options.base_url);

  CurlRunnerOptions runner =
      RunnerOptionsOf(wire, wire.base_url + "/chat/completions", OpenAiHeaderLines(wire),
                      Secrets(wire.api_key, wire.headers));

  auto encode = [encoder = std::make_shared<const ChatRequestEncoder>(wire)](
                    const ModelRequest& request) { return (*encoder)(request); };
  return MakeRunnerClient("openai:" + wire.model + "@" + wire.base_url, std::move(runner), encode,
                          DecodeChatReply, clock);
}

namespace openai_wire {
std::string EncodeRequest(const OpenAiOptions& options, const ModelRequest& request) {
  return ChatRequestEncoder(options)(request);
}
std::string EncodeRequestThroughDom(const OpenAiOptions& options, const ModelRequest& request) {
  return EncodeChatRequest(options, request);
}
Result<DecodedReply> DecodeReply(std::string_view body) { return DecodeChatReply(body); }
}  // namespace openai_wire

}  // namespace safeval
