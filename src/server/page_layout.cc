#include "server/page_layout.h"

#include <utility>

#include "report/report.h"

namespace safeval {
namespace {

std::string Nav(const PageContext& context) {
  std::string html =
      "<nav><a href=\"/\">Runs</a><a href=\"/rounds\">Rounds</a><a href=\"/annotate\">Annotate</a>";
  if (context.session) {
    html += "<form class=\"logout\" method=\"post\" action=\"/logout\">" + CsrfField(context) +
            "<span class=\"who\">" + HtmlEscape(context.session->annotator) +
            "</span> \u00b7 <button type=\"submit\">Log out</button></form>";
  } else {
    html += "<a class=\"login\" href=\"/login\">Log in</a>";
  }
  return html + "</nav>";
}

}  // namespace

WebResponse HtmlPage(const PageContext& context, std::string_view title, std::string body_html) {
  WebResponse response;
  response.body =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      "<title>" +
      HtmlEscape(title) +
      " \u2014 safeval</title>"
      "<link rel=\"stylesheet\" href=\"/static/style.css\">"
      "<script src=\"/static/app.js\" defer></script></head><body>"
      "<header class=\"site\"><a class=\"brand\" href=\"/\">safeval</a><span class=\"store\">" +
      HtmlEscape(context.store_label) + "</span>" + Nav(context) + "</header><main>" +
      std::move(body_html) + "</main></body></html>\n";
  return response;
}

WebResponse ErrorPage(const PageContext& context, int status, std::string_view message) {
  WebResponse response =
      HtmlPage(context, "Error " + std::to_string(status),
               "<h1>Error " + std::to_string(status) + "</h1><p id=\"error-message\">" +
                   HtmlEscape(message) + "</p>");
  response.status = status;
  return response;
}

WebResponse Redirect(std::string location) {
  WebResponse response;
  response.status = 303;
  response.content_type = "text/plain; charset=utf-8";
  response.headers.emplace_back("Location", std::move(location));
  return response;
}

WebResponse JsonResponse(std::string body, int status) {
  WebResponse response;
  response.status = status;
  response.content_type = "application/json; charset=utf-8";
  response.body = std::move(body);
  return response;
}

std::string CsrfField(const PageContext& context) {
  if (!context.session) return "";
  return "<input type=\"hidden\" name=\"csrf\" value=\"" + HtmlEscape(context.session->csrf_token) +
         "\">";
}

}  // namespace safeval
