#include "model/http_options.h"

#include <cctype>

namespace safeval {
namespace {

std::string Lower(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower;
}

}  // namespace

bool HasLineBreak(std::string_view text) { return text.find_first_of("\r\n") != text.npos; }

std::string StripTrailingSlashes(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

Status ValidateHttpUrl(const std::string& url, std::string_view field) {
  const std::string name(field);
  std::string_view rest = url;
  if (rest.starts_with("https://")) {
    rest.remove_prefix(8);
  } else if (rest.starts_with("http://")) {
    rest.remove_prefix(7);
  } else {
    return Status::InvalidArgument(name + " must start with http:// or https://, got \"" + url +
                                   "\"");
  }
  std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
  if (authority.empty()) return Status::InvalidArgument(name + " has no host: \"" + url + "\"");
  if (authority.find('@') != authority.npos) {
    // Never echo it: the part before '@' is a credential.
    return Status::InvalidArgument(
        name + " must not contain credentials (user:password@); use api_key_env or headers");
  }
  if (url.find_first_of(" \t\r\n") != url.npos) {
    return Status::InvalidArgument(name + " contains whitespace: \"" + url + "\"");
  }
  return Status::Ok();
}

Status ValidateHeaders(const std::map<std::string, std::string>& headers) {
  for (const auto& [name, value] : headers) {
    if (name.empty() || name.find(':') != name.npos || HasLineBreak(name) ||
        name.find_first_of(" \t") != name.npos) {
      return Status::InvalidArgument("headers: invalid header name \"" + name + "\"");
    }
    if (HasLineBreak(value)) {
      return Status::InvalidArgument("headers: the value of \"" + name +
                                     "\" contains a line break");
    }
  }
  return Status::Ok();
}

bool IsCredentialHeader(std::string_view name) {
  std::string lower = Lower(name);
  if (lower == "authorization" || lower == "cookie") return true;
  for (std::string_view part : {"key", "token", "secret", "password", "auth"}) {
    if (lower.find(part) != lower.npos) return true;
  }
  return false;
}

std::vector<std::string> HeaderLines(
    const std::vector<std::pair<std::string, std::string>>& defaults,
    const std::map<std::string, std::string>& extra) {
  std::vector<std::string> lines;
  for (const auto& [name, value] : defaults) {
    bool overridden = false;
    for (const auto& [extra_name, unused] : extra) overridden |= Lower(extra_name) == Lower(name);
    if (!overridden) lines.push_back(name + ": " + value);
  }
  for (const auto& [name, value] : extra) lines.push_back(name + ": " + value);
  return lines;
}

std::vector<std::string> Secrets(const std::string& api_key,
                                 const std::map<std::string, std::string>& headers) {
  std::vector<std::string> secrets;
  if (!api_key.empty()) secrets.push_back(api_key);
  for (const auto& [name, value] : headers) {
    if (IsCredentialHeader(name) && !value.empty()) secrets.push_back(value);
  }
  return secrets;
}

Status ValidateHttpTransport(const HttpTransportFields& f) {
  if (f.concurrency < 1 || f.concurrency > kMaxHttpConcurrency) {
    return Status::InvalidArgument("concurrency must be in 1.." +
                                   std::to_string(kMaxHttpConcurrency) + ", got " +
                                   std::to_string(f.concurrency));
  }
  if (f.timeout_ms <= 0) return Status::InvalidArgument("timeout_ms must be > 0");
  if (f.connect_timeout_ms <= 0) return Status::InvalidArgument("connect_timeout_ms must be > 0");
  if (f.unreachable_after < 0) return Status::InvalidArgument("unreachable_after must be >= 0");
  if (f.api_key && HasLineBreak(*f.api_key)) {
    return Status::InvalidArgument("api_key contains a line break");  // never echo the key
  }
  if (f.headers) SV_RETURN_IF_ERROR(ValidateHeaders(*f.headers));
  if (f.retry) SV_RETURN_IF_ERROR(ValidateRetryOptions(*f.retry));
  return Status::Ok();
}

namespace {

// A ModelClient that is nothing but a CurlRunner with a name.
class RunnerClient final : public ModelClient {
 public:
  RunnerClient(std::string identity, std::unique_ptr<CurlRunner> runner)
      : identity_(std::move(identity)), runner_(std::move(runner)) {}

  std::string Identity() const override { return identity_; }
  Status Run(const RunHooks& hooks) override { return runner_->Run(hooks); }

 private:
  std::string identity_;
  std::unique_ptr<CurlRunner> runner_;
};

}  // namespace

Result<std::unique_ptr<ModelClient>> MakeRunnerClient(std::string identity,
                                                      CurlRunnerOptions runner,
                                                      RequestEncoder encoder, ReplyDecoder decoder,
                                                      Clock& clock) {
  SV_ASSIGN_OR_RETURN(std::unique_ptr<CurlRunner> curl,
                      CurlRunner::Create(std::move(runner), std::move(encoder), std::move(decoder),
                                         clock));
  return std::unique_ptr<ModelClient>(new RunnerClient(std::move(identity), std::move(curl)));
}

}  // namespace safeval
