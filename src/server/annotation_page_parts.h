// Small pieces the annotation pages (pages_annotate.cc, pages_rounds.cc, pages_adjudicate.cc)
// share: error pages for a store Status and for a form that was not saved. Thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/annotation.h"
#include "core/status.h"
#include "server/pages.h"

namespace safeval {

// The HTTP status for a store error: 404 NotFound, 400 InvalidArgument, 500 otherwise.
int HttpStatusOf(const Status& status);
// ErrorPage with that status and the status's message.
WebResponse StatusErrorPage(const PageContext& context, const Status& status);

// 400: `title` as the heading, the reason in #form-error (escaped here) and a link back to
// `back_href` (a path the caller built) saying `back_text`.
WebResponse FormErrorPage(const PageContext& context, std::string_view title,
                          const std::string& message, const std::string& back_href,
                          std::string_view back_text);

// True when item `index` of the run is one of the round's items.
bool InRound(const AnnotationRound& round, int64_t index);

}  // namespace safeval
