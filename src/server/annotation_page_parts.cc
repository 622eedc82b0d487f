#include "server/annotation_page_parts.h"

#include <algorithm>

#include "report/report.h"
#include "server/page_layout.h"

namespace safeval {

int HttpStatusOf(const Status& status) {
  switch (status.code()) {
    case StatusCode::kNotFound:
      return 404;
    case StatusCode::kInvalidArgument:
      return 400;
    default:
      return 500;
  }
}

WebResponse StatusErrorPage(const PageContext& context, const Status& status) {
  return ErrorPage(context, HttpStatusOf(status), status.message());
}

WebResponse FormErrorPage(const PageContext& context, std::string_view title,
                          const std::string& message, const std::string& back_href,
                          std::string_view back_text) {
  WebResponse response =
      HtmlPage(context, title,
               "<h1>" + HtmlEscape(title) + "</h1><p id=\"form-error\" class=\"error\">" +
                   HtmlEscape(message) + "</p><p><a href=\"" + HtmlEscape(back_href) + "\">" +
                   HtmlEscape(back_text) + "</a></p>");
  response.status = 400;
  return response;
}

bool InRound(const AnnotationRound& round, int64_t index) {
  return std::find(round.items.begin(), round.items.end(), index) != round.items.end();
}

}  // namespace safeval
