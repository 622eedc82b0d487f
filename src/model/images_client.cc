#include "model/images_client.h"

#include <nlohmann/json.hpp>
#include <string_view>
#include <utility>

#include "core/base64.h"
#include "core/utf8.h"
#include "model/curl_runner.h"
#include "model/http_download.h"
#include "model/http_options.h"
#include "model/image_type.h"
#include "model/json_reply.h"

namespace safeval {
namespace {

using nlohmann::json;

constexpr size_t kMaxDownloadBytes = size_t{50} << 20;

// The prompt of an image request: the last user turn (or the last turn of any role when
// none is the user's; "" for an empty conversation).
std::string PromptOf(const std::vector<Turn>& conversation) {
  for (auto it = conversation.rbegin(); it != conversation.rend(); ++it) {
    if (it->role == "user") return it->content;
  }
  return conversation.empty() ? "" : conversation.back().content;
}

std::string EncodeImagesRequest(const ImagesOptions& options, const ModelRequest& request) {
  json body = json::object(
      {{"model", options.model}, {"prompt", PromptOf(request.conversation)}, {"n", 1}});
  if (!options.size.empty()) body["size"] = options.size;
  if (!options.response_format.empty()) body["response_format"] = options.response_format;
  return DumpJson(body);
}

// CurlRunner's decoder can only hand text to the reply, so the decoder passes the checked
// image reference through DecodedReply::text as this small JSON object and the client
// (Complete below) turns it into ModelReply::media:
//   {"b64": "<base64>"?, "url": "<http(s) URL>"?, "revised_prompt": "..."?}
// At least one of b64 and url is present; b64 is known to decode.
Result<std::string> OptionalString(const json& object, const char* field) {
  auto it = object.find(field);
  if (it == object.end() || it->is_null()) return std::string();
  if (!it->is_string()) {
    return Status::InvalidArgument(std::string("data[0].") + field + " is not a string");
  }
  return it->get<std::string>();
}

Result<json> ImageReference(const json& image) {
  json ref = json::object();
  SV_ASSIGN_OR_RETURN(std::string b64, OptionalString(image, "b64_json"));
  SV_ASSIGN_OR_RETURN(std::string url, OptionalString(image, "url"));
  SV_ASSIGN_OR_RETURN(std::string revised, OptionalString(image, "revised_prompt"));
  if (!b64.empty()) {
    Result<std::string> bytes = Base64Decode(b64);
    if (!bytes.ok()) {
      return Status::InvalidArgument("data[0].b64_json is not valid base64 (" +
                                     bytes.status().message() + ")");
    }
    if (bytes->empty()) return Status::InvalidArgument("data[0].b64_json is empty");
    ref["b64"] = std::move(b64);
  }
  if (!url.empty()) {
    SV_RETURN_IF_ERROR(ValidateHttpUrl(url, "data[0].url"));
    ref["url"] = std::move(url);
  }
  if (!ref.contains("b64") && !ref.contains("url")) {
    return Status::InvalidArgument("data[0] has neither b64_json nor url");
  }
  if (!revised.empty()) ref["revised_prompt"] = SanitizeUtf8(revised);
  return ref;
}

Result<DecodedReply> DecodeImagesReply(std::string_view body) {
  try {
    SV_ASSIGN_OR_RETURN(json doc, ParseReplyJson(body));  // see json_reply.h
    if (!doc.is_object()) return Status::InvalidArgument("the body is not a JSON object");
    if (auto error = doc.find("error"); error != doc.end() && !error->is_null()) {
      return Status::InvalidArgument("the endpoint returned an error: " + JsonErrorMessage(*error));
    }
    auto data = doc.find("data");
    if (data == doc.end() || !data->is_array() || data->empty()) {
      return Status::InvalidArgument("no data[0] in the reply");
    }
    if (!(*data)[0].is_object()) return Status::InvalidArgument("data[0] is not an object");
    SV_ASSIGN_OR_RETURN(json ref, ImageReference((*data)[0]));
    DecodedReply reply;
    reply.text = DumpJson(ref);
    return reply;
  } catch (const json::exception& e) {
    return Status::InvalidArgument(std::string("cannot read the reply: ") + e.what());
  }
}

class ImagesClient final : public ModelClient {
 public:
  ImagesClient(std::string identity, ImagesOptions options, std::unique_ptr<CurlRunner> runner,
               Clock& clock)
      : identity_(std::move(identity)),
        options_(std::move(options)),
        secrets_(Secrets(options_.api_key, options_.headers)),
        runner_(std::move(runner)),
        clock_(clock) {}

