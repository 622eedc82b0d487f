#include "report/even_sample.h"

namespace safeval {

bool EvenSample::Offer(uint64_t id, std::vector<uint64_t>* dropped) {
  bool take = WouldKeep();
  ++count_;
  if (!take) return false;
  kept_.push_back(id);
  if (kept_.size() <= capacity_) return true;
  // kept_[j] sits at position j * stride_: under the doubled stride the even j stay.
  stride_ *= 2;
  size_t out = 0;
  for (size_t j = 0; j < kept_.size(); ++j) {
    if (j % 2 == 0) {
      kept_[out++] = kept_[j];
    } else {
      dropped->push_back(kept_[j]);
    }
  }
  kept_.resize(out);
  return true;
}

}  // namespace safeval
