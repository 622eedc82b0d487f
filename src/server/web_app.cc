#include "server/web_app.h"

#include <cctype>
#include <exception>
#include <utility>

#include "core/clock.h"
#include "server/annotator_token.h"
#include "server/page_layout.h"
#include "server/pages.h"
#include "server/routes.h"

namespace safeval {
namespace {

constexpr const char* kSessionCookie = "sv_session";

constexpr const char* kContentSecurityPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; media-src 'self'; connect-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'";

bool HasHeader(const WebResponse& response, std::string_view name) {
  for (const auto& [key, value] : response.headers) {
    if (key.size() != name.size()) continue;
    bool same = true;
    for (size_t i = 0; i < key.size() && same; ++i)
      same = std::tolower(static_cast<unsigned char>(key[i])) ==
             std::tolower(static_cast<unsigned char>(name[i]));
    if (same) return true;
  }
  return false;
}

void AddSecurityHeaders(WebResponse* response) {
  response->headers.emplace_back("Content-Security-Policy", kContentSecurityPolicy);
  response->headers.emplace_back("X-Content-Type-Options", "nosniff");
  response->headers.emplace_back("Referrer-Policy", "same-origin");
  response->headers.emplace_back("X-Frame-Options", "DENY");
  // Static files set their own caching; every other page shows live data.
  if (!HasHeader(*response, "Cache-Control"))
    response->headers.emplace_back("Cache-Control", "no-store");
}

// A POST from another origin (a page elsewhere submitting a form to this server) is refused:
// when the browser says where the request comes from, it must be this server.
bool SameOrigin(const WebRequest& request) {
  auto origin = request.headers.find("origin");
  if (origin == request.headers.end()) return true;
  return origin->second == "http://" + request.Header("host");
}

}  // namespace

struct WebApp::State {
  explicit State(WebAppOptions o)
      : options(std::move(o)), sessions(options.random_hex, options.steady_now) {}
  WebAppOptions options;
  Sessions sessions;
  std::mutex handler_mutex;  // the stores are not thread-safe: one handler at a time
};

namespace {

WebAppOptions WithDefaults(WebAppOptions options) {
  if (!options.now_iso) options.now_iso = [] { return SystemClock().NowIso8601(); };
  if (!options.random_hex) options.random_hex = RandomHex;
  if (!options.steady_now) options.steady_now = [] { return std::chrono::steady_clock::now(); };
  return options;
}

}  // namespace

WebApp::WebApp(WebAppOptions options)
    : state_(std::make_unique<State>(WithDefaults(std::move(options)))) {}

WebApp::~WebApp() = default;

WebResponse WebApp::Handle(const WebRequest& request) {
  const WebAppOptions& o = state_->options;
  PageContext context{*o.runs,       *o.annotations,    *o.taxonomy, state_->sessions,
                      o.store_label, o.safeval_version, o.now_iso,   std::nullopt};
  context.session = state_->sessions.Find(request.Cookie(kSessionCookie));

  const Route* route = nullptr;
  bool path_known = false;
  PathParams params;
  for (const Route& candidate : Routes()) {
    PathParams captured;
    if (!MatchRoute(candidate.pattern, request.path, &captured)) continue;
    path_known = true;
    // HEAD is answered as GET (the HTTP layer sends the headers only).
    std::string_view method = request.method == "HEAD" ? "GET" : std::string_view(request.method);
    if (candidate.method != method) continue;
    route = &candidate;
    params = std::move(captured);
    break;
  }

  WebResponse response;
  if (route == nullptr) {
    response = path_known ? ErrorPage(context, 405, "method " + request.method + " not allowed")
                          : ErrorPage(context, 404, "no page at " + request.path);
  } else if (route->needs_session && !context.session) {
    response = Redirect("/login");
  } else if (route->needs_adjudicator && !context.session->adjudicator) {
    response = ErrorPage(context, 403, "only an adjudicator may do this");
  } else if (request.method == "POST" && !SameOrigin(request)) {
    response = ErrorPage(context, 403, "the request does not come from this server");
  } else if (request.method == "POST" && route->pattern != "/login" &&
             (!context.session ||
              !TokensEqual(request.Form("csrf"), context.session->csrf_token))) {
    response =
        ErrorPage(context, 403, "the form has expired or is not from this server; reload it");
  } else {
    std::lock_guard<std::mutex> lock(state_->handler_mutex);
    try {
      response = route->handler(context, request, params);
    } catch (const std::exception&) {
      // Handlers return errors as pages; this only guards the server thread.
      response = ErrorPage(context, 500, "internal error");
    }
  }
  AddSecurityHeaders(&response);
  return response;
}

}  // namespace safeval
