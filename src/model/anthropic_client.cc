#include "model/anthropic_client.h"

#include <cmath>
#include <nlohmann/json.hpp>
#include <utility>

#include "core/utf8.h"
#include "model/http_options.h"
#include "model/json_reply.h"
#include "model/tool_wire.h"

namespace safeval {
namespace {

using nlohmann::json;

bool InUnitRange(const std::optional<double>& value) {
  return !value || (*value >= 0.0 && *value <= 1.0);  // false for NaN too
}

std::vector<std::string> AnthropicHeaderLines(const AnthropicOptions& options) {
  std::vector<std::pair<std::string, std::string>> defaults = {
      {"content-type", "application/json"}, {"anthropic-version", options.anthropic_version}};
  if (!options.api_key.empty()) defaults.push_back({"x-api-key", options.api_key});
  return HeaderLines(defaults, options.headers);
}

// "type: message" of the error, e.g. "overloaded_error: Overloaded".
std::string DescribeError(const json& error) {
  if (error.is_object()) {
    auto type = error.find("type");
    if (type != error.end() && type->is_string()) {
      return type->get<std::string>() + ": " + JsonErrorMessage(error);
    }
  }
  return JsonErrorMessage(error);
}

// The concatenated text blocks and the tool_use blocks of doc["content"].
Status ReadContent(const json& doc, DecodedReply* reply) {
  auto content = doc.find("content");
  if (content == doc.end() || !content->is_array()) {
    return Status::InvalidArgument("no content array in the reply");
  }
  std::string text;
  bool any_text = false;
  for (size_t i = 0; i < content->size(); ++i) {
    const json& block = (*content)[i];
    if (!block.is_object()) continue;
    const json type = block.value("type", json());
    std::string where = "content[" + std::to_string(i) + "]";
    if (type == "tool_use") {
      SV_ASSIGN_OR_RETURN(ToolCall call, tool_wire::ToolCallFromJson(block, where));
      reply->tool_calls.push_back(std::move(call));
      continue;
    }
    if (type != "text") continue;
    auto part = block.find("text");
    if (part == block.end() || !part->is_string()) {
      return Status::InvalidArgument(where + ".text is not a string");
    }
    text += part->get_ref<const std::string&>();
    any_text = true;
  }
  // An empty answer is an answer when the model says why it stopped (e.g. "refusal") or
  // calls a tool.
  bool stopped = doc.contains("stop_reason") && doc["stop_reason"].is_string();
  if (!any_text && !stopped && reply->tool_calls.empty()) {
    return Status::InvalidArgument("no text block in content and no stop_reason");
  }
  reply->text = SanitizeUtf8(text);
  return Status::Ok();
}

// An assistant turn's content: its text (a plain string when it calls no tool), else
// a text block (when there is text) followed by one tool_use block per call.
json AssistantContent(const Turn& turn) {
  if (turn.tool_calls.empty()) return turn.content;
  json blocks = json::array();
  if (!turn.content.empty()) {
    blocks.push_back(json::object({{"type", "text"}, {"text", turn.content}}));
  }
  for (const ToolCall& call : turn.tool_calls) {
    blocks.push_back(json::object({{"type", "tool_use"},
                                   {"id", call.id},
                                   {"name", call.name},
                                   {"input", tool_wire::ArgumentsObject(call.arguments_json)}}));
  }
  return blocks;
}

// Appends a user message holding `block`, or adds the block to the previous message when
// that is a user message of blocks (consecutive tool results, and the text that follows
// them, form one user turn: the API wants user and assistant turns to alternate).
void AppendUserBlock(json& messages, json block) {
  if (!messages.empty() && messages.back()["role"] == "user" &&
      messages.back()["content"].is_array()) {
    messages.back()["content"].push_back(std::move(block));
    return;
  }
  messages.push_back(
      json::object({{"role", "user"}, {"content", json::array({std::move(block)})}}));
}

}  // namespace

namespace anthropic_wire {

std::string EncodeRequest(const AnthropicOptions& options, const ModelRequest& request) {
  std::string system = request.system.empty() ? options.system_prompt : request.system;
  json messages = json::array();
  for (const Turn& turn : request.conversation) {
    if (turn.role == "system") {
      system += (system.empty() ? "" : "\n\n") + turn.content;
    } else if (turn.role == "tool") {
      AppendUserBlock(messages, json::object({{"type", "tool_result"},
                                              {"tool_use_id", turn.tool_call_id},
                                              {"content", turn.content}}));
    } else if (turn.role == "user" && !messages.empty() && messages.back()["role"] == "user" &&
               messages.back()["content"].is_array()) {
      AppendUserBlock(messages, json::object({{"type", "text"}, {"text", turn.content}}));
    } else if (turn.role == "assistant") {
      messages.push_back(
          json::object({{"role", "assistant"}, {"content", AssistantContent(turn)}}));
    } else {
      messages.push_back(json::object({{"role", turn.role}, {"content", turn.content}}));
    }
  }
  json body = json::object({{"model", options.model}, {"max_tokens", options.max_tokens}});
  if (!system.empty()) body["system"] = system;
  body["messages"] = std::move(messages);
  if (options.temperature) body["temperature"] = *options.temperature;
  if (options.top_p) body["top_p"] = *options.top_p;
  if (!options.stop.empty()) body["stop_sequences"] = options.stop;
  json tools = tool_wire::ToAnthropicTools(tool_wire::ParseTools(request.tools_json));
  if (!tools.empty()) body["tools"] = std::move(tools);
  return DumpJson(body);
}

Result<DecodedReply> DecodeReply(std::string_view body) {
  try {
    SV_ASSIGN_OR_RETURN(json doc, ParseReplyJson(body));  // see json_reply.h
    if (!doc.is_object()) return Status::InvalidArgument("the body is not a JSON object");
    auto error = doc.find("error");
    if (doc.value("type", json()) == "error" || (error != doc.end() && !error->is_null())) {
      return Status::InvalidArgument("the endpoint returned an error: " +
                                     DescribeError(error != doc.end() ? *error : json()));
    }
    DecodedReply reply;
    SV_RETURN_IF_ERROR(ReadContent(doc, &reply));
    if (auto usage = doc.find("usage"); usage != doc.end()) {
      reply.prompt_tokens = JsonTokenCount(*usage, "input_tokens");
      reply.completion_tokens = JsonTokenCount(*usage, "output_tokens");
    }
    return reply;
  } catch (const json::exception& e) {
    return Status::InvalidArgument(std::string("cannot read the reply: ") + e.what());
  }
}

}  // namespace anthropic_wire

Status ValidateAnthropicOptions(const AnthropicOptions& options) {
  SV_RETURN_IF_ERROR(ValidateHttpUrl(options.base_url, "base_url"));
  if (options.model.empty()) return Status::InvalidArgument("model is required");
  if (options.anthropic_version.empty() || HasLineBreak(options.anthropic_version)) {
    return Status::InvalidArgument("anthropic_version must be a non-empty single line");
  }
  if (options.max_tokens < 1) {
    return Status::InvalidArgument("max_tokens must be >= 1, got " +
                                   std::to_string(options.max_tokens));
  }
  if (!InUnitRange(options.temperature)) {
    return Status::InvalidArgument("temperature must be in 0..1");
  }
  if (!InUnitRange(options.top_p)) return Status::InvalidArgument("top_p must be in 0..1");
  for (const std::string& stop : options.stop) {
    if (stop.empty()) return Status::InvalidArgument("stop: a stop sequence is empty");
  }
  return ValidateHttpTransport(TransportFieldsOf(options));
}

Result<std::unique_ptr<ModelClient>> MakeAnthropicClient(const AnthropicOptions& options,
                                                         Clock& clock) {
  SV_RETURN_IF_ERROR(ValidateAnthropicOptions(options));
  AnthropicOptions wire = options;
  wire.base_url = StripTrailingSlashes(options.base_url);
  CurlRunnerOptions runner =
      RunnerOptionsOf(wire, wire.base_url + "/messages", AnthropicHeaderLines(wire),
                      Secrets(wire.api_key, wire.headers));
  auto encode = [wire](const ModelRequest& request) {
    return anthropic_wire::EncodeRequest(wire, request);
  };
  return MakeRunnerClient("anthropic:" + wire.model + "@" + wire.base_url, std::move(runner),
                          encode, anthropic_wire::DecodeReply, clock);
}

}  // namespace safeval
