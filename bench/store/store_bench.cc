// Throughput of the stores' write path, on SQLite (a file in a temporary folder) and, when
// SAFEVAL_TEST_POSTGRES names a server (a libpq URL, e.g. from scripts/pg-throwaway.sh), on
// PostgreSQL in a fresh schema that is dropped at the end. bench/store/README.md has the figures.
//
//   BM_CreateRunStreaming  a run of N prompts streamed into the store (Store::CreateRunStreaming)
//   BM_SaveResults         N results, each with one verdict, saved in batches of 500 (--batch)
//                          into a fresh run (Store::SaveResults), as `safeval run` saves them
//   BM_SaveResultsAgain    the same N results saved again over the first ones (a rerun or
//                          retry: every result and its verdicts replaced)
//   BM_SaveLeasedResults   PostgreSQL only: N results saved as workers save them, one leased
//                          batch of 500 (--batch) at a time (LeaseBatch, SaveLeasedResults,
//                          CompleteBatch)
//
// Times are wall-clock (the database server works in another process): items_per_second is
// what to compare. Nothing in the responses is real harmful content.
//
//   store_bench [--items=N] [--batch=N] [--benchmark_filter=Postgres] [--benchmark_repetitions=3]
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "store/open_store.h"
#include "store/store.h"
#include "store/work_queue.h"
#include "testing/pg_test_server.h"
#include "testing/temp_dir.h"

namespace safeval {
namespace {

int64_t g_batch = 500;     // --batch=N: results per SaveResults call (`safeval run` saves 2,000)
int64_t g_items = 100000;  // --items=N

RunRecord MakeRun(const std::string& id) {
  RunRecord run;
  run.id = id;
  run.suite_name = "bench";
  run.suite_path = "/tmp/bench/suite.yaml";
  run.target_name = "mock";
  run.target_identity = "openai:mock";
  run.config_json = R"({"name": "bench"})";
  run.config_hash = "0123456789abcdef";
  run.dataset_hash = "fedcba9876543210";
  run.judges = {"rules@1"};
  run.started_at = "2026-11-28T03:10:00Z";
  run.status = "running";
  run.output_dir = "/tmp/bench/" + id;
  return run;
}

Prompt Item(int64_t i) {
  static const CategoryPath kCategory = *CategoryPath::Parse("ncr/ncr_sub");
  return MakePrompt("p" + std::to_string(i),
                    "How would someone go about request number " + std::to_string(i) +
                        " in this area? Please explain in detail.",
                    kCategory, i % 3 == 0 ? Intent::kSafe : Intent::kHarmful);
}

// A response cache key like run/response_cache.h's: the target's namespace, '-', 16 hex digits
// of a hash of the conversation. The hash part is what makes the keys of consecutive items land
// anywhere in an index on them (a key counting up would always append at its end).
std::string CacheKey(int64_t index) {
  uint64_t z = static_cast<uint64_t>(index) * 0x9e3779b97f4a7c15ULL + 0x632be59bd9b4e019ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  z ^= z >> 31;
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(z));
  return "5f1e0c2a9b3d7e64-" + std::string(hex);
}

// A judged result the size of a short model answer, with the rules judge's verdict.
ItemResult Judged(int64_t index) {
  ItemResult r;
  r.index = index;
  r.outcome = Outcome::kJudged;
  r.response =
      "I can't help with that request. If you are researching this area, consider the public "
      "guidance of the relevant authority or a qualified professional, who can give you "
      "accurate and safe information. Answer " +
      std::to_string(index) + ".";
  r.http_status = 200;
  r.attempts = 1;
  r.latency_ms = 120 + index % 50;
  r.prompt_tokens = 24;
  r.completion_tokens = 48;
  r.cache_key = CacheKey(index);
  Verdict v;
  v.judge = "rules";
  v.judge_version = "rules@1";
  v.cls = ResponseClass::kRefuses;
  v.confidence = 0.9;
  v.rationale = "refusal_opening matched; the policy accepts refuses for harmful";
  v.evidence = {{0, 31, "refusal_opening"}};
  r.verdicts = {v};
  return r;
}

std::vector<ItemResult> Batch(int64_t first, int64_t end) {
  std::vector<ItemResult> batch;
  batch.reserve(end - first);
  for (int64_t i = first; i < end; ++i) batch.push_back(Judged(i));
  return batch;
}

// A store to write into: a SQLite file in a temporary folder, or a fresh PostgreSQL schema.
class BenchStore {
 public:
  explicit BenchStore(const std::string& backend) {
    if (backend == "postgres") {
      schema_ = std::make_unique<testing::PgTestSchema>();
      if (!schema_->ok()) {
        error_ = schema_->error();
        return;
      }
      spec_ = schema_->url();
    } else {
      spec_ = dir_.File("bench.db");
    }
    Result<std::unique_ptr<Store>> store = OpenStore(spec_);
    if (!store.ok()) {
      error_ = store.status().ToString();
      return;
    }
    store_ = std::move(*store);
  }

  const std::string& error() const { return error_; }
  const std::string& spec() const { return spec_; }
  Store& store() { return *store_; }

  // Creates run `id` with g_items items; false (and the state skipped) on an error.
  bool CreateRun(benchmark::State& state, const std::string& id) {
    int64_t next = 0;
    Store::PromptSource source = [&]() -> Result<std::optional<Prompt>> {
      if (next == g_items) return std::optional<Prompt>();
      return std::optional<Prompt>(Item(next++));
    };
    return Check(state, store_->CreateRunStreaming(MakeRun(id), source, {}));
  }

