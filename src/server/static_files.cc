// GET /static/{name}: the UI's script and style sheet, compiled in (server/static_files.h).
#include "server/static_files.h"

#include <string>

#include "server/page_layout.h"
#include "server/pages.h"

namespace safeval {
namespace {

// The files change only with the binary: a browser may keep them for a day.
constexpr const char* kStaticCacheControl = "public, max-age=86400";

std::string ContentTypeOf(std::string_view name) {
  if (name.ends_with(".js")) return "text/javascript; charset=utf-8";
  if (name.ends_with(".css")) return "text/css; charset=utf-8";
  return "application/octet-stream";
}

}  // namespace

WebResponse StaticFile(PageContext& context, const WebRequest&, const PathParams& params) {
  std::optional<std::string_view> content = WebFile(params.at(0));
  if (!content) return ErrorPage(context, 404, "no static file '" + params.at(0) + "'");
  WebResponse response;
  response.content_type = ContentTypeOf(params.at(0));
  response.body = std::string(*content);
  response.headers.emplace_back("Cache-Control", kStaticCacheControl);
  return response;
}

}  // namespace safeval
