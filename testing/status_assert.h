// ASSERT_OK(expr): the test stops, printing the status, unless `expr` (a Status or a Result<T>)
// is ok. Header-only.
#pragma once

#include <gtest/gtest.h>

#include "core/status.h"

namespace safeval::testing {

inline const Status& StatusOf(const Status& s) { return s; }
template <typename T>
const Status& StatusOf(const Result<T>& r) {
  return r.status();
}

}  // namespace safeval::testing

#define ASSERT_OK(expr)                                                        \
  do {                                                                         \
    const auto& sv_s_ = (expr);                                                \
    ASSERT_TRUE(sv_s_.ok()) << ::safeval::testing::StatusOf(sv_s_).ToString(); \
  } while (0)