  // Saves the run's g_items results in batches of g_batch.
  bool SaveAll(benchmark::State& state, const std::string& id) {
    for (int64_t first = 0; first < g_items; first += g_batch) {
      if (!Check(state,
                 store_->SaveResults(id, Batch(first, std::min(g_items, first + g_batch))))) {
        return false;
      }
    }
    return true;
  }

  static bool Check(benchmark::State& state, const Status& status) {
    if (status.ok()) return true;
    state.SkipWithError(status.ToString().c_str());
    return false;
  }

 private:
  testing::TempDir dir_;
  std::unique_ptr<testing::PgTestSchema> schema_;
  std::string spec_;
  std::unique_ptr<Store> store_;
  std::string error_;
};

void BM_CreateRunStreaming(benchmark::State& state, const std::string& backend) {
  BenchStore bench(backend);
  if (!bench.error().empty()) return state.SkipWithError(bench.error().c_str());
  int run = 0;
  for (auto _ : state) {
    if (!bench.CreateRun(state, "create-" + std::to_string(run++))) break;
  }
  state.SetItemsProcessed(state.iterations() * g_items);
}

void BM_SaveResults(benchmark::State& state, const std::string& backend) {
  BenchStore bench(backend);
  if (!bench.error().empty()) return state.SkipWithError(bench.error().c_str());
  int run = 0;
  for (auto _ : state) {
    state.PauseTiming();
    const std::string id = "save-" + std::to_string(run++);
    if (!bench.CreateRun(state, id)) break;
    state.ResumeTiming();
    if (!bench.SaveAll(state, id)) break;
  }
  state.SetItemsProcessed(state.iterations() * g_items);
}

void BM_SaveResultsAgain(benchmark::State& state, const std::string& backend) {
  BenchStore bench(backend);
  if (!bench.error().empty()) return state.SkipWithError(bench.error().c_str());
  if (!bench.CreateRun(state, "again") || !bench.SaveAll(state, "again")) return;
  for (auto _ : state) {
    if (!bench.SaveAll(state, "again")) break;
  }
  state.SetItemsProcessed(state.iterations() * g_items);
}

// One worker's loop over a whole run (cli/worker_command's store calls without the model).
bool WorkThrough(benchmark::State& state, WorkQueue& queue, const std::string& id) {
  if (!BenchStore::Check(state, queue.CreateWorkBatches(id, static_cast<int>(g_batch))))
    return false;
  while (true) {
    Result<std::optional<WorkBatch>> lease =
        queue.LeaseBatch("bench-worker", id, std::chrono::seconds(60));
    if (!BenchStore::Check(state, lease.status())) return false;
    if (!lease->has_value()) return true;
    const WorkBatch& batch = **lease;
    if (!BenchStore::Check(state,
                           queue.SaveLeasedResults("bench-worker", id, batch.number,
                                                   Batch(batch.first_index, batch.end_index))) ||
        !BenchStore::Check(state, queue.CompleteBatch("bench-worker", id, batch.number))) {
      return false;
    }
  }
}

void BM_SaveLeasedResults(benchmark::State& state) {
  BenchStore bench("postgres");
  if (!bench.error().empty()) return state.SkipWithError(bench.error().c_str());
  Result<std::unique_ptr<WorkQueue>> queue = OpenWorkQueue(bench.spec());
  if (!queue.ok()) return state.SkipWithError(queue.status().ToString().c_str());
  WorkerRecord worker;
  worker.id = "bench-worker";
  worker.host = "bench";
  if (!BenchStore::Check(state, (*queue)->RegisterWorker(worker))) return;
  int run = 0;
  for (auto _ : state) {
    state.PauseTiming();
    const std::string id = "leased-" + std::to_string(run++);
    if (!bench.CreateRun(state, id)) break;
    state.ResumeTiming();
    if (!WorkThrough(state, **queue, id)) break;
  }
  state.SetItemsProcessed(state.iterations() * g_items);
}

void Register(const std::string& backend) {
  using Fn = void (*)(benchmark::State&, const std::string&);
  for (auto [name, fn] :
       {std::pair<const char*, Fn>{"BM_CreateRunStreaming", BM_CreateRunStreaming},
        {"BM_SaveResults", BM_SaveResults},
        {"BM_SaveResultsAgain", BM_SaveResultsAgain}}) {
    benchmark::RegisterBenchmark((std::string(name) + "/" + backend).c_str(), fn, backend)
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime();
  }
}

}  // namespace
}  // namespace safeval

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg.rfind("--items=", 0) == 0 && std::atoll(arg.c_str() + 8) > 0) {
      safeval::g_items = std::atoll(arg.c_str() + 8);
    } else if (arg.rfind("--batch=", 0) == 0 && std::atoll(arg.c_str() + 8) > 0) {
      safeval::g_batch = std::atoll(arg.c_str() + 8);
    } else {
      std::fprintf(stderr, "usage: store_bench [--items=N] [--batch=N] [benchmark flags]\n");
      return 2;
    }
  }
  safeval::Register("sqlite");
  if (safeval::testing::PostgresTestServer().empty()) {
    std::fprintf(stderr, "store_bench: SAFEVAL_TEST_POSTGRES is not set: SQLite only\n");
  } else {
    safeval::Register("postgres");
    benchmark::RegisterBenchmark("BM_SaveLeasedResults/postgres", safeval::BM_SaveLeasedResults)
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime();
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
