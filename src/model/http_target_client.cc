#include "model/http_target_client.h"

#include <nlohmann/json.hpp>
#include <optional>
#include <utility>

#include "core/utf8.h"
#include "model/http_options.h"
#include "model/json_reply.h"
#include "model/json_template.h"
#include "model/tool_wire.h"

namespace safeval {
namespace {

using nlohmann::json;

bool SendsBody(const std::string& method) { return method != "GET"; }

std::string QuotedList(const std::vector<std::string>& paths) {
  std::string out;
  for (const std::string& p : paths) out += (out.empty() ? "\"" : ", \"") + p + "\"";
  return out;
}

// Parsed pointers, with the text of each for messages.
struct ResponsePaths {
  std::vector<json::json_pointer> pointers;
  std::vector<std::string> texts;
  std::optional<json::json_pointer> tool_calls;  // tool_calls_pointer, when set
  std::string tool_calls_text;
};

Result<ResponsePaths> ParsePaths(const std::vector<std::string>& paths,
                                 const std::string& tool_calls_pointer) {
  ResponsePaths parsed;
  for (const std::string& path : paths) {
    SV_RETURN_IF_ERROR(ValidateResponsePath(path));
    parsed.pointers.emplace_back(path);
    parsed.texts.push_back(path);
  }
  if (!tool_calls_pointer.empty()) {
    SV_RETURN_IF_ERROR(ValidateToolCallsPointer(tool_calls_pointer));
    parsed.tool_calls.emplace(tool_calls_pointer);
    parsed.tool_calls_text = tool_calls_pointer;
  }
  return parsed;
}

// The string at `pointer` in `doc`, or null when it is absent or not a string.
const std::string* StringAt(const json& doc, const json::json_pointer& pointer) {
  try {
    if (!doc.contains(pointer)) return nullptr;
    const json& value = doc.at(pointer);
    return value.is_string() ? &value.get_ref<const std::string&>() : nullptr;
  } catch (const json::exception&) {
    return nullptr;  // e.g. an array index too large to represent
  }
}

// The value at `pointer` in `doc`, or null when it is absent.
const json* ValueAt(const json& doc, const json::json_pointer& pointer) {
  try {
    return doc.contains(pointer) ? &doc.at(pointer) : nullptr;
  } catch (const json::exception&) {
    return nullptr;
  }
}

// The tool calls at paths.tool_calls: none when it is unset, absent or null.
Result<std::vector<ToolCall>> ToolCallsAt(const json& doc, const ResponsePaths& paths) {
  if (!paths.tool_calls) return std::vector<ToolCall>();
  const json* calls = ValueAt(doc, *paths.tool_calls);
  if (calls == nullptr || calls->is_null()) return std::vector<ToolCall>();
  return tool_wire::ToolCallsFromJson(*calls,
                                      "tool_calls_pointer \"" + paths.tool_calls_text + "\"");
}

Result<DecodedReply> Decode(std::string_view body, const ResponsePaths& paths) {
  SV_ASSIGN_OR_RETURN(json doc, ParseReplyJson(body));  // see json_reply.h
  DecodedReply reply;
  SV_ASSIGN_OR_RETURN(reply.tool_calls, ToolCallsAt(doc, paths));
  for (const json::json_pointer& pointer : paths.pointers) {
    if (const std::string* text = StringAt(doc, pointer)) {
      reply.text = SanitizeUtf8(*text);
      return reply;
    }
  }
  if (!reply.tool_calls.empty()) return reply;  // a reply that only calls tools
  return Status::InvalidArgument("no string at any of the response paths " +
                                 QuotedList(paths.texts));
}

std::vector<std::string> RequestHeaderLines(const HttpTargetOptions& options,
                                            const std::map<std::string, std::string>& headers) {
  std::vector<std::pair<std::string, std::string>> defaults;
  if (SendsBody(options.method)) defaults.push_back({"Content-Type", "application/json"});
  return HeaderLines(defaults, headers);
}

Status ValidateBody(const HttpTargetOptions& options) {
  if (!SendsBody(options.method)) {
    if (!options.body_template.empty()) {
      return Status::InvalidArgument("body: a GET request sends no body; remove it or use POST");
    }
    return Status::Ok();
  }
  if (options.body_template.empty()) {
    return Status::InvalidArgument("body: required for method " + options.method);
  }
  SV_ASSIGN_OR_RETURN(BodyTemplate body,
                      BodyTemplate::Parse(options.body_template, options.variables));
  if (!body.UsesConversation()) {
    return Status::InvalidArgument(
        "body: uses neither {{prompt}} nor {{messages_json}}, so every request would be the "
        "same");
  }
  return Status::Ok();
}

}  // namespace

Status ValidateResponsePath(const std::string& pointer) {
  try {
    json::json_pointer parsed(pointer);
    (void)parsed;
  } catch (const json::exception&) {
    return Status::InvalidArgument("response_path: \"" + pointer +
                                   "\" is not a JSON pointer (expected \"\" or \"/a/0/b\"; "
                                   "escape '~' as ~0 and '/' as ~1)");
  }
  return Status::Ok();
}

Status ValidateToolCallsPointer(const std::string& pointer) {
  if (pointer.empty()) return Status::Ok();
  Status valid = ValidateResponsePath(pointer);
  if (valid.ok()) return valid;
  std::string message = valid.message();
  return Status::InvalidArgument("tool_calls_pointer: " +
                                 message.substr(message.find(':') + 2));
}

Status ValidateHttpTargetOptions(const HttpTargetOptions& options) {
  SV_RETURN_IF_ERROR(ValidateHttpUrl(options.url, "url"));
  if (options.method != "POST" && options.method != "PUT" && options.method != "GET") {
    return Status::InvalidArgument("method must be POST, PUT or GET, got \"" + options.method +
                                   "\"");
  }
  SV_RETURN_IF_ERROR(ValidateBody(options));
  if (options.response_paths.empty()) {
    return Status::InvalidArgument("response_path: at least one JSON pointer is required");
  }
  for (const std::string& path : options.response_paths) {
    SV_RETURN_IF_ERROR(ValidateResponsePath(path));
  }
  SV_RETURN_IF_ERROR(ValidateToolCallsPointer(options.tool_calls_pointer));
  for (int status : options.ok_statuses) {
    if (status < 100 || status > 599) {
      return Status::InvalidArgument("ok_status: " + std::to_string(status) +
                                     " is not an HTTP status (100..599)");
    }
  }
  SV_ASSIGN_OR_RETURN(auto headers, ExpandHeaderPlaceholders(options.headers, options.api_key));
  SV_RETURN_IF_ERROR(ValidateHeaders(headers));
  return ValidateHttpTransport(TransportFieldsOf(options));
}

Result<DecodedReply> DecodeHttpTargetReply(std::string_view body,
                                           const std::vector<std::string>& paths,
                                           const std::string& tool_calls_pointer) {
  SV_ASSIGN_OR_RETURN(ResponsePaths parsed, ParsePaths(paths, tool_calls_pointer));
  return Decode(body, parsed);
}

Result<std::unique_ptr<ModelClient>> MakeHttpTargetClient(const HttpTargetOptions& options,
                                                          Clock& clock) {
  SV_RETURN_IF_ERROR(ValidateHttpTargetOptions(options));
  SV_ASSIGN_OR_RETURN(auto headers, ExpandHeaderPlaceholders(options.headers, options.api_key));
  SV_ASSIGN_OR_RETURN(ResponsePaths paths,
                      ParsePaths(options.response_paths, options.tool_calls_pointer));
  CurlRunnerOptions runner =
      RunnerOptionsOf(options, options.url, RequestHeaderLines(options, headers),
                      Secrets(options.api_key, headers));
  runner.endpoint.method = options.method;
  runner.ok_statuses = options.ok_statuses;

  RequestEncoder encode = [](const ModelRequest&) { return std::string(); };
  if (SendsBody(options.method)) {
    SV_ASSIGN_OR_RETURN(BodyTemplate body,
                        BodyTemplate::Parse(options.body_template, options.variables));
    encode = [body = std::move(body), system = options.system_prompt](const ModelRequest& r) {
      return body.Render(r.system.empty() ? system : r.system, r.conversation, r.tools_json);
    };
  }
  auto decode = [paths = std::move(paths)](std::string_view body) { return Decode(body, paths); };
  return MakeRunnerClient("http:" + options.method + " " + options.url, std::move(runner),
                          std::move(encode), decode, clock);
}

}  // namespace safeval
