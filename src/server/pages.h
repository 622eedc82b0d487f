// The web UI's page handlers, one group per file; server/routes.cc maps paths to them.
// Each gets the stores (already locked by WebApp), the session when someone is logged in, and
// the path's captured segments. URLs, element ids and keyboard shortcuts: docs/web-ui.md.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "server/sessions.h"
#include "server/web_request.h"
#include "store/annotation_store.h"
#include "store/store.h"
#include "taxonomy/taxonomy.h"

namespace safeval {

struct PageContext {
  Store& runs;
  AnnotationStore& annotations;
  const Taxonomy& taxonomy;
  Sessions& sessions;
  const std::string& store_label;
  const std::string& safeval_version;
  const std::function<std::string()>& now_iso;
  std::optional<Session> session;  // the logged-in annotator, if any
};

using PathParams = std::vector<std::string>;  // the {captured} path segments, decoded
using PageHandler = WebResponse (*)(PageContext&, const WebRequest&, const PathParams&);

// pages_runs.cc — browsing (no login needed)
WebResponse RunsPage(PageContext&, const WebRequest&, const PathParams&);          // GET /
WebResponse RunPage(PageContext&, const WebRequest&, const PathParams&);           // GET /runs/{run}
WebResponse RunProgressJson(PageContext&, const WebRequest&, const PathParams&);   // GET /api/runs/{run}/progress
// pages_items.cc
WebResponse ItemsPage(PageContext&, const WebRequest&, const PathParams&);         // GET /runs/{run}/items
WebResponse ItemPage(PageContext&, const WebRequest&, const PathParams&);          // GET /runs/{run}/items/{index}
WebResponse MediaFile(PageContext&, const WebRequest&, const PathParams&);         // GET /media/{run}/{file}
// static_files.cc
WebResponse StaticFile(PageContext&, const WebRequest&, const PathParams&);        // GET /static/{name}

// pages_login.cc
WebResponse LoginPage(PageContext&, const WebRequest&, const PathParams&);         // GET /login
WebResponse LoginPost(PageContext&, const WebRequest&, const PathParams&);         // POST /login
WebResponse LogoutPost(PageContext&, const WebRequest&, const PathParams&);        // POST /logout
// pages_annotate.cc — need a session
WebResponse AnnotateHomePage(PageContext&, const WebRequest&, const PathParams&);  // GET /annotate
WebResponse AnnotateNextPage(PageContext&, const WebRequest&, const PathParams&);  // GET /annotate/{round}
WebResponse AnnotateLabelPost(PageContext&, const WebRequest&, const PathParams&); // POST /annotate/{round}/{index}
// pages_rounds.cc — agreement (no login); pages_adjudicate.cc — adjudication (an adjudicator's session)
WebResponse RoundsPage(PageContext&, const WebRequest&, const PathParams&);        // GET /rounds
WebResponse RoundPage(PageContext&, const WebRequest&, const PathParams&);         // GET /rounds/{round}
WebResponse RoundAgreementJson(PageContext&, const WebRequest&, const PathParams&);// GET /api/rounds/{round}/agreement
WebResponse AdjudicatePage(PageContext&, const WebRequest&, const PathParams&);    // GET /rounds/{round}/adjudicate
WebResponse AdjudicatePost(PageContext&, const WebRequest&, const PathParams&);    // POST /rounds/{round}/adjudicate/{index}

}  // namespace safeval
