#include "model/json_reply.h"

#include <algorithm>
#include <cstdint>
#include <limits>

#include "core/json_depth.h"

namespace safeval {

using nlohmann::json;

int JsonTokenCount(const json& usage, const char* field) {
  if (!usage.is_object()) return -1;
  auto it = usage.find(field);
  if (it == usage.end() || !it->is_number_integer()) return -1;
  int64_t n = it->get<int64_t>();
  if (n < 0) return -1;
  return static_cast<int>(std::min<int64_t>(n, std::numeric_limits<int>::max()));
}

std::string JsonErrorMessage(const json& error) {
  if (error.is_string()) return error.get<std::string>();
  if (error.is_object()) {
    auto it = error.find("message");
    if (it != error.end() && it->is_string()) return it->get<std::string>();
  }
  return DumpJson(error);
}

Status CheckReplyDepth(std::string_view body) {
  if (!JsonNestedDeeperThan(body)) return Status::Ok();
  return Status::InvalidArgument("the body nests JSON more than " + std::to_string(kMaxJsonDepth) +
                                 " levels deep");
}

Result<json> ParseReplyJson(std::string_view body) {
  SV_RETURN_IF_ERROR(CheckReplyDepth(body));
  json doc = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return Status::InvalidArgument("the body is not JSON");
  return doc;
}

std::string DumpJson(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace safeval
