// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// How much of the exhaustive sweeps a test run covers. The fault loops,
// differential tests and crash rounds have a full size (what CI runs) and a
// sampled one (the default, so that the README's test command stays within
// a few minutes on a 2-core machine): the same ranges, covered with a wider
// step or fewer seeds. The full run is selected with the environment
// variable LAYOFFS_TEST_FULL=1 (.ci/run sets it) or by configuring with
// -DLAYOFFS_FULL_TESTS=ON.
#pragma once

#include <algorithm>
#include <cstdlib>
#include <cstring>

namespace layoffs::test_scale {

inline bool full() {
  if (const char* v = std::getenv("LAYOFFS_TEST_FULL"); v != nullptr && *v != '\0') {
    return std::strcmp(v, "0") != 0;
  }
#if defined(LAYOFFS_FULL_TESTS_DEFAULT) && LAYOFFS_FULL_TESTS_DEFAULT
  return true;
#else
  return false;
#endif
}

// `full_count` in a full run, else a quarter of it (at least `minimum`, at
// most `full_count`).
inline int count(int full_count, int minimum = 8) {
  return full() ? full_count : std::min(full_count, std::max(minimum, full_count / 4));
}

}  // namespace layoffs::test_scale
