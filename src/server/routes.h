// The web UI's route table: which handler (server/pages.h) answers which method and path, and
// what the request needs before the handler runs. WebApp (web_app.cc) applies it.
#pragma once

#include <string_view>
#include <vector>

#include "server/pages.h"

namespace safeval {

struct Route {
  std::string_view method;   // "GET" or "POST"
  std::string_view pattern;  // "/runs/{run}/items/{index}": each {name} captures one segment
  PageHandler handler;
  bool needs_session = false;      // without one: 303 to /login
  bool needs_adjudicator = false;  // a session whose annotator is an adjudicator, else 403
};

// Every route of docs/web-ui.md.
const std::vector<Route>& Routes();

// True when `path` matches `pattern` segment by segment; the captured segments go to `params`
// (in order). A capture never matches an empty segment.
bool MatchRoute(std::string_view pattern, std::string_view path, PathParams* params);

}  // namespace safeval
