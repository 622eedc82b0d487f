#include "server/routes.h"

namespace safeval {
namespace {

// Splits "/a/b/c" into {"a", "b", "c"}; "/" into {}. A trailing slash leaves an empty segment.
// REQUIRES: path starts with '/'.
std::vector<std::string_view> Segments(std::string_view path) {
  std::vector<std::string_view> segments;
  path.remove_prefix(1);
  if (path.empty()) return segments;
  while (true) {
    size_t slash = path.find('/');
    segments.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return segments;
}

bool IsCapture(std::string_view segment) {
  return segment.size() >= 2 && segment.front() == '{' && segment.back() == '}';
}

}  // namespace

const std::vector<Route>& Routes() {
  static const std::vector<Route> kRoutes = {
      {"GET", "/", RunsPage},
      {"GET", "/runs/{run}", RunPage},
      {"GET", "/api/runs/{run}/progress", RunProgressJson},
      {"GET", "/runs/{run}/items", ItemsPage},
      {"GET", "/runs/{run}/items/{index}", ItemPage},
      {"GET", "/media/{run}/{file}", MediaFile},
      {"GET", "/static/{name}", StaticFile},
      {"GET", "/login", LoginPage},
      {"POST", "/login", LoginPost},
      {"POST", "/logout", LogoutPost, /*needs_session=*/true},
      {"GET", "/annotate", AnnotateHomePage, true},
      {"GET", "/annotate/{round}", AnnotateNextPage, true},
      {"POST", "/annotate/{round}/{index}", AnnotateLabelPost, true},
      {"GET", "/rounds", RoundsPage},
      {"GET", "/rounds/{round}", RoundPage},
      {"GET", "/api/rounds/{round}/agreement", RoundAgreementJson},
      {"GET", "/rounds/{round}/adjudicate", AdjudicatePage, true, /*needs_adjudicator=*/true},
      {"POST", "/rounds/{round}/adjudicate/{index}", AdjudicatePost, true, true},
  };
  return kRoutes;
}

bool MatchRoute(std::string_view pattern, std::string_view path, PathParams* params) {
  if (path.empty() || path.front() != '/') return false;
  std::vector<std::string_view> want = Segments(pattern), got = Segments(path);
  if (want.size() != got.size()) return false;
  PathParams captured;
  for (size_t i = 0; i < want.size(); ++i) {
    if (IsCapture(want[i])) {
      if (got[i].empty()) return false;
      captured.emplace_back(got[i]);
    } else if (want[i] != got[i]) {
      return false;
    }
  }
  *params = std::move(captured);
  return true;
}

}  // namespace safeval
