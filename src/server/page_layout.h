// The frame every page shares and the small response builders handlers use.
#pragma once

#include <string>
#include <string_view>

#include "server/pages.h"

namespace safeval {

// A whole HTML page: <title>, /static/style.css, /static/app.js (deferred), a header with the
// store label, the nav (Runs, Rounds, Annotate, and Log in / "name · Log out" with its CSRF
// form), then `body_html` (already escaped by the caller) in <main>.
WebResponse HtmlPage(const PageContext& context, std::string_view title, std::string body_html);
// An HTML page with the status and the escaped message (404 "no run 'x'", 400, 403...).
WebResponse ErrorPage(const PageContext& context, int status, std::string_view message);
// 303 See Other to `location`.
WebResponse Redirect(std::string location);
// application/json; charset=utf-8.
WebResponse JsonResponse(std::string body, int status = 200);
// The hidden CSRF field for forms of the session ("" without one).
std::string CsrfField(const PageContext& context);

}  // namespace safeval
