// Shared by the libFuzzer targets in this folder (fuzz/README.md): a check that aborts,
// so libFuzzer records the input, the taxonomy and policy the parsers are run against,
// and a model client that answers every request with the fuzzer's bytes.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/status.h"
#include "core/utf8.h"
#include "model/model_client.h"
#include "policy/policy.h"
#include "taxonomy/taxonomy.h"

// Aborts (a crash to libFuzzer) when a parser breaks its own contract.
#define FUZZ_CHECK(cond)                                                                 \
  do {                                                                                   \
    if (!(cond)) {                                                                       \
      std::fprintf(stderr, "%s:%d: FUZZ_CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                      \
    }                                                                                    \
  } while (0)

namespace safeval::fuzz {

inline std::string_view AsText(const uint8_t* data, size_t size) {
  return std::string_view(reinterpret_cast<const char*>(data), size);
}

// builtin:safeval-v1 (the finest built-in taxonomy), built once.
inline const Taxonomy& FuzzTaxonomy() {
  static const Taxonomy* taxonomy = [] {
    Result<Taxonomy> t = Taxonomy::Resolve("builtin:safeval-v1", ".");
    if (!t.ok()) t = Taxonomy::AiluminateV1();
    return new Taxonomy(std::move(*t));
  }();
  return *taxonomy;
}

// builtin:default over FuzzTaxonomy(), built once.
inline const Policy& FuzzPolicy() {
  static const Policy* policy = [] {
    Result<Policy> p = Policy::Resolve("builtin:default", ".", FuzzTaxonomy());
    if (!p.ok()) {
      std::fprintf(stderr, "cannot load the default policy: %s\n", p.status().message().c_str());
      std::abort();
    }
    return new Policy(std::move(*p));
  }();
  return *policy;
}

// Answers every request with `answer` (a judge model's reply), made valid UTF-8 as every
// real client makes it.
class FixedAnswerClient : public ModelClient {
 public:
  explicit FixedAnswerClient(std::string_view answer) : answer_(SanitizeUtf8(answer)) {}
  std::string Identity() const override { return "fuzz:v1"; }
  Status Run(const RunHooks& hooks) override {
    while (std::optional<ModelRequest> request = hooks.next()) {
      ModelReply reply;
      reply.tag = request->tag;
      reply.ok = true;
      reply.http_status = 200;
      reply.attempts = 1;
      reply.text = answer_;
      hooks.on_reply(std::move(reply));
    }
    return Status::Ok();
  }

 private:
  std::string answer_;
};

}  // namespace safeval::fuzz
