#include "model/http_target_client.h"

#include <nlohmann/json.hpp>
#include <utility>

#include "core/utf8.h"
#include "model/http_options.h"
#include "model/json_reply.h"
#include "model/json_template.h"

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
};

Result<ResponsePaths> ParsePaths(const std::vector<std::string>& paths) {
  ResponsePaths parsed;
  for (const std::string& path : paths) {
    SV_RETURN_IF_ERROR(ValidateResponsePath(path));
    parsed.pointers.emplace_back(path);
    parsed.texts.push_back(path);
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

Result<DecodedReply> Decode(std::string_view body, const ResponsePaths& paths) {
  SV_ASSIGN_OR_RETURN(json doc, ParseReplyJson(body));  // see json_reply.h
  for (const json::json_pointer& pointer : paths.pointers) {
    if (const std::string* text = StringAt(doc, pointer)) {
      DecodedReply reply;
      reply.text = SanitizeUtf8(*text);
      return reply;
    }
  }
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
                                           const std::vector<std::string>& paths) {
  SV_ASSIGN_OR_RETURN(ResponsePaths parsed, ParsePaths(paths));
  return Decode(body, parsed);
}

Result<std::unique_ptr<ModelClient>> MakeHttpTargetClient(const HttpTargetOptions& options,
                                                          Clock& clock) {
  SV_RETURN_IF_ERROR(ValidateHttpTargetOptions(options));
  SV_ASSIGN_OR_RETURN(auto headers, ExpandHeaderPlaceholders(options.headers, options.api_key));
  SV_ASSIGN_OR_RETURN(ResponsePaths paths, ParsePaths(options.response_paths));
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
      return body.Render(system, r.conversation);
    };
  }
  auto decode = [paths = std::move(paths)](std::string_view body) { return Decode(body, paths); };
  return MakeRunnerClient("http:" + options.method + " " + options.url, std::move(runner),
                          std::move(encode), decode, clock);
}

}  // namespace safeval
