#include "testing/fake_model_client.h"

namespace safeval::testing {

Status FakeModelClient::Run(const RunHooks& hooks) {
  int delivered = 0;
  while (!(hooks.cancel && hooks.cancel->load())) {
    if (fail_after_ >= 0 && delivered >= fail_after_) return fail_status_;
    std::optional<ModelRequest> request = hooks.next();
    if (!request) break;
    requests_.push_back(request->conversation);
    ModelReply reply;
    if (script_) {
      reply = script_(request->conversation);
    } else {
      reply.ok = true;
      reply.text = "Here is an answer.";
      reply.http_status = 200;
      reply.attempts = 1;
    }
    reply.tag = request->tag;
    hooks.on_reply(std::move(reply));
    ++delivered;
    if (cancel_after_ >= 0 && delivered >= cancel_after_ && cancel_flag_) cancel_flag_->store(true);
  }
  return Status::Ok();
}

}  // namespace safeval::testing
