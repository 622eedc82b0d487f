// Small helpers for adapters that read JSON replies (openai, anthropic, http): token
// counts, an endpoint's error message, and dumping without exceptions. Include only from
// .cc files of model/: it pulls in nlohmann/json. Thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "core/status.h"

namespace safeval {

// usage[field] as a non-negative int (saturated); -1 when absent, negative or not an
// integer.
int JsonTokenCount(const nlohmann::json& usage, const char* field);

// The message an endpoint put in an error value: "..." itself, {"message": "..."}, or
// the value dumped as JSON otherwise.
std::string JsonErrorMessage(const nlohmann::json& error);

// InvalidArgument "the body nests JSON more than 128 levels deep" for a reply body whose
// arrays and objects nest deeper than kMaxJsonDepth. Every decoder calls it before parsing:
// copying or dumping such a value (e.g. an error value into a message) recurses once per
// level and a hostile endpoint's [[[[…]]]] would overflow the stack (core/json_depth.h;
// found by fuzz/model_reply_fuzzer.cc).
Status CheckReplyDepth(std::string_view body);

// `body` parsed after CheckReplyDepth; InvalidArgument "the body is not JSON" when it does
// not parse. Every decoder's first step.
Result<nlohmann::json> ParseReplyJson(std::string_view body);

// `value` as compact JSON; invalid UTF-8 in strings becomes U+FFFD instead of throwing.
std::string DumpJson(const nlohmann::json& value);

}  // namespace safeval
