// GET/POST /login and POST /logout (docs/web-ui.md). An annotator logs in with the token
// `safeval annotators add` printed; the store keeps only its hash, and the token is never
// echoed, logged or put in an error.
#include <string>

#include "report/report.h"
#include "server/annotator_token.h"
#include "server/page_layout.h"
#include "server/pages.h"

namespace safeval {
namespace {

constexpr const char* kSessionCookie = "sv_session";

std::string LoginForm() {
  return "<form id=\"login-form\" method=\"post\" action=\"/login\">"
         "<p><label for=\"token\">Annotator token</label><br>"
         "<input id=\"token\" type=\"password\" name=\"token\" autocomplete=\"off\" "
         "autofocus required size=\"72\"></p>"
         "<p><button type=\"submit\">Log in</button></p></form>\n"
         "<p class=\"muted\">The token is the one <code>safeval annotators add NAME</code> "
         "printed (<code>safeval annotators reset-token NAME</code> makes a new one).</p>\n";
}

// The login page; `error` (plain text, escaped here) above the form when not empty.
WebResponse LoginResponse(const PageContext& context, int status, const std::string& error) {
  std::string body = "<h1>Log in to annotate</h1>\n";
  if (context.session) {
    body += "<p>You are logged in as <strong>" + HtmlEscape(context.session->annotator) +
            "</strong>: <a href=\"/annotate\">your rounds</a>.</p>\n";
  }
  if (!error.empty())
    body += "<p id=\"login-error\" class=\"error\">" + HtmlEscape(error) + "</p>\n";
  WebResponse response = HtmlPage(context, "Log in", body + LoginForm());
  response.status = status;
  return response;
}

}  // namespace

WebResponse LoginPage(PageContext& context, const WebRequest&, const PathParams&) {
  return LoginResponse(context, 200, "");
}

WebResponse LoginPost(PageContext& context, const WebRequest& request, const PathParams&) {
  const std::string token = request.Form("token");
  if (token.empty()) return LoginResponse(context, 401, "Enter your annotator token.");
  Result<std::optional<Annotator>> found =
      context.annotations.FindAnnotatorByTokenHash(TokenHash(token));
  if (!found.ok()) return ErrorPage(context, 500, found.status().message());
  if (!found->has_value()) {
    return LoginResponse(context, 401, "That token is not valid. Check it, or ask for a new one.");
  }
  // A new session id at every login: an id someone saw before the login is worth nothing.
  if (context.session) context.sessions.End(context.session->id);
  const Annotator& annotator = **found;
  Session session = context.sessions.Create(annotator.name, annotator.adjudicator);
  WebResponse response = Redirect("/annotate");
  response.headers.emplace_back("Set-Cookie", std::string(kSessionCookie) + "=" + session.id +
                                                  "; HttpOnly; SameSite=Strict; Path=/");
  return response;
}

WebResponse LogoutPost(PageContext& context, const WebRequest&, const PathParams&) {
  if (context.session) context.sessions.End(context.session->id);
  WebResponse response = Redirect("/");
  response.headers.emplace_back(
      "Set-Cookie",
      std::string(kSessionCookie) + "=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0");
  return response;
}

}  // namespace safeval
