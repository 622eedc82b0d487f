// A ModelClient for tests: answers from a script, records every request, and
// can fail chosen requests or trip a cancel flag after N replies.
#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <vector>

#include "model/model_client.h"

namespace safeval::testing {

class FakeModelClient : public ModelClient {
 public:
  // Maps a conversation to a reply (tag is filled in by the fake). Default: ok, "Here is an answer."
  using Script = std::function<ModelReply(const std::vector<Turn>& conversation)>;
  explicit FakeModelClient(Script script = {}) : script_(std::move(script)) {}

  std::string Identity() const override { return "fake:v1"; }
  Status Run(const RunHooks& hooks) override;

  // After this many replies, sets *cancel_flag (which the caller passed as hooks.cancel).
  void CancelAfter(int replies, std::atomic<bool>* cancel_flag) {
    cancel_after_ = replies;
    cancel_flag_ = cancel_flag;
  }
  // Makes Run return this status after delivering `after` replies.
  void FailRunAfter(int after, Status status) {
    fail_after_ = after;
    fail_status_ = std::move(status);
  }

  const std::vector<std::vector<Turn>>& requests() const { return requests_; }

 private:
  Script script_;
  std::vector<std::vector<Turn>> requests_;
  int cancel_after_ = -1;
  std::atomic<bool>* cancel_flag_ = nullptr;
  int fail_after_ = -1;
  Status fail_status_;
};

}  // namespace safeval::testing
