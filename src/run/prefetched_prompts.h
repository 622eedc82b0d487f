// PrefetchedPrompts: runs a Store::PromptSource (reading and checking a dataset, say) on a thread
// of its own, a bounded number of prompts ahead of the caller, so reading the dataset and
// writing the run's items into the store use both cores. Next gives exactly what the source
// gave, in order: its prompts, then its end (nullopt) or its error, after which the source is
// not called again. Destroying the object stops the thread (a caller that gives up early, say
// on a store error, waits for at most one call of the source). Next is for one thread.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "store/store.h"

namespace safeval {

class PrefetchedPrompts {
 public:
  // Starts calling `source` at once; at most about `ahead` prompts wait for Next.
  PrefetchedPrompts(Store::PromptSource source, size_t ahead = 1024);
  ~PrefetchedPrompts();
  PrefetchedPrompts(const PrefetchedPrompts&) = delete;
  PrefetchedPrompts& operator=(const PrefetchedPrompts&) = delete;

  Result<std::optional<Prompt>> Next();

 private:
  using Chunk = std::vector<Result<std::optional<Prompt>>>;
  void Produce();

  Store::PromptSource source_;
  size_t chunk_size_;
  size_t max_chunks_;
  std::mutex mu_;
  std::condition_variable changed_;
  std::deque<Chunk> ready_;  // guarded by mu_
  bool stop_ = false;        // guarded by mu_
  Chunk current_;            // the consumer's chunk
  size_t next_in_current_ = 0;
  bool finished_ = false;    // the consumer saw the end or an error
  std::thread producer_;
};

}  // namespace safeval
