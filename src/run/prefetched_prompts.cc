#include "run/prefetched_prompts.h"

#include <algorithm>
#include <utility>

namespace safeval {

PrefetchedPrompts::PrefetchedPrompts(Store::PromptSource source, size_t ahead)
    : source_(std::move(source)),
      chunk_size_(std::clamp<size_t>(ahead / 8, 1, 256)),
      max_chunks_(std::max<size_t>(ahead / chunk_size_, 1)),
      producer_([this] { Produce(); }) {}

PrefetchedPrompts::~PrefetchedPrompts() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  changed_.notify_all();
  producer_.join();
}

// Hands prompts over a chunk at a time, so the threads meet once per chunk, not per prompt.
void PrefetchedPrompts::Produce() {
  Chunk chunk;
  for (bool last = false; !last;) {
    Result<std::optional<Prompt>> next = source_();
    last = !next.ok() || !next->has_value();
    chunk.push_back(std::move(next));
    if (!last && chunk.size() < chunk_size_) continue;
    std::unique_lock lock(mu_);
    changed_.wait(lock, [this] { return stop_ || ready_.size() < max_chunks_; });
    if (stop_) return;
    ready_.push_back(std::move(chunk));
    chunk.clear();
    changed_.notify_all();
  }
}

Result<std::optional<Prompt>> PrefetchedPrompts::Next() {
  if (finished_) return std::optional<Prompt>();
  if (next_in_current_ == current_.size()) {
    std::unique_lock lock(mu_);
    changed_.wait(lock, [this] { return !ready_.empty(); });
    current_ = std::move(ready_.front());
    ready_.pop_front();
    next_in_current_ = 0;
    changed_.notify_all();
  }
  Result<std::optional<Prompt>> next = std::move(current_[next_in_current_++]);
  if (!next.ok() || !next->has_value()) finished_ = true;
  return next;
}

}  // namespace safeval
