// ExpectSamePrompt: every persisted field of two prompts equal (origin, where a prompt was read
// from, is not data), each field its own expectation so a failure names it. Header-only.
#pragma once

#include <gtest/gtest.h>

#include "core/prompt.h"

namespace safeval::testing {

inline void ExpectSamePrompt(const Prompt& a, const Prompt& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.turns, b.turns);
  EXPECT_EQ(a.category, b.category);
  EXPECT_EQ(a.intent, b.intent);
  EXPECT_EQ(a.persona, b.persona);
  EXPECT_EQ(a.locale, b.locale);
  EXPECT_EQ(a.tags, b.tags);
  EXPECT_EQ(a.parent_id, b.parent_id);
  EXPECT_EQ(a.techniques, b.techniques);
  EXPECT_EQ(a.system, b.system);
  EXPECT_EQ(a.tools_json, b.tools_json);
  EXPECT_EQ(a.canary, b.canary);
  EXPECT_EQ(a.group, b.group);
  EXPECT_EQ(a.pair_id, b.pair_id);
  EXPECT_EQ(a.expect, b.expect);
}

}  // namespace safeval::testing
