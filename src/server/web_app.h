// WebApp: the web UI of `safeval serve` as one function from WebRequest to WebResponse. It
// routes (server/routes.cc), finds the session, checks CSRF on every POST, serialises access to
// the stores (they are not thread-safe) and adds the security headers to every response:
//   Content-Security-Policy: default-src 'none'; script-src 'self'; style-src 'self'
//     'unsafe-inline'; img-src 'self' data:; media-src 'self'; connect-src 'self';
//     form-action 'self'; frame-ancestors 'none'; base-uri 'none'
//   X-Content-Type-Options: nosniff; Referrer-Policy: same-origin (with no-referrer, browsers send
//   "Origin: null" on same-origin form posts, which the origin check must refuse); X-Frame-Options: DENY;
//   Cache-Control: no-store (except /static/).
// Every text that comes from a model, a prompt, a dataset or a user is HTML-escaped; no page
// has inline script. Thread-safe.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "server/sessions.h"
#include "server/web_request.h"
#include "store/annotation_store.h"
#include "store/store.h"
#include "taxonomy/taxonomy.h"

namespace safeval {

struct WebAppOptions {
  Store* runs = nullptr;                    // required
  AnnotationStore* annotations = nullptr;   // required
  const Taxonomy* taxonomy = nullptr;       // required: hazard names on run pages
  std::string store_label;                  // shown in the page header (a path, never a password)
  std::string safeval_version;              // shown in reports ("0.1.0 (abc123)")
  std::function<std::string()> now_iso;     // ISO 8601 UTC now; default: the system clock
  std::function<std::string(size_t)> random_hex;  // default: RandomHex (annotator_token.h)
  std::function<std::chrono::steady_clock::time_point()> steady_now;  // session expiry
};

class WebApp {
 public:
  explicit WebApp(WebAppOptions options);
  ~WebApp();
  WebResponse Handle(const WebRequest& request);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace safeval