  std::string Identity() const override { return identity_; }

  Status Run(const RunHooks& hooks) override {
    if (!hooks.next || !hooks.on_reply) {
      return Status::InvalidArgument("RunHooks.next and RunHooks.on_reply are required");
    }
    RunHooks inner = hooks;
    inner.on_reply = [this, &hooks](ModelReply&& reply) { Complete(std::move(reply), hooks); };
    return runner_->Run(inner);
  }

 private:
  // Turns a successful generation reply's image reference into media (downloading a URL),
  // then delivers it; failures pass through unchanged.
  void Complete(ModelReply&& reply, const RunHooks& hooks) {
    if (reply.ok) {
      json ref = json::parse(reply.text, nullptr, /*allow_exceptions=*/false);
      if (!ref.is_object()) {  // cannot happen: DecodeImagesReply wrote it
        reply.ok = false;
        reply.error = "internal error: unreadable image reference";
        hooks.on_reply(std::move(reply));
        return;
      }
      reply.text = ref.value("revised_prompt", "");
      MediaOutput media;
      media.source_url = ref.value("url", "");
      if (ref.contains("b64")) {
        media.data = Base64Decode(ref["b64"].get_ref<const std::string&>()).value();
      } else if (!Download(media, reply, hooks)) {
        return;  // cancelled: no reply
      }
      if (reply.ok) {
        media.mime_type = SniffImageMimeType(media.data);
        reply.media = std::move(media);
      }
    }
    hooks.on_reply(std::move(reply));
  }

  // Fills media.data from media.source_url, or fails `reply`. False when cancelled.
  bool Download(MediaOutput& media, ModelReply& reply, const RunHooks& hooks) {
    DownloadOptions download;
    download.timeout_ms = options_.timeout_ms;
    download.connect_timeout_ms = options_.connect_timeout_ms;
    download.max_bytes = kMaxDownloadBytes;
    download.cancel = hooks.cancel;
    int64_t start = clock_.NowMs();
    DownloadResult got = HttpDownload(media.source_url, download);
    reply.latency_ms += clock_.NowMs() - start;
    if (got.cancelled || (hooks.cancel && hooks.cancel->load())) return false;
    if (got.ok) {
      media.data = std::move(got.body);
      return true;
    }
    reply.ok = false;
    reply.text.clear();
    reply.http_status = got.http_status;
    reply.error =
        Redact(SanitizeUtf8("download failed: " + media.source_url + ": " + got.error), secrets_);
    return true;
  }

  std::string identity_;
  ImagesOptions options_;
  std::vector<std::string> secrets_;
  std::unique_ptr<CurlRunner> runner_;
  Clock& clock_;
};

}  // namespace

Status ValidateImagesOptions(const ImagesOptions& options) {
  SV_RETURN_IF_ERROR(ValidateHttpUrl(options.base_url));
  if (options.model.empty()) return Status::InvalidArgument("model is required");
  if (!options.response_format.empty() && options.response_format != "url" &&
      options.response_format != "b64_json") {
    return Status::InvalidArgument("response_format must be \"url\" or \"b64_json\", got \"" +
                                   options.response_format + "\"");
  }
  return ValidateHttpTransport(TransportFieldsOf(options));
}

Result<std::unique_ptr<ModelClient>> MakeImagesClient(const ImagesOptions& options, Clock& clock) {
  SV_RETURN_IF_ERROR(ValidateImagesOptions(options));
  ImagesOptions wire = options;
  wire.base_url = StripTrailingSlashes(options.base_url);
  std::vector<std::pair<std::string, std::string>> defaults = {
      {"Content-Type", "application/json"}};
  if (!wire.api_key.empty()) defaults.push_back({"Authorization", "Bearer " + wire.api_key});
  CurlRunnerOptions runner =
      RunnerOptionsOf(wire, wire.base_url + "/images/generations",
                      HeaderLines(defaults, wire.headers), Secrets(wire.api_key, wire.headers));
  auto encode = [wire](const ModelRequest& request) { return EncodeImagesRequest(wire, request); };
  SV_ASSIGN_OR_RETURN(std::unique_ptr<CurlRunner> curl,
                      CurlRunner::Create(std::move(runner), encode, DecodeImagesReply, clock));
  std::string identity = "images:" + wire.model + "@" + wire.base_url;
  return std::unique_ptr<ModelClient>(
      new ImagesClient(std::move(identity), std::move(wire), std::move(curl), clock));
}

}  // namespace safeval
